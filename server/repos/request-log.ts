import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { requestLog } from "@/db/schema";
import type { Tx } from "@/db/client";

export type RequestRecord = { command: string; payloadHash: string; outcome: unknown; actorUserId: string };

/**
 * Serialise deliveries of one request id within a site for the rest of the transaction: a concurrent duplicate waits
 * here, then finds the first delivery's committed row (invariant 7).
 */
export async function lockRequestId(tx: Tx, siteId: string, requestId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${requestLockKey(siteId, requestId)}, 0))`);
}

/** The advisory-lock key of a request id within a site. */
export const requestLockKey = (siteId: string, requestId: string) => `request:${siteId}:${requestId}`;

export async function findRequest(tx: Tx, siteId: string, requestId: string): Promise<RequestRecord | null> {
  const [row] = await tx
    .select({ command: requestLog.command, payloadHash: requestLog.payloadHash, outcome: requestLog.outcome, actorUserId: requestLog.actorUserId })
    .from(requestLog)
    .where(and(eq(requestLog.siteId, siteId), eq(requestLog.requestId, requestId)));
  return row ?? null;
}

export async function rememberRequest(
  tx: Tx,
  r: { siteId: string; requestId: string; actorUserId: string; command: string; payloadHash: string; outcome: unknown; at: Date },
): Promise<void> {
  await tx.insert(requestLog).values({
    siteId: r.siteId,
    requestId: r.requestId,
    actorUserId: r.actorUserId,
    command: r.command,
    payloadHash: r.payloadHash,
    outcome: r.outcome,
    createdAt: r.at,
  });
}
