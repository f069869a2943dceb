/**
 * parseScan: what a station scanner (keyboard wedge or camera) delivered, read as one of
 *   - GS1 element strings, with an AIM symbology identifier (]d2, ]C1, ]Q3, ]e0), a leading FNC1 (GS), or raw
 *     when they unambiguously start with an SSCC/GTIN AI or contain a GS separator; the bracketed form (01)...(10)...;
 *   - EAN-13 / UPC-A (]E0, or 13/12 raw digits whose check digit passes) and EAN-8 (]E4), as GTIN-14 in (01);
 *   - GS1 Digital Link URIs;
 *   - ISO/IEC 15434 envelopes, formats 05, 06, 12 and DD, with the MIL-STD-130 UII where one is built;
 *   - plain text: a part, lot or serial number typed or scanned alone (any other raw digit string included).
 * Every rejection names the first problem found (vectors/POLICY.md rule 8). Pure: `today` is passed in
 * and only used for the GS1 century rule of two-digit years.
 */
import { gs1CheckDigit, hasValidCheckDigit } from "./gs1-linters";
import { aiEntry, finishGs1, readBracketed, readElementString, type AiPair } from "./gs1-element-string";
import { looksLikeUri, parseDigitalLink } from "./gs1-digital-link";
import { ENVELOPE_HEADER, envelopeSyntax, parseEnvelope } from "./iso15434";
import { GS, ScanRejection, describeChar } from "./scan-errors";

export type ScanResult = {
  valid: boolean;
  syntax: string;
  fields: Record<string, string>;
  derived: Record<string, unknown>;
  error?: string;
  warnings?: string[];
};

export const PLAIN_TEXT_MAX_LENGTH = 100;

/** AIM symbology identifiers whose data are GS1 element strings (FNC1 in first position). */
const GS1_AIM = new Set(["d2", "C1", "Q3", "e0"]);
/** AIM symbology identifiers of non-GS1 symbologies: their data is read as an envelope, a URI or plain text. */
const PLAIN_AIM = new Set([
  ...["A0", "A1", "A2", "A3", "A4", "A5", "A7"], // Code 39
  "C0", // Code 128
  ...["I0", "I1", "I3"], // Interleaved 2 of 5
  ...["F0", "F1", "F2", "F4"], // Codabar
  "G0", // Code 93
  ...["L0", "L1", "L2"], // PDF417
  "d1", // Data Matrix
  ...["Q0", "Q1"], // QR Code
  "z0", // Aztec
]);

type Parsed = { syntax: string; fields: Record<string, string>; derived?: Record<string, unknown>; warnings?: string[] };

/** What the parser has recognised so far, for the rejection: the syntax, and fields a late refusal still reports. */
type Attempt = { syntax: string; fields: Record<string, string> };

function gs1(pairs: AiPair[], today: Date): Parsed {
  const out = finishGs1(pairs, today);
  return { syntax: "GS1", fields: out.fields, derived: out.derived };
}

function gtinFrom(digits: string): Record<string, string> {
  return { "01": digits.padStart(14, "0") };
}

function plainText(raw: string, attempt: Attempt): Parsed {
  attempt.syntax = "plain-text";
  const text = raw.trim();
  if (text === "") throw new ScanRejection("the scan holds no text");
  const bad = [...text].find((ch) => ch < " " || ch === "\u007f");
  if (bad !== undefined) {
    throw new ScanRejection(`plain text contains ${describeChar(bad)}; a part, lot or serial number is printable text only`);
  }
  if (text.length > PLAIN_TEXT_MAX_LENGTH) {
    throw new ScanRejection(
      `plain text is ${text.length} characters long; a part, lot or serial number has at most ${PLAIN_TEXT_MAX_LENGTH}`,
    );
  }
  return { syntax: "plain-text", fields: { text } };
}

