import "server-only";
import type { DbOrTx, Tx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { allowedLotsFor } from "@/server/domain/kitting/lot-rules";
import {
  assertOperationOpen,
  assertParametersRecorded,
  checkParameters,
  describeShortages,
  isBackflushable,
  leftOn,
  linesAt,
  planCompletion,
  goodsMovement,
} from "@/server/domain/station/station-rules";
import { writeAudit } from "@/server/repos/audit";
import { activeHoldsInUnit, type ContainedHold } from "@/server/repos/containment";
import { postMovement } from "@/server/repos/ledger";
import { listAllowedLots } from "@/server/repos/kitting";
import {
  bulkStockAt,
  enqueueConfirmation,
  findLocationOfSite,
  firstLocationOfKind,
  insertEdge,
  installedPerLine,
  loadFrozenBom,
  markOperationCompleted,
  openEdgesOfUnit,
  openUnitsOfOrder,
  setUnitStatus,
  setWorkOrderStatus,
  stableMessageId,
} from "@/server/repos/station-work";
import { idempotent } from "@/server/services/shared/idempotent";
import { allInOrder } from "@/server/services/shared/in-order";
import { qualificationsOf, recordOperationTools, toolsByCodes } from "@/server/repos/station-checks";
import { assertQualified } from "@/server/domain/qualification/operator-qualification";
import { checkTools } from "@/server/domain/tools/tool-rules";
import { lockOperation, openUnitOperation, postingDate, requireRole, stationOf, STATION_ROLES } from "./station-shared";
import { buyOffFacts, markWorkDone } from "@/server/repos/rule-signatures";
import type { UnitContext } from "@/server/repos/station-work";

export type CompleteCommand = {
  requestId: string;
  stationId: string;
  unitId: string;
  operationSeq: number;
  /** Parameters recorded at completion (added to those recorded with installs). */
  parameters?: Record<string, string>;
  /** Where a finished unit goes (a stores location of the site); by default the site's first stores location. */
  toLocationId?: string | null;
  /** The tools and gauges the operator scanned for this operation (their label codes). */
  toolCodes?: string[];
};

export type CompleteOutcome = {
  unitId: string;
  unitSerial: string;
  operationSeq: number;
  backflushed: { findNumber: number; partNumber: string; revision: string; lotNumber: string | null; quantity: string; uom: string }[];
  unitCompleted: boolean;
  /** where the finished unit was put (its code), when this was the last operation */
  finishedTo: string | null;
  /** the routing asks for an inspector's stamp: the work is recorded, the operation stays open until it is bought off */
  awaitingInspection: boolean;
};

/**
 * Complete a unit's operation: every required component installed (else MISSING_COMPONENTS with the list), every
 * parameter recorded, backflush lines drawn from this station's point-of-use FEFO (lot or untracked, never serial or
 * time-sensitive; short: BACKFLUSH_SHORT with what is missing, nothing written). The last operation produces the unit's
 * serial into stores (production -> stores) and completes the unit; ERP gets the consumptions (261), the operation
 * confirmation and, for the last operation, the goods receipt (101).
 */
export async function completeOperation(db: DbOrTx, actor: Actor, cmd: CompleteCommand, now: Date): Promise<CompleteOutcome> {
  return db.transaction(async (tx) => {
    requireRole(actor, STATION_ROLES, "complete operations");
    const station = await stationOf(tx, actor, cmd.stationId);
    await lockOperation(tx, actor, cmd.unitId, cmd.operationSeq);
    return idempotent(tx, { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "station.completeOperation", payload: cmd, now }, () =>
      complete(tx, actor, cmd, station, now),
    );
  });
}

async function complete(tx: Tx, actor: Actor, cmd: CompleteCommand, station: Awaited<ReturnType<typeof stationOf>>, now: Date): Promise<CompleteOutcome> {
  const siteId = actor.siteId;
  const { ctx, op } = await openUnitOperation(tx, actor, cmd.unitId, cmd.operationSeq, station);
  assertOperationOpen(ctx.operations, cmd.operationSeq, ctx.unit.serial);
  const stamp = await buyOffFacts(tx, siteId, cmd.unitId, cmd.operationSeq);
  if (stamp?.inspectionRequired && stamp.workDoneAt) {
    throw new DomainError(
      "AWAITING_INSPECTION",
      `Operation ${cmd.operationSeq} of unit ${ctx.unit.serial} is done and waits for an inspector's stamp: it is bought off by an inspector, not completed again.`,
      { operationSeq: cmd.operationSeq, unitSerial: ctx.unit.serial },
    );
  }
  assertNotContained(ctx.unit.serial, await activeHoldsInUnit(tx, siteId, ctx.unit.serialItemId));
  // who completes, with which tools (the completion's readings are theirs)
  const [held, found] = await allInOrder([qualificationsOf(tx, siteId, actor.userId), toolsByCodes(tx, siteId, cmd.toolCodes ?? [])] as const);
  assertQualified({ name: actor.displayName }, op, held, now, actor.timeZone);
  const tools = checkTools(op, cmd.toolCodes ?? [], found, now, actor.timeZone);
  await recordOperationTools(tx, siteId, op.id, tools.map((t) => t.id));
  const recorded = { ...op.parameters, ...checkParameters(op.specs, cmd.parameters, cmd.operationSeq) };

  const bom = await loadFrozenBom(tx, siteId, ctx.workOrder.id);
  const applying = linesAt(bom, ctx.unit.serial, cmd.operationSeq, postingDate(actor, now));
  const installed = installedPerLine(bom, await openEdgesOfUnit(tx, siteId, ctx.unit));
  const toDraw = applying.filter((l) => isBackflushable(l) && leftOn(l, installed).gt(0));
  const stock = await bulkStockAt(tx, siteId, station.pointOfUseId, [...new Set(toDraw.map((l) => l.componentRevisionId))]);
  const allowed = await listAllowedLots(tx, siteId, ctx.workOrder.id);
  const plan = planCompletion(applying, installed, stock, {
    plannedUseAt: now,
    minRemainingShelfLifeDays: null,
    timeZone: actor.timeZone,
    allowedLotsFor: (line) => (line.tracking === "lot" ? allowedLotsFor({ bomLineId: line.id, partRevisionId: line.componentRevisionId }, allowed) : null),
  });
  if (plan.missing.length > 0) {
    throw new DomainError("MISSING_COMPONENTS", `Operation ${cmd.operationSeq} of unit ${ctx.unit.serial} still needs: ${describeShortages(plan.missing)}.`, {
      missing: plan.missing,
    });
  }
  if (plan.short.length > 0) {
    throw new DomainError(
      "BACKFLUSH_SHORT",
      `Not enough usable stock at station ${station.code} to backflush: ${plan.short.map((s) => `${s.partNumber} rev ${s.revision} needs ${s.needed} ${s.uom}, ${s.available} ${s.uom} here`).join("; ")}.`,
      { short: plan.short },
    );
  }
  assertParametersRecorded(op.specs, recorded, cmd.operationSeq);

  const plant = station.erpPlant;
  const date = postingDate(actor, now);
  const reference = { workOrder: ctx.workOrder.number, unit: ctx.unit.serial, operation: String(cmd.operationSeq), station: station.code };
  const consumed = station.consumedId ? { id: station.consumedId } : null;
  if (!consumed) throw new DomainError("NOT_FOUND", "This site has no consumed-into-unit location; ask an administrator to set up the site.", {});
  const backflushed: CompleteOutcome["backflushed"] = [];
  for (const [lineId, draws] of groupBy(plan.draws, (d) => d.line.id)) {
    const line = draws[0]!.line;
    const { movementId } = await postMovement(tx, {
      siteId,
      kind: "backflush",
      requestId: cmd.requestId,
      actorUserId: actor.userId,
      occurredAt: now,
      reason: `Backflush of find ${line.findNumber} at operation completion`,
      reference,
      legs: draws.flatMap((d) => [
        { partRevisionId: line.componentRevisionId, lotId: d.source.lotId, serialItemId: null, locationId: station.pointOfUseId, quantity: `-${d.quantity}` },
        { partRevisionId: line.componentRevisionId, lotId: d.source.lotId, serialItemId: null, locationId: consumed.id, quantity: d.quantity },
      ]),
    }).catch((e: unknown) => {
      if (e instanceof DomainError && e.code === "INSUFFICIENT_STOCK") {
        throw new DomainError("BACKFLUSH_SHORT", `${line.partNumber} at station ${station.code} was just used elsewhere; not enough is left to backflush.`, e.details);
      }
      throw e;
    });
    for (const d of draws) {
      await insertEdge(tx, {
        siteId,
        parentSerialItemId: ctx.unit.serialItemId,
        parentUnitId: ctx.unit.id,
        childPartRevisionId: line.componentRevisionId,
        childSerialItemId: null,
        childLotId: d.source.lotId,
        quantity: d.quantity,
        findNumber: line.findNumber,
        operationSeq: cmd.operationSeq,
        operatorUserId: actor.userId,
        stationId: station.id,
        installedAt: now,
        parameters: {},
        movementId,
      });
      const drawn = { partNumber: line.partNumber, revision: line.revision, lotNumber: d.source.lotNumber, serialNumber: null, uom: line.uom };
      const payload = goodsMovement("261", drawn, { plant, order: ctx.workOrder.number, quantity: d.quantity, postingDate: date, reference: movementId, operation: cmd.operationSeq });
      await enqueueConfirmation(tx, siteId, { messageId: stableMessageId(siteId, actor.userId, cmd.requestId, `backflush:${lineId}:${d.source.lotId ?? "-"}`), type: "consumption", payload, at: now });
      backflushed.push({ findNumber: line.findNumber, partNumber: line.partNumber, revision: line.revision, lotNumber: d.source.lotNumber, quantity: d.quantity, uom: line.uom });
    }
  }

  if (stamp?.inspectionRequired) {
    // the operator's part of the buy-off: the work is recorded; the inspector's stamp completes the operation
    await markWorkDone(tx, siteId, op.id, { stationId: station.id, at: now, by: actor.userId, parameters: recorded });
    if (ctx.unit.status === "planned") await setUnitStatus(tx, siteId, ctx.unit.id, "in_progress", null);
    if (ctx.workOrder.status === "released") await setWorkOrderStatus(tx, siteId, ctx.workOrder.id, "in_progress");
    await writeAudit(tx, {
      siteId,
      actorUserId: actor.userId,
      actorName: actor.displayName,
      action: "station.operationWorkDone",
      entity: "unit_operation",
      entityId: op.id,
      oldValue: { status: op.status, parameters: op.parameters },
      newValue: { status: "awaiting_inspection", parameters: recorded, backflushed, station: station.code },
      requestId: cmd.requestId,
      occurredAt: now,
    });
    return { unitId: ctx.unit.id, unitSerial: ctx.unit.serial, operationSeq: cmd.operationSeq, backflushed, unitCompleted: false, finishedTo: null, awaitingInspection: true };
  }
  await markOperationCompleted(tx, siteId, op.id, { stationId: station.id, at: now, by: actor.userId, parameters: recorded });
  const { last, finishedTo } = await finishOperation(tx, actor, { ctx, seq: cmd.operationSeq, station, toLocationId: cmd.toLocationId ?? null, requestId: cmd.requestId }, now);
  await writeAudit(tx, {
    siteId,
    actorUserId: actor.userId,
    actorName: actor.displayName,
    action: "station.completeOperation",
    entity: "unit_operation",
    entityId: op.id,
    oldValue: { status: op.status, parameters: op.parameters },
    newValue: { status: "completed", parameters: recorded, backflushed, unitCompleted: last, finishedTo: finishedTo?.code ?? null, station: station.code },
    requestId: cmd.requestId,
    occurredAt: now,
  });
  return { unitId: ctx.unit.id, unitSerial: ctx.unit.serial, operationSeq: cmd.operationSeq, backflushed, unitCompleted: last, finishedTo: finishedTo?.code ?? null, awaitingInspection: false };
}

/**
 * What follows an operation's completion (by the operator, or by the inspector's buy-off): the last operation produces
 * the unit into stores (101) and completes the unit and, with it, maybe the order; an earlier one confirms the operation.
 */
export async function finishOperation(
  tx: Tx,
  actor: Actor,
  f: { ctx: UnitContext; seq: number; station: { code: string; erpPlant: string }; toLocationId: string | null; requestId: string },
  now: Date,
): Promise<{ last: boolean; finishedTo: { id: string; code: string } | null }> {
  const { ctx } = f;
  const siteId = actor.siteId;
  const cmd = { operationSeq: f.seq, requestId: f.requestId };
  const plant = f.station.erpPlant;
  const date = postingDate(actor, now);
  const reference = { workOrder: ctx.workOrder.number, unit: ctx.unit.serial, operation: String(f.seq), station: f.station.code };
  const last = ctx.operations.every((o) => o.seq === f.seq || o.status === "completed");
  let finishedTo: { id: string; code: string } | null = null;
  if (last) {
    finishedTo = await finishedGoodsLocation(tx, siteId, f.toLocationId);
    const production = await firstLocationOfKind(tx, siteId, "production");
    if (!production) throw new DomainError("NOT_FOUND", "This site has no production location; ask an administrator to set up the site.", {});
    const unitItem = { partRevisionId: ctx.workOrder.partRevisionId, lotId: null, serialItemId: ctx.unit.serialItemId };
    const { movementId } = await postMovement(tx, {
      siteId,
      kind: "complete",
      requestId: cmd.requestId,
      actorUserId: actor.userId,
      occurredAt: now,
      reason: "Unit completed",
      reference,
      legs: [
        { ...unitItem, locationId: production.id, quantity: "-1" },
        { ...unitItem, locationId: finishedTo.id, quantity: "1" },
      ],
    });
    await setUnitStatus(tx, siteId, ctx.unit.id, "completed", now);
    if ((await openUnitsOfOrder(tx, siteId, ctx.workOrder.id)) === 0) await setWorkOrderStatus(tx, siteId, ctx.workOrder.id, "completed");
    else if (ctx.workOrder.status === "released") await setWorkOrderStatus(tx, siteId, ctx.workOrder.id, "in_progress");
    const finished = { partNumber: ctx.workOrder.partNumber, revision: ctx.workOrder.revision, lotNumber: null, serialNumber: ctx.unit.serial, uom: ctx.workOrder.uom };
    const payload = goodsMovement("101", finished, {
      plant,
      order: ctx.workOrder.number,
      quantity: "1",
      postingDate: date,
      reference: movementId,
      operation: cmd.operationSeq,
      confirmation: { operation: cmd.operationSeq, finalConfirmation: true, unitSerial: ctx.unit.serial },
    });
    await enqueueConfirmation(tx, siteId, { messageId: stableMessageId(siteId, actor.userId, cmd.requestId, "completion"), type: "completion", payload, at: now });
  } else {
    if (ctx.unit.status === "planned") await setUnitStatus(tx, siteId, ctx.unit.id, "in_progress", null);
    if (ctx.workOrder.status === "released") await setWorkOrderStatus(tx, siteId, ctx.workOrder.id, "in_progress");
    await enqueueConfirmation(tx, siteId, {
      messageId: stableMessageId(siteId, actor.userId, cmd.requestId, "confirmation"),
      type: "confirmation",
      payload: { plant, order: ctx.workOrder.number, postingDate: date, confirmation: { operation: cmd.operationSeq, finalConfirmation: false, unitSerial: ctx.unit.serial } },
      at: now,
    });
  }
  return { last, finishedTo };
}

/** In words: "lot L of part P (hold "reason", placed on ...)", one per hold. */
export function describeContainedHolds(holds: ContainedHold[]): string {
  return holds.map((h) => `${h.itemLabel} (hold: ${h.reason})`).join("; ");
}

/**
 * Containment: a unit with held material inside (at any depth, installed now), or itself held, goes no further: none
 * of its operations completes until quality releases the hold. Nothing is written.
 */
export function assertNotContained(unitSerial: string, holds: ContainedHold[]): void {
  if (holds.length === 0) return;
  throw new DomainError(
    "UNIT_CONTAINS_HELD_MATERIAL",
    `Unit ${unitSerial} contains held material: ${describeContainedHolds(holds)}. It cannot be completed until quality releases the hold.`,
    { unitSerial, holds: holds.map((h) => ({ holdId: h.holdId, reason: h.reason, target: h.targetLabel, item: h.itemLabel })) },
  );
}

async function finishedGoodsLocation(tx: Tx, siteId: string, locationId: string | null): Promise<{ id: string; code: string }> {
  if (locationId) {
    const loc = await findLocationOfSite(tx, siteId, locationId);
    if (!loc) throw new DomainError("NOT_FOUND", "That location does not exist at this site.", { locationId });
    if (loc.kind !== "stores" && loc.kind !== "point_of_use") {
      throw new DomainError("VALIDATION_FAILED", `A finished unit goes to stores or to the point of use of its next assembly, not to ${loc.code}.`, { locationId });
    }
    return loc;
  }
  const stores = await firstLocationOfKind(tx, siteId, "stores");
  if (!stores) throw new DomainError("NOT_FOUND", "This site has no stores location for finished units; ask an administrator to set one up.", {});
  return stores;
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const i of items) out.set(key(i), [...(out.get(key(i)) ?? []), i]);
  return out;
}

