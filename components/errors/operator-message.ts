/**
 * The one place where the browser turns a refusal into words for the person in front of the screen.
 * The server already sends the message in operator words (DomainError); this adds what to do next, per code,
 * and plain sentences for failures that are not refusals: the database did not answer (retryable: the same action,
 * with the same request id, is recorded once), the server failed, the network failed. Each failure answer carries a
 * correlation id (`reference`) that ties it to the server's log line.
 */
export type OperatorMessage = { code: string; message: string; next: string | null; retryable: boolean; reference: string | null };

/** What the person was doing, in the words of the screen: the station scans, kitting picks, offices save. */
export type ActionWords = { subject: string; again: string };

export const SCAN_WORDS: ActionWords = { subject: "your scan", again: "Scan again." };
export const PICK_WORDS: ActionWords = { subject: "this action", again: "Press the button again." };
const DEFAULT_WORDS: ActionWords = { subject: "this action", again: "Try again." };

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
  LABEL_CONTRADICTS_RECORD: "Do not use it: set it aside and hand it to quality with its label.",
  OPERATOR_NOT_QUALIFIED: "Ask a supervisor or quality to record your qualification, or hand the operation to a qualified operator.",
  TOOL_NOT_USABLE: "Take another calibrated tool of the same class and scan it.",
  TOOL_REQUIRED: "Scan the tool you use for this operation, then try again.",
};

type ErrorShape = {
  message?: unknown;
  data?: { domain?: { code?: unknown } | null; code?: unknown; retryable?: unknown; failure?: unknown; correlationId?: unknown } | null;
};

const REFERENCE = /^[A-Za-z0-9_-]{1,64}$/;

export function operatorMessage(error: unknown, words: ActionWords = DEFAULT_WORDS): OperatorMessage {
  const e = (error ?? {}) as ErrorShape;
  const domainCode = typeof e.data?.domain?.code === "string" ? e.data.domain.code : null;
  const transportCode = typeof e.data?.code === "string" ? e.data.code : null;
  const failure = typeof e.data?.failure === "string" ? e.data.failure : null;
  const code = domainCode ?? failure ?? transportCode ?? "UNKNOWN";
  const reference = typeof e.data?.correlationId === "string" && REFERENCE.test(e.data.correlationId) ? e.data.correlationId : null;
  const retryable = e.data?.retryable === true;
  const base = { code, retryable, reference };
  const ref = reference ? ` Reference: ${reference}.` : "";
  if (code === "UNAUTHORIZED") return { ...base, message: "Your session has ended.", next: NEXT_STEP.UNAUTHENTICATED! };
  if (code === "DATABASE_CONNECTION_LOST") {
    return { ...base, message: `The connection to the database was lost; ${words.subject} may not have been recorded.`, next: `${words.again} It will be recorded once.${ref}` };
  }
  if (retryable || code === "SERVICE_UNAVAILABLE" || code === "DATABASE_UNAVAILABLE" || code === "DATABASE_BUSY") {
    const what = code === "DATABASE_BUSY" ? "The database was busy" : "The database did not answer";
    return { ...base, retryable: true, message: `${what}; ${words.subject} was not recorded.`, next: `${words.again}${ref}` };
  }
  if (!domainCode && (code === "INTERNAL_SERVER_ERROR" || code === "INTERNAL_ERROR" || code === "UNKNOWN")) {
    const network = !e.data && code === "UNKNOWN";
    return {
      ...base,
      message: network ? `The server's answer did not arrive; ${words.subject} may not have been recorded.` : `Something went wrong on the server; ${words.subject} was not recorded.`,
      next: network ? `${words.again} It will not be recorded twice.` : `${words.again} If it keeps happening, tell a supervisor.${ref}`,
    };
  }
  const message = typeof e.message === "string" && e.message ? e.message : "That was refused.";
  return { ...base, message, next: NEXT_STEP[code] ?? null };
}
