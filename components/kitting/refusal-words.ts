import { operatorMessage, type ActionWords } from "@/components/errors/operator-message";

export function domainCode(error: unknown): string | null {
  const data = (error as { data?: { domain?: { code?: string } | null } } | null)?.data;
  return data?.domain?.code ?? null;
}

/**
 * A refused or failed kitting action for the result panel: the server's words and its one next step (a refusal's next
 * step comes from server/domain/vocabulary/next-step.ts with the answer); for a failure that is not a refusal, the
 * shared operator words (the database did not answer, with the reference; the answer did not arrive).
 */
export function kittingRefusal(error: unknown, words: ActionWords): { text: string; next: string } {
  const m = operatorMessage(error, words);
  return { text: m.message, next: m.next ?? `${words.again}` };
}
