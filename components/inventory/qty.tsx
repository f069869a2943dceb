import { useLocale } from "next-intl";
import { formatQty } from "@/i18n/format";

export { formatQty };

/** A quantity and its unit, in the page's locale (formatQty, i18n/format.ts). */
export function Qty({ value, uom, className }: { value: string; uom?: string | null; className?: string }) {
  const locale = useLocale();
  return (
    <span className={className ? `tabular-nums whitespace-nowrap ${className}` : "tabular-nums whitespace-nowrap"}>
      {formatQty(value, locale)}
      {uom ? <span className="ml-1 text-slate-600">{uom}</span> : null}
    </span>
  );
}
