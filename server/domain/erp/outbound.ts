/*
 * Outbound confirmations to the ERP (invariant 9): what a confirmation is, the order in which one ERP must see them,
 * when a failed delivery is tried again, and what an answer from the ERP means. Pure: the clock and the randomness of
 * the jitter are passed in.
 */
import { DomainError } from "../shared/errors";

/** pending: to be sent (or pulled); failed: retried later; dead: given up, replayed by an admin; delivered. */
export const OUTBOX_STATUSES = ["pending", "failed", "dead", "delivered"] as const;

/** A confirmation as the worker hands it to a wire format. */
export type Confirmation = {
  messageId: string;
  type: string;
  /** ERP plant of the site that recorded it. */
  plant: string;
  orderingKey: string;
  /** When the floor recorded it (the movement's time). */
  occurredAt: Date;
  payload: Record<string, unknown>;
};

/**
 * The ordering key of a confirmation: everything of one production order reaches the ERP in the order it was recorded
 * (a reversal 262 never overtakes its consumption 261, a completion never overtakes the consumptions before it), and so
 * does what later happens to a unit built on it (its shipment or scrap never overtakes its receipt 101); stock outside
 * an order is ordered per item (part + batch or serial), and a hold on a manufacturer or supplier per hold target (its
 * release never overtakes its placing).
 */
export function confirmationOrderingKey(p: {
  order?: string | null;
  builtOnOrder?: string | null;
  material?: string | null;
  batch?: string | null;
  serial?: string | null;
  target?: { type: string; key: string } | null;
}): string {
  if (p.order) return `order:${p.order}`;
  if (p.builtOnOrder) return `order:${p.builtOnOrder}`;
  if (!p.material && p.target) return `${p.target.type}:${p.target.key}`;
  return `item:${p.material ?? ""}|${p.batch ?? ""}|${p.serial ?? ""}`;
}

export type RetryPolicy = {
  /** First retry delay. */
  baseMs: number;
  /** Longest delay between two attempts. */
  capMs: number;
  /** Attempts before a confirmation becomes a dead letter. */
  maxAttempts: number;
};

/** 2 s, 4 s, 8 s ... up to 15 minutes; a dead letter after 12 failed attempts (about 1 h 15 min of trying). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 2_000, capMs: 15 * 60_000, maxAttempts: 12 };

/**
 * When to try again after the n-th failed attempt (n >= 1): exponential backoff with jitter (between half and the
 * whole of the exponential delay, "equal jitter"), so that a burst of failures does not come back as a burst.
 * `random` is a number in [0, 1).
 */
export function nextAttemptAt(failedAttempts: number, now: Date, policy: RetryPolicy, random: number): Date {
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, failedAttempts - 1));
  const delay = exp / 2 + (exp / 2) * Math.min(Math.max(random, 0), 1);
  return new Date(now.getTime() + Math.round(delay));
}

export function isDeadLetter(failedAttempts: number, policy: RetryPolicy): boolean {
  return failedAttempts >= policy.maxAttempts;
}

/** What the ERP said about one message. */
export type MessageAnswer =
  /** applied now, or applied before (a duplicate): either way the ERP has it */
  | { kind: "delivered"; note: string }
  /** refused for good (bad data, unknown order): retrying the same message cannot help */
  | { kind: "rejected"; error: string }
  /** not applied this time, may be retried (the ERP said so, or skipped it because an earlier one of its order failed) */
  | { kind: "retry"; error: string; ambiguous: boolean };

/** What came back from one push of a batch, before it is broken down per message. */
export type PushOutcome =
  | { kind: "answered"; httpStatus: number; results: Map<string, { status: string; error?: string }> | null }
  /** nothing reached the ERP (refused connection, unknown host): a plain retry */
  | { kind: "not_sent"; error: string }
  /** the request may have reached the ERP and been applied (timeout, reset while waiting, a 5xx): ask or resend */
  | { kind: "ambiguous"; error: string };

/** Per-message statuses a receiver may answer (docs/erp-interface.md, "Confirmations"). */
const DELIVERED_STATUSES = new Set(["applied", "duplicate", "accepted"]);
const RETRY_STATUSES = new Set(["skipped", "retry", "busy"]);

/** Break one push's outcome down into an answer per message of the batch. */
export function answersFor(messageIds: readonly string[], outcome: PushOutcome): Map<string, MessageAnswer> {
  const out = new Map<string, MessageAnswer>();
  for (const id of messageIds) out.set(id, answerFor(id, outcome));
  return out;
}

function answerFor(messageId: string, outcome: PushOutcome): MessageAnswer {
  if (outcome.kind === "not_sent") return { kind: "retry", error: outcome.error, ambiguous: false };
  if (outcome.kind === "ambiguous") return { kind: "retry", error: outcome.error, ambiguous: true };
  const { httpStatus, results } = outcome;
  if (httpStatus >= 500) return { kind: "retry", error: `The ERP answered HTTP ${httpStatus}.`, ambiguous: true };
  if (httpStatus === 429 || httpStatus === 408) return { kind: "retry", error: `The ERP answered HTTP ${httpStatus} (try later).`, ambiguous: false };
  if (httpStatus === 401 || httpStatus === 403) return { kind: "retry", error: `The ERP refused Traceline's credentials (HTTP ${httpStatus}): check the connection's outbound credential.`, ambiguous: false };
  const r = results?.get(messageId);
  if (httpStatus >= 200 && httpStatus < 300) {
    if (!results) return { kind: "delivered", note: `HTTP ${httpStatus}` };
    if (!r) return { kind: "retry", error: "The ERP's answer did not mention this message.", ambiguous: true };
    if (DELIVERED_STATUSES.has(r.status)) return { kind: "delivered", note: r.status };
    if (RETRY_STATUSES.has(r.status)) return { kind: "retry", error: r.error ?? `The ERP answered "${r.status}".`, ambiguous: false };
    return { kind: "rejected", error: r.error ?? `The ERP answered "${r.status}".` };
  }
  // another 4xx: the whole batch was refused as it is; per-message reasons when the ERP gave them
  return { kind: "rejected", error: r?.error ?? `The ERP refused the request (HTTP ${httpStatus}).` };
}

/** An opaque, URL-safe cursor over the pull feed: the feed position of the last confirmation read. */
export function encodeCursor(position: number): string {
  return Buffer.from(`feed:${position}`, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string | null | undefined): number | null {
  if (!cursor) return null;
  const m = /^feed:(\d{1,15})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!m) throw new DomainError("VALIDATION_FAILED", "That cursor is not one Traceline gave: start again without `after`, or with the last cursor received.", { field: "after" });
  return Number(m[1]);
}
