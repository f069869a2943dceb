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

/**
 * Next steps for answers that carry none of their own: a refusal's next step comes with it from the server
 * (`data.domain.next`, server/domain/vocabulary/next-step.ts: exactly one per code and workplace); these cover the
 * transport's own answers (signed out, forbidden, not found) and an answer from an older server.
 */
const NEXT_STEP: Record<string, string> = {
  UNAUTHENTICATED: "Sign in again.",
  FORBIDDEN: "Ask a supervisor or an administrator.",
  NOT_FOUND: "Check the number, or switch to the site it belongs to.",
  BAD_REQUEST: "Correct the highlighted value and try again.",
  CONFLICT: "Reload the page and try again.",
};

type ErrorShape = {
  message?: unknown;
  data?: { domain?: { code?: unknown; next?: unknown; details?: unknown } | null; code?: unknown; retryable?: unknown; failure?: unknown; correlationId?: unknown } | null;
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
  const serverNext = typeof e.data?.domain?.next === "string" && e.data.domain.next ? e.data.domain.next : null;
  return { ...base, message, next: serverNext ?? NEXT_STEP[code] ?? (!domainCode && transportCode ? (NEXT_STEP[transportCode] ?? null) : null) };
}

/**
 * The fields a refusal is about, for the screen to highlight ("correct the highlighted value"): the refusal's
 * `details.field` (quantity, reason, ...), a process parameter out of limits or missing (`parameter:<name>`), the
 * quantity of an over-install or over-pick, or the field of input refused at the edge (`data.field`).
 */
export function fieldsAtFault(error: unknown): string[] {
  const e = (error ?? {}) as { data?: { domain?: { code?: unknown; details?: unknown } | null; field?: unknown } | null };
  const details = (e.data?.domain?.details ?? {}) as { field?: unknown; parameter?: unknown; missing?: unknown };
  const code = e.data?.domain?.code;
  const out: string[] = [];
  if (typeof details.field === "string" && details.field !== "parameters") out.push(details.field);
  if (typeof details.parameter === "string") out.push(`parameter:${details.parameter}`);
  if (Array.isArray(details.missing)) for (const m of details.missing) if (typeof m === "string") out.push(`parameter:${m}`);
  if ((code === "OVER_INSTALL" || code === "OVER_PICK" || code === "INSUFFICIENT_STOCK") && !out.includes("quantity")) out.push("quantity");
  if (typeof e.data?.field === "string") out.push(e.data.field.split(".").at(-1)!);
  return [...new Set(out)];
}
