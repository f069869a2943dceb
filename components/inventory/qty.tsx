/**
 * A quantity shown from its exact decimal string (never through a float): trailing zeros of the fraction are dropped
 * by text, so "2.500000" reads 2.5 and "0.100000" reads 0.1.
 */
export function formatQty(value: string): string {
  const text = value.trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) return text;
  const trimmed = text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
  return trimmed === "-0" ? "0" : trimmed;
}

export function Qty({ value, uom, className }: { value: string; uom?: string | null; className?: string }) {
  return (
    <span className={className ? `tabular-nums whitespace-nowrap ${className}` : "tabular-nums whitespace-nowrap"}>
      {formatQty(value)}
      {uom ? <span className="ml-1 text-slate-600">{uom}</span> : null}
    </span>
  );
}
