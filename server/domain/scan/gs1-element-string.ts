/**
 * GS1 element strings (AI data), validated strictly against the project's copy of the GS1 Barcode Syntax Dictionary:
 * AI lengths and character sets, the named content checks (check digits, dates...), repeated AIs, and the
 * associative rules (ex= mutually exclusive, req= required companions).
 */
import { GS1_AI_TABLE, type Gs1AiEntry, type Gs1Component } from "./gs1-ai-table";
import { GS1_LINTERS } from "./gs1-linters";
import { checkYymmdd, checkYyyymmdd } from "./scan-dates";
import { GS, ScanRejection, describeChar } from "./scan-errors";

export type AiPair = { ai: string; value: string; entry: Gs1AiEntry };
export type Gs1Outcome = { fields: Record<string, string>; derived: Record<string, unknown>; warnings: string[] };

export function aiEntry(ai: string): Gs1AiEntry | undefined {
  return Object.hasOwn(GS1_AI_TABLE, ai) ? GS1_AI_TABLE[ai] : undefined;
}

/** The AI starting at `pos` (AIs are prefix-free: try 2, 3 then 4 digits). */
export function aiEntryAt(data: string, pos: number): Gs1AiEntry | undefined {
  for (let len = 2; len <= 4; len++) {
    const candidate = data.slice(pos, pos + len);
    if (candidate.length < len || !/^\d+$/.test(candidate)) return undefined;
    const entry = aiEntry(candidate);
    if (entry) return entry;
  }
  return undefined;
}

export const label = (e: Gs1AiEntry) => `(${e.ai}) ${e.title}`;

