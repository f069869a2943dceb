import "server-only";
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { allowedLots, auditLog, deviations, genealogyEdges, ncrs, ncrWithdrawals, ownershipChanges, signatures, unitOperations, units, users, workOrderOperations } from "@/db/schema";
import type { SignatureRow } from "./quality-holds";

/*
 * Reads and writes of the records signed under issue 19, Must 5: ownership decisions, allowed-lot entries, part policy
 * changes (their audit rows) and operation buy-offs, with their signatures.
 */

/** Signatures of records that belong to no site (the ownership registry, part policies): at whichever site they were signed. */
export async function signaturesOfAnySite(db: DbOrTx, recordType: string, recordIds: string[]): Promise<SignatureRow[]> {
  if (recordIds.length === 0) return [];
  return db
    .select()
    .from(signatures)
    .where(and(eq(signatures.recordType, recordType), inArray(signatures.recordId, recordIds)))
    .orderBy(signatures.signedAt, signatures.id);
}

export async function ownershipChangeRows(db: DbOrTx, ids: string[]) {
  if (ids.length === 0) return [];
  return db.select().from(ownershipChanges).where(inArray(ownershipChanges.id, ids));
}

export async function allowedLotRows(db: DbOrTx, siteId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(allowedLots)
    .where(and(eq(allowedLots.siteId, siteId), inArray(allowedLots.id, ids)));
}

/** An audit row written in this transaction, returning its id (the record a part policy change's signature binds to). */
export async function insertAuditRow(db: DbOrTx, row: typeof auditLog.$inferInsert): Promise<number> {
  const [saved] = await db.insert(auditLog).values(row).returning({ id: auditLog.id });
  return saved!.id;
}

/** The latest part policy changes, newest first (their audit rows). */
export async function partPolicyChanges(db: DbOrTx, limit: number, ids?: number[]) {
  return db
    .select({
      id: auditLog.id,
      partNumber: auditLog.entityId,
      oldValue: auditLog.oldValue,
      newValue: auditLog.newValue,
      reason: auditLog.reason,
      actorUserId: auditLog.actorUserId,
      actorName: auditLog.actorName,
      occurredAt: auditLog.occurredAt,
    })
    .from(auditLog)
    .where(and(eq(auditLog.action, "part_policy_edited"), eq(auditLog.entity, "part"), ids ? inArray(auditLog.id, ids) : undefined))
    .orderBy(desc(auditLog.occurredAt), desc(auditLog.id))
    .limit(limit);
}

/** A unit operation with what the buy-off covers, locked (the caller holds the unit operation lock already). */
export async function buyOffFacts(db: DbOrTx, siteId: string, unitId: string, seq: number) {
  const [row] = await db
    .select({
      id: unitOperations.id,
      unitId: unitOperations.unitId,
      unitSerial: units.serial,
      unitStatus: units.status,
      seq: unitOperations.seq,
      code: workOrderOperations.code,
      inspectionRequired: workOrderOperations.inspectionRequired,
      status: unitOperations.status,
      parameters: unitOperations.parameters,
      toolIds: unitOperations.toolIds,
      stationId: unitOperations.stationId,
      workDoneBy: unitOperations.workDoneBy,
      workDoneAt: unitOperations.workDoneAt,
      inspectedBy: unitOperations.inspectedBy,
      inspectedAt: unitOperations.inspectedAt,
      inspectionSignatureId: unitOperations.inspectionSignatureId,
    })
    .from(unitOperations)
    .innerJoin(units, and(eq(units.siteId, unitOperations.siteId), eq(units.id, unitOperations.unitId)))
    .innerJoin(workOrderOperations, and(eq(workOrderOperations.siteId, unitOperations.siteId), eq(workOrderOperations.id, unitOperations.workOrderOperationId)))
    .where(and(eq(unitOperations.siteId, siteId), eq(unitOperations.unitId, unitId), eq(unitOperations.seq, seq)));
  return row ?? null;
}

/** The components installed in the unit at this operation and still in it. */
export async function installedAtOperation(db: DbOrTx, siteId: string, unitId: string, seq: number) {
  return db
    .select({
      edgeId: genealogyEdges.id,
      partRevisionId: genealogyEdges.childPartRevisionId,
      lotId: genealogyEdges.childLotId,
      serialItemId: genealogyEdges.childSerialItemId,
      quantity: genealogyEdges.quantity,
    })
    .from(genealogyEdges)
    .where(and(eq(genealogyEdges.siteId, siteId), eq(genealogyEdges.parentUnitId, unitId), eq(genealogyEdges.operationSeq, seq), isNull(genealogyEdges.removedAt)));
}

/** The components installed at the operation by the time it was bought off (removed later or not). */
export async function installedAtBuyOff(db: DbOrTx, siteId: string, unitId: string, seq: number, at: Date) {
  return db
    .select({
      edgeId: genealogyEdges.id,
      partRevisionId: genealogyEdges.childPartRevisionId,
      lotId: genealogyEdges.childLotId,
      serialItemId: genealogyEdges.childSerialItemId,
      quantity: genealogyEdges.quantity,
    })
    .from(genealogyEdges)
    .where(
      and(
        eq(genealogyEdges.siteId, siteId),
        eq(genealogyEdges.parentUnitId, unitId),
        eq(genealogyEdges.operationSeq, seq),
        sql`${genealogyEdges.installedAt} <= ${at.toISOString()}::timestamptz`,
        sql`(${genealogyEdges.removedAt} is null or ${genealogyEdges.removedAt} > ${at.toISOString()}::timestamptz)`,
      ),
    );
}

