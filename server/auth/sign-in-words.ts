import type { DomainError } from "@/server/domain/shared/errors";
import type { Locale } from "@/i18n/locales";
import { translatorFor } from "@/i18n/server-translate";
import { secretRuleKey } from "@/i18n/secret-rules";

/*
 * A refused sign-in in the words of the person at the sign-in page. Nobody is signed in yet, so their language is the
 * page's: the browser's Accept-Language (i18n/request.ts does the same), else English. English keeps the refusal's own
 * message; other languages take messages/<locale>/signIn.json `refusals.<DomainError.text.key>` (server/auth/sign-in.ts
 * gives every sign-in refusal its key), else the code's general sentence. The code never changes.
 */

/** A password or PIN rule's sentence in the reader's language (as it is when not one of the rules). */
export function policyWords(why: string, locale: Locale): string {
  const rule = locale === "en" ? null : secretRuleKey(why);
  return rule ? translatorFor(locale)(`signIn.refusals.policy.${rule.key}` as never, rule.values as never) : why;
}

export function signInRefusalWords(e: DomainError, locale: Locale): string {
  if (locale === "en") return e.message;
  const t = translatorFor(locale);
  const key = e.text ? `signIn.refusals.${e.text.key}` : null;
  if (key && e.text && t.has(key as never)) {
    const values = { ...(e.text.values ?? {}) };
    if (typeof values.why === "string") values.why = policyWords(values.why, locale);
    return t(key as never, values as never);
  }
  return t(`refusals.codes.${e.code}`);
}

/** Sign-in could not be checked (the database did not answer, a bug): what to do, with the server log's reference. */
export function signInUnavailableWords(locale: Locale, reference: string, databaseDown: boolean): string {
  return translatorFor(locale)(databaseDown ? "signIn.refusals.databaseUnavailableReference" : "signIn.refusals.unavailableReference", { reference });
}

/** Credentials the database cannot store (NUL, broken characters): English names the field, others say it plainly. */
export function unstorableWords(locale: Locale, english: string): string {
  return locale === "en" ? english : translatorFor(locale)("signIn.refusals.unstorable");
}
