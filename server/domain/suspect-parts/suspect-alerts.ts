import { parseCsv } from "../admin/badge-import";
import type { Signable } from "../quality/signature";

/*
 * Suspect-part alerts (counterfeit prevention, GIDEP-style), the pure part: what an alert names, how it is checked, the
 * date-code arithmetic and the CSV import plan. An alert names a manufacturer (its code as on the AML: CAGE), a part
 * number, and optionally one lot (matched against the lot number and the supplier's lot) or a date-code range (YYWW,
 * ISO weeks, both ends inclusive, judged on the lot's date of manufacture in the site's time zone); with neither it
 * covers every lot and serial of that part from that manufacturer. Every problem of a file is reported with its line
 * and column, and a file with any problem imports nothing.
 */

export const SUSPECT_IMPORT_COLUMNS = ["reference", "manufacturer", "part_number", "lot", "date_code_from", "date_code_to", "description"] as const;
export type SuspectImportColumn = (typeof SUSPECT_IMPORT_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly SuspectImportColumn[] = ["reference", "manufacturer", "part_number", "description"];
export const MAX_ALERT_ROWS = 500;
export const MAX_ALERT_BYTES = 512 * 1024;
export const MAX_DESCRIPTION = 1000;

/** An alert as entered or read from a file line (text as given). */
export type AlertInput = {
  reference: string;
  manufacturerCode: string;
  partNumber: string;
  lotNumber?: string | null;
  dateCodeFrom?: string | null;
  dateCodeTo?: string | null;
  description: string;
};

/** A checked alert: trimmed, codes upper-cased, empty optional fields null. */
export type SuspectAlertCriteria = {
  reference: string;
  manufacturerCode: string;
  partNumber: string;
  lotNumber: string | null;
  dateCodeFrom: string | null;
  dateCodeTo: string | null;
  description: string;
};

export type AlertField = "reference" | "manufacturerCode" | "partNumber" | "lotNumber" | "dateCodeFrom" | "dateCodeTo" | "description";
export type AlertProblem = { field: AlertField; message: string };

const CODE = /^[\x21-\x7e](?:[\x20-\x7e]{0,98}[\x21-\x7e])?$/;

/** The first and last day (YYYY-MM-DD) of ISO week `week` of `year`. */
export function isoWeekDays(year: number, week: number): { first: string; last: string } {
  // ISO week 1 holds January 4th; weeks start on Monday
  const jan4 = Date.UTC(year, 0, 4);
  const jan4Weekday = (new Date(jan4).getUTCDay() + 6) % 7; // Monday 0
  const monday = jan4 - jan4Weekday * 86_400_000 + (week - 1) * 7 * 86_400_000;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { first: day(monday), last: day(monday + 6 * 86_400_000) };
}

/** The number of ISO weeks of a year (52 or 53). */
export function isoWeeksIn(year: number): number {
  const dec28 = isoWeekDays(year, 1);
  const next = isoWeekDays(year + 1, 1);
  return Math.round((Date.parse(next.first) - Date.parse(dec28.first)) / (7 * 86_400_000));
}

/** A date code YYWW (20YY, ISO week 01-53): its year and week, or the reason it is not one. */
export function parseDateCode(text: string): { year: number; week: number } | { problem: string } {
  const t = text.trim();
  if (!/^\d{4}$/.test(t)) return { problem: `"${t}" is not a date code: write YYWW, e.g. 2318 for week 18 of 2023.` };
  const year = 2000 + Number(t.slice(0, 2));
  const week = Number(t.slice(2));
  if (week < 1 || week > isoWeeksIn(year)) return { problem: `Date code ${t}: ${year} has no week ${week} (weeks 01 to ${isoWeeksIn(year)}).` };
  return { year, week };
}

/** The days a date-code range covers, both ends included: Monday of the first week to Sunday of the last. */
export function dateCodeRangeDays(from: string, to: string): { firstDay: string; lastDay: string } {
  const a = parseDateCode(from);
  const b = parseDateCode(to);
  if ("problem" in a) throw new Error(a.problem);
  if ("problem" in b) throw new Error(b.problem);
  return { firstDay: isoWeekDays(a.year, a.week).first, lastDay: isoWeekDays(b.year, b.week).last };
}

const blankToNull = (v: string | null | undefined) => {
  const t = (v ?? "").trim();
  return t === "" ? null : t;
};

/** Check one alert: every problem, by field (none: `criteria` is set). */
export function checkAlert(input: AlertInput): { criteria: SuspectAlertCriteria | null; problems: AlertProblem[] } {
  const problems: AlertProblem[] = [];
  const add = (field: AlertField, message: string) => problems.push({ field, message });
  const reference = input.reference.trim();
  if (!reference) add("reference", "Give the alert's reference (e.g. its GIDEP document number).");
  else if (!CODE.test(reference)) add("reference", "A reference is 1 to 100 printable characters.");
  const manufacturerCode = input.manufacturerCode.trim().toUpperCase();
  if (!manufacturerCode) add("manufacturerCode", "Name the manufacturer (its code or CAGE).");
  else if (!CODE.test(manufacturerCode)) add("manufacturerCode", "A manufacturer code is 1 to 100 printable characters.");
  const partNumber = input.partNumber.trim();
  if (!partNumber) add("partNumber", "Name the part number.");
  else if (!CODE.test(partNumber)) add("partNumber", "A part number is 1 to 100 printable characters.");
  const lotNumber = blankToNull(input.lotNumber);
  if (lotNumber !== null && !CODE.test(lotNumber)) add("lotNumber", "A lot number is 1 to 100 printable characters.");
  const dateCodeFrom = blankToNull(input.dateCodeFrom);
  const dateCodeTo = blankToNull(input.dateCodeTo);
  if ((dateCodeFrom === null) !== (dateCodeTo === null)) {
    add(dateCodeFrom === null ? "dateCodeFrom" : "dateCodeTo", "Give both ends of the date-code range (the same code twice for one week).");
  } else if (dateCodeFrom !== null && dateCodeTo !== null) {
    const a = parseDateCode(dateCodeFrom);
    const b = parseDateCode(dateCodeTo);
    if ("problem" in a) add("dateCodeFrom", a.problem);
    if ("problem" in b) add("dateCodeTo", b.problem);
    if (!("problem" in a) && !("problem" in b) && dateCodeFrom > dateCodeTo) add("dateCodeTo", `The range ends (${dateCodeTo}) before it starts (${dateCodeFrom}).`);
  }
  if (lotNumber !== null && dateCodeFrom !== null) add("lotNumber", "Give a lot or a date-code range, not both (one alert per lot or range).");
  const description = input.description.trim();
  if (!description) add("description", "Say what is suspect (the alert's problem description).");
  else if (description.length > MAX_DESCRIPTION) add("description", `The description is at most ${MAX_DESCRIPTION} characters.`);
  if (problems.length > 0) return { criteria: null, problems };
  return { criteria: { reference, manufacturerCode, partNumber, lotNumber, dateCodeFrom, dateCodeTo, description }, problems };
}

/** The words of an alert's scope: "part X of manufacturer M, lot L" / "date codes 2318 to 2322" / "every lot and serial". */
export function alertScopeWords(a: Pick<SuspectAlertCriteria, "manufacturerCode" | "partNumber" | "lotNumber" | "dateCodeFrom" | "dateCodeTo">): string {
  const which = a.lotNumber ? `lot ${a.lotNumber}` : a.dateCodeFrom ? `date codes ${a.dateCodeFrom} to ${a.dateCodeTo}` : "every lot and serial";
  return `${a.partNumber} from manufacturer ${a.manufacturerCode}, ${which}`;
}

/** The reason written on each hold an alert places. */
export function alertHoldReason(a: SuspectAlertCriteria): string {
  const text = `Suspect part alert ${a.reference} (${alertScopeWords(a)}): ${a.description}`;
  return text.length > 1000 ? `${text.slice(0, 999)}…` : text;
}

/** The signed content of an alert: its criteria, who created it and when (bound by the alert's "hold" signature). */
export function alertSignedContent(a: SuspectAlertCriteria & { siteId: string; id: string; createdBy: string; createdAt: Date }): Signable {
  return {
    recordType: "suspect_alert",
    siteId: a.siteId,
    id: a.id,
    reference: a.reference,
    manufacturerCode: a.manufacturerCode,
    partNumber: a.partNumber,
    lotNumber: a.lotNumber,
    dateCodeFrom: a.dateCodeFrom,
    dateCodeTo: a.dateCodeTo,
    description: a.description,
    createdBy: a.createdBy,
    createdAt: a.createdAt,
  };
}

export type SuspectImportRow = SuspectAlertCriteria & { line: number };
export type SuspectImportProblem = { line: number; column: SuspectImportColumn | null; message: string };

const FIELD_COLUMN: Record<AlertField, SuspectImportColumn> = {
  reference: "reference",
  manufacturerCode: "manufacturer",
  partNumber: "part_number",
  lotNumber: "lot",
  dateCodeFrom: "date_code_from",
  dateCodeTo: "date_code_to",
  description: "description",
};

/** The key two alerts with the same criteria share (a file may not list one twice). */
export function alertKey(a: SuspectAlertCriteria): string {
  return [a.reference, a.manufacturerCode, a.partNumber, a.lotNumber ?? "", a.dateCodeFrom ?? "", a.dateCodeTo ?? ""].join("\u0000");
}

/**
 * Check a suspect-part CSV file: header first (reference, manufacturer, part_number, description required; lot,
 * date_code_from, date_code_to optional; any order), then every line. Returns the alerts, or every problem with its line
 * and column (and then no alerts: nothing is imported).
 */
export function planSuspectAlertImport(text: string): { rows: SuspectImportRow[]; problems: SuspectImportProblem[] } {
  if (new TextEncoder().encode(text).length > MAX_ALERT_BYTES) {
    return { rows: [], problems: [{ line: 0, column: null, message: `The file is larger than ${MAX_ALERT_BYTES / 1024} KB: split it.` }] };
  }
  let records: { line: number; fields: string[] }[];
  try {
    records = parseCsv(text);
  } catch (e) {
    return { rows: [], problems: [{ line: 0, column: null, message: (e as Error).message }] };
  }
  const [header, ...body] = records;
  if (!header) return { rows: [], problems: [{ line: 1, column: null, message: `The file is empty: its first line names the columns ${SUSPECT_IMPORT_COLUMNS.join(", ")}.` }] };
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const problems: SuspectImportProblem[] = [];
  const index = new Map<SuspectImportColumn, number>();
  for (const col of SUSPECT_IMPORT_COLUMNS) {
    const at = names.indexOf(col);
    if (at >= 0) index.set(col, at);
    else if (REQUIRED_COLUMNS.includes(col)) problems.push({ line: header.line, column: col, message: `The header has no "${col}" column (expected: ${SUSPECT_IMPORT_COLUMNS.join(", ")}).` });
  }
  const unknown = names.filter((n) => n && !(SUSPECT_IMPORT_COLUMNS as readonly string[]).includes(n));
  if (unknown.length > 0) problems.push({ line: header.line, column: null, message: `Unknown column${unknown.length === 1 ? "" : "s"}: ${unknown.join(", ")}.` });
  if (problems.length > 0) return { rows: [], problems };
  if (body.length === 0) return { rows: [], problems: [{ line: header.line + 1, column: null, message: "The file has a header but no alerts." }] };
  if (body.length > MAX_ALERT_ROWS) return { rows: [], problems: [{ line: 0, column: null, message: `At most ${MAX_ALERT_ROWS} alerts per file (${body.length} given): split it.` }] };

  const rows: SuspectImportRow[] = [];
  const seen = new Map<string, number>();
  for (const r of body) {
    const get = (c: SuspectImportColumn) => (index.has(c) ? (r.fields[index.get(c)!] ?? "") : "");
    if (r.fields.length !== names.length) {
      problems.push({ line: r.line, column: null, message: `This line has ${r.fields.length} values; the header has ${names.length}.` });
      continue;
    }
    const checked = checkAlert({
      reference: get("reference"),
      manufacturerCode: get("manufacturer"),
      partNumber: get("part_number"),
      lotNumber: get("lot"),
      dateCodeFrom: get("date_code_from"),
      dateCodeTo: get("date_code_to"),
      description: get("description"),
    });
    if (!checked.criteria) {
      problems.push(...checked.problems.map((p) => ({ line: r.line, column: FIELD_COLUMN[p.field], message: p.message })));
      continue;
    }
    const key = alertKey(checked.criteria);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problems.push({ line: r.line, column: null, message: `The same alert is also on line ${earlier}.` });
      continue;
    }
    seen.set(key, r.line);
    rows.push({ ...checked.criteria, line: r.line });
  }
  return { rows: problems.length > 0 ? [] : rows, problems };
}
