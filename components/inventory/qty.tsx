import { useLocale } from "next-intl";

/**
 * A quantity shown from its exact decimal string (never through a float): trailing zeros of the fraction are dropped
 * by text, so "2.500000" reads 2.5 and "0.100000" reads 0.1; in French with a decimal comma (2,5). Input fields keep
 * the dot (what the server parses).
 */
export function formatQty(value: string, locale = "en"): string {
  const text = value.trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) return text;
  const trimmed = text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
  const shown = trimmed === "-0" ? "0" : trimmed;
  return locale === "fr" ? shown.replace(".", ",") : shown;
}

export function Qty({ value, uom, className }: { value: string; uom?: string | null; className?: string }) {
  const locale = useLocale();
  return (
    <span className={className ? `tabular-nums whitespace-nowrap ${className}` : "tabular-nums whitespace-nowrap"}>
      {formatQty(value, locale)}
      {uom ? <span className="ml-1 text-slate-600">{uom}</span> : null}
    </span>
  );
}
