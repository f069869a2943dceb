import { englishErrorWords, operatorMessage, type ErrorWords } from "@/components/errors/operator-message";

/**
 * A failed browser action (a tRPC mutation) in words for the person at the screen: the refusal and what to do next
 * come from the one shared table (components/errors/operator-message). Added here: input refused at the server's
 * edge (zod, data.zod), shown as its field sentences instead of the raw issue list. Pure: no React, no server imports.
 */
type ZodData = { formErrors?: string[]; fieldErrors?: Record<string, string[] | undefined> };

function dataOf(error: unknown): { zod?: ZodData | null; domain?: { details?: Record<string, unknown> } | null } | null {
  if (!error || typeof error !== "object") return null;
  const data = (error as { data?: unknown }).data;
  return data && typeof data === "object" ? (data as { zod?: ZodData | null }) : null;
}

export const INVALID_INPUT = englishErrorWords("invalidInput");

/** `t`: the `errors` catalog's translator (useTranslations("errors")), English without it. */
export function actionErrorMessage(error: unknown, t: ErrorWords = englishErrorWords): string {
  const zod = dataOf(error)?.zod;
  if (zod) {
    const sentences = [...new Set([...(zod.formErrors ?? []), ...Object.values(zod.fieldErrors ?? {}).flatMap((m) => m ?? [])].filter((m) => m.trim()))];
    return sentences.length > 0 ? sentences.join(" ") : t("invalidInput");
  }
  const m = operatorMessage(error, undefined, t);
  return m.next ? `${m.message} ${m.next}` : m.message;
}

/** The code of a refusal (the domain code, e.g. OWNED_BY_OTHER_SYSTEM, else the transport code). */
export function actionErrorCode(error: unknown): string | null {
  return error ? operatorMessage(error).code : null;
}
