/**
 * The one place where the browser turns a refusal into words for the person in front of the screen.
 * The server already sends the message in operator words (DomainError); this adds what to do next, per code,
 * and falls back to a plain sentence for transport failures.
 */
export type OperatorMessage = { code: string; message: string; next: string | null };

const NEXT_STEP: Record<string, string> = {
  INSUFFICIENT_STOCK: "Check the quantity at this location, or ask kitting to stage more.",
  SERIAL_ALREADY_PLACED: "Scan the serial's label again, or check where it is in Genealogy.",
  REQUEST_CONFLICT: "Reload the page and try again.",
  SIGN_IN_THROTTLED: "Wait, then try again, or ask a supervisor.",
  ACCOUNT_DISABLED: "Ask an administrator to enable your account.",
  OWNED_BY_OTHER_SYSTEM: "Change it in the system that owns it.",
  NOT_FOUND: "Check the number, or switch to the site it belongs to.",
  FORBIDDEN: "Ask a supervisor or an administrator.",
  UNAUTHENTICATED: "Sign in again.",
  VALIDATION_FAILED: "Correct the highlighted value and try again.",
  NOT_STAGED: "Ask kitting to stage it at this station, then scan again.",
  OVER_INSTALL: "Check the quantity against the bill of materials; put the extra back.",
  SERIAL_ALREADY_INSTALLED: "Remove it from the other unit in rework first, or scan another serial.",
  WRONG_PART: "Set it aside and scan the part the traveller calls for.",
  WRONG_REVISION: "Set it aside and scan the revision this unit takes.",
  LOT_EXPIRED: "Set the lot aside for quality and scan another lot.",
  LOT_ON_HOLD: "Do not use it; scan another lot or ask quality.",
  OUT_TIME_EXCEEDED: "Do not use it; hand it to quality and scan fresh material.",
  PARAMETER_OUT_OF_LIMITS: "Redo the step within the limits, or call the supervisor.",
  PARAMETER_MISSING: "Enter the parameter values, then complete again.",
  MISSING_COMPONENTS: "Scan the missing components, then complete again.",
  BACKFLUSH_SHORT: "Ask kitting to stage the missing material, then complete again.",
  OPERATION_NOT_OPEN: "Open the unit's current operation.",
  WRONG_STATION: "Take the unit to the station of its work center.",
  UNIT_NOT_COMPLETED: "Finish the unit's operations first; only a completed unit ships.",
  UNIT_NOT_IN_STORES: "Put the unit away in a stores location first, then ship it from there.",
  UNIT_ON_HOLD: "Do not ship it: quality must release the hold first.",
};

type ErrorShape = { message?: unknown; data?: { domain?: { code?: unknown } | null; code?: unknown } | null };

export function operatorMessage(error: unknown): OperatorMessage {
  const e = (error ?? {}) as ErrorShape;
  const domainCode = typeof e.data?.domain?.code === "string" ? e.data.domain.code : null;
  const transportCode = typeof e.data?.code === "string" ? e.data.code : null;
  const code = domainCode ?? transportCode ?? "UNKNOWN";
  if (code === "UNAUTHORIZED") return { code, message: "Your session has ended.", next: NEXT_STEP.UNAUTHENTICATED! };
  if (!domainCode && (code === "INTERNAL_SERVER_ERROR" || code === "UNKNOWN")) {
    return { code, message: "Something went wrong on the server; nothing was recorded.", next: "Try again. If it keeps happening, tell a supervisor." };
  }
  const message = typeof e.message === "string" && e.message ? e.message : "That was refused.";
  return { code, message, next: NEXT_STEP[code] ?? null };
}
