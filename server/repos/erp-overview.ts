import "server-only";
import { asc, desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { erpOutbox } from "@/db/schema";

/* Read-only views of the ERP interface's outbound side for one site (outbound confirmations belong to one site). */

export type OutboxStatus = (typeof erpOutbox.$inferSelect)["status"];

export type OutboxRow = {
  id: number;
  messageId: string;
  type: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
};

export type StatusCount<S extends string> = { status: S; count: number };

/** The latest outbound confirmations of the site, newest first. */
export async function listOutbox(db: DbOrTx, siteId: string, limit = 100): Promise<OutboxRow[]> {
  return db
    .select({
      id: erpOutbox.id,
      messageId: erpOutbox.messageId,
      type: erpOutbox.type,
      status: erpOutbox.status,
      attempts: erpOutbox.attempts,
      nextAttemptAt: erpOutbox.nextAttemptAt,
      lastError: erpOutbox.lastError,
      createdAt: erpOutbox.createdAt,
      deliveredAt: erpOutbox.deliveredAt,
    })
    .from(erpOutbox)
    .where(eq(erpOutbox.siteId, siteId))
    .orderBy(desc(erpOutbox.createdAt), desc(erpOutbox.id))
    .limit(limit);
}

export async function countOutboxByStatus(db: DbOrTx, siteId: string): Promise<StatusCount<OutboxStatus>[]> {
  return db
    .select({ status: erpOutbox.status, count: sql<number>`count(*)::int` })
    .from(erpOutbox)
    .where(eq(erpOutbox.siteId, siteId))
    .groupBy(erpOutbox.status)
    .orderBy(asc(erpOutbox.status));
}
