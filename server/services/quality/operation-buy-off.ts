import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { assertOperationOpen } from "@/server/domain/station/station-rules";
import { operationBuyOffContent, type OperationBuyOffRecord } from "@/server/domain/quality/rule-signatures";
import { writeAudit } from "@/server/repos/audit";
import { activeHoldsInUnit } from "@/server/repos/containment";
import { commitSideTime } from "@/server/repos/hold-locks";
import { signaturesOf } from "@/server/repos/quality-holds";
import { buyOffFacts, buyOffsOfUnit, installedAtBuyOff, installedAtOperation, markInspected, operationsAwaitingInspection } from "@/server/repos/rule-signatures";
import { findStationWithPointOfUse, loadUnitContext, lockUnitOperation } from "@/server/repos/station-work";
import { findRequest } from "@/server/repos/request-log";
import { idempotent } from "@/server/services/shared/idempotent";
import { requireRole } from "@/server/services/shared/require-role";
import { assertNotContained, finishOperation } from "@/server/services/station/complete-operation";
import { assertUnitOpen } from "@/server/services/station/station-shared";
import { reauthenticateSigner, verifySignature, writeSignature, type SignatureMethod, type SignatureView, type SigningContext } from "./sign-record";
import { randomUUID } from "node:crypto";

/*
 * Operation buy-off with an inspector's stamp (issue 19, Must 5): an operation the routing flags `inspection_required`
 * is completed in two steps. The operator's completion records the work (parameters, tools, backflush) and leaves the
 * operation open (station/complete-operation.ts); the unit goes no further (the next operation is not open, the last
 * one does not produce the unit) until an inspector (quality engineer, not the person who did the work) buys it off:
 * re-authenticated, meaning "approval", bound to the operation's record (work recorded, components installed at it,
 * who did it, who inspected and when). The buy-off completes the operation as the operator's completion would have
 * (operation confirmation; on the last operation the unit into stores, 101).
 */

export const INSPECTOR_ROLES = ["quality_engineer"] as const;

export type BuyOffCommand = {
  requestId: string;
  unitId: string;
  operationSeq: number;
  /** where a finished unit goes (last operation): a stores location; default the site's first stores location */
  toLocationId?: string | null;
  signature: { method: SignatureMethod; secret: string; meaning: string };
};

export type BuyOffOutcome = { unitId: string; unitSerial: string; operationSeq: number; signatureId: string; unitCompleted: boolean; finishedTo: string | null };

const notFound = (c: { unitId: string; operationSeq: number }) =>
  new DomainError("NOT_FOUND", "That unit or operation does not exist at this site.", { unitId: c.unitId, operationSeq: c.operationSeq });

/** The refusals that need no signature: not an inspection operation, work not done, already bought off, own work. */
function judge(actor: Actor, f: NonNullable<Awaited<ReturnType<typeof buyOffFacts>>>): void {
  if (!f.inspectionRequired) {
    throw new DomainError("VALIDATION_FAILED", `Operation ${f.seq} of unit ${f.unitSerial} does not ask for an inspector's stamp: the operator completes it.`, { field: "operationSeq" });
  }
  if (f.status === "completed" || f.inspectedAt) throw new DomainError("OPERATION_NOT_OPEN", `Operation ${f.seq} of unit ${f.unitSerial} is already bought off.`, { operationSeq: f.seq });
  if (!f.workDoneAt) {
    throw new DomainError("OPERATION_NOT_OPEN", `The work of operation ${f.seq} of unit ${f.unitSerial} is not recorded yet: the operator completes it at the station first.`, { operationSeq: f.seq });
  }
  if (f.workDoneBy === actor.userId) throw new DomainError("FORBIDDEN", "An inspector other than the person who did the work must buy it off.", { operationSeq: f.seq });
}

