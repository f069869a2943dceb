/**
 * The content checks ("linters") named by the GS1 Barcode Syntax Dictionary, written for this project from the
 * rules of the GS1 General Specifications. Each returns null when the component is fine, or the problem in plain
 * words (the caller prefixes the AI). The Record type makes the compiler demand a check for every linter that the
 * generated table (gs1-ai-table.ts) names.
 */
import type { Gs1LinterName } from "./gs1-ai-table";
import { AIDC_MEDIA_TYPES, ISO3166_ALPHA2, ISO3166_NUMERIC, ISO4217_NUMERIC, PACKAGE_TYPE_CODES } from "./gs1-code-lists";
import { checkYymmdd, checkYyyymmdd } from "./scan-dates";

export type LintContext = { today: Date };
export type Linter = (data: string, ctx: LintContext) => string | null;

const isDigits = (s: string) => /^\d*$/.test(s);

/** GS1 mod-10 check digit over all but the last digit (weights 3,1,3... from the right). */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

export function hasValidCheckDigit(digits: string): boolean {
  return /^\d{2,}$/.test(digits) && gs1CheckDigit(digits.slice(0, -1)) === Number(digits.slice(-1));
}

const CSET82_BY_WEIGHT = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
const CSET32 = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const PRIMES = [
  2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113,
  127, 131, 137, 139, 149, 151, 157, 163, 167, 173, 179, 181, 191, 193, 197, 199, 211, 223, 227, 229, 233, 239, 241, 251,
  257, 263, 269, 271, 277, 281, 283, 293, 307, 311, 313, 317, 331, 337, 347, 349, 353, 359, 367, 373, 379, 383, 389, 397,
  401, 409, 419, 421, 431, 433, 439, 443, 449, 457, 461, 463, 467, 479, 487, 491, 499, 503, 509,
];

/** GS1 alphanumeric check character pair (for GMN and MUDI). */
export function gs1CheckPair(body: string): string | null {
  if (body.length > PRIMES.length) return null;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const weight = PRIMES[body.length - 1 - i] ?? 0;
    sum += CSET82_BY_WEIGHT.indexOf(body.charAt(i)) * weight;
  }
  sum %= 1021;
  return `${CSET32.charAt(sum >> 5)}${CSET32.charAt(sum & 31)}`;
}

function gcpAt(data: string, offset: number): string | null {
  const prefix = data.slice(offset, offset + 4);
  if (prefix.length < 4) return "is too short to start with a GS1 Company Prefix";
  if (!isDigits(prefix)) return "must start with a GS1 Company Prefix (at least four digits)";
  return null;
}

function dateProblem(data: string, today: Date, allowDayZero: boolean): string | null {
  const r = checkYymmdd(data, today, allowDayZero);
  return r.ok ? null : r.problem;
}

function twoDigits(data: string, max: number, what: string): string | null {
  if (!/^\d{2}$/.test(data)) return `${what} "${data}" is not two digits`;
  return Number(data) > max ? `${what} ${data} does not exist` : null;
}

function ibanProblem(data: string): string | null {
  if (data.length < 4) return "IBAN is too short";
  if (!ISO3166_ALPHA2.has(data.slice(0, 2))) return `IBAN country code "${data.slice(0, 2)}" is not an ISO 3166 country`;
  if (data.length > 34) return "IBAN is longer than 34 characters";
  if (data.length <= 10) return "IBAN is too short";
  let rem = 0;
  const rotated = data.slice(4) + data.slice(0, 4);
  for (const ch of rotated) {
    const code = /[0-9]/.test(ch) ? ch : /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : null;
    if (code === null) return `character "${ch}" is not allowed in an IBAN`;
    for (const d of code) rem = (rem * 10 + Number(d)) % 97;
  }
  return rem === 1 ? null : "IBAN check digits are wrong";
}

