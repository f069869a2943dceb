/*
 * Lot and serial labels (issue 21, Must 7): what a printed label says, the 2D code it carries and the ZPL a label
 * printer needs (4 x 6 in at 203 dpi). Pure: the clock state at print time is passed in.
 *
 * The 2D code follows the scan policy (server/domain/scan): a GS1 DataMatrix with (01) GTIN, (17) expiry, (10) lot or
 * (21) serial when the part has a GTIN and the lot or serial fits GS1's character set (AI 82, at most 20 characters);
 * otherwise (no GTIN: GS1 requires (01) with (10) and (21)) an ISO/IEC 15434 format 06 envelope with the ANSI MH10.8.2
 * data identifiers 1P part, 2P revision, 1T lot or S serial and 14D expiry. The parser reads both back to the item.
 */
import { zplText } from "../kitting/kit-label";

export type ItemLabelContent = {
  kind: "lot" | "serial";
  partNumber: string;
  revision: string;
  description: string;
  /** the lot or serial number */
  number: string;
  gtin: string | null;
  /** the shelf-life expiry as a calendar date in the site's time zone (YYYY-MM-DD), or null */
  expiresOn: string | null;
  /** out-time state at print time (lots of parts with an out-time limit), else null */
  outTime: { limitMinutes: number; remainingMinutes: number; running: boolean; spent: boolean; endsAtLocal: string | null } | null;
  /** thaw state at print time, when the part must thaw */
  thaw: { state: "not_frozen" | "frozen" | "thawing" | "thawed"; completeAtLocal: string | null } | null;
  /** when the label was printed, site-local "YYYY-MM-DD HH:MM" */
  printedAtLocal: string;
  siteCode: string;
};

export type LabelCode =
  /** GS1 DataMatrix: `bracketed` is the human-readable form (and what bwip-js encodes), `scanned` what a scanner sends */
  | { syntax: "gs1"; bracketed: string; scanned: string; elements: [string, string][] }
  /** ISO/IEC 15434 format 06 in a plain Data Matrix: `scanned` is the envelope with its RS/GS/EOT characters */
  | { syntax: "iso15434"; scanned: string; elements: [string, string][] };

const GS = "\u001d";
const RS = "\u001e";
const EOT = "\u0004";
/** GS1 AI encodable character set 82, without the parentheses (they would read as AI brackets in the human form). */
const GS1_AI82 = /^[!"%&'*+,\-./0-9:;<=>?A-Z_a-z]{1,20}$/;
/** What an ANSI MH10.8.2 data field may hold here: printable ASCII without the envelope's separators. */
const MH10 = /^[\x20-\x7e]{1,50}$/;

/** YYMMDD of a YYYY-MM-DD date (GS1 AI 17). */
const yymmdd = (iso: string) => iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);

/** The 2D code of a lot or serial label. */
export function itemLabelCode(c: Pick<ItemLabelContent, "kind" | "partNumber" | "revision" | "number" | "gtin" | "expiresOn">): LabelCode {
  const ai = c.kind === "lot" ? "10" : "21";
  if (c.gtin && /^[0-9]{14}$/.test(c.gtin) && GS1_AI82.test(c.number)) {
    const elements: [string, string][] = [["01", c.gtin]];
    if (c.expiresOn) elements.push(["17", yymmdd(c.expiresOn)]);
    elements.push([ai, c.number]);
    // fixed-length AIs first; the variable-length lot or serial last, so no separator is needed
    return { syntax: "gs1", bracketed: elements.map(([k, v]) => `(${k})${v}`).join(""), scanned: `]d2${elements.map(([k, v]) => k + v).join("")}`, elements };
  }
  const field = (v: string) => (MH10.test(v) ? v : v.replace(/[^\x20-\x7e]/g, "?").slice(0, 50));
  const elements: [string, string][] = [
    ["1P", field(c.partNumber)],
    ["2P", field(c.revision)],
    [c.kind === "lot" ? "1T" : "S", field(c.number)],
  ];
  if (c.expiresOn) elements.push(["14D", c.expiresOn.replaceAll("-", "")]);
  return { syntax: "iso15434", scanned: `[)>${RS}06${GS}${elements.map(([k, v]) => k + v).join(GS)}${RS}${EOT}`, elements };
}

