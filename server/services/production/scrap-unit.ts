import "server-only";
import type { DbOrTx, Tx } from "@/db/client";
import type { Actor, Role } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { localDate } from "@/server/domain/kitting/dates";
import { goodsMovement, requireReasonText, type OrderConfirmationPayload } from "@/server/domain/station/station-rules";
import { writeAudit } from "@/server/repos/audit";
import { postMovement } from "@/server/repos/ledger";
import { enqueueConfirmation, firstLocationOfKind, openUnitsOfOrder, setWorkOrderStatus, siteErpPlant, stableMessageId, whereInstalled } from "@/server/repos/station-work";
import { lockUnitForFate, markUnitScrapped, serialStockLocation, unitOperationStates, type LockedUnit } from "@/server/repos/unit-fate";
import { idempotent } from "@/server/services/shared/idempotent";
import { requireRole } from "@/server/services/shared/require-role";
import { unitNotOpen } from "./unit-fate-shared";

export type ScrapUnitCommand = { requestId: string; unitId: string; reason: string };

export type ScrapUnitOutcome = {
  unitId: string;
  serial: string;
  movementId: string;
  /** where the unit's serial came from: the production location (in work) or its stock location (completed) */
  from: string;
  inWork: boolean;
  /** the operation it stood at, for a unit in work */
  operationSeq: number | null;
  scrappedAt: string;
};

/** Who scraps a whole unit: the supervisor or the quality engineer (an MRB decision). */
export const SCRAP_UNIT_ROLES: readonly Role[] = ["supervisor", "quality_engineer"];

/**
 * Scrap a whole unit with a reason. In work (planned or under way): its serial goes production -> scrap, its open
 * operations stay as they are, and ERP gets an order confirmation with a scrap quantity of one at the operation it stood
 * at (the unit was never received into ERP stock, so there is no goods movement of it to book). Completed: its serial
 * goes from the stock location it is in to scrap, and ERP gets the scrap posting 551 of the finished part (ordered after
 * its receipt 101). Either way the unit becomes scrapped with when and why, with an audit row, in one transaction.
 * Refused for a unit already shipped or scrapped, or installed in another unit (take it out in rework first).
 */
export async function scrapUnit(db: DbOrTx, actor: Actor, cmd: ScrapUnitCommand, now: Date): Promise<ScrapUnitOutcome> {
  return db.transaction(async (tx) => {
    requireRole(actor, SCRAP_UNIT_ROLES, "scrap units");
    const unit = await lockUnitForFate(tx, actor.siteId, cmd.unitId);
    if (!unit) throw new DomainError("NOT_FOUND", "That unit does not exist at this site.", { unitId: cmd.unitId });
    return idempotent(tx, { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "production.scrapUnit", payload: cmd, now }, () =>
      scrap(tx, actor, cmd, unit, now),
    );
  });
}

async function scrap(tx: Tx, actor: Actor, cmd: ScrapUnitCommand, unit: LockedUnit, now: Date): Promise<ScrapUnitOutcome> {
  const siteId = actor.siteId;
  const reason = requireReasonText(cmd.reason, "the unit is scrapped");
  if (unit.status === "shipped" || unit.status === "scrapped") throw unitNotOpen(unit, actor.timeZone, "scrap");
  const inWork = unit.status === "planned" || unit.status === "in_progress";
  let from: { id: string; code: string };
  let operationSeq: number | null = null;
  if (inWork) {
    const production = await firstLocationOfKind(tx, siteId, "production");
    if (!production) throw new DomainError("NOT_FOUND", "This site has no production location; ask an administrator to set up the site.", {});
    from = production;
    const ops = await unitOperationStates(tx, siteId, unit.id);
    operationSeq = (ops.find((o) => o.status !== "completed") ?? ops.at(-1))?.seq ?? null;
  } else {
    const at = await serialStockLocation(tx, siteId, unit.serialItemId);
    if (!at) {
      const parent = await whereInstalled(tx, siteId, unit.serialItemId);
      throw parent
        ? new DomainError("SERIAL_ALREADY_INSTALLED", `Unit ${unit.serial} is installed in unit ${parent.serial}: take it out in rework first, with scrap as its destination.`, {
            unitSerial: unit.serial,
            installedIn: parent.serial,
          })
        : new DomainError("INSUFFICIENT_STOCK", `Unit ${unit.serial} is not in any stock location here: it cannot be scrapped from stock.`, { unitSerial: unit.serial });
    }
    from = at;
  }
  const scrapLoc = await firstLocationOfKind(tx, siteId, "scrap");
  if (!scrapLoc) throw new DomainError("NOT_FOUND", "This site has no scrap location.", {});
  const item = { partRevisionId: unit.partRevisionId, lotId: null, serialItemId: unit.serialItemId };
  const { movementId } = await postMovement(tx, {
    siteId,
    kind: "scrap",
    requestId: cmd.requestId,
    actorUserId: actor.userId,
    occurredAt: now,
    reason,
    reference: { unit: unit.serial, workOrder: unit.workOrderNumber, from: from.code, ...(operationSeq !== null ? { operation: String(operationSeq) } : {}) },
    legs: [
      { ...item, locationId: from.id, quantity: "-1" },
      { ...item, locationId: scrapLoc.id, quantity: "1" },
    ],
  });
  await markUnitScrapped(tx, siteId, unit.id, { at: now, reason });
  if (inWork && (unit.workOrderStatus === "released" || unit.workOrderStatus === "in_progress") && (await openUnitsOfOrder(tx, siteId, unit.workOrderId)) === 0) {
    await setWorkOrderStatus(tx, siteId, unit.workOrderId, "completed");
  }
  await writeAudit(tx, {
    siteId,
    actorUserId: actor.userId,
    actorName: actor.displayName,
    action: "production.scrapUnit",
    entity: "unit",
    entityId: unit.id,
    oldValue: { status: unit.status, location: from.code },
    newValue: { status: "scrapped", movementId, operationSeq },
    reason,
    requestId: cmd.requestId,
    occurredAt: now,
  });
  const plant = await siteErpPlant(tx, siteId);
  const postingDate = localDate(now, actor.timeZone);
  if (inWork) {
    const payload: OrderConfirmationPayload = {
      plant,
      order: unit.workOrderNumber,
      postingDate,
      confirmation: { operation: operationSeq ?? 0, finalConfirmation: false, unitSerial: unit.serial, yield: "0", scrap: "1" },
      material: unit.partNumber,
      revision: unit.revision,
      reason,
      reference: movementId,
    };
    await enqueueConfirmation(tx, siteId, { messageId: stableMessageId(siteId, actor.userId, cmd.requestId, "scrap-confirmation"), type: "confirmation", payload, at: now });
  } else {
    const finished = { partNumber: unit.partNumber, revision: unit.revision, lotNumber: null, serialNumber: unit.serial, uom: unit.uom };
    const payload = goodsMovement("551", finished, { plant, order: null, builtOnOrder: unit.workOrderNumber, quantity: "1", postingDate, reference: movementId, reason, fromLocation: from.code });
    await enqueueConfirmation(tx, siteId, { messageId: stableMessageId(siteId, actor.userId, cmd.requestId, "scrap"), type: "scrap", payload, at: now });
  }
  return { unitId: unit.id, serial: unit.serial, movementId, from: from.code, inWork, operationSeq, scrappedAt: now.toISOString() };
}
