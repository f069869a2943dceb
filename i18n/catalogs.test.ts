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
