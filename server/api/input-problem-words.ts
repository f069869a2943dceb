import type { Locale } from "@/i18n/locales";
import { translatorFor } from "@/i18n/server-translate";
import { describeInputProblem, type InputLimits, type InputProblem } from "@/server/domain/shared/storable-input";

/*
 * Input the database cannot store (NUL, lone surrogates) or beyond the limits, in the reader's words: English is the
 * domain's own sentence (server/domain/shared/storable-input.ts), other languages messages/<locale>/refusals.json
 * `unstorable`, naming the same field (its path is an identifier: never translated). The tRPC error formatter and the
 * export routes use it; the ERP interface stays English.
 */

const KEYS = { nul: "nul", lone_surrogate: "loneSurrogate", too_long: "tooLong", too_deep: "tooDeep", too_many_values: "tooManyValues" } as const;

export function inputProblemWords(problem: InputProblem, limits: InputLimits, locale: Locale): string {
  if (locale === "en") return describeInputProblem(problem, limits);
  const max = problem.reason === "too_long" ? limits.maxStringLength : problem.reason === "too_deep" ? limits.maxDepth : limits.maxValues;
  return translatorFor(locale)(`refusals.unstorable.${KEYS[problem.reason]}`, { hasField: problem.path ? "yes" : "no", field: problem.path, max });
}
