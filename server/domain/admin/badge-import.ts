import { pinProblem } from "@/server/domain/auth/pin-policy";

/*
 * Badge import (pure): a CSV file of floor users, one per row, with the columns display_name, badge_id, pin and roles
 * (roles separated by ";"), header first, in any order. Every row is checked and every problem reported with its line
 * and column; the import writes only when there is none. RFC 4180 quoting ("a, b", "say ""x""") is understood; a
 * leading byte-order mark and CRLF line ends are accepted.
 */

export const BADGE_IMPORT_COLUMNS = ["display_name", "badge_id", "pin", "roles"] as const;
export type BadgeImportColumn = (typeof BADGE_IMPORT_COLUMNS)[number];
export const MAX_IMPORT_ROWS = 1000;
export const MAX_IMPORT_BYTES = 512 * 1024;

export type BadgeImportRow = { line: number; displayName: string; badgeId: string; pin: string; roles: string[] };
export type BadgeImportProblem = { line: number; column: BadgeImportColumn | null; message: string };
export type BadgeImportPlan = { rows: BadgeImportRow[]; problems: BadgeImportProblem[] };

/** Split CSV text into records of fields, with the line each record starts on (1-based). Throws on an unclosed quote. */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const src = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const out: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let fieldStarted = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === "\n") line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (c === ",") {
      fields.push(field);
      field = "";
      fieldStarted = false;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && src[i + 1] === "\n") i++;
      fields.push(field);
      if (!(fields.length === 1 && fields[0] === "")) out.push({ line: recordLine, fields });
      fields = [];
      field = "";
      fieldStarted = false;
      line++;
      recordLine = line;
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (quoted) throw new Error(`Line ${recordLine}: a quoted value is not closed.`);
  fields.push(field);
  if (!(fields.length === 1 && fields[0] === "")) out.push({ line: recordLine, fields });
  return out;
}

const PRINTABLE_NO_SPACE = /^[\x21-\x7e]+$/;

/**
 * Check a badge import file: the header, then every row (name, badge, PIN under the plant's policy, roles among
 * `allowedRoles`, no badge twice in the file). Badges already given to someone are checked against the database by the
 * service. Returns the rows and every problem found (the import is refused when there is any).
 */
export function planBadgeImport(text: string, opts: { requiredPinLength: number; allowedRoles: readonly string[] }): BadgeImportPlan {
  const problems: BadgeImportProblem[] = [];
  if (new TextEncoder().encode(text).length > MAX_IMPORT_BYTES) {
    return { rows: [], problems: [{ line: 0, column: null, message: `The file is larger than ${MAX_IMPORT_BYTES / 1024} KB: split it.` }] };
  }
  let records: { line: number; fields: string[] }[];
  try {
    records = parseCsv(text);
  } catch (e) {
    return { rows: [], problems: [{ line: 0, column: null, message: (e as Error).message }] };
  }
  const [header, ...body] = records;
  if (!header) return { rows: [], problems: [{ line: 1, column: null, message: `The file is empty: its first line names the columns ${BADGE_IMPORT_COLUMNS.join(", ")}.` }] };
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const index = new Map<BadgeImportColumn, number>();
  for (const col of BADGE_IMPORT_COLUMNS) {
    const at = names.indexOf(col);
    if (at < 0) problems.push({ line: header.line, column: col, message: `The header has no "${col}" column (expected: ${BADGE_IMPORT_COLUMNS.join(", ")}).` });
    else index.set(col, at);
  }
  const unknown = names.filter((n) => n && !(BADGE_IMPORT_COLUMNS as readonly string[]).includes(n));
  if (unknown.length > 0) problems.push({ line: header.line, column: null, message: `Unknown column${unknown.length === 1 ? "" : "s"}: ${unknown.join(", ")}.` });
  if (problems.length > 0) return { rows: [], problems };
  if (body.length === 0) return { rows: [], problems: [{ line: header.line + 1, column: null, message: "The file has a header but no rows." }] };
  if (body.length > MAX_IMPORT_ROWS) return { rows: [], problems: [{ line: 0, column: null, message: `At most ${MAX_IMPORT_ROWS} rows per file (${body.length} given): split it.` }] };

  const rows: BadgeImportRow[] = [];
  const seenBadges = new Map<string, number>();
  for (const r of body) {
    const get = (c: BadgeImportColumn) => (r.fields[index.get(c)!] ?? "").trim();
    const rowProblems: BadgeImportProblem[] = [];
    const add = (column: BadgeImportColumn | null, message: string) => rowProblems.push({ line: r.line, column, message });
    if (r.fields.length !== names.length) add(null, `This row has ${r.fields.length} values; the header has ${names.length}.`);
    const displayName = get("display_name");
    if (!displayName) add("display_name", "The name is missing.");
    else if (displayName.length > 100) add("display_name", "The name is at most 100 characters.");
    else if (/[\u0000-\u001f\u007f]/.test(displayName)) add("display_name", "The name has control characters.");
    const badgeId = get("badge_id");
    if (!badgeId) add("badge_id", "The badge id is missing.");
    else if (badgeId.length > 64 || !PRINTABLE_NO_SPACE.test(badgeId)) add("badge_id", "A badge id is 1 to 64 printable characters, no spaces.");
    else if (seenBadges.has(badgeId)) add("badge_id", `Badge ${badgeId} is also on line ${seenBadges.get(badgeId)}.`);
    else seenBadges.set(badgeId, r.line);
    const pin = get("pin");
    const pinWhy = pinProblem(pin, opts.requiredPinLength);
    if (pinWhy) add("pin", pinWhy);
    const roles = [...new Set(get("roles").split(/[;|]/).map((x) => x.trim().toLowerCase()).filter(Boolean))];
    if (roles.length === 0) add("roles", `Give at least one role (${opts.allowedRoles.join(", ")}).`);
    const badRoles = roles.filter((x) => !opts.allowedRoles.includes(x));
    if (badRoles.length > 0) add("roles", `Unknown role${badRoles.length === 1 ? "" : "s"}: ${badRoles.join(", ")} (known: ${opts.allowedRoles.join(", ")}).`);
    if (rowProblems.length > 0) problems.push(...rowProblems);
    else rows.push({ line: r.line, displayName, badgeId, pin, roles });
  }
  return { rows: problems.length > 0 ? [] : rows, problems };
}
