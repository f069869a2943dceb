import "server-only";
import { and, asc, eq, lt, or, sql } from "drizzle-orm";
import { erpInbox, erpInboxEvents, erpObjectVersions, ownershipRegistry } from "@/db/schema";
import type { DbOrTx } from "@/db/client";
import type { Ownership } from "@/server/domain/erp/versioning";

export type InboxRow = typeof erpInbox.$inferSelect;
export type InboxStatus = InboxRow["status"];
export type NewInboxRow = Omit<typeof erpInbox.$inferInsert, "id" | "status">;

/**
 * Insert the message if its (connection, message id) is new; then lock its row either way (serialises redeliveries).
 * Message ids count per connection: another connection's ids are never seen, whatever its envelopes say.
 */
export async function insertOrLockMessage(tx: DbOrTx, row: NewInboxRow & { connectionId: string }): Promise<{ row: InboxRow; inserted: boolean }> {
  const inserted = await tx.insert(erpInbox).values(row).onConflictDoNothing({ target: [erpInbox.connectionId, erpInbox.messageId] }).returning({ id: erpInbox.id });
  const [locked] = await tx
    .select()
    .from(erpInbox)
    .where(and(eq(erpInbox.connectionId, row.connectionId), eq(erpInbox.messageId, row.messageId)))
    .for("update");
  return { row: locked!, inserted: inserted.length > 0 };
}

/** A message of a connection by its message id (the ERP asking for its status), or null. */
export async function messageOfConnection(db: DbOrTx, connectionId: string, messageId: string): Promise<InboxRow | null> {
  const [row] = await db.select().from(erpInbox).where(and(eq(erpInbox.connectionId, connectionId), eq(erpInbox.messageId, messageId)));
  return row ?? null;
}

/** The history of an inbox row, oldest first. */
export async function eventsOf(db: DbOrTx, inboxId: number) {
  return db
    .select({ status: erpInboxEvents.status, detail: erpInboxEvents.detail, at: erpInboxEvents.at })
    .from(erpInboxEvents)
    .where(eq(erpInboxEvents.inboxId, inboxId))
    .orderBy(asc(erpInboxEvents.at), asc(erpInboxEvents.id));
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

/**
 * Messages of one object waiting (for a gap, or for BOM segments), oldest version first, locked: held ones, and with
 * `stalled` also those dead-lettered because they waited too long (HELD_TOO_LONG), which a late predecessor resumes.
 */
export async function heldMessages(tx: DbOrTx, type: string, objectKey: string, opts: { stalled?: boolean } = {}): Promise<InboxRow[]> {
  const waiting = opts.stalled
    ? or(eq(erpInbox.status, "held"), and(eq(erpInbox.status, "dead_letter"), sql`${erpInbox.error}->>'code' = 'HELD_TOO_LONG'`))
    : eq(erpInbox.status, "held");
  return tx
    .select()
    .from(erpInbox)
    .where(and(eq(erpInbox.type, type), eq(erpInbox.objectKey, objectKey), waiting))
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