/** Data from a non-GS1 carrier (or raw input that is not GS1): envelope, Digital Link URI, or plain text. */
function plainData(data: string, today: Date, attempt: Attempt): Parsed {
  if (data.startsWith(ENVELOPE_HEADER)) {
    attempt.syntax = envelopeSyntax(data);
    return parseEnvelope(data, today, (fields) => (attempt.fields = fields));
  }
  if (looksLikeUri(data)) {
    attempt.syntax = "GS1-DigitalLink";
    return { syntax: "GS1-DigitalLink", ...parseDigitalLink(data, today) };
  }
  return plainText(data, attempt);
}

function eanUpc(data: string, length: 13 | 8, today: Date, attempt: Attempt): Parsed {
  const name = length === 13 ? "EAN-13" : "EAN-8";
  attempt.syntax = name;
  const [primary = "", composite] = data.split("|]e0");
  if (data.includes("|") && composite === undefined) throw new ScanRejection(`${name}: a composite component must start with "|]e0"`);
  if (!/^\d*$/.test(primary)) throw new ScanRejection(`${name} must be digits only ("${primary}")`);
  if (primary.length !== length) throw new ScanRejection(`${name} must be ${length} digits; ${primary.length} given`);
  if (!hasValidCheckDigit(primary)) {
    const expected = gs1CheckDigit(primary.slice(0, -1));
    const corrected = primary.slice(0, -1) + String(expected);
    throw new ScanRejection(`${name} check digit is ${primary.slice(-1)} but should be ${expected} (correct: ${corrected})`);
  }
  const fields = gtinFrom(primary);
  if (composite === undefined) return { syntax: name, fields };
  if (composite === "") throw new ScanRejection(`${name}: the composite component holds no AI data`);
  const pairs = readElementString(composite);
  const out = finishGs1([{ ai: "01", value: fields["01"] ?? "", entry: requireEntry("01") }, ...pairs], today);
  return { syntax: name, fields: out.fields, derived: out.derived };
}

function requireEntry(ai: string) {
  const entry = aiEntry(ai);
  if (!entry) throw new Error(`GS1 table has no AI ${ai}`);
  return entry;
}

function withAim(input: string, today: Date, attempt: Attempt): Parsed {
  if (input.length < 3) {
    attempt.syntax = "unknown";
    throw new ScanRejection(`incomplete AIM symbology identifier "${input}"`);
  }
  const id = input.slice(1, 3);
  const data = input.slice(3);
  if (GS1_AIM.has(id)) {
    attempt.syntax = "GS1";
    const ai = data.startsWith(GS) ? data.slice(1) : data;
    if (ai === "") throw new ScanRejection(`GS1 symbology identifier ]${id} but no AI data`);
    return gs1(readElementString(ai), today);
  }
  if (id === "E0") return eanUpc(data, 13, today, attempt);
  if (id === "E4") return eanUpc(data, 8, today, attempt);
  if (PLAIN_AIM.has(id)) return plainData(data, today, attempt);
  attempt.syntax = "unknown";
  throw new ScanRejection(`unknown or unsupported AIM symbology identifier "]${id}"`);
}

/** A raw string (no symbology identifier): decide between the forms of POLICY.md rule 2. */
function raw(input: string, today: Date, attempt: Attempt): Parsed {
  if (input.startsWith(GS)) {
    attempt.syntax = "GS1";
    const data = input.replace(/^\u001d+/, "");
    if (data === "") throw new ScanRejection("FNC1 (GS) but no AI data");
    return gs1(readElementString(data), today);
  }
  if (/^\(\d{2,4}\)/.test(input)) {
    attempt.syntax = "GS1";
    return gs1(readBracketed(input), today);
  }
  if (/^\d+$/.test(input)) {
    if (input.length === 13 && hasValidCheckDigit(input)) return { syntax: "EAN-13", fields: gtinFrom(input) };
    if (input.length === 12 && hasValidCheckDigit(input)) return { syntax: "UPC-A", fields: gtinFrom(input) };
    return plainText(input, attempt);
  }
  if (input.startsWith(ENVELOPE_HEADER) || looksLikeUri(input)) return plainData(input, today, attempt);
  // Raw AI data without a symbology identifier: only when it is unmistakable, i.e. it carries a GS separator or
  // starts with an SSCC (00) or GTIN (01, 02, 03) and its full-length value.
  if (input.includes(GS) || /^(00\d{18}|0[123]\d{14})./s.test(input)) {
    attempt.syntax = "GS1";
    return gs1(readElementString(input), today);
  }
  return plainText(input, attempt);
}