export async function buyOffOperation(db: DbOrTx, actor: Actor, cmd: BuyOffCommand, ctx: SigningContext): Promise<BuyOffOutcome> {
  requireRole(actor, INSPECTOR_ROLES, "buy off operations with an inspector's stamp");
  if (cmd.signature.meaning !== "approval") throw new DomainError("VALIDATION_FAILED", 'A buy-off is signed with the meaning "approval".', { meaning: cmd.signature.meaning });
  const seen = await buyOffFacts(db, actor.siteId, cmd.unitId, cmd.operationSeq);
  if (!seen) throw notFound(cmd);
  const retry = await db.transaction((tx) => findRequest(tx, actor.siteId, actor.userId, cmd.requestId));
  if (!retry) judge(actor, seen);
  const signer = await reauthenticateSigner(db, actor, { ...cmd.signature, meaning: "approval" }, { recordType: "operation_buy_off", recordId: seen.id }, ctx);
  return db.transaction(async (tx) => {
    if (!(await lockUnitOperation(tx, actor.siteId, cmd.unitId, cmd.operationSeq))) throw notFound(cmd);
    return idempotent(
      tx,
      { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "quality.buyOffOperation", payload: { ...cmd, signature: { method: cmd.signature.method } }, now: ctx.now },
      async (): Promise<BuyOffOutcome> => {
        const now = ctx.recordAt === "commit" ? await commitSideTime(tx) : ctx.now;
        const f = await buyOffFacts(tx, actor.siteId, cmd.unitId, cmd.operationSeq);
        if (!f) throw notFound(cmd);
        judge(actor, f);
        const unit = await loadUnitContext(tx, actor.siteId, cmd.unitId);
        if (!unit) throw notFound(cmd);
        assertUnitOpen(unit);
        assertOperationOpen(unit.operations, cmd.operationSeq, unit.unit.serial);
        assertNotContained(unit.unit.serial, await activeHoldsInUnit(tx, actor.siteId, unit.unit.serialItemId));
        const station = f.stationId ? await findStationWithPointOfUse(tx, actor.siteId, f.stationId) : null;
        if (!station) throw new DomainError("NOT_FOUND", "The station where the work was recorded no longer exists at this site.", {});
        const signatureId = randomUUID();
        const record: OperationBuyOffRecord = {
          siteId: actor.siteId,
          unitOperationId: f.id,
          unitId: f.unitId,
          unitSerial: f.unitSerial,
          seq: f.seq,
          code: f.code,
          parameters: f.parameters,
          toolIds: f.toolIds,
          stationId: f.stationId,
          workDoneBy: f.workDoneBy,
          workDoneAt: f.workDoneAt,
          installed: await installedAtOperation(tx, actor.siteId, f.unitId, f.seq),
          inspectedBy: actor.userId,
          inspectedAt: now,
        };
        await writeSignature(tx, actor, signer, { recordType: "operation_buy_off", recordId: f.id, content: operationBuyOffContent(record) }, now, signatureId);
        if (!(await markInspected(tx, actor.siteId, f.id, { by: actor.userId, at: now, signatureId }))) {
          throw new DomainError("OPERATION_NOT_OPEN", `Operation ${f.seq} of unit ${f.unitSerial} was bought off meanwhile.`, { operationSeq: f.seq });
        }
        const { last, finishedTo } = await finishOperation(tx, actor, { ctx: unit, seq: f.seq, station, toLocationId: cmd.toLocationId ?? null, requestId: cmd.requestId }, now);
        await writeAudit(tx, {
          siteId: actor.siteId,
          actorUserId: actor.userId,
          actorName: actor.displayName,
          action: "quality.buyOffOperation",
          entity: "unit_operation",
          entityId: f.id,
          oldValue: { status: f.status },
          newValue: { status: "completed", unit: f.unitSerial, operation: f.seq, signatureId, unitCompleted: last, finishedTo: finishedTo?.code ?? null },
          requestId: cmd.requestId,
          occurredAt: now,
        });
        return { unitId: f.unitId, unitSerial: f.unitSerial, operationSeq: f.seq, signatureId, unitCompleted: last, finishedTo: finishedTo?.code ?? null };
      },
    );
  });
}

export type BuyOffStamp = { operationSeq: number; signature: SignatureView | null };

/** The inspector stamp of a unit operation, verified against the operation's record as it is now. */
export async function operationStamp(db: DbOrTx, actor: Actor, unitId: string, seq: number): Promise<BuyOffStamp | null> {
  const f = await buyOffFacts(db, actor.siteId, unitId, seq);
  if (!f || !f.inspectedAt || !f.inspectedBy || !f.inspectionSignatureId) return null;
  const [sig] = (await signaturesOf(db, actor.siteId, "operation_buy_off", [f.id])).filter((s) => s.id === f.inspectionSignatureId);
  if (!sig) return { operationSeq: seq, signature: null };
  const record: OperationBuyOffRecord = {
    siteId: actor.siteId,
    unitOperationId: f.id,
    unitId: f.unitId,
    unitSerial: f.unitSerial,
    seq: f.seq,
    code: f.code,
    parameters: f.parameters,
    toolIds: f.toolIds,
    stationId: f.stationId,
    workDoneBy: f.workDoneBy,
    workDoneAt: f.workDoneAt,
    installed: await installedAtBuyOff(db, actor.siteId, f.unitId, f.seq, f.inspectedAt),
    inspectedBy: f.inspectedBy,
    inspectedAt: f.inspectedAt,
  };
  return { operationSeq: seq, signature: verifySignature(sig, operationBuyOffContent(record)) };
}

/** Every inspector stamp of a unit (its operations that asked for one and were bought off), in operation order. */
export async function unitStamps(db: DbOrTx, actor: Actor, unitId: string): Promise<BuyOffStamp[]> {
  const out: BuyOffStamp[] = [];
  for (const { seq } of (await buyOffsOfUnit(db, actor.siteId, unitId)).sort((a, b) => a.seq - b.seq)) {
    const s = await operationStamp(db, actor, unitId, seq);
    if (s) out.push(s);
  }
  return out;
}

/** The operations of the site waiting for an inspector's stamp (the inspector's work list). */
export async function listAwaitingBuyOff(db: DbOrTx, actor: Actor) {
  requireRole(actor, ["quality_engineer", "supervisor"], "see operations waiting for buy-off");
  return operationsAwaitingInspection(db, actor.siteId, 200);
}
