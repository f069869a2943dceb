import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { MESSAGES, NAMESPACES } from "./messages";
import { LOCALES } from "./locales";
import { CODES_WITH_NEXT_STEP, nextStep } from "@/server/domain/vocabulary/next-step";
import { DOMAIN_TO_TRPC } from "@/server/api/errors";
import type { DomainErrorCode } from "@/server/domain/shared/errors";
import { NOT_USABLE_WORDS, REJECTED_WORDS } from "@/server/domain/vocabulary/material-status";

/*
 * No string left untranslated: every catalog (messages/<locale>/<namespace>.json) has exactly the keys of the English
 * one, no empty value, and the same ICU arguments (a French message that drops {lot} or renames it would show a hole).
 */

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
  }
  return out;
}

/** The argument names of an ICU message (with their kind: plural/select/date/number/plain) and the rich-text tags. */
function argumentsOf(message: string): string[] {
  const found = new Set<string>();
  const walk = (els: MessageFormatElement[]) => {
    for (const el of els) {
      if (el.type === TYPE.argument) found.add(`${el.value}`);
      if (el.type === TYPE.number || el.type === TYPE.date || el.type === TYPE.time) found.add(`${el.value}:${TYPE[el.type]}`);
      if (el.type === TYPE.tag) {
        found.add(`<${el.value}>`);
        walk(el.children);
      }
      if (el.type === TYPE.plural || el.type === TYPE.select) {
        found.add(`${el.value}:${TYPE[el.type]}`);
        for (const opt of Object.values(el.options)) walk(opt.value);
      }
    }
  };
  walk(parse(message, { requiresOtherClause: true }));
  return [...found].sort();
}

const english = leaves(MESSAGES.en as unknown as Tree);

describe("message catalogs", () => {
  it("has namespaces", () => {
    expect(NAMESPACES.length).toBeGreaterThan(5);
    expect(english.size).toBeGreaterThan(100);
  });

  it.each(LOCALES.filter((l) => l !== "en"))("%s has exactly the English keys", (locale) => {
    const other = leaves(MESSAGES[locale] as unknown as Tree);
    expect({ missing: [...english.keys()].filter((k) => !other.has(k)), extra: [...other.keys()].filter((k) => !english.has(k)) }).toEqual({ missing: [], extra: [] });
  });

  it.each(LOCALES)("%s: no empty message, and every message is valid ICU", (locale) => {
    const empty: string[] = [];
    const invalid: string[] = [];
    for (const [key, value] of leaves(MESSAGES[locale] as unknown as Tree)) {
      if (!value.trim()) empty.push(key);
      try {
        argumentsOf(value);
      } catch {
        invalid.push(key);
      }
    }
    expect({ empty, invalid }).toEqual({ empty: [], invalid: [] });
  });

  it.each(LOCALES.filter((l) => l !== "en"))("%s uses the same ICU arguments as English in every message", (locale) => {
    const other = leaves(MESSAGES[locale] as unknown as Tree);
    const differ: { key: string; en: string[]; other: string[] }[] = [];
    for (const [key, value] of english) {
      const theirs = other.get(key);
      if (theirs === undefined) continue;
      const a = argumentsOf(value);
      const b = argumentsOf(theirs);
      if (a.join("|") !== b.join("|")) differ.push({ key, en: a, other: b });
    }
    expect(differ).toEqual([]);
  });
});

