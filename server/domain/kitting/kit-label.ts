/* The kit label: what a printed label says, and the ZPL a label printer needs (4 x 6 in at 203 dpi). Pure. */

export type KitLabelContent = {
  kitNumber: string;
  workOrderNumber: string;
  stationCode: string | null;
  scope: string;
  lines: { partNumber: string; revision: string; item: string; quantity: string; uom: string }[];
  shortages: { partNumber: string; revision: string; quantity: string; uom: string; reason: string }[];
};

/** ZPL field data: no ^ or ~ (command prefixes), printable ASCII only, bounded length. */
export function zplText(s: string, max = 60): string {
  return s
    .replace(/[\^~\\]/g, " ")
    .replace(/[^\x20-\x7e]/g, "?")
    .slice(0, max);
}

/** A 4 x 6 in label: kit number in text and as a Data Matrix, destination, order, and the content list. */
export function kitLabelZpl(c: KitLabelContent): string {
  const out: string[] = ["^XA", "^CI28", "^PW812", "^LL1218", "^LH0,0"];
  out.push(`^FO40,40^A0N,60,60^FD${zplText(c.kitNumber, 40)}^FS`);
  out.push(`^FO600,30^BXN,8,200^FD${zplText(c.kitNumber, 40)}^FS`);
  out.push(`^FO40,120^A0N,32,32^FDWO ${zplText(c.workOrderNumber, 30)}  ${zplText(c.scope, 30)}^FS`);
  out.push(`^FO40,165^A0N,40,40^FDTo: ${zplText(c.stationCode ?? "-", 20)}^FS`);
  out.push("^FO40,230^GB730,3,3^FS");
  let y = 250;
  const maxRows = 22;
  const rows = [
    ...c.lines.map((l) => `${l.partNumber} rev ${l.revision}  ${l.item}  ${l.quantity} ${l.uom}`),
    ...c.shortages.map((s) => `SHORT ${s.partNumber} rev ${s.revision}  ${s.quantity} ${s.uom}`),
  ];
  for (const row of rows.slice(0, maxRows)) {
    out.push(`^FO40,${y}^A0N,28,28^FD${zplText(row, 56)}^FS`);
    y += 40;
  }
  if (rows.length > maxRows) out.push(`^FO40,${y}^A0N,28,28^FD+ ${rows.length - maxRows} more lines: see the kit page^FS`);
  out.push("^XZ");
  return out.join("\n") + "\n";
}
