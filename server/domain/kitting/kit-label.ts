/* The kit label: what a printed label says, and the ZPL a label printer needs (4 x 6 in at 203 dpi). Pure. */

export type KitLabelContent = {
  kitNumber: string;
  workOrderNumber: string;
  stationCode: string | null;
  scope: string;
  lines: { partNumber: string; revision: string; item: string; quantity: string; uom: string }[];
  shortages: { partNumber: string; revision: string; quantity: string; uom: string; reason: string }[];
};

/**
 * ZPL field data: no ^ or ~ (command prefixes) or backslash, no control characters, lone surrogates or other
 * non-printing code points (the labels select UTF-8 with ^CI28, so accented words print), bounded length.
 */
export function zplText(s: string, max = 60): string {
  return [...s.replace(/[\^~\\]/g, " ").replace(/\p{C}/gu, "?")].slice(0, max).join("");
}

/** The printed words of a kit label (labels.kit.zplWords.* in the catalogs), in the language of the person printing it. */
export type KitLabelWordKey = "wo" | "to" | "line" | "short" | "more";
export type KitLabelWords = (key: KitLabelWordKey, values?: Record<string, string>) => string;

/** A 4 x 6 in label: kit number in text and as a Data Matrix, destination, order, and the content list. */
export function kitLabelZpl(c: KitLabelContent, w: KitLabelWords): string {
  const out: string[] = ["^XA", "^CI28", "^PW812", "^LL1218", "^LH0,0"];
  out.push(`^FO40,40^A0N,60,60^FD${zplText(c.kitNumber, 40)}^FS`);
  out.push(`^FO600,30^BXN,8,200^FD${zplText(c.kitNumber, 40)}^FS`);
  out.push(`^FO40,120^A0N,32,32^FD${zplText(w("wo", { number: c.workOrderNumber.slice(0, 30), scope: c.scope.slice(0, 30) }), 66)}^FS`);
  out.push(`^FO40,165^A0N,40,40^FD${zplText(w("to", { station: (c.stationCode ?? "-").slice(0, 20) }), 30)}^FS`);
  out.push("^FO40,230^GB730,3,3^FS");
  let y = 250;
  const maxRows = 22;
  const rows = [
    ...c.lines.map((l) => w("line", { part: l.partNumber, revision: l.revision, item: l.item, qty: l.quantity, uom: l.uom })),
    ...c.shortages.map((s) => w("short", { part: s.partNumber, revision: s.revision, qty: s.quantity, uom: s.uom })),
  ];
  for (const row of rows.slice(0, maxRows)) {
    out.push(`^FO40,${y}^A0N,28,28^FD${zplText(row, 56)}^FS`);
    y += 40;
  }
  if (rows.length > maxRows) out.push(`^FO40,${y}^A0N,28,28^FD${zplText(w("more", { count: String(rows.length - maxRows) }), 56)}^FS`);
  out.push("^XZ");
  return out.join("\n") + "\n";
}
