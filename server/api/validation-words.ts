import { z, type ZodError } from "zod";
import enValidation from "@/messages/en/validation.json";
import type { Locale } from "@/i18n/locales";
import { translatorFor } from "@/i18n/server-translate";

/*
 * Input refused at the server's edge, in the words of the person who sent it (the tRPC error formatter calls this).
 * The answer's codes never change (BAD_REQUEST, data.zod's field paths, NOT_FOUND ...): only the words do.
 *
 * - A message a router wrote itself ("Choose a user.", "That serial does not exist at this site.") is found by its
 *   English text in messages/en/validation.json `sentences` and said in the reader's language. Every such literal in
 *   server/api/routers is in that catalog (validation-words.test.ts reads the routers to check it).
 * - zod's own messages ("Too big: expected string to have <=64 characters") are replaced by the catalog's sentence for
 *   the issue's kind (`issues`), with its limits, in both languages.
 */

type Issue = z.core.$ZodIssue;
type Translator = ReturnType<typeof translatorFor>;

/** English sentence -> its key in validation.sentences (the catalog is the one list of the routers' own words). */
const SENTENCE_KEYS = new Map(Object.entries(enValidation.sentences).map(([key, text]) => [text, key]));

/** The key of a router's own sentence, or null when the text is not one of them. */
export function sentenceKey(text: string): string | null {
  return SENTENCE_KEYS.get(text) ?? null;
}

const num = (v: unknown) => (typeof v === "bigint" ? Number(v) : typeof v === "number" ? v : 0);

/** One zod issue in the reader's words. */
export function issueWords(issue: Issue, t: Translator): string {
  const own = sentenceKey(issue.message);
  if (own) return t(`validation.sentences.${own}` as never);
  switch (issue.code) {
    case "invalid_type":
      if (/received undefined$/.test(issue.message)) return t("validation.issues.required");
      if (issue.expected === "int") return t("validation.issues.wholeNumber");
      if (issue.expected === "number") return t("validation.issues.number");
      return t("validation.issues.invalidType", { expected: String(issue.expected) });
    case "too_small": {
      const minimum = num(issue.minimum);
      if (issue.origin === "string") return minimum <= 1 ? t("validation.issues.required") : t("validation.issues.tooShort", { minimum });
      if (issue.origin === "number" || issue.origin === "int" || issue.origin === "bigint") {
        return issue.inclusive === false ? t("validation.issues.tooSmallNumberExclusive", { minimum }) : t("validation.issues.tooSmallNumber", { minimum });
      }
      if (issue.origin === "array" || issue.origin === "set") return t("validation.issues.tooFewItems", { minimum });
      return t("validation.issues.tooSmall");
    }
    case "too_big": {
      const maximum = num(issue.maximum);
      if (issue.origin === "string") return t("validation.issues.tooLong", { maximum });
      if (issue.origin === "number" || issue.origin === "int" || issue.origin === "bigint") {
        return issue.inclusive === false ? t("validation.issues.tooBigNumberExclusive", { maximum }) : t("validation.issues.tooBigNumber", { maximum });
      }
      if (issue.origin === "array" || issue.origin === "set") return t("validation.issues.tooManyItems", { maximum });
      return t("validation.issues.tooBig");
    }
    case "invalid_format":
      if (issue.format === "uuid" || issue.format === "guid") return t("validation.issues.invalidId");
      if (issue.format === "date") return t("validation.issues.invalidDate");
      if (issue.format === "datetime") return t("validation.issues.invalidDateTime");
      return t("validation.issues.invalidFormat");
    case "invalid_value":
      return t("validation.issues.invalidValue");
    case "not_multiple_of":
      return t("validation.issues.notMultipleOf", { divisor: num(issue.divisor) });
    case "unrecognized_keys":
      return t("validation.issues.unrecognizedKeys", { keys: issue.keys.join(", ") });
    default:
      return t("validation.issues.invalid");
  }
}

/**
 * A zod refusal for people: one sentence (the first issue, with its field) and the issues per field (data.zod, what
 * the screens show next to their fields), both in the reader's language.
 */
export function validationWords(e: ZodError, locale: Locale): { message: string; flattened: { formErrors: string[]; fieldErrors: Record<string, string[]> } } {
  const t = translatorFor(locale);
  const first = e.issues[0];
  const flattened = z.flattenError(e, (issue) => issueWords(issue, t)) as { formErrors: string[]; fieldErrors: Record<string, string[]> };
  if (!first) return { message: t("validation.invalidNothing"), flattened };
  const field = first.path.map(String).join(".");
  const message = issueWords(first, t);
  return { message: field ? t("validation.invalid", { field, message }) : t("validation.invalidNoField", { message }), flattened };
}

/** A router's own sentence (NOT_FOUND, sign in again ...) in the reader's language; any other text as it is. */
export function serverSentence(text: string, locale: Locale): string {
  const key = sentenceKey(text);
  return key && locale !== "en" ? translatorFor(locale)(`validation.sentences.${key}` as never) : text;
}
