import "server-only";

/*
 * Pure helpers of the genealogy exports: RFC 4180 CSV and times with their time zone. No I/O, no clock.
 */

export type CsvCell = string | number | boolean | null | undefined;

/** a field that may need quoting or neutralising (anything else goes out as it is: the fast path of long exports) */
const NEEDS_CARE = /^[=+@\t\r-]|[",\r\n]/;

/**
 * What a spreadsheet would run as a formula: a cell starting with = + @ tab or CR, or with "-" followed by something
 * formula-like (another operator, a function or DDE call such as -cmd|'...'!A0 or -SUM(...), a cell reference, or a
 * number followed by an operator). A lone "-", "-1.5" or "-A rev" is data and stays as it is.
 */
const FORMULA_START = /^[=+@\t\r]/;
const FORMULA_AFTER_MINUS = /^-(?:[=+\-@]|[A-Za-z_][\w.]*\s*[(|!]|\$?[A-Za-z]{1,3}\$?\d+\b|\d[\d.]*\s*[-+*/^&<>=])/;

export function looksLikeFormula(s: string): boolean {
  return FORMULA_START.test(s) || FORMULA_AFTER_MINUS.test(s);
}

/**
 * One CSV field (RFC 4180): quoted only when it holds a comma, a double quote, CR or LF; quotes inside are doubled. A
 * cell a spreadsheet would run as a formula is neutralised with a leading apostrophe (OWASP CSV injection); nothing
 * else is touched (revision "-" stays "-").
 */
export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  let s = String(value);
  if (!NEEDS_CARE.test(s)) return s;
  if (looksLikeFormula(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A stored quantity (numeric(18,6) text, e.g. "2.000000") as a person entered it: without the trailing zeros of the
 * storage scale ("2", "0.25", "-1.5"). Text that is not a decimal number is returned as it is.
 */
export function quantityText(value: string | number): string {
  const s = String(value).trim();
  if (!/^-?\d+(\.\d+)?$/.test(s)) return s;
  const [int, frac = ""] = s.split(".");
  const f = frac.replace(/0+$/, "");
  const out = f ? `${int}.${f}` : int!;
  return out === "-0" ? "0" : out;
}

/** CSV text of rows (RFC 4180: CRLF after every record, including the last). An empty row is an empty line. */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map((r) => r.map(csvField).join(",") + "\r\n").join("");
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** per zone: 15-minute UTC bucket -> the zone's offset then (ms) and its abbreviation */
const offsets = new Map<string, Map<number, { offsetMs: number; abbr: string }>>();
const BUCKET = 15 * 60 * 1000;

function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * The zone's UTC offset and abbreviation at an instant. Zone offsets change only at instants on a quarter hour, so one
 * Intl call per zone and quarter hour is enough (an export of 10,000 rows formats its times without 10,000 Intl calls).
 */
function zoneAt(ms: number, timeZone: string): { offsetMs: number; abbr: string } {
  let byBucket = offsets.get(timeZone);
  if (!byBucket) {
    byBucket = new Map();
    offsets.set(timeZone, byBucket);
  }
  const bucket = Math.floor(ms / BUCKET);
  let z = byBucket.get(bucket);
  if (!z) {
    const start = bucket * BUCKET;
    const p: Record<string, string> = {};
    for (const x of zoneFormatter(timeZone).formatToParts(new Date(start))) p[x.type] = x.value;
    const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
    z = { offsetMs: wall - start, abbr: p.timeZoneName ?? "" };
    if (byBucket.size > 50_000) byBucket.clear();
    byBucket.set(bucket, z);
  }
  return z;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** "2026-11-25 10:42:07 CST (America/Chicago)": an instant as wall time in a zone, with abbreviation and zone name. */
export function formatZonedTime(at: Date, timeZone: string): string {
  return formatZonedMs(at.getTime(), timeZone);
}

/** formatZonedTime of an instant given in epoch milliseconds. */
export function formatZonedMs(ms: number, timeZone: string): string {
  const z = zoneAt(ms, timeZone);
  const w = new Date(ms + z.offsetMs);
  return `${w.getUTCFullYear()}-${pad(w.getUTCMonth() + 1)}-${pad(w.getUTCDate())} ${pad(w.getUTCHours())}:${pad(w.getUTCMinutes())}:${pad(w.getUTCSeconds())} ${z.abbr} (${timeZone})`;
}

/** A file-name-safe stamp of an instant in a zone: "20261125-1042". */
export function fileStamp(at: Date, timeZone: string): string {
  const t = formatZonedTime(at, timeZone);
  return `${t.slice(0, 4)}${t.slice(5, 7)}${t.slice(8, 10)}-${t.slice(11, 13)}${t.slice(14, 16)}`;
}

/** A file-name-safe form of an identifier (serial, lot): letters, digits, dot, dash and underscore only. */
export function fileSafe(label: string): string {
  return label.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 80) || "export";
}
