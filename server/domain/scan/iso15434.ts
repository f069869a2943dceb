/**
 * ISO/IEC 15434 envelopes: "[)>" RS <format> GS <data elements separated by GS> RS EOT, for formats
 * 05 (GS1 AIs), 06 (ANSI MH10.8.2 data identifiers), 12 (ATA Spec 2000 text element identifiers) and DD (the DoD
 * collaborative TEI format). The MIL-STD-130 UII is derived where the data is an IUID data set.
 */
import { finishGs1, readElementString } from "./gs1-element-string";
import { hasValidCheckDigit } from "./gs1-linters";
import { uiiFromDataIdentifiers, uiiFromGs1, uiiFromTextElements, type Uii } from "./iuid";
import { checkDdmmyyyy, checkYymmdd, checkYyyymmdd, type DateCheck } from "./scan-dates";
import { EOT, GS, RS, ScanRejection, describeChar } from "./scan-errors";

export const ENVELOPE_HEADER = "[)>";

export const FORMAT_SYNTAX: Record<string, string> = {
  "05": "ISO15434-05 (GS1 AI)",
  "06": "ISO15434-06 (ANSI MH10.8.2 DI)",
  "12": "ISO15434-12 (ATA Spec 2000 TEI)",
  DD: "ISO15434-DD (DoD TEI collaborative format)",
};

export type EnvelopeOutcome = {
  syntax: string;
  fields: Record<string, string>;
  derived: Record<string, unknown>;
  warnings: string[];
};

/** The syntax name for an envelope, read from its header even when the rest is malformed. */
export function envelopeSyntax(input: string): string {
  if (input.charAt(ENVELOPE_HEADER.length) !== RS) return "ISO15434";
  const format = input.slice(ENVELOPE_HEADER.length + 1, ENVELOPE_HEADER.length + 3);
  return FORMAT_SYNTAX[format] ?? (format ? `ISO15434-${format}` : "ISO15434");
}

/** Splits the envelope; returns the format and its data elements. */
function openEnvelope(input: string): { format: string; elements: string[] } {
  if (input.charAt(ENVELOPE_HEADER.length) !== RS) {
    throw new ScanRejection('ISO/IEC 15434 message header "[)>" must be followed by RS (0x1E)');
  }
  const format = input.slice(ENVELOPE_HEADER.length + 1, ENVELOPE_HEADER.length + 3);
  if (!FORMAT_SYNTAX[format]) {
    throw new ScanRejection(`ISO/IEC 15434 format "${format}" is not supported here (formats 05, 06, 12 and DD are)`);
  }
  const headerEnd = ENVELOPE_HEADER.length + 3;
  if (input.charAt(headerEnd) !== GS) {
    throw new ScanRejection(`ISO/IEC 15434 format ${format} header must be followed by GS (0x1D)`);
  }
  const bodyStart = headerEnd + 1;
  const trailer = input.indexOf(RS, bodyStart);
  if (trailer < 0) {
    throw new ScanRejection(
      input.includes(EOT)
        ? `ISO/IEC 15434 format ${format} envelope is not closed: the format trailer RS is missing before EOT`
        : `ISO/IEC 15434 format ${format} envelope is not closed: the format trailer RS and the message trailer EOT are missing`,
    );
  }
  const after = input.slice(trailer + 1);
  if (after !== EOT) {
    if (after === "") throw new ScanRejection("ISO/IEC 15434 message trailer EOT (0x04) is missing after the format trailer RS");
    if (FORMAT_SYNTAX[after.slice(0, 2)] && after.charAt(2) === GS) {
      throw new ScanRejection("this ISO/IEC 15434 message holds more than one format envelope; scan one format at a time");
    }
    if (after.startsWith(EOT)) throw new ScanRejection("unexpected data after the ISO/IEC 15434 message trailer EOT");
    throw new ScanRejection("ISO/IEC 15434 message trailer EOT (0x04) must follow the format trailer RS");
  }
  const body = input.slice(bodyStart, trailer);
  const elements = body.split(GS);
  if (elements.at(-1) === "") elements.pop(); // a trailing GS before RS is tolerated
  if (elements.length === 0) throw new ScanRejection(`ISO/IEC 15434 format ${format} envelope holds no data`);
  elements.forEach((el, i) => {
    if (el === "") throw new ScanRejection(`ISO/IEC 15434 data element ${i + 1} is empty (two GS separators in a row)`);
    const bad = [...el].find((ch) => ch < " " || ch === "\u007f");
    if (bad !== undefined) throw new ScanRejection(`ISO/IEC 15434 data element ${i + 1} contains ${describeChar(bad)}`);
  });
  return { format, elements };
}

function addUii(derived: Record<string, unknown>, uii: Uii | null) {
  if (uii) Object.assign(derived, uii);
}

// ---- format 06: ANSI MH10.8.2 data identifiers ----------------------------------------------------------------

type DiCheck = (value: string, today: Date) => { problem?: string; iso?: string };

const dateDi =
  (check: (v: string, today: Date) => DateCheck, format: string): DiCheck =>
  (value, today) => {
    const r = check(value, today);
    return r.ok ? { iso: r.iso } : { problem: `${r.problem} (format ${format})` };
  };

