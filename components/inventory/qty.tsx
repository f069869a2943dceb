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

/** Compare two decimal strings without floats: -1, 0 or 1. */
export function compareQty(a: string, b: string): number {
  const norm = (s: string) => {
    const t = formatQty(s);
    const neg = t.startsWith("-");
    const [whole = "0", frac = ""] = (neg ? t.slice(1) : t).split(".");
    return { neg, whole: whole.replace(/^0+(?=\d)/, ""), frac };
  };
  const x = norm(a);
  const y = norm(b);
  const isZero = (n: { whole: string; frac: string }) => n.whole === "0" && n.frac === "";
  const sx = isZero(x) ? 0 : x.neg ? -1 : 1;
  const sy = isZero(y) ? 0 : y.neg ? -1 : 1;
  if (sx !== sy) return sx < sy ? -1 : 1;
  if (sx === 0) return 0;
  let mag = 0;
  if (x.whole.length !== y.whole.length) mag = x.whole.length < y.whole.length ? -1 : 1;
  else if (x.whole !== y.whole) mag = x.whole < y.whole ? -1 : 1;
  else {
    const len = Math.max(x.frac.length, y.frac.length);
    const fx = x.frac.padEnd(len, "0");
    const fy = y.frac.padEnd(len, "0");
    mag = fx === fy ? 0 : fx < fy ? -1 : 1;
  }
  return sx < 0 ? -mag : mag;
}
