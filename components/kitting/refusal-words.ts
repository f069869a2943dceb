import { operatorMessage, type ActionWords } from "@/components/errors/operator-message";

/** What the clerk should do after a refusal, by domain code (the message itself says what is wrong). */
const NEXT_STEP: Record<string, string> = {
  LOT_EXPIRED: "Put it aside for quality (expired material) and scan a suggested lot.",
  LOT_SHELF_LIFE_TOO_SHORT: "Scan a lot with a later expiry from the suggestions.",
  LOT_ON_HOLD: "Do not use it: put it back and scan a suggested lot. Quality must release the hold first.",
  LOT_NOT_INSPECTED: "Leave it in quarantine and scan an accepted lot.",
  MANUFACTURER_NOT_APPROVED: "Do not use it: tag it for quality and scan a lot from an approved manufacturer.",
  LOT_NOT_ALLOWED: "Only the lots quality listed for this work order may be used: scan one of those.",
  WRONG_PART: "Put it back and scan a part of this kit.",
  WRONG_REVISION: "Put it back and scan the revision the kit line shows.",
  OVER_PICK: "Put the extra back: this line needs no more.",
  KIT_CLOSED: "Start a new kit from the work order for what is still needed.",
  KIT_NOT_READY: "Pick the open lines, or record them as short with a reason.",
  SCAN_NOT_RECOGNISED: "Scan the lot or serial label again, or type its number.",
  INSUFFICIENT_STOCK: "Check the location or take another lot from the suggestions.",
  VALIDATION_FAILED: "Correct the entry and try again.",
  REQUEST_CONFLICT: "Reload the page and try again.",
};

export function domainCode(error: unknown): string | null {
  const data = (error as { data?: { domain?: { code?: string } | null } } | null)?.data;
  return data?.domain?.code ?? null;
}

export function nextStep(error: unknown): string {
  const code = domainCode(error);
  if (code && NEXT_STEP[code]) return NEXT_STEP[code];
  if (!(error as { data?: unknown } | null)?.data) return "The answer did not arrive: check the network and press the button again (it will not be recorded twice).";
  return "";
}

/**
 * A refused or failed kitting action for the result panel: the server's words (or, for a failure that is not a refusal,
 * the shared operator words: the database did not answer, with the reference), and the kitting next step when there is one.
 */
export function kittingRefusal(error: unknown, words: ActionWords): { text: string; next: string } {
  const m = operatorMessage(error, words);
  const step = domainCode(error) ? nextStep(error) : "";
  return { text: m.message, next: step || m.next || nextStep(error) };
}