/** IFA Pharmacy Product Number: 2-digit agency code + product code + 2 check digits (weighted ASCII sum mod 97). */
function ppnProblem(value: string): string | null {
  if (!/^\d{2}[0-9A-Z]{1,18}\d{2}$/.test(value)) return "is not a PPN (2-digit agency code, product code, 2 check digits)";
  let sum = 0;
  const body = value.slice(0, -2);
  for (let i = 0; i < body.length; i++) sum += body.charCodeAt(i) * (i + 2);
  const expected = String(sum % 97).padStart(2, "0");
  return expected === value.slice(-2) ? null : `PPN check digits are ${value.slice(-2)} but should be ${expected}`;
}

const DI_CHECKS: Record<string, DiCheck> = {
  D: dateDi((v, t) => checkYymmdd(v, t, false), "YYMMDD"),
  "12D": dateDi(checkYyyymmdd, "YYYYMMDD"),
  "14D": dateDi(checkYyyymmdd, "YYYYMMDD"),
  "16D": dateDi(checkYyyymmdd, "YYYYMMDD"),
  "25D": dateDi(checkYyyymmdd, "YYYYMMDD"),
  "26D": dateDi(checkYyyymmdd, "YYYYMMDD"),
  "15D": dateDi(checkDdmmyyyy, "DDMMYYYY"),
  "17D": dateDi(checkDdmmyyyy, "DDMMYYYY"),
  "20D": dateDi(checkDdmmyyyy, "DDMMYYYY"),
  "9N": (v) => {
    const problem = ppnProblem(v);
    return problem ? { problem } : {};
  },
  "8P": (v) => (/^\d{14}$/.test(v) && hasValidCheckDigit(v) ? {} : { problem: "is not a GTIN-14 with a valid check digit" }),
  Q: (v) => (/^\d+(\.\d+)?$/.test(v) ? {} : { problem: "quantity must be a number" }),
};

function parseFormat06(elements: string[], today: Date): EnvelopeOutcome {
  const fields: Record<string, string> = {};
  const derived: Record<string, unknown> = {};
  for (const el of elements) {
    const m = /^(\d{0,3}[A-Z])(.*)$/s.exec(el);
    if (!m) throw new ScanRejection(`ISO/IEC 15434 format 06 data element "${el}" does not start with a data identifier (digits then a letter)`);
    const [, di = "", value = ""] = m;
    if (value === "") throw new ScanRejection(`data identifier (${di}) has no data`);
    const prior = fields[di];
    if (prior !== undefined && prior !== value) {
      throw new ScanRejection(`data identifier (${di}) is repeated with different values ("${prior}" and "${value}")`);
    }
    const check = DI_CHECKS[di];
    if (check) {
      const r = check(value, today);
      if (r.problem !== undefined) throw new ScanRejection(`data identifier (${di}) "${value}": ${r.problem}`);
      if (r.iso) derived[`${di}_iso`] = r.iso;
    }
    fields[di] = value;
  }
  return { syntax: FORMAT_SYNTAX["06"] ?? "", fields, derived, warnings: [] };
}

// ---- formats 12 and DD: text element identifiers --------------------------------------------------------------

function parseTextElements(format: string, elements: string[]): EnvelopeOutcome {
  const fields: Record<string, string> = {};
  for (const el of elements) {
    const m = /^([A-Z0-9]{3}) (.*)$/s.exec(el);
    if (!m) {
      const tei = /^[A-Z0-9]{3}/.exec(el)?.[0];
      throw new ScanRejection(
        tei
          ? `text element identifier ${tei} must be followed by a space ("${el}")`
          : `ISO/IEC 15434 format ${format} data element "${el}" does not start with a text element identifier such as MFR, SER or PNO`,
      );
    }
    const [, tei = "", value = ""] = m;
    if (value.trim() === "") throw new ScanRejection(`text element identifier ${tei} has no data`);
    const prior = fields[tei];
    if (prior !== undefined && prior !== value) {
      throw new ScanRejection(`text element identifier ${tei} is repeated with different values ("${prior}" and "${value}")`);
    }
    fields[tei] = value;
  }
  return { syntax: FORMAT_SYNTAX[format] ?? "", fields, derived: {}, warnings: [] };
}

/**
 * Parses a whole envelope. The partial outcome (syntax and fields read so far) is attached to rejections that keep
 * fields, through `onFields`, so an incomplete IUID data set still reports what it carried.
 */
export function parseEnvelope(input: string, today: Date, onFields: (fields: Record<string, string>) => void): EnvelopeOutcome {
  const { format, elements } = openEnvelope(input);
  if (format === "05") {
    const pairs = readElementString(elements.join(GS));
    const gs1 = finishGs1(pairs, today, { associationsAsWarnings: true });
    onFields(gs1.fields);
    const derived = { ...gs1.derived };
    addUii(derived, uiiFromGs1(gs1.fields));
    const warnings = gs1.warnings.map((w) => `${w}; reported as a warning inside an ISO/IEC 15434 format 05 (MIL-STD-130) envelope`);
    return { syntax: FORMAT_SYNTAX["05"] ?? "", fields: gs1.fields, derived, warnings };
  }
  const outcome = format === "06" ? parseFormat06(elements, today) : parseTextElements(format, elements);
  onFields(outcome.fields);
  addUii(outcome.derived, format === "06" ? uiiFromDataIdentifiers(outcome.fields) : uiiFromTextElements(outcome.fields));
  return outcome;
}
