import "server-only";
import { createHash } from "node:crypto";
import type { Tx } from "@/db/client";
import { DomainError } from "@/server/domain/shared/errors";
import { canonicalJson } from "@/server/domain/canonical-json/canonical-json";
import { findRequest, lockRequestId, rememberRequest, type RequestRecord } from "@/server/repos/request-log";

/** The hash stored in request_log: SHA-256 of the command name, a newline and the payload's canonical JSON. */
export function payloadHash(command: string, payload: unknown): string {
  return createHash("sha256").update(command).update("\n").update(canonicalJson(payload)).digest("hex");
}

/**
 * Invariant 7 for one mutating command, inside the caller's transaction: the first delivery of a request id runs `fn`
 * and stores its outcome with the command and payload hash; any later delivery returns that outcome without running
 * anything; the same id with another command or payload is REQUEST_CONFLICT. A refused command (fn throws) stores
 * nothing, so it changes nothing and a retry is judged afresh. Call it after locking the rows the command changes.
 */
export async function idempotent<T>(
  tx: Tx,
  req: { siteId: string; actorUserId: string; requestId: string; command: string; payload: unknown; now: Date },
  fn: () => Promise<T>,
): Promise<T> {
  await lockRequestId(tx, req.siteId, req.actorUserId, req.requestId);
  const hash = payloadHash(req.command, req.payload);
  const prior = priorOutcome<T>(await findRequest(tx, req.siteId, req.actorUserId, req.requestId), req.command, hash, req.requestId);
  if (prior !== undefined) return prior.outcome;
  const outcome = await fn();
  await rememberRequest(tx, { siteId: req.siteId, requestId: req.requestId, actorUserId: req.actorUserId, command: req.command, payloadHash: hash, outcome, at: req.now });
  return outcome;
}

/**
 * The earlier delivery of a request id, read after its lock: its outcome when it was the same command and payload,
 * REQUEST_CONFLICT when it was not, undefined when this is the first delivery. For commands that read the request log
 * together with their other reads (one round trip) and store the outcome with their other writes (rememberRequest).
 */
export function priorOutcome<T>(prior: RequestRecord | null, command: string, hash: string, requestId: string): { outcome: T } | undefined {
  if (!prior) return undefined;
  if (prior.command !== command || prior.payloadHash !== hash) {
    throw new DomainError("REQUEST_CONFLICT", "This request id was already used for a different action. Reload the page and try again.", {
      requestId,
      command: prior.command,
    });
  }
  return { outcome: prior.outcome as T };
}
