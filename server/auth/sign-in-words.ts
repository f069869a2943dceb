import type { DomainError } from "@/server/domain/shared/errors";
import type { Locale } from "@/i18n/locales";
import { translatorFor } from "@/i18n/server-translate";

/*
 * A refused sign-in in the words of the person at the sign-in page. Nobody is signed in yet, so their language is the
 * page's: the browser's Accept-Language (i18n/request.ts does the same), else English. English keeps the refusal's own
 * message; other languages take messages/<locale>/signIn.json `refusals.<DomainError.text.key>` (server/auth/sign-in.ts
 * gives every sign-in refusal its key), else the code's general sentence. The code never changes.
 */

/** The password and PIN rules' sentences (server/domain/auth/*-policy.ts), by their English words: key and values. */
const POLICY: [RegExp, string, (m: RegExpExecArray) => Record<string, number>][] = [
  [/^A password has at least (\d+) characters\.$/, "passwordMin", (m) => ({ min: Number(m[1]) })],
  [/^A password has at most (\d+) characters\.$/, "passwordMax", (m) => ({ max: Number(m[1]) })],
  [/^A password cannot be one character repeated\.$/, "passwordRepeated", () => ({})],
  [/^A password cannot be the user name\.$/, "passwordIsUsername", () => ({})],
  [/^A PIN is digits only\.$/, "pinDigits", () => ({})],
  [/^A PIN has at least (\d+) digits here\.$/, "pinMin", (m) => ({ min: Number(m[1]) })],
  [/^A PIN has at most (\d+) digits\.$/, "pinMax", (m) => ({ max: Number(m[1]) })],
  [/^A PIN cannot be one digit repeated\.$/, "pinRepeated", () => ({})],
];

/** A password or PIN rule's sentence in the reader's language (as it is when not one of the rules). */
export function policyWords(why: string, locale: Locale): string {
  if (locale === "en") return why;
  for (const [pattern, key, values] of POLICY) {
    const m = pattern.exec(why);
    if (m) return translatorFor(locale)(`signIn.refusals.policy.${key}` as never, values(m) as never);
  }
  return why;
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
