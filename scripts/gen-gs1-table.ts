// npx tsx scripts/gen-gs1-table.ts [dictionary.txt] — regenerate server/domain/scan/gs1-ai-table.ts, the project's own
// typed copy of the GS1 Barcode Syntax Dictionary (Apache-2.0), so the app reads a table, not the dictionary.
// Source by default: the repository's vendored copy, server/domain/scan/gs1/gs1-syntax-dictionary.txt (origin,
// release, licence and checksum in server/domain/scan/gs1/SOURCES.md).
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export type ParsedComponent = { cset: "N" | "X" | "Y" | "Z"; min: number; max: number; optional: boolean; linters: string[] };
export type ParsedEntry = {
  ai: string;
  title: string;
  predefinedLength: boolean;
  dlDataAttribute: boolean;
  components: ParsedComponent[];
  req: string[][][];
  ex: string[];
  dlPrimaryKey: string[][] | null;
};
export type ParsedDictionary = { release: string | null; entries: ParsedEntry[] };

const FLAG_CHARS = `*!?"$%&'()+,-./:;<=>@[\\]^_\`{|}~`;
const COMPONENT = /^(\[)?([NXYZ])(\.\.)?(\d+)(\])?((?:,[a-z0-9]+)*)$/;

function fail(lineNo: number, line: string, why: string): never {
  throw new Error(`gs1-syntax-dictionary line ${lineNo}: ${why}\n  ${line}`);
}

/** Expands "3100-3105" or "91-99" to every AI in the range (same width); a single AI stays as it is. */
function expandAis(token: string, lineNo: number, line: string): string[] {
  const range = /^(\d{2,4})-(\d{2,4})$/.exec(token);
  if (!range) {
    if (!/^\d{2,4}$/.test(token)) fail(lineNo, line, `"${token}" is not an AI or AI range`);
    return [token];
  }
  const [, from = "", to = ""] = range;
  if (from.length !== to.length) fail(lineNo, line, `range ${token} mixes AI lengths`);
  const out: string[] = [];
  for (let n = Number(from); n <= Number(to); n++) out.push(String(n).padStart(from.length, "0"));
  return out;
}

export function parseDictionary(text: string): ParsedDictionary {
  const release = /^#\s*Release:\s*(\S+)/m.exec(text)?.[1] ?? null;
  const entries: ParsedEntry[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((rawLine, index) => {
    const lineNo = index + 1;
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) return;
    const hash = line.indexOf("#");
    const title = hash >= 0 ? line.slice(hash + 1).trim() : "";
    const tokens = (hash >= 0 ? line.slice(0, hash) : line).trim().split(/\s+/);
    const aiToken = tokens.shift();
    if (!aiToken) fail(lineNo, rawLine, "empty entry");
    let flags = "";
    if (tokens[0] !== undefined && [...tokens[0]].every((ch) => FLAG_CHARS.includes(ch)) && !tokens[0].startsWith("[")) {
      flags = tokens.shift() ?? "";
    }
    const components: ParsedComponent[] = [];
    const req: string[][][] = [];
    const ex: string[] = [];
    let dlPrimaryKey: string[][] | null = null;
    for (const token of tokens) {
      const comp = COMPONENT.exec(token);
      if (comp) {
        const [, open, cset, dots, len = "0", close, linters = ""] = comp;
        if (Boolean(open) !== Boolean(close)) fail(lineNo, rawLine, `unbalanced brackets in "${token}"`);
        if (req.length > 0 || ex.length > 0 || dlPrimaryKey) fail(lineNo, rawLine, `component "${token}" after attributes`);
        const n = Number(len);
        components.push({
          cset: cset as ParsedComponent["cset"],
          min: dots ? 1 : n,
          max: n,
          optional: Boolean(open),
          linters: linters.split(",").filter((l) => l !== ""),
        });
        continue;
      }
      if (token.startsWith("req=")) {
        req.push(token.slice(4).split(",").map((alt) => alt.split("+")));
      } else if (token.startsWith("ex=")) {
        ex.push(...token.slice(3).split(","));
      } else if (token === "dlpkey") {
        dlPrimaryKey = [...(dlPrimaryKey ?? []), []];
      } else if (token.startsWith("dlpkey=")) {
        const seqs = token.slice(7).split("|").map((seq) => seq.split(","));
        dlPrimaryKey = [...(dlPrimaryKey ?? []), ...seqs];
      } else {
        fail(lineNo, rawLine, `unrecognised token "${token}"`);
      }
    }
    if (components.length === 0) fail(lineNo, rawLine, "no format specification");
    components.forEach((c, i) => {
      if (c.min !== c.max && i !== components.length - 1) fail(lineNo, rawLine, "only the final component may have variable length");
    });
    for (const ai of expandAis(aiToken, lineNo, rawLine)) {
      entries.push({
        ai,
        title,
        predefinedLength: flags.includes("*"),
        dlDataAttribute: flags.includes("?"),
        components,
        req,
        ex,
        dlPrimaryKey,
      });
    }
  });
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.ai)) throw new Error(`gs1-syntax-dictionary: AI ${e.ai} defined twice`);
    seen.add(e.ai);
  }
  return { release, entries };
}

