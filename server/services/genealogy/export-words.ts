import "server-only";
import type { Locale } from "@/i18n/locales";
import { translatorFor } from "@/i18n/server-translate";
import { detailWords, labelWords, type DetailTranslator } from "@/i18n/genealogy-detail";
import type { DetailFacts } from "@/server/repos/genealogy-search";
import type { UnitFate } from "@/server/domain/production/unit-fate";
import { formatZonedMs, quantityText } from "./export-format";

/*
 * The words of the printable exports (PDF), in the language of the person who asked for the file (Actor.locale): the
 * headings, column headers and cell words from messages/<locale>/genealogy.json (`genealogy.export`), dates in the
 * site's zone written as that language writes them, quantities with its decimal separator. The CSV and JSON files are
 * machine files: they keep their English column keys, ISO-like dates and dot decimals whatever the language.
 */

type Values = Record<string, string | number>;

export type ExportWords = {
  locale: Locale;
  /** a message of genealogy.export */
  t: (key: string, values?: Values) => string;
  /** an instant in the site's zone: 2026-11-19 14:05:00 CST (America/Chicago), 19/11/2026 14:05:00 CET (Europe/Paris) */
  time: (at: Date | number) => string;
  /** an exact decimal quantity as entered (2.5; 2,5 in French) */
  qty: (value: string | number) => string;
  /** a status code in words (the `status` catalog), or the code made readable */
  status: (code: string) => string;
  /** a unit's fate in words (the `genealogy.fate` messages), dated in the site's zone */
  fate: (fate: UnitFate) => string;
  /** what a traced material is called, and its detail line (i18n/genealogy-detail.ts) */
  label: (x: { kind: string; label: string; partNumber: string | null; revision: string | null }) => string;
  detail: (facts: DetailFacts | null) => string | null;
};

export function exportWords(locale: Locale, timeZone: string): ExportWords {
  const all = translatorFor(locale, timeZone);
  const t = (key: string, values?: Values) => all(`genealogy.export.${key}` as never, values as never);
  const time = (at: Date | number) => {
    const text = formatZonedMs(typeof at === "number" ? at : at.getTime(), timeZone);
    // "YYYY-MM-DD hh:mm:ss ZONE (tz)": French writes the day first
    return locale === "fr" ? `${text.slice(8, 10)}/${text.slice(5, 7)}/${text.slice(0, 4)}${text.slice(10)}` : text;
  };
  const qty = (value: string | number) => (locale === "fr" ? quantityText(value).replace(".", ",") : quantityText(value));
  const status = (code: string) => (all.has(`status.${code}` as never) ? all(`status.${code}` as never) : code.replaceAll("_", " "));
  const fate = (f: UnitFate) => {
    const day = f.at ? time(f.at).slice(0, 10) : "";
    const on = { hasDate: f.at ? "yes" : "no", date: day };
    if (f.kind === "shipped") {
      return all("genealogy.fate.shipped", { ...on, hasTo: f.to ? "yes" : "no", to: f.to ?? "", hasReference: f.reference ? "yes" : "no", reference: f.reference ?? "" });
    }
    return all("genealogy.fate.scrapped", { ...on, hasReason: f.reason ? "yes" : "no", reason: f.reason ?? "" });
  };
  const td: DetailTranslator = (key, values) => all(`genealogy.detail.${key}`, values);
  const label = (x: { kind: string; label: string; partNumber: string | null; revision: string | null }) => labelWords(td, x);
  const detail = (facts: DetailFacts | null) => detailWords(td, facts, status);
  return { locale, t, time, qty, status, fate, label, detail };
}
