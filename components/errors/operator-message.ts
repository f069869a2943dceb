import enErrors from "@/messages/en/errors.json";

/**
 * The one place where the browser turns a refusal into words for the person in front of the screen.
 * The server already sends the message in the person's language (DomainError, server/api/refusal-words.ts); this adds
 * what to do next, per code, and plain sentences for failures that are not refusals: the database did not answer
 * (retryable: the same action, with the same request id, is recorded once), the server failed, the network failed.
 * Each failure answer carries a correlation id (`reference`) that ties it to the server's log line. The sentences
 * come from the `errors` catalog: pass `t` (useTranslations("errors"), or the useOperatorMessage hook); English
 * without it.
 */
export type OperatorMessage = { code: string; message: string; next: string | null; retryable: boolean; reference: string | null };

/** What the person was doing, in the words of the screen (keys of the `errors` catalog): the station scans, kitting picks, offices save. */
export type ActionWords = { subject: "subjectScan" | "subjectAction"; again: "againScan" | "againPress" | "againTry" };

export const SCAN_WORDS: ActionWords = { subject: "subjectScan", again: "againScan" };
export const PICK_WORDS: ActionWords = { subject: "subjectAction", again: "againPress" };
const DEFAULT_WORDS: ActionWords = { subject: "subjectAction", again: "againTry" };

type ErrorKey = keyof typeof enErrors | `next.${keyof typeof enErrors.next}`;
/** The `errors` catalog's translator (next-intl's useTranslations("errors") fits). */
export type ErrorWords = (key: ErrorKey, values?: Record<string, string>) => string;

/** English from the catalog itself, for callers without a translator (tests, older islands). */
export const englishErrorWords: ErrorWords = (key, values = {}) => {
  const text = key.startsWith("next.") ? enErrors.next[key.slice(5) as keyof typeof enErrors.next] : enErrors[key as keyof typeof enErrors];
  return (typeof text === "string" ? text : key).replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? "");
};

/**
 * Next steps for answers that carry none of their own: a refusal's next step comes with it from the server
 * (`data.domain.next`, server/domain/vocabulary/next-step.ts: exactly one per code and workplace); these cover the
 * transport's own answers (signed out, forbidden, not found) and an answer from an older server.
 */
const NEXT_STEP_CODES = new Set(["UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "BAD_REQUEST", "CONFLICT"]);
const nextOf = (t: ErrorWords, code: string | null): string | null => (code && NEXT_STEP_CODES.has(code) ? t(`next.${code}` as ErrorKey) : null);

type ErrorShape = {
  message?: unknown;
  data?: { domain?: { code?: unknown; next?: unknown; details?: unknown } | null; code?: unknown; retryable?: unknown; failure?: unknown; correlationId?: unknown } | null;
};

const REFERENCE = /^[A-Za-z0-9_-]{1,64}$/;

export function operatorMessage(error: unknown, words: ActionWords = DEFAULT_WORDS, t: ErrorWords = englishErrorWords): OperatorMessage {
  const e = (error ?? {}) as ErrorShape;
  const domainCode = typeof e.data?.domain?.code === "string" ? e.data.domain.code : null;
  const transportCode = typeof e.data?.code === "string" ? e.data.code : null;
  const failure = typeof e.data?.failure === "string" ? e.data.failure : null;
  const code = domainCode ?? failure ?? transportCode ?? "UNKNOWN";
  const reference = typeof e.data?.correlationId === "string" && REFERENCE.test(e.data.correlationId) ? e.data.correlationId : null;
  const retryable = e.data?.retryable === true;
  const base = { code, retryable, reference };
  const ref = reference ? ` ${t("referenceSentence", { reference })}` : "";
  const subject = t(words.subject);
  const again = t(words.again);
  if (code === "UNAUTHORIZED") return { ...base, message: t("sessionEnded"), next: t("next.UNAUTHENTICATED") };
  if (code === "DATABASE_CONNECTION_LOST") {
    return { ...base, message: t("connectionLost", { subject }), next: `${t("recordedOnce", { again })}${ref}` };
  }
  if (retryable || code === "SERVICE_UNAVAILABLE" || code === "DATABASE_UNAVAILABLE" || code === "DATABASE_BUSY") {
    const message = code === "DATABASE_BUSY" ? t("databaseBusy", { subject }) : t("databaseNoAnswer", { subject });
    return { ...base, retryable: true, message, next: `${again}${ref}` };
  }
  if (!domainCode && (code === "INTERNAL_SERVER_ERROR" || code === "INTERNAL_ERROR" || code === "UNKNOWN")) {
    const network = !e.data && code === "UNKNOWN";
    return {
      ...base,
      message: network ? t("answerLost", { subject }) : t("serverFailed", { subject }),
      next: network ? t("notRecordedTwice", { again }) : `${t("keepsHappening", { again })}${ref}`,
    };
  }
  const message = typeof e.message === "string" && e.message ? e.message : t("refused");
  const serverNext = typeof e.data?.domain?.next === "string" && e.data.domain.next ? e.data.domain.next : null;
  return { ...base, message, next: serverNext ?? nextOf(t, code) ?? (!domainCode && transportCode ? nextOf(t, transportCode) : null) };
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
