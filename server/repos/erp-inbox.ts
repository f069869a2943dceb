import "server-only";
import { and, asc, eq, lt, sql } from "drizzle-orm";
import { erpInbox, erpInboxEvents, erpObjectVersions, ownershipRegistry } from "@/db/schema";
import type { DbOrTx } from "@/db/client";
import type { Ownership } from "@/server/domain/erp/versioning";

export type InboxRow = typeof erpInbox.$inferSelect;
export type InboxStatus = InboxRow["status"];
export type NewInboxRow = Omit<typeof erpInbox.$inferInsert, "id" | "status">;

/** Insert the message if its (source, message id) is new; then lock its row either way (serialises redeliveries). */
export async function insertOrLockMessage(tx: DbOrTx, row: NewInboxRow): Promise<{ row: InboxRow; inserted: boolean }> {
  const inserted = await tx.insert(erpInbox).values(row).onConflictDoNothing({ target: [erpInbox.source, erpInbox.messageId] }).returning({ id: erpInbox.id });
  const [locked] = await tx
    .select()
    .from(erpInbox)
    .where(and(eq(erpInbox.source, row.source), eq(erpInbox.messageId, row.messageId)))
    .for("update");
  return { row: locked!, inserted: inserted.length > 0 };
}

export async function lockMessageById(tx: DbOrTx, id: number): Promise<InboxRow | null> {
  const [row] = await tx.select().from(erpInbox).where(eq(erpInbox.id, id)).for("update");
  return row ?? null;
}

export async function setMessageStatus(
  tx: DbOrTx,
  id: number,
  status: InboxStatus,
  detail: { error?: unknown; warnings?: string[]; attempts?: number; appliedAt?: Date | null; actorUserId?: string | null; note?: string },
): Promise<void> {
  await tx
    .update(erpInbox)
    .set({
      status,
      error: detail.error === undefined ? null : (detail.error as object),
      ...(detail.warnings ? { warnings: detail.warnings } : {}),
      ...(detail.attempts !== undefined ? { attempts: detail.attempts } : {}),
      ...(detail.appliedAt !== undefined ? { appliedAt: detail.appliedAt } : {}),
    })
    .where(eq(erpInbox.id, id));
  await tx.insert(erpInboxEvents).values({
    inboxId: id,
    status,
    detail: { ...(detail.error !== undefined ? { error: detail.error } : {}), ...(detail.note ? { note: detail.note } : {}), ...(detail.warnings?.length ? { warnings: detail.warnings } : {}) },
    actorUserId: detail.actorUserId ?? null,
  });
}

/** The applied version of an ERP object, locked for the rest of the transaction (one writer per object at a time). */
export async function lockObjectVersion(tx: DbOrTx, type: string, objectKey: string): Promise<number | null> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${type}|${objectKey}`}, 0))`);
  const [row] = await tx
    .select({ v: erpObjectVersions.appliedVersion })
    .from(erpObjectVersions)
    .where(and(eq(erpObjectVersions.type, type), eq(erpObjectVersions.objectKey, objectKey)));
  return row?.v ?? null;
}

export async function recordObjectVersion(tx: DbOrTx, type: string, objectKey: string, version: number): Promise<void> {
  await tx
    .insert(erpObjectVersions)
    .values({ type, objectKey, appliedVersion: version })
    .onConflictDoUpdate({ target: [erpObjectVersions.type, erpObjectVersions.objectKey], set: { appliedVersion: version, appliedAt: sql`now()` } });
}

/** Held messages of one object (waiting for a gap or for BOM segments), oldest version first. */
export async function heldMessages(tx: DbOrTx, source: string, type: string, objectKey: string): Promise<InboxRow[]> {
  return tx
    .select()
    .from(erpInbox)
    .where(and(eq(erpInbox.source, source), eq(erpInbox.type, type), eq(erpInbox.objectKey, objectKey), eq(erpInbox.status, "held")))
    .orderBy(asc(erpInbox.version), asc(erpInbox.id))
    .for("update");
}

export async function heldOlderThan(tx: DbOrTx, cutoff: Date): Promise<InboxRow[]> {
  return tx
    .select()
    .from(erpInbox)
    .where(and(eq(erpInbox.status, "held"), lt(erpInbox.receivedAt, cutoff)))
    .orderBy(asc(erpInbox.id))
    .for("update", { skipLocked: true });
}

export async function loadOwnership(tx: DbOrTx): Promise<Map<string, Ownership>> {
  const rows = await tx.select().from(ownershipRegistry);
  return new Map(rows.map((r) => [`${r.entity}.${r.attribute}`, { owner: r.owner, direction: r.direction }]));
}