export function parseScan(input: string, opts: { today: Date }): ScanResult {
  // What a keyboard wedge adds around a scan (CR/LF suffix, stray spaces or tabs) is not part of the data.
  const scan = input.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
  const attempt: Attempt = { syntax: "none", fields: {} };
  try {
    if (scan === "") throw new ScanRejection("the scan is empty");
    const parsed = scan.startsWith("]") ? withAim(scan, opts.today, attempt) : raw(scan, opts.today, attempt);
    const result: ScanResult = { valid: true, syntax: parsed.syntax, fields: parsed.fields, derived: parsed.derived ?? {} };
    if (parsed.warnings && parsed.warnings.length > 0) result.warnings = parsed.warnings;
    return result;
  } catch (e) {
    if (!(e instanceof ScanRejection)) throw e;
    return {
      valid: false,
      syntax: attempt.syntax,
      fields: e.keepFields ? attempt.fields : {},
      derived: {},
      error: e.message,
    };
  }
}

export type ScanIdentifiers = {
  gtin?: string;
  partNumber?: string;
  /** part revision (ANSI MH10.8.2 DI 2P) */
  revision?: string;
  lot?: string;
  serial?: string;
  /** ISO date YYYY-MM-DD. */
  expiry?: string;
  uii?: string;
  cage?: string;
  text?: string;
};

const firstOf = (fields: Record<string, string>, keys: string[]) => keys.map((k) => fields[k]).find((v) => v !== undefined);

/** The identifiers a valid scan carries, for looking up parts, lots, serials and units; {} for an invalid scan. */
export function scanIdentifiers(result: ScanResult): ScanIdentifiers {
  if (!result.valid) return {};
  const f = result.fields;
  const d = result.derived;
  const out: ScanIdentifiers = {};
  const set = <K extends keyof ScanIdentifiers>(key: K, value: string | undefined) => {
    if (value !== undefined && value !== "") out[key] = value;
  };
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  switch (result.syntax) {
    case "plain-text":
      set("text", f.text);
      break;
    case "ISO15434-06 (ANSI MH10.8.2 DI)":
      set("gtin", f["8P"]);
      set("partNumber", firstOf(f, ["1P", "P"]));
      set("revision", f["2P"]);
      set("lot", firstOf(f, ["1T", "T"]));
      set("serial", firstOf(f, ["S"]));
      set("expiry", str(d["14D_iso"]));
      set("cage", f["17V"]);
      break;
    case "ISO15434-12 (ATA Spec 2000 TEI)":
    case "ISO15434-DD (DoD TEI collaborative format)":
      set("partNumber", firstOf(f, ["PNR", "PNO"]));
      set("lot", firstOf(f, ["LOT", "LTN"]));
      set("serial", firstOf(f, ["SER", "SEQ"]));
      set("cage", firstOf(f, ["MFR", "CAG", "SPL"]));
      break;
    default:
      // GS1 in all its forms (element strings, Digital Link, EAN/UPC, format 05 envelopes)
      set("gtin", f["01"]);
      set("partNumber", firstOf(f, ["240", "241"]));
      set("lot", f["10"]);
      set("serial", f["21"]);
      set("expiry", str(d["17_iso"]) ?? str(d["7003_iso"])?.slice(0, 10));
  }
  set("uii", str(d.UII));
  return out;
}
