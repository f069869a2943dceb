import { parseScan, scanIdentifiers, PLAIN_TEXT_MAX_LENGTH } from "../scan/parse-scan";

/*
 * What a genealogy search looks for, from what was typed or scanned: the input goes through the scan parser, so a GS1
 * label, an ISO 15434 envelope or a plain number all work. Pure.
 */

export type SearchTerms = {
  /** serial numbers to look up exactly (unit or component serials) */
  serials: string[];
  /** lot numbers and supplier lots to look up exactly */
  lots: string[];
  /** part numbers, each with a revision when one was given ("PN rev B", "PN/B", "PN-B" is not split) */
  parts: { partNumber: string; revision: string | null }[];
  /** work order numbers */
  workOrders: string[];
  /** manufacturer codes (CAGE) or names */
  manufacturers: string[];
  /** the text suggestions start from when nothing matches exactly */
  suggestFrom: string;
  /** how the input was read, for the answer ("GS1 element string", "plain text", ...) */
  syntax: string;
  /** set when the scan could not be read at all: the raw text is still searched as plain text */
  scanError: string | null;
};

const REVISION_SUFFIX = /^(.+?)(?:\s+rev\.?\s*|\s*\/\s*|\s+)([A-Z0-9]{1,3})$/i;

export function searchTerms(input: string, today: Date): SearchTerms {
  const raw = input.trim();
  const parsed = parseScan(raw, { today });
  const ids = scanIdentifiers(parsed);
  const t: SearchTerms = { serials: [], lots: [], parts: [], workOrders: [], manufacturers: [], suggestFrom: raw, syntax: parsed.syntax, scanError: null };
  const add = (list: string[], v: string | undefined) => {
    const s = v?.trim();
    if (s && !list.includes(s)) list.push(s);
  };
  const addPart = (v: string | undefined) => {
    const s = v?.trim();
    if (!s) return;
    if (!t.parts.some((p) => p.partNumber === s && p.revision === null)) t.parts.push({ partNumber: s, revision: null });
    const m = REVISION_SUFFIX.exec(s);
    if (m && m[1] && m[2] && /\s|\//.test(s)) t.parts.push({ partNumber: m[1].trim(), revision: m[2].toUpperCase() });
  };
  if (!parsed.valid) {
    // Unreadable as a scan: search the text as typed (cut to the plain-text limit).
    t.scanError = parsed.error ?? "The scan could not be read.";
    const text = raw.slice(0, PLAIN_TEXT_MAX_LENGTH);
    add(t.serials, text);
    add(t.lots, text);
    addPart(text);
    add(t.workOrders, text);
    add(t.manufacturers, text);
    t.suggestFrom = text;
    return t;
  }
  if (ids.text !== undefined) {
    add(t.serials, ids.text);
    add(t.lots, ids.text);
    addPart(ids.text);
    add(t.workOrders, ids.text);
    add(t.manufacturers, ids.text);
    t.suggestFrom = ids.text;
  }
  add(t.serials, ids.serial);
  add(t.lots, ids.lot);
  addPart(ids.partNumber);
  add(t.manufacturers, ids.cage);
  if (ids.text === undefined) t.suggestFrom = ids.serial ?? ids.lot ?? ids.partNumber ?? ids.cage ?? raw;
  return t;
}

/**
 * Order suggestions by closeness to what was typed: the longest common prefix (case-insensitive) first, then the
 * smallest difference in length, then alphabetically. Free of edit distance: cheap on any number of candidates.
 */
export function rankSuggestions<T extends { text: string }>(query: string, candidates: T[], limit: number): T[] {
  const q = query.toLowerCase();
  const common = (s: string) => {
    const l = s.toLowerCase();
    let i = 0;
    while (i < l.length && i < q.length && l[i] === q[i]) i++;
    return i;
  };
  const seen = new Set<string>();
  return candidates
    .map((c) => ({ c, p: common(c.text), d: Math.abs(c.text.length - query.length) }))
    .sort((a, b) => b.p - a.p || a.d - b.d || a.c.text.localeCompare(b.c.text))
    .filter(({ c }) => {
      const key = `${c.text}\u0000${JSON.stringify(c)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, limit)
    .map(({ c }) => c);
}

/** Prefixes to try, longest first, for "did you mean": the whole text, then shorter cuts down to 2 characters. */
export function suggestionPrefixes(text: string): string[] {
  const s = text.trim();
  const out: string[] = [];
  for (const n of [s.length, Math.ceil(s.length * 0.75), Math.ceil(s.length / 2), Math.min(3, s.length), 2]) {
    if (n >= 2 && n <= s.length) {
      const p = s.slice(0, n);
      if (!out.includes(p)) out.push(p);
    }
  }
  return out;
}

/** Escape LIKE wildcards so a typed "%" or "_" matches itself. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