/** Walks a variable-length-indicator field: returns the new position or a problem. */
function vliField(data: string, pos: number, what: string, allowed: (d: number) => boolean, lengthOf: (d: number) => number) {
  const ch = data.charAt(pos);
  if (ch === "") return { problem: `is missing the ${what} length indicator` };
  const d = Number(ch);
  if (!allowed(d)) return { problem: `has an invalid ${what} length indicator ${ch}` };
  const len = lengthOf(d);
  if (data.length - (pos + 1) < len) return { problem: `${what} is shorter than its length indicator says` };
  return { pos: pos + 1 + len, start: pos + 1, len };
}

function couponCodeProblem(data: string, ctx: LintContext): string | null {
  if (!isDigits(data)) return "coupon code must be digits only";
  type Step = { problem: string } | { pos: number; start: number; len: number };
  const isProblem = (s: Step): s is { problem: string } => "problem" in s;
  let step: Step = vliField(data, 0, "GS1 Company Prefix", (d) => d <= 6, (d) => d + 6);
  if (isProblem(step)) return `coupon ${step.problem}`;
  let pos = step.pos;
  if (data.length - pos < 6) return "coupon offer code is shorter than six digits";
  pos += 6;
  step = vliField(data, pos, "save value", (d) => d >= 1 && d <= 5, (d) => d);
  if (isProblem(step)) return `coupon ${step.problem}`;
  pos = step.pos;
  step = vliField(data, pos, "first purchase requirement", (d) => d >= 1 && d <= 5, (d) => d);
  if (isProblem(step)) return `coupon ${step.problem}`;
  pos = step.pos;
  const code = data.charAt(pos);
  if (code === "") return "coupon is missing the first purchase requirement code";
  if (Number(code) > 4 && code !== "9") return `coupon first purchase requirement code ${code} is invalid`;
  pos += 1;
  if (data.length - pos < 3) return "coupon first purchase family code is shorter than three digits";
  pos += 3;
  for (const [flag, nth] of [["1", "second"], ["2", "third"]] as const) {
    if (data.charAt(pos) !== flag) continue;
    pos += 1;
    if (flag === "1") {
      const rules = data.charAt(pos);
      if (rules === "") return "coupon is missing the additional purchase rules code";
      if (Number(rules) > 3) return `coupon additional purchase rules code ${rules} is invalid`;
      pos += 1;
    }
    step = vliField(data, pos, `${nth} purchase requirement`, (d) => d >= 1 && d <= 5, (d) => d);
    if (isProblem(step)) return `coupon ${step.problem}`;
    pos = step.pos;
    const req = data.charAt(pos);
    if (req === "") return `coupon is missing the ${nth} purchase requirement code`;
    if (Number(req) > 4 && req !== "9") return `coupon ${nth} purchase requirement code ${req} is invalid`;
    pos += 1;
    if (data.length - pos < 3) return `coupon ${nth} purchase family code is shorter than three digits`;
    pos += 3;
    step = vliField(data, pos, `${nth} purchase GS1 Company Prefix`, (d) => d <= 6 || d === 9, (d) => (d === 9 ? 0 : d + 6));
    if (isProblem(step)) return `coupon ${step.problem}`;
    if (step.len > 0 && gcpAt(data.slice(step.start, step.start + step.len), 0)) return `coupon ${nth} purchase GS1 Company Prefix is invalid`;
    pos = step.pos;
  }
  let expiry: string | null = null;
  if (data.charAt(pos) === "3") {
    const d = data.slice(pos + 1, pos + 7);
    if (d.length < 6) return "coupon expiration date is too short";
    if (!checkYymmdd(d, ctx.today, false).ok) return `coupon expiration date ${d} is not a valid date`;
    expiry = d;
    pos += 7;
  }
  if (data.charAt(pos) === "4") {
    const d = data.slice(pos + 1, pos + 7);
    if (d.length < 6) return "coupon start date is too short";
    if (!checkYymmdd(d, ctx.today, false).ok) return `coupon start date ${d} is not a valid date`;
    if (expiry !== null && d > expiry) return "coupon expiration date is before its start date";
    pos += 7;
  }
  if (data.charAt(pos) === "5") {
    step = vliField(data, pos + 1, "serial number", () => true, (d) => d + 6);
    if (isProblem(step)) return `coupon ${step.problem}`;
    pos = step.pos;
  }
  if (data.charAt(pos) === "6") {
    step = vliField(data, pos + 1, "retailer GS1 Company Prefix or GLN", (d) => d >= 1 && d <= 7, (d) => d + 6);
    if (isProblem(step)) return `coupon ${step.problem}`;
    pos = step.pos;
  }
  if (data.charAt(pos) === "9") {
    const misc = data.slice(pos + 1, pos + 5);
    const [saveCode = "", appliesTo = "", store = "", dontMultiply = ""] = [...misc];
    if (saveCode === "") return "coupon is missing the save value code";
    if (!["0", "1", "2", "5", "6"].includes(saveCode)) return `coupon save value code ${saveCode} is invalid`;
    if (appliesTo === "") return "coupon is missing the save-value-applies-to-item value";
    if (Number(appliesTo) > 2) return `coupon save-value-applies-to-item value ${appliesTo} is invalid`;
    if (store === "") return "coupon is missing the store coupon flag";
    if (dontMultiply === "") return "coupon is missing the don't-multiply flag";
    if (dontMultiply !== "0" && dontMultiply !== "1") return `coupon don't-multiply flag ${dontMultiply} is invalid`;
    pos += 5;
  }
  return pos === data.length ? null : "coupon has unexpected data after its last field";
}