export async function markWorkDone(db: DbOrTx, siteId: string, id: string, v: { stationId: string; at: Date; by: string; parameters: Record<string, string> }) {
  await db
    .update(unitOperations)
    .set({ stationId: v.stationId, workDoneAt: v.at, workDoneBy: v.by, parameters: v.parameters, status: "in_progress", startedAt: sql`coalesce(${unitOperations.startedAt}, ${v.at.toISOString()}::timestamptz)` })
    .where(and(eq(unitOperations.siteId, siteId), eq(unitOperations.id, id)));
}

export async function markInspected(db: DbOrTx, siteId: string, id: string, v: { by: string; at: Date; signatureId: string }): Promise<boolean> {
  const rows = await db
    .update(unitOperations)
    .set({ inspectedBy: v.by, inspectedAt: v.at, inspectionSignatureId: v.signatureId, status: "completed", completedAt: v.at, completedBy: sql`coalesce(${unitOperations.workDoneBy}, ${v.by})` })
    .where(and(eq(unitOperations.siteId, siteId), eq(unitOperations.id, id), isNull(unitOperations.inspectedAt), sql`${unitOperations.status} <> 'completed'`))
    .returning({ id: unitOperations.id });
  return rows.length === 1;
}

/** Operations of the site whose work is done and which wait for an inspector's stamp, oldest first. */
export async function operationsAwaitingInspection(db: DbOrTx, siteId: string, limit: number) {
  const doer = users;
  return db
    .select({
      unitId: units.id,
      unitSerial: units.serial,
      serialItemId: units.serialItemId,
      seq: unitOperations.seq,
      code: workOrderOperations.code,
      description: workOrderOperations.description,
      workDoneAt: unitOperations.workDoneAt,
      workDoneByName: doer.displayName,
      parameters: unitOperations.parameters,
    })
    .from(unitOperations)
    .innerJoin(units, and(eq(units.siteId, unitOperations.siteId), eq(units.id, unitOperations.unitId)))
    .innerJoin(workOrderOperations, and(eq(workOrderOperations.siteId, unitOperations.siteId), eq(workOrderOperations.id, unitOperations.workOrderOperationId)))
    .leftJoin(doer, eq(doer.id, unitOperations.workDoneBy))
    .where(and(eq(unitOperations.siteId, siteId), eq(workOrderOperations.inspectionRequired, true), sql`${unitOperations.workDoneAt} is not null`, sql`${unitOperations.status} <> 'completed'`))
    .orderBy(unitOperations.workDoneAt)
    .limit(limit);
}

/** The buy-off stamps of a unit's operations. */
export async function buyOffsOfUnit(db: DbOrTx, siteId: string, unitId: string) {
  return db
    .select({ seq: unitOperations.seq })
    .from(unitOperations)
    .where(and(eq(unitOperations.siteId, siteId), eq(unitOperations.unitId, unitId), sql`${unitOperations.inspectedAt} is not null`));
}

/** A deviation, locked (installs under it take its quantity under the same row lock). */
export async function lockDeviation(db: DbOrTx, siteId: string, id: string) {
  const [row] = await db
    .select()
    .from(deviations)
    .where(and(eq(deviations.siteId, siteId), eq(deviations.id, id)))
    .for("update");
  return row ?? null;
}

export async function markDeviationRevoked(db: DbOrTx, siteId: string, id: string, v: { by: string; at: Date; reason: string; signatureId: string }): Promise<boolean> {
  const rows = await db
    .update(deviations)
    .set({ status: "revoked", revokedBy: v.by, revokedAt: v.at, revokeReason: v.reason, revokeSignatureId: v.signatureId })
    .where(and(eq(deviations.siteId, siteId), eq(deviations.id, id), eq(deviations.status, "approved")))
    .returning({ id: deviations.id });
  return rows.length === 1;
}

export type NcrWithdrawalRow = typeof ncrWithdrawals.$inferSelect;

export async function insertNcrWithdrawal(db: DbOrTx, row: typeof ncrWithdrawals.$inferInsert): Promise<void> {
  await db.insert(ncrWithdrawals).values(row);
}

/** The NCR back to open, in its next review round; false when it no longer waits for signatures. */
export async function reopenNcr(db: DbOrTx, siteId: string, ncrId: string, round: number): Promise<boolean> {
  const rows = await db
    .update(ncrs)
    .set({ status: "open", disposition: null, dispositionReason: null, dispositionBy: null, dispositionAt: null, mrbRound: round + 1 })
    .where(and(eq(ncrs.siteId, siteId), eq(ncrs.id, ncrId), eq(ncrs.status, "pending_signoff"), eq(ncrs.mrbRound, round)))
    .returning({ id: ncrs.id });
  return rows.length === 1;
}

/** The withdrawn proposals of an NCR, oldest first, with who withdrew them. */
export async function withdrawalsOf(db: DbOrTx, siteId: string, ncrId: string) {
  return db
    .select({ row: ncrWithdrawals, withdrawnByName: users.displayName })
    .from(ncrWithdrawals)
    .innerJoin(users, eq(users.id, ncrWithdrawals.withdrawnBy))
    .where(and(eq(ncrWithdrawals.siteId, siteId), eq(ncrWithdrawals.ncrId, ncrId)))
    .orderBy(ncrWithdrawals.round);
}
