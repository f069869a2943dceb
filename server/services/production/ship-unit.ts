import "server-only";
import type { DbOrTx, Tx } from "@/db/client";
import type { Actor, Role } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { localDate } from "@/server/domain/kitting/dates";
import { goodsMovement } from "@/server/domain/station/station-rules";
import { writeAudit } from "@/server/repos/audit";
import { postMovement } from "@/server/repos/ledger";
import { enqueueConfirmation, firstLocationOfKind, itemFactsAt, siteErpPlant, stableMessageId } from "@/server/repos/station-work";
import { activeHoldsInUnit } from "@/server/repos/containment";
import { lockUnitForFate, markUnitShipped, serialStockLocation, type LockedUnit } from "@/server/repos/unit-fate";
import { idempotent } from "@/server/services/shared/idempotent";
import { requireRole } from "@/server/services/shared/require-role";
import { requireFateText, unitNotOpen } from "./unit-fate-shared";

export type ShipUnitCommand = {
  requestId: string;
  unitId: string;
  /** To whom: the customer or ship-to, as written on the delivery. */
  shipTo: string;
  /** The delivery note (or shipment) reference. */
  deliveryNote: string;
};

export type ShipUnitOutcome = { unitId: string; serial: string; movementId: string; from: string; shipTo: string; deliveryNote: string; shippedAt: string };

/** Who ships finished units: the supervisor, or the kitting clerk who runs stores. */
export const SHIP_ROLES: readonly Role[] = ["supervisor", "kitting_clerk"];

/**
 * Ship a completed unit: its serial leaves its stores location for the site's virtual `shipped` location (ledger
 * movement "ship"), the unit becomes shipped with to whom, when and the delivery note, an audit row, and ERP gets the
 * goods issue for the delivery (601, ordered after the unit's receipt 101 on its order). Refused for a unit that is not
 * completed, not in a stores location, or on hold (with the hold's reason): nothing is written.
 */
export async function shipUnit(db: DbOrTx, actor: Actor, cmd: ShipUnitCommand, now: Date): Promise<ShipUnitOutcome> {
  return db.transaction(async (tx) => {
    requireRole(actor, SHIP_ROLES, "ship finished units");
    const unit = await lockUnitForFate(tx, actor.siteId, cmd.unitId);
    if (!unit) throw new DomainError("NOT_FOUND", "That unit does not exist at this site.", { unitId: cmd.unitId });
    return idempotent(tx, { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "production.shipUnit", payload: cmd, now }, () =>
      ship(tx, actor, cmd, unit, now),
    );
  });
}

async function ship(tx: Tx, actor: Actor, cmd: ShipUnitCommand, unit: LockedUnit, now: Date): Promise<ShipUnitOutcome> {
  const siteId = actor.siteId;
  const shipTo = requireFateText(cmd.shipTo, "shipTo", "Say to whom the unit ships (customer or ship-to).");
  const deliveryNote = requireFateText(cmd.deliveryNote, "deliveryNote", "Enter the delivery note (or shipment) reference.");
  if (unit.status === "shipped" || unit.status === "scrapped") throw unitNotOpen(unit, actor.timeZone, "ship");
  if (unit.status !== "completed") {
    throw new DomainError("UNIT_NOT_COMPLETED", `Unit ${unit.serial} is ${unit.status.replace("_", " ")}: only a completed unit ships. Finish its operations first.`, {
      unitSerial: unit.serial,
      status: unit.status,
    });
  }
  const from = await serialStockLocation(tx, siteId, unit.serialItemId);
  if (!from || from.kind !== "stores") {
    throw new DomainError(
      "UNIT_NOT_IN_STORES",
      from
        ? `Unit ${unit.serial} is at ${from.code}, not in stores: put it away in a stores location, then ship it from there.`
        : `Unit ${unit.serial} is not in any stock location here: it cannot be shipped.`,
      { unitSerial: unit.serial, location: from?.code ?? null },
    );
  }
  const item = { partRevisionId: unit.partRevisionId, lotId: null, serialItemId: unit.serialItemId };
  const facts = await itemFactsAt(tx, siteId, item, from.id);
  if (!facts) throw new DomainError("NOT_FOUND", "That unit's serial does not exist at this site.", {});
  if (facts.holdReasons.length > 0) {
    throw new DomainError("UNIT_ON_HOLD", `Unit ${unit.serial} is on quality hold: ${facts.holdReasons.join("; ")}. It must not ship until quality releases the hold.`, {
      unitSerial: unit.serial,
      holdReasons: facts.holdReasons,
    });
  }
  const contained = await activeHoldsInUnit(tx, siteId, unit.serialItemId);
  if (contained.length > 0) {
    throw new DomainError(
      "UNIT_CONTAINS_HELD_MATERIAL",
      `Unit ${unit.serial} contains held material: ${contained.map((h) => `${h.itemLabel} (hold: ${h.reason})`).join("; ")}. It must not ship until quality releases the hold.`,
      { unitSerial: unit.serial, holds: contained.map((h) => ({ holdId: h.holdId, reason: h.reason, target: h.targetLabel, item: h.itemLabel })) },
    );
  }
  const shipped = await firstLocationOfKind(tx, siteId, "shipped");
  if (!shipped) throw new DomainError("NOT_FOUND", "This site has no shipped location; ask an administrator to set up the site.", {});
  const reason = `Shipped to ${shipTo} (${deliveryNote})`;
  const { movementId } = await postMovement(tx, {
    siteId,
    kind: "ship",
    requestId: cmd.requestId,
    actorUserId: actor.userId,
    occurredAt: now,
    reason,
    reference: { unit: unit.serial, workOrder: unit.workOrderNumber, from: from.code, shipTo, deliveryNote },
    legs: [
      { ...item, locationId: from.id, quantity: "-1" },
      { ...item, locationId: shipped.id, quantity: "1" },
    ],
  });
  await markUnitShipped(tx, siteId, unit.id, { at: now, to: shipTo, reference: deliveryNote });
  await writeAudit(tx, {
    siteId,
    actorUserId: actor.userId,
    actorName: actor.displayName,
    action: "production.shipUnit",
    entity: "unit",
    entityId: unit.id,
    oldValue: { status: unit.status, location: from.code },
    newValue: { status: "shipped", shipTo, deliveryNote, movementId },
    reason,
    requestId: cmd.requestId,
    occurredAt: now,
  });
  const payload = goodsMovement("601", facts, {
    plant: await siteErpPlant(tx, siteId),
    order: null,
    builtOnOrder: unit.workOrderNumber,
    quantity: "1",
    postingDate: localDate(now, actor.timeZone),
    reference: movementId,
    fromLocation: from.code,
    shipTo,
    deliveryNote,
  });
  await enqueueConfirmation(tx, siteId, { messageId: stableMessageId(siteId, actor.userId, cmd.requestId, "shipment"), type: "shipment", payload, at: now });
  return { unitId: unit.id, serial: unit.serial, movementId, from: from.code, shipTo, deliveryNote, shippedAt: now.toISOString() };
}

