import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { requestLog } from "@/db/schema";
import { queryRows, type DbOrTx, type Tx } from "@/db/client";

export type RequestRecord = { command: string; payloadHash: string; outcome: unknown; actorUserId: string };

/*
 * Request ids are scoped by site AND user (invariant 7): the same id sent by another user is another request, never
 * the first one's outcome (a client-generated id is not a secret, and two clients may collide).
 */

/**
 * Serialise deliveries of one request id of one user within a site for the rest of the transaction: a concurrent
 * duplicate waits here, then finds the first delivery's committed row (invariant 7).
 */
export async function lockRequestId(tx: Tx, siteId: string, actorUserId: string, requestId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${requestLockKey(siteId, actorUserId, requestId)}, 0))`);
}

/** The advisory-lock key of a request id of a user within a site. */
export const requestLockKey = (siteId: string, actorUserId: string, requestId: string) => `request:${siteId}:${actorUserId}:${requestId}`;

export async function findRequest(tx: Tx, siteId: string, actorUserId: string, requestId: string): Promise<RequestRecord | null> {
  const [row] = await tx
    .select({ command: requestLog.command, payloadHash: requestLog.payloadHash, outcome: requestLog.outcome, actorUserId: requestLog.actorUserId })
    .from(requestLog)
    .where(and(eq(requestLog.siteId, siteId), eq(requestLog.actorUserId, actorUserId), eq(requestLog.requestId, requestId)));
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

/**
 * Purge request-log rows created before a cut-off, through the database function that runs as the tables' owner (the
 * app role cannot delete request_log rows) and refuses a cut-off younger than the retention floor. The number purged.
 */
/** The database's own time (the request log's purge counts from it). */
export async function databaseNow(db: DbOrTx): Promise<Date> {
  const rows = await queryRows<{ now: string }>(db, sql`select to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as now`);
  return new Date(rows[0]!.now);
}

export async function purgeRequestLog(db: DbOrTx, before: Date): Promise<number> {
  const rows = await queryRows<{ purged: number }>(db, sql`select traceline_purge_request_log(${before.toISOString()}::timestamptz) as purged`);
  return Number(rows[0]!.purged);
}
