import type { DomainError } from "@/server/domain/shared/errors";
import { nextStep, type Workplace } from "@/server/domain/vocabulary/next-step";
import type { Locale } from "@/i18n/locales";
import { translatorFor } from "@/i18n/server-translate";
import { formatQty } from "@/i18n/format";
import { policyWords } from "@/server/auth/sign-in-words";

/**
 * A refusal in the words of the person who made the request, for the screens (the tRPC answer's message and
 * data.domain.next). English keeps the refusal's own message (its facts in full) and the next-step table of
 * server/domain/vocabulary/next-step.ts; other languages take the refusal's catalog message (DomainError.text), else
 * the code's general sentence, and the next step from messages/<locale>/nextSteps.json. The code never changes; the
 * ERP interface (machine-facing) never goes through here and stays English.
 */
export function refusalWords(e: DomainError, where: Workplace, locale: Locale, timeZone: string): { message: string; next: string } {
  const customNext = typeof e.details.next === "string" ? e.details.next : null;
  const customNextKey = typeof e.details.nextKey === "string" ? e.details.nextKey : null;
  if (locale === "en") return { message: e.message, next: customNext ?? nextStep(e.code, where) };

  const t = translatorFor(locale, timeZone);
  const message = e.text && t.has(`refusals.messages.${e.text.key}` as never) ? t(`refusals.messages.${e.text.key}` as never, localValues(e.text.values ?? {}, locale) as never) : t(`refusals.codes.${e.code}`);
  const step = customNextKey && t.has(`nextSteps.custom.${customNextKey}` as never) ? `nextSteps.custom.${customNextKey}` : nextStepKey(e.code, where);
  return { message, next: t(step as never) };
}

/**
 * Exact decimal quantities (values named `…Qty`, decimal strings) with the locale's decimal separator (2,5 in French);
 * a password or PIN rule's sentence (a value named `why`: i18n/secret-rules.ts) in the reader's language.
 */
function localValues(values: Record<string, string | number | Date>, locale: Locale): Record<string, string | number | Date> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, k.endsWith("Qty") && typeof v === "string" ? formatQty(v, locale) : k === "why" && typeof v === "string" ? policyWords(v, locale) : v]),
  );
}

function nextStepKey(code: DomainError["code"], where: Workplace): string {
  // a code whose step differs per workplace has an object in the catalog (station / kitting / office)
  const en = translatorFor("en", "UTC");
  return en.has(`nextSteps.codes.${code}.${where}` as never) ? `nextSteps.codes.${code}.${where}` : `nextSteps.codes.${code}`;
}