function couponPosOfferProblem(data: string): string | null {
  if (!isDigits(data)) return "coupon code must be digits only";
  const format = data.charAt(0);
  if (format === "") return "coupon is missing its format code";
  if (format !== "0" && format !== "1") return `coupon format code ${format} is invalid`;
  const funder = vliField(data, 1, "funder ID", (d) => d <= 6, (d) => d + 6);
  if ("problem" in funder) return `coupon ${funder.problem}`;
  let pos = funder.pos;
  if (data.length - pos < 6) return "coupon offer code is shorter than six digits";
  pos += 6;
  const serial = vliField(data, pos, "serial number", () => true, (d) => d + 6);
  if ("problem" in serial) return `coupon ${serial.problem}`;
  return serial.pos === data.length ? null : "coupon has unexpected data after its serial number";
}

export const GS1_LINTERS: Record<Gs1LinterName, Linter> = {
  csum: (d) => {
    if (!/^\d+$/.test(d)) return "check digit cannot be verified on non-digits";
    const expected = gs1CheckDigit(d.slice(0, -1));
    return expected === Number(d.slice(-1)) ? null : `check digit is ${d.slice(-1)} but should be ${expected}`;
  },
  csumalpha: (d) => {
    if (d.length < 2) return "is too short to carry a check character pair";
    const body = d.slice(0, -2);
    for (const ch of body) if (!CSET82_BY_WEIGHT.includes(ch)) return `character "${ch}" is not in GS1 CSET 82`;
    const pair = d.slice(-2);
    if (![...pair].every((ch) => CSET32.includes(ch))) return `check characters "${pair}" are not in GS1 CSET 32`;
    const expected = gs1CheckPair(body);
    if (expected === null) return "is too long for the check character pair";
    return expected === pair ? null : `check character pair is ${pair} but should be ${expected}`;
  },
  gcppos1: (d) => gcpAt(d, 0),
  gcppos2: (d) => (d.length < 2 ? "is too short to contain a GS1 Company Prefix" : gcpAt(d, 1)),
  hasnondigit: (d) => (/\D/.test(d) ? null : "must contain at least one non-digit character"),
  hh: (d) => twoDigits(d, 23, "hour"),
  mi: (d) => twoDigits(d, 59, "minute"),
  ss: (d) => twoDigits(d, 59, "second"),
  hhmi: (d) => twoDigits(d.slice(0, 2), 23, "hour") ?? twoDigits(d.slice(2, 4), 59, "minute") ?? (d.length === 4 ? null : "time must be HHMM"),
  hyphen: (d) => (d === "-" ? null : `"${d}" must be a hyphen`),
  iban: (d) => ibanProblem(d),
  importeridx: (d) => (/^[-0-9A-Za-z_]$/.test(d) ? null : `importer index "${d}" must be one character 0-9, A-Z, a-z, - or _`),
  iso3166: (d) => (ISO3166_NUMERIC.has(d) ? null : `"${d}" is not an ISO 3166 numeric country code`),
  iso3166999: (d) => (d === "999" || ISO3166_NUMERIC.has(d) ? null : `"${d}" is not an ISO 3166 numeric country code or 999`),
  iso3166alpha2: (d) => (ISO3166_ALPHA2.has(d) ? null : `"${d}" is not an ISO 3166 alpha-2 country code`),
  iso4217: (d) => (ISO4217_NUMERIC.has(d) ? null : `"${d}" is not an ISO 4217 currency code`),
  iso5218: (d) => (["0", "1", "2", "9"].includes(d) ? null : `"${d}" is not an ISO/IEC 5218 sex code (0, 1, 2 or 9)`),
  latitude: (d) => (/^\d{10}$/.test(d) && Number(d) <= 1800000000 ? null : `latitude "${d}" is out of range`),
  longitude: (d) => (/^\d{10}$/.test(d) && Number(d) <= 3600000000 ? null : `longitude "${d}" is out of range`),
  mediatype: (d) => (AIDC_MEDIA_TYPES.has(d) ? null : `"${d}" is not an AIDC media type`),
  nonzero: (d) => (/^\d+$/.test(d) && /[1-9]/.test(d) ? null : "must not be zero"),
  nozeroprefix: (d) => (d.startsWith("0") ? "must not start with 0" : null),
  packagetype: (d) => (PACKAGE_TYPE_CODES.has(d) ? null : `"${d}" is not a GS1 package type code`),
  pcenc: (d) => {
    for (let i = d.indexOf("%"); i >= 0; i = d.indexOf("%", i + 1)) {
      if (!/^%[0-9A-Fa-f]{2}$/.test(d.slice(i, i + 3))) return "has a '%' that is not followed by two hexadecimal digits";
    }
    return null;
  },
  pieceoftotal: (d) => {
    if (!/^\d+$/.test(d) || d.length % 2 !== 0) return "piece-of-total must be two equal-width numbers";
    const piece = d.slice(0, d.length / 2);
    const total = d.slice(d.length / 2);
    if (/^0+$/.test(piece)) return "piece number must not be zero";
    if (/^0+$/.test(total)) return "total number of pieces must not be zero";
    return piece > total ? `piece ${piece} exceeds the total ${total}` : null;
  },
  posinseqslash: (d) => {
    const m = /^(\d+)\/(\d+)$/.exec(d);
    if (!m) return `"${d}" must be written as position/total`;
    const [, pos = "", end = ""] = m;
    if (pos.startsWith("0") || end.startsWith("0")) return "position and total must not be zero or start with 0";
    return pos.length > end.length || (pos.length === end.length && pos > end) ? `position ${pos} exceeds the total ${end}` : null;
  },
  winding: (d) => (["0", "1", "9"].includes(d) ? null : `winding direction "${d}" must be 0, 1 or 9`),
  yesno: (d) => (d === "0" || d === "1" ? null : `"${d}" must be 0 (no) or 1 (yes)`),
  yymmd0: (d, ctx) => dateProblem(d, ctx.today, true),
  yymmdd: (d, ctx) => dateProblem(d, ctx.today, false),
  yyyymmdd: (d) => {
    const r = checkYyyymmdd(d);
    return r.ok ? null : r.problem;
  },
  zero: (d) => (d === "0" ? null : `"${d}" must be 0`),
  couponcode: (d, ctx) => couponCodeProblem(d, ctx),
  couponposoffer: (d) => couponPosOfferProblem(d),
};
