import type { getTranslations } from "next-intl/server";

type T = Awaited<ReturnType<typeof getTranslations<"suspect">>>;

/** An alert's scope in the reader's language: the part from the manufacturer, and the lot, the date codes, or everything. */
export function scopeWords(t: T, a: { manufacturerCode: string; partNumber: string; lotNumber: string | null; dateCodeFrom: string | null; dateCodeTo: string | null }): string {
  const base = { part: a.partNumber, manufacturer: a.manufacturerCode };
  if (a.lotNumber) return t("scope.lot", { ...base, lot: a.lotNumber });
  if (a.dateCodeFrom && a.dateCodeTo) return t("scope.dateCodes", { ...base, from: a.dateCodeFrom, to: a.dateCodeTo });
  return t("scope.all", base);
}
