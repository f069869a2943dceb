import { englishErrorWords, operatorMessage, type ActionWords, type ErrorWords } from "@/components/errors/operator-message";

export function domainCode(error: unknown): string | null {
  const data = (error as { data?: { domain?: { code?: string } | null } } | null)?.data;
  return data?.domain?.code ?? null;
}

/**
 * A refused or failed kitting action for the result panel: the server's words and its one next step (a refusal's next
 * step comes from server/domain/vocabulary/next-step.ts with the answer); for a failure that is not a refusal, the
 * shared operator words (the database did not answer, with the reference; the answer did not arrive).
 */
export function kittingRefusal(error: unknown, words: ActionWords, t: ErrorWords = englishErrorWords): { text: string; next: string } {
  const m = operatorMessage(error, words, t);
  return { text: m.message, next: m.next ?? t(words.again) };
}