export function renderTable(dict: ParsedDictionary, sourceName: string): string {
  const linters = [...new Set(dict.entries.flatMap((e) => e.components.flatMap((c) => c.linters)))].sort();
  const out: string[] = [];
  out.push("// GENERATED FILE, do not edit by hand. Regenerate with: npx tsx scripts/gen-gs1-table.ts");
  out.push(`// Source: ${sourceName}`);
  out.push(`//   GS1 Barcode Syntax Dictionary, Release: ${dict.release ?? "(no release line)"}`);
  out.push("//   Copyright (c) 2020-2021 BWIPP project. https://bwipp.terryburton.co.uk/");
  out.push("//   Copyright (c) 2020-2021 Zint Project. https://zint.org.uk/");
  out.push("//   Copyright (c) 2021-2026 GS1 AISBL");
  out.push("//   Licensed under the Apache License, Version 2.0 (the \"License\"); you may not use this file except in");
  out.push("//   compliance with the License. A copy of the License is in gs1/LICENSE beside this file and at");
  out.push("//   http://www.apache.org/licenses/LICENSE-2.0. Distributed on an \"AS IS\" BASIS, WITHOUT WARRANTIES OR");
  out.push("//   CONDITIONS OF ANY KIND. Modification notice: this is a derived rendering of the dictionary as a typed");
  out.push("//   TypeScript table (AI ranges expanded, attributes parsed); the content is otherwise unchanged.");
  out.push("");
  out.push(`export const GS1_DICTIONARY_RELEASE = ${JSON.stringify(dict.release)};`);
  out.push("");
  out.push("/** Character sets: N digits, X CSET 82, Y CSET 39, Z base64url (CSET 64). */");
  out.push('export type Gs1CharacterSet = "N" | "X" | "Y" | "Z";');
  out.push("");
  out.push("/** Every linter (content check) the dictionary names; server/domain/scan/gs1-linters.ts implements each one. */");
  out.push(`export type Gs1LinterName =\n${linters.map((l) => `  | ${JSON.stringify(l)}`).join("\n")};`);
  out.push("");
  out.push("export type Gs1Component = {");
  out.push("  readonly cset: Gs1CharacterSet;");
  out.push("  readonly min: number;");
  out.push("  readonly max: number;");
  out.push("  /** Written in [brackets]: may be left out once the data is exhausted. */");
  out.push("  readonly optional: boolean;");
  out.push("  readonly linters: readonly Gs1LinterName[];");
  out.push("};");
  out.push("");
  out.push("export type Gs1AiEntry = {");
  out.push("  readonly ai: string;");
  out.push("  readonly title: string;");
  out.push("  /** Flag \"*\": pre-defined length, no FNC1 (GS) separator needed after it. */");
  out.push("  readonly predefinedLength: boolean;");
  out.push("  /** Flag \"?\": permitted as a GS1 Digital Link data attribute (query parameter). */");
  out.push("  readonly dlDataAttribute: boolean;");
  out.push("  readonly components: readonly Gs1Component[];");
  out.push("  /** Every group must be satisfied by one of its alternatives; an alternative lists AIs or patterns (n = digit). */");
  out.push("  readonly req: readonly (readonly (readonly string[])[])[];");
  out.push("  /** AIs or patterns that must not appear together with this AI (an AI is not exclusive of itself). */");
  out.push("  readonly ex: readonly string[];");
  out.push("  /** GS1 Digital Link primary key: the allowed ordered qualifier sequences ([] = no qualifiers); null if not a key. */");
  out.push("  readonly dlPrimaryKey: readonly (readonly string[])[] | null;");
  out.push("};");
  out.push("");
  out.push("export const GS1_AI_TABLE: Readonly<Record<string, Gs1AiEntry>> = {");
  for (const e of dict.entries) {
    const body = JSON.stringify({
      ai: e.ai,
      title: e.title,
      predefinedLength: e.predefinedLength,
      dlDataAttribute: e.dlDataAttribute,
      components: e.components,
      req: e.req,
      ex: e.ex,
      dlPrimaryKey: e.dlPrimaryKey,
    });
    out.push(`  ${JSON.stringify(e.ai)}: ${body},`);
  }
  out.push("};");
  out.push("");
  return out.join("\n");
}

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The vendored dictionary, as the generated file's header names it (relative to the repository root). */
export const SOURCE_NAME = "server/domain/scan/gs1/gs1-syntax-dictionary.txt";
export const DEFAULT_DICTIONARY = path.resolve(REPO_ROOT, SOURCE_NAME);
export const TABLE_FILE = path.resolve(REPO_ROOT, "server/domain/scan/gs1-ai-table.ts");

function main() {
  const source = process.argv[2] ? path.resolve(process.argv[2]) : DEFAULT_DICTIONARY;
  const dict = parseDictionary(readFileSync(source, "utf8"));
  // The header names the file the table was made from; scripts/gen-gs1-table.test.ts expects the vendored copy.
  const sourceName = path.relative(REPO_ROOT, source).split(path.sep).join("/");
  writeFileSync(TABLE_FILE, renderTable(dict, sourceName));
  console.log(`Wrote ${path.relative(process.cwd(), TABLE_FILE)}: ${dict.entries.length} AIs, release ${dict.release ?? "unknown"}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
