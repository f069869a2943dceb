import { formatDate } from "@/components/ui/date-time";
import type { UnitFate } from "@/server/domain/production/unit-fate";

/*
 * Words of the genealogy screens that several of them share, in the reader's language: a unit's fate once it has left
 * the floor (shipped to whom, when, under which delivery note; scrapped when and why), and a status code in words.
 * `t` is the translator of the `genealogy.fate` (or `status`) catalog; dates are calendar dates in the site's zone.
 */

type FateKey = "shipped" | "scrapped";
export type FateTranslator = (key: FateKey, values: Record<string, string>) => string;

export function fateWords(t: FateTranslator, fate: UnitFate, timeZone: string, locale: string): string {
  const date = fate.at ? formatDate(fate.at, timeZone, locale) : "";
  const on = { hasDate: fate.at ? "yes" : "no", date };
  if (fate.kind === "shipped") return t("shipped", { ...on, hasTo: fate.to ? "yes" : "no", to: fate.to ?? "", hasReference: fate.reference ? "yes" : "no", reference: fate.reference ?? "" });
  return t("scrapped", { ...on, hasReason: fate.reason ? "yes" : "no", reason: fate.reason ?? "" });
}

type StatusTranslator = { (key: never): string; has: (key: never) => boolean };

/** A work order, unit or operation status in words (the `status` catalog), or the code made readable when unknown. */
export function statusWord(t: StatusTranslator, status: string): string {
  return t.has(status as never) ? t(status as never) : status.replaceAll("_", " ");
}