/** Zebra field data with ^FH hex escapes (indicator `_`): control characters, `_`, `^` and `~` as _XX. */
function zplHex(s: string): string {
  return [...s].map((ch) => (/[\x20-\x7e]/.test(ch) && !/[_^~\\]/.test(ch) ? ch : `_${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0").slice(-2)}`)).join("");
}

/** The code as ZPL: GS1 DataMatrix through ^BX with FNC1 (_1), or the envelope with ^FH hex escapes. */
export function labelCodeZpl(code: LabelCode, x: number, y: number): string {
  if (code.syntax === "gs1") {
    // ^BX quality 200 (ECC 200), escape character `_`: `_1` is FNC1 (GS1 mode); the elements need no separator (see above)
    return `^FO${x},${y}^BXN,7,200,,,,_^FD_1${code.elements.map(([k, v]) => k + v).join("")}^FS`;
  }
  return `^FO${x},${y}^BXN,6,200^FH_^FD${zplHex(code.scanned)}^FS`;
}

/** The printed words of a label (labels.zplWords.* in the catalogs), in the language of the person printing it. */
export type ItemLabelWordKey =
  | "rev" | "lot" | "serial" | "expires" | "noExpiry" | "outTimeUsedUp" | "outTimeLeft" | "running" | "stopped" | "thawing" | "frozen"
  | "thawed" | "printedAt";
/** A word of a printed label with its values (all given as text: a label prints numbers as they are, no grouping). */
export type LabelWords<K extends string> = (key: K, values?: Record<string, string>) => string;

/** The out-time state in the label's words, one or two lines. */
export function outTimeLines(c: ItemLabelContent, w: LabelWords<ItemLabelWordKey>): string[] {
  const o = c.outTime;
  if (!o) return [];
  const limit = String(o.limitMinutes);
  if (o.spent) return [w("outTimeUsedUp", { limit })];
  const left = w("outTimeLeft", { hours: String(Math.floor(o.remainingMinutes / 60)), minutes: String(o.remainingMinutes % 60).padStart(2, "0"), limit });
  return [left, o.running ? w("running", { at: o.endsAtLocal ?? "" }) : w("stopped")];
}

export function thawLine(c: ItemLabelContent, w: LabelWords<ItemLabelWordKey>): string | null {
  const t = c.thaw;
  if (!t || t.state === "not_frozen") return null;
  if (t.state === "thawing") return w("thawing", { at: t.completeAtLocal ?? "" });
  return t.state === "frozen" ? w("frozen") : w("thawed");
}

/** A 4 x 6 in label: part and revision, lot or serial in text and as a 2D code, expiry, out-time and thaw at print time. */
export function itemLabelZpl(c: ItemLabelContent, w: LabelWords<ItemLabelWordKey>, code: LabelCode = itemLabelCode(c)): string {
  const out: string[] = ["^XA", "^CI28", "^PW812", "^LL1218", "^LH0,0"];
  out.push(`^FO40,40^A0N,56,56^FD${zplText(c.partNumber, 30)}^FS`);
  out.push(`^FO40,105^A0N,34,34^FD${zplText(w("rev", { revision: c.revision.slice(0, 10), description: c.description.slice(0, 36) }), 56)}^FS`);
  out.push(`^FO40,160^A0N,44,44^FD${zplText(w(c.kind === "lot" ? "lot" : "serial", { number: c.number.slice(0, 30) }), 44)}^FS`);
  out.push(labelCodeZpl(code, 560, 220));
  out.push(`^FO40,230^A0N,36,36^FD${zplText(c.expiresOn ? w("expires", { date: c.expiresOn }) : w("noExpiry"), 30)}^FS`);
  const thaw = thawLine(c, w);
  const lines = [...outTimeLines(c, w), ...(thaw ? [thaw] : [])];
  let y = 440;
  for (const l of lines) {
    out.push(`^FO40,${y}^A0N,28,28^FD${zplText(l, 56)}^FS`);
    y += 40;
  }
  out.push(`^FO40,560^A0N,24,24^FD${zplText(w("printedAt", { at: c.printedAtLocal.slice(0, 20), site: c.siteCode.slice(0, 10) }), 60)}^FS`);
  if (code.syntax === "gs1") out.push(`^FO40,600^A0N,24,24^FD${zplText(code.bracketed, 60)}^FS`);
  out.push("^XZ");
  return out.join("\n") + "\n";
}