const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]$/;
const CSET39 = /^[#\-/0-9A-Z]$/;
const CSET64 = /^[-0-9A-Za-z_]$/;

function totalLength(e: Gs1AiEntry) {
  const min = e.components.filter((c) => !c.optional).reduce((n, c) => n + c.min, 0);
  const max = e.components.reduce((n, c) => n + c.max, 0);
  return { min, max, numeric: e.components.every((c) => c.cset === "N") };
}

function lengthRule(e: Gs1AiEntry): string {
  const { min, max, numeric } = totalLength(e);
  const unit = numeric ? "digits" : "characters";
  if (min === max) return `must be exactly ${max} ${unit}`;
  return min <= 1 ? `allows at most ${max} ${unit}` : `must be ${min} to ${max} ${unit}`;
}

function checkCharacters(e: Gs1AiEntry, comp: Gs1Component, part: string, offset: number, hint: string) {
  for (let i = 0; i < part.length; i++) {
    const ch = part.charAt(i);
    const pos = offset + i + 1;
    const ok =
      comp.cset === "N"
        ? ch >= "0" && ch <= "9"
        : comp.cset === "X"
          ? CSET82.test(ch)
          : comp.cset === "Y"
            ? CSET39.test(ch)
            : CSET64.test(ch) || (ch === "=" && /^=*$/.test(part.slice(i)));
    if (ok) continue;
    if (ch === "^") {
      throw new ScanRejection(
        `${label(e)}: "^" (position ${pos}) is not a GS1 CSET 82 character; it is only a printed notation for FNC1, and the separator must be sent as GS (0x1D)`,
      );
    }
    const allowed =
      comp.cset === "N"
        ? "digits only"
        : comp.cset === "X"
          ? "GS1 CSET 82 characters only"
          : comp.cset === "Y"
            ? "GS1 CSET 39 characters only (A-Z, 0-9, #, -, /)"
            : "GS1 CSET 64 (base64url) characters only";
    throw new ScanRejection(`${label(e)}: ${describeChar(ch)} (position ${pos}) is not allowed; ${allowed}${hint}`);
  }
}

export type StructureHints = { length?: string; characters?: string };

/** Length and character checks; returns the value cut into its dictionary components. */
export function checkStructure(e: Gs1AiEntry, value: string, hints: StructureHints = {}): string[] {
  const hint = hints.length ?? "";
  if (value === "") throw new ScanRejection(`${label(e)} has no data`);
  const { min, max } = totalLength(e);
  if (value.length > max || value.length < min) {
    throw new ScanRejection(`${label(e)} ${lengthRule(e)}; ${value.length} given${hint}`);
  }
  const parts: string[] = [];
  let pos = 0;
  e.components.forEach((comp, index) => {
    const remaining = value.length - pos;
    if (remaining === 0 && comp.optional) return;
    const take = comp.min === comp.max ? comp.max : Math.min(remaining, comp.max);
    if (remaining < comp.min || (comp.min === comp.max && remaining < comp.max)) {
      throw new ScanRejection(
        `${label(e)}: part ${index + 1} must be ${comp.max} ${comp.cset === "N" ? "digits" : "characters"}; only ${remaining} given`,
      );
    }
    const part = value.slice(pos, pos + take);
    checkCharacters(e, comp, part, pos, hints.characters ?? "");
    parts.push(part);
    pos += take;
  });
  if (pos < value.length) throw new ScanRejection(`${label(e)} ${lengthRule(e)}; ${value.length} given${hint}`);
  return parts;
}

const DATE_LINTERS = new Set(["yymmd0", "yymmdd", "yyyymmdd"]);

/** Runs the dictionary's content checks; returns the ISO date (and time) for date AIs. */
export function checkContent(e: Gs1AiEntry, parts: string[], today: Date): string | null {
  const dates: string[] = [];
  const time: string[] = [];
  parts.forEach((part, index) => {
    const comp = e.components[index];
    if (!comp) return;
    for (const linter of comp.linters) {
      const problem = GS1_LINTERS[linter](part, { today });
      if (problem) throw new ScanRejection(`${label(e)}: ${problem}`);
      if (DATE_LINTERS.has(linter)) {
        const r = linter === "yyyymmdd" ? checkYyyymmdd(part) : checkYymmdd(part, today, linter === "yymmd0");
        if (r.ok) dates.push(r.iso);
      } else if (linter === "hhmi") {
        time.push(part.slice(0, 2), part.slice(2, 4));
      } else if (linter === "hh" || linter === "mi" || linter === "ss") {
        time.push(part);
      }
    }
  });
  if (dates.length === 0) return null;
  const [first = "", ...rest] = dates;
  const head = time.length > 0 ? `${first}T${time.join(":")}` : first;
  return [head, ...rest].join("/");
}

/** Reads AI data where GS (FNC1) ends variable-length values; `^` is never a separator. */
export function readElementString(data: string): AiPair[] {
  const caret = data.indexOf("^");
  if (caret >= 0) {
    throw new ScanRejection(
      `"^" (position ${caret + 1}) is not a GS1 CSET 82 character; it is only a printed notation for FNC1, and the separator must be sent as GS (0x1D)`,
    );
  }
  const pairs: AiPair[] = [];
  let pos = 0;
  let gsAllowed = false;
  while (pos < data.length) {
    if (data.charAt(pos) === GS) {
      if (!gsAllowed && pos !== data.length - 1) throw new ScanRejection(`unexpected GS separator at position ${pos + 1}: no AI data between two separators`);
      pos += 1;
      gsAllowed = false;
      continue;
    }
    const entry = aiEntryAt(data, pos);
    if (!entry) {
      const start = data.slice(pos, pos + 4);
      throw new ScanRejection(
        /^\d{2}/.test(start)
          ? `unknown GS1 Application Identifier at position ${pos + 1}: no AI matches "${start.replace(/\D.*$/, "")}"`
          : `expected a GS1 Application Identifier at position ${pos + 1} but found "${start}"`,
      );
    }
    pos += entry.ai.length;
    if (entry.predefinedLength) {
      const len = entry.components.reduce((n, c) => n + c.max, 0);
      const chunk = data.slice(pos, pos + len);
      const cut = chunk.indexOf(GS);
      const value = cut >= 0 ? chunk.slice(0, cut) : chunk;
      if (value.length < len) {
        throw new ScanRejection(`${label(entry)} ${lengthRule(entry)}; only ${value.length} given`);
      }
      checkStructure(entry, value);
      pairs.push({ ai: entry.ai, value, entry });
      pos += len;
      gsAllowed = true;
    } else {
      const end = data.indexOf(GS, pos);
      const value = end >= 0 ? data.slice(pos, end) : data.slice(pos);
      checkStructure(entry, value, { length: end < 0 && value.length > totalLength(entry).max ? " (is a GS separator missing?)" : "" });
      pairs.push({ ai: entry.ai, value, entry });
      pos = end >= 0 ? end + 1 : data.length;
      gsAllowed = false;
    }
  }
  if (pairs.length === 0) throw new ScanRejection("no AI data");
  return pairs;
}

/** Reads the bracketed human-readable form "(01)09506000134352(10)LOT1"; "\(" stands for a literal "(". */
export function readBracketed(data: string): AiPair[] {
  const pairs: AiPair[] = [];
  let pos = 0;
  while (pos < data.length) {
    const m = /^\((\d{2,4})\)/.exec(data.slice(pos));
    if (!m) throw new ScanRejection(`expected "(AI)" at position ${pos + 1} of the bracketed GS1 data`);
    const ai = m[1] ?? "";
    const entry = aiEntry(ai);
    if (!entry) throw new ScanRejection(`(${ai}) is not a GS1 Application Identifier`);
    pos += m[0].length;
    let value = "";
    while (pos < data.length && data.charAt(pos) !== "(") {
      if (data.charAt(pos) === "\\" && data.charAt(pos + 1) === "(") {
        value += "(";
        pos += 2;
      } else {
        value += data.charAt(pos);
        pos += 1;
      }
    }
    if (value.includes("^")) {
      throw new ScanRejection(`${label(entry)}: "^" is not a GS1 CSET 82 character; it is only a printed notation for FNC1`);
    }
    checkStructure(entry, value);
    pairs.push({ ai, value, entry });
  }
  if (pairs.length === 0) throw new ScanRejection("no AI data");
  return pairs;
}

const matches = (pattern: string, ai: string) =>
  pattern.length === ai.length && [...pattern].every((ch, i) => (ch === "n" ? /\d/.test(ai.charAt(i)) : ch === ai.charAt(i)));

const show = (pattern: string) => `(${pattern})`;

function orList(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items.at(-1) ?? ""}`;
}

/** Mutually exclusive pairs (ex=), then required companions (req=): the problems found, in AI order. */
export function associationProblems(pairs: AiPair[]): string[] {
  const ais = pairs.map((p) => p.ai);
  const problems: string[] = [];
  for (const p of pairs) {
    for (const pattern of p.entry.ex) {
      const other = ais.find((ai) => ai !== p.ai && matches(pattern, ai));
      if (other !== undefined) {
        const otherEntry = aiEntry(other);
        problems.push(
          `${label(p.entry)} and (${other})${otherEntry ? ` ${otherEntry.title}` : ""} are mutually exclusive: they cannot be in the same scan (ex=${p.entry.ex.join(",")})`,
        );
      }
    }
  }
  for (const p of pairs) {
    for (const group of p.entry.req) {
      const satisfied = group.some((alt) => alt.every((pattern) => ais.some((ai) => matches(pattern, ai))));
      if (!satisfied) {
        const alternatives = group.map((alt) => alt.map(show).join(" with "));
        problems.push(
          `${label(p.entry)} needs ${orList(alternatives)} in the same scan (req=${group.map((alt) => alt.join("+")).join(",")})`,
        );
      }
    }
  }
  return problems;
}

/** Drops exact repeats; the same AI twice with different values is refused. */
export function dropRepeats(pairs: AiPair[]): AiPair[] {
  const seen = new Map<string, string>();
  const out: AiPair[] = [];
  for (const p of pairs) {
    const prior = seen.get(p.ai);
    if (prior === undefined) {
      seen.set(p.ai, p.value);
      out.push(p);
    } else if (prior !== p.value) {
      throw new ScanRejection(`${label(p.entry)} is repeated with different values ("${prior}" and "${p.value}")`);
    }
  }
  return out;
}

/**
 * Content checks for every AI in order, then repeats, then the associative rules. `associationsAsWarnings` reports
 * ex=/req= violations as warnings instead of refusing the scan (ISO/IEC 15434 format 05 used for MIL-STD-130).
 */
export function finishGs1(pairs: AiPair[], today: Date, options: { associationsAsWarnings?: boolean } = {}): Gs1Outcome {
  const derived: Record<string, unknown> = {};
  for (const p of pairs) {
    const iso = checkContent(p.entry, checkStructure(p.entry, p.value), today);
    if (iso !== null) derived[`${p.ai}_iso`] = iso;
  }
  const unique = dropRepeats(pairs);
  const problems = associationProblems(unique);
  const warnings: string[] = [];
  if (problems.length > 0) {
    if (!options.associationsAsWarnings) throw new ScanRejection(problems[0] ?? "");
    warnings.push(...problems);
  }
  const fields: Record<string, string> = {};
  for (const p of unique) fields[p.ai] = p.value;
  return { fields, derived, warnings };
}
