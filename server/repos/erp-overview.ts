import "server-only";
import { asc, desc, eq, isNull, or, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { erpInbox, erpOutbox } from "@/db/schema";

/*
 * Read-only views of the ERP interface for one site. Inbound messages addressed to the site's plant carry its site id;
 * enterprise master data (parts, BOMs, manufacturers) has no site and concerns every plant, so it is shown too,
 * marked as enterprise-level. Outbound confirmations always belong to one site.
 */

export type InboxStatus = (typeof erpInbox.$inferSelect)["status"];
export type OutboxStatus = (typeof erpOutbox.$inferSelect)["status"];

export type InboxRow = {
  id: number;
  source: string;
  messageId: string;
  type: string;
  objectKey: string;
  version: number;
  plant: string;
  enterprise: boolean;
  status: InboxStatus;
  error: string | null;
  attempts: number;
  receivedAt: Date;
  appliedAt: Date | null;
};

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

const inboxScope = (siteId: string) => or(eq(erpInbox.siteId, siteId), isNull(erpInbox.siteId));

/** The error of a message as one readable line (the stored error is JSON: { code, message } or free form). */
function errorText(error: unknown): string | null {
  if (error === null || error === undefined) return null;
  if (typeof error === "string") return error;
  if (typeof error === "object" && error !== null && "message" in error && typeof (error as { message: unknown }).message === "string") {
    const e = error as { code?: unknown; message: string };
    return typeof e.code === "string" ? `${e.code}: ${e.message}` : e.message;
  }
  return JSON.stringify(error);
}

/** The latest inbound messages for the site (and enterprise-level ones), newest first. */
export async function listInbox(db: DbOrTx, siteId: string, limit = 100): Promise<InboxRow[]> {
  const rows = await db
    .select({
      id: erpInbox.id,
      source: erpInbox.source,
      messageId: erpInbox.messageId,
      type: erpInbox.type,
      objectKey: erpInbox.objectKey,
      version: erpInbox.version,
      plant: erpInbox.plant,
      siteId: erpInbox.siteId,
      status: erpInbox.status,
      error: erpInbox.error,
      attempts: erpInbox.attempts,
      receivedAt: erpInbox.receivedAt,
      appliedAt: erpInbox.appliedAt,
    })
    .from(erpInbox)
    .where(inboxScope(siteId))
    .orderBy(desc(erpInbox.receivedAt), desc(erpInbox.id))
    .limit(limit);
  return rows.map(({ siteId: rowSite, error, ...r }) => ({ ...r, enterprise: rowSite === null, error: errorText(error) }));
}

export async function countInboxByStatus(db: DbOrTx, siteId: string): Promise<StatusCount<InboxStatus>[]> {
  return db
    .select({ status: erpInbox.status, count: sql<number>`count(*)::int` })
    .from(erpInbox)
    .where(inboxScope(siteId))
    .groupBy(erpInbox.status)
    .orderBy(asc(erpInbox.status));
}

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