describe("refusals: every code has its words and its next step in every language", () => {
  const codes = Object.keys(DOMAIN_TO_TRPC) as DomainErrorCode[];

  it.each(LOCALES)("%s: a general sentence and a next step (per workplace where it differs) for every code", (locale) => {
    const m = leaves(MESSAGES[locale] as unknown as Tree);
    const missing: string[] = [];
    for (const code of codes) {
      if (!m.get(`refusals.codes.${code}`)) missing.push(`refusals.codes.${code}`);
      for (const where of ["station", "kitting", "office"] as const) {
        if (!m.get(`nextSteps.codes.${code}`) && !m.get(`nextSteps.codes.${code}.${where}`)) missing.push(`nextSteps.codes.${code}.${where}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("the English catalog says the next steps exactly as the domain's table (one source of words, no drift)", () => {
    const drift: string[] = [];
    for (const code of CODES_WITH_NEXT_STEP) {
      for (const where of ["station", "kitting", "office"] as const) {
        const catalog = english.get(`nextSteps.codes.${code}`) ?? english.get(`nextSteps.codes.${code}.${where}`);
        if (catalog !== nextStep(code, where)) drift.push(`${code}@${where}`);
      }
    }
    expect(drift).toEqual([]);
  });

  it("the English material words are the domain vocabulary's", () => {
    for (const [code, words] of Object.entries(NOT_USABLE_WORDS)) expect(english.get(`material.reasons.${code}`)).toBe(words);
    expect(english.get("material.reasons.REJECTED")).toBe(REJECTED_WORDS);
  });
});

/*
 * A French message that is still the English one is untranslated, unless every word in it reads the same in both
 * languages: identifiers and codes (all capitals, or with digits), the names of the products, and the few words French
 * shares with English on these screens (SAME_WORDS). ICU arguments and tags are not words.
 */
const SAME_WORDS = new Set(
  [
    "traceline", "actions", "active", "badge", "code", "confirmations", "description", "format", "kit", "kitting", "lot", "production",
    "qualifications", "signature", "signatures", "site", "sites", "source", "suspect", "min", "h", "operationsperformance",
    // the same in French on these screens: column heads and technical nouns of the shop floor and the ERP interface
    "type", "version", "message", "confirmation", "parent", "scan", "dates", "kits", "op", "verdict", "as-built", "minute", "minutes", "s", "messages",
  ],
);

/** The words people read in a message: its literal text, in every plural/select branch and inside tags. */
function wordsOf(message: string): string[] {
  const text: string[] = [];
  const walk = (els: MessageFormatElement[]) => {
    for (const el of els) {
      if (el.type === TYPE.literal) text.push(el.value);
      if (el.type === TYPE.tag) walk(el.children);
      if (el.type === TYPE.plural || el.type === TYPE.select) for (const opt of Object.values(el.options)) walk(opt.value);
    }
  };
  walk(parse(message, { requiresOtherClause: true }));
  return text.join(" ").match(/[\p{L}][\p{L}\p{N}'’-]*/gu) ?? [];
}

const isCodeLike = (word: string) => /\d/.test(word) || (word.length > 1 && word === word.toUpperCase());

describe("no message left in English", () => {
  it.each(LOCALES.filter((l) => l !== "en"))("%s: every message that reads the same as English is made only of codes, names and shared words", (locale) => {
    const other = leaves(MESSAGES[locale] as unknown as Tree);
    const untranslated: string[] = [];
    for (const [key, value] of english) {
      if (other.get(key) !== value) continue;
      const words = wordsOf(value).filter((w) => !isCodeLike(w) && !SAME_WORDS.has(w.toLowerCase()));
      if (words.length > 0) untranslated.push(`${key}: ${value}`);
    }
    expect(untranslated).toEqual([]);
  });

  it("the check itself: an English sentence copied into French is caught, codes and shared words are not", () => {
    const caught = (value: string) => wordsOf(value).filter((w) => !isCodeLike(w) && !SAME_WORDS.has(w.toLowerCase())).length > 0;
    expect(caught("Save the rule")).toBe(true);
    expect(caught("{count, plural, one {# unit} other {# units}}")).toBe(true);
    expect(caught("ERP → Traceline")).toBe(false);
    expect(caught("Kit <number>{kit}</number>")).toBe(false);
    expect(caught("ISA-95 B2MML V0700 (OperationsPerformance)")).toBe(false);
  });
});

/*
 * Every key the code asks for exists in every language. `tsc` checks the literal keys of typed translators against
 * English; this reads the code for what it cannot see: keys behind casts (`as never`) and the fixed part of computed
 * keys (t(`status.${code}`) needs a `status` object). Each translator is found where it is made
 * (useTranslations("ns") / getTranslations("ns") / translatorFor(...)), and its calls up to the next one of that name.
 */
const CODE_ROOTS = ["app", "components", "server", "i18n"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : sourceFiles(path);
    return /\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : [];
  });
}

type KeyUse = { file: string; key: string; prefix: boolean };

function keysUsed(file: string, source: string): KeyUse[] {
  const found: KeyUse[] = [];
  const translators = new Map<string, string>(); // variable -> namespace ("" for the root)
  const made = /(?:const|let)\s+(\w+)\s*=\s*(?:await\s+)?(?:useTranslations|getTranslations)\(\s*(?:"([^"]*)")?\s*\)|(?:const|let)\s+(\w+)\s*=\s*translatorFor\(/g;
  const events: { at: number; name: string; ns: string }[] = [];
  for (const m of source.matchAll(made)) events.push({ at: m.index, name: (m[1] ?? m[3])!, ns: m[2] ?? "" });
  const call = /\b(\w+)(?:\.rich|\.markup)?\(\s*(?:"([^"]+)"|`([^`$]*)\$\{)/g;
  let e = 0;
  for (const m of source.matchAll(call)) {
    while (e < events.length && events[e]!.at < m.index) {
      translators.set(events[e]!.name, events[e]!.ns);
      e++;
    }
    const ns = translators.get(m[1]!);
    if (ns === undefined) continue;
    const qualify = (k: string) => (ns ? `${ns}.${k}` : k);
    if (m[2] !== undefined) found.push({ file, key: qualify(m[2]), prefix: false });
    else if (m[3]) found.push({ file, key: qualify(m[3].replace(/\.$/, "")), prefix: true });
  }
  return found;
}

describe("every key used in the code exists in every language", () => {
  const uses = CODE_ROOTS.flatMap((root) => sourceFiles(join(process.cwd(), root))).flatMap((f) => keysUsed(f.slice(process.cwd().length + 1), readFileSync(f, "utf8")));

  it("finds the translators' keys in the code", () => {
    expect(uses.length).toBeGreaterThan(500);
    expect(uses.some((u) => u.prefix)).toBe(true);
  });

  it.each(LOCALES)("%s has every key the code asks for (and the object under every computed key)", (locale) => {
    const m = leaves(MESSAGES[locale] as unknown as Tree);
    const keys = [...m.keys()];
    const missing = uses.filter((u) => (u.prefix ? !keys.some((k) => k.startsWith(`${u.key}.`)) : !m.has(u.key))).map((u) => `${u.file}: ${u.key}${u.prefix ? ".*" : ""}`);
    expect([...new Set(missing)]).toEqual([]);
  });
});
