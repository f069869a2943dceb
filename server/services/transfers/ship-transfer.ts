import "server-only";
import { randomUUID } from "node:crypto";
import type { DbOrTx, Tx } from "@/db/client";
import type { Actor, Role } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { localDate } from "@/server/domain/kitting/dates";
import { goodsMovement } from "@/server/domain/station/station-rules";
import { shipQuantity, transferNumber } from "@/server/domain/transfers/transfer-rules";
import { writeAudit } from "@/server/repos/audit";
import { postMovement } from "@/server/repos/ledger";
import { activeHoldsInUnit } from "@/server/repos/containment";
import { enqueueConfirmation, itemFactsAt, stableMessageId } from "@/server/repos/station-work";
import { findShippableStock, findSite, insertTransfer, virtualLocation } from "@/server/repos/site-transfers";
import { lockUnitForFate, markUnitShipped } from "@/server/repos/unit-fate";
import { idempotent } from "@/server/services/shared/idempotent";
import { requireRole } from "@/server/services/shared/require-role";

/** Who ships and receives site transfers: the kitting clerk who runs stores, or the supervisor. */
export const TRANSFER_ROLES: readonly Role[] = ["kitting_clerk", "supervisor"];

export type ShipTransferCommand = {
  requestId: string;
  /** the receiving site */
  toSiteId: string;
  /** the lot or serial number, typed or scanned */
  itemNumber: string;
  /** when the number is used by several parts */
  partNumber?: string | null;
  /** the stores or quarantine location it leaves from, when it is in several */
  fromLocationId?: string | null;
  /** a lot's quantity (a serial ships as one piece) */
  quantity?: string | null;
};

export type ShipTransferOutcome = {
  transferId: string;
  number: string;
  toSiteCode: string;
  partNumber: string;
  revision: string;
  itemNumber: string;
  quantity: string;
  uom: string;
  from: string;
  shippedAt: string;
  /** a finished sub-assembly built here: its unit now says shipped to the other site */
  unitSerial: string | null;
};

/**
 * Ship a lot quantity, a serial or a finished sub-assembly to another site, in one transaction with its request id:
 * the stock goes from its stores or quarantine location to this site's virtual in-transit location (ledger movement
 * site_ship), a transfer row names both sites and the item, the unit of a sub-assembly built here becomes shipped (to
 * the other site, the transfer's number as its delivery note), an audit row, and ERP gets the stock transfer from this
 * plant (303, naming the receiving plant). Refused, changing nothing: an unknown or own destination, an item not here
 * or not in stores or quarantine, more than is free, held material (or a unit containing held material), a unit not
 * completed.
 */
export async function shipTransfer(db: DbOrTx, actor: Actor, cmd: ShipTransferCommand, now: Date): Promise<ShipTransferOutcome> {
  requireRole(actor, TRANSFER_ROLES, "ship material to another site");
  const itemNumber = cmd.itemNumber.trim();
  if (!itemNumber) throw new DomainError("VALIDATION_FAILED", "Scan or type the lot or serial number to ship.", { field: "itemNumber" });
  return db.transaction(async (tx) =>
    idempotent(tx, { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "transfers.ship", payload: { ...cmd, itemNumber }, now }, () =>
      ship(tx, actor, { ...cmd, itemNumber }, now),
    ),
  );
}

async function ship(tx: Tx, actor: Actor, cmd: ShipTransferCommand, now: Date): Promise<ShipTransferOutcome> {
  const siteId = actor.siteId;
  const toSite = await findSite(tx, cmd.toSiteId);
  if (!toSite) throw new DomainError("NOT_FOUND", "Choose the site to ship to.", { field: "toSiteId" });
  if (toSite.id === siteId) throw new DomainError("VALIDATION_FAILED", `This is ${actor.siteName}: choose another site to ship to.`, { field: "toSiteId" });
  const here = await findSite(tx, siteId);
  const partNumber = cmd.partNumber?.trim() || null;
  const found = await findShippableStock(tx, siteId, cmd.itemNumber, partNumber);
  if (found.length === 0) {
    throw new DomainError("NOT_FOUND", `No lot or serial ${cmd.itemNumber}${partNumber ? ` of part ${partNumber}` : ""} at ${actor.siteName}.`, { field: "itemNumber" });
  }
  const parts = [...new Set(found.map((f) => f.partNumber))];
  if (parts.length > 1) {
    throw new DomainError("VALIDATION_FAILED", `${cmd.itemNumber} is a lot or serial of several parts (${parts.join(", ")}): give the part number too.`, {
      field: "partNumber",
      candidates: parts,
    });
  }
  const placed = found.filter((f) => f.locationId !== null);
  if (placed.length === 0) {
    throw new DomainError("NOT_IN_STORES", `${cmd.itemNumber} is not in a stores or quarantine location here: put it away in stores first, then ship it from there.`, {
      field: "itemNumber",
    });
  }
  const at = cmd.fromLocationId ? placed.find((f) => f.locationId === cmd.fromLocationId) : placed.length === 1 ? placed[0] : undefined;
  if (!at) {
    throw new DomainError(
      "VALIDATION_FAILED",
      cmd.fromLocationId
        ? `${cmd.itemNumber} is not at that location: it is at ${placed.map((p) => p.locationCode).join(", ")}.`
        : `${cmd.itemNumber} is at several locations (${placed.map((p) => p.locationCode).join(", ")}): choose the one it leaves from.`,
      { field: "fromLocationId", locations: placed.map((p) => ({ id: p.locationId, code: p.locationCode, onHand: p.onHand })) },
    );
  }
  const serial = at.serialItemId !== null;
  const quantity = shipQuantity(
    { serial, number: cmd.itemNumber, uom: at.uom, onHand: at.onHand!, reserved: at.reserved!, locationCode: at.locationCode! },
    cmd.quantity ?? null,
  );
  const item = { partRevisionId: at.partRevisionId, lotId: at.lotId, serialItemId: at.serialItemId };
  const facts = await itemFactsAt(tx, siteId, item, at.locationId!);
  if (!facts) throw new DomainError("NOT_FOUND", `No lot or serial ${cmd.itemNumber} at ${actor.siteName}.`, { field: "itemNumber" });
  if (facts.holdReasons.length > 0) {
    throw new DomainError("MATERIAL_ON_HOLD", `${cmd.itemNumber} is on quality hold: ${facts.holdReasons.join("; ")}. It does not leave the site until quality releases the hold.`, {
      field: "itemNumber",
      holdReasons: facts.holdReasons,
    });
  }
  let unitSerial: string | null = null;
  const transferId = randomUUID();
  const number = transferNumber(transferId);
  if (at.unitId) {
    const unit = await lockUnitForFate(tx, siteId, at.unitId);
    if (!unit) throw new DomainError("NOT_FOUND", "That unit does not exist at this site.", {});
    if (unit.status !== "completed") {
      throw new DomainError("UNIT_NOT_COMPLETED", `Unit ${unit.serial} is ${unit.status.replace("_", " ")}: only a completed sub-assembly ships to another site.`, {
        unitSerial: unit.serial,
        status: unit.status,
      });
    }
    const contained = await activeHoldsInUnit(tx, siteId, unit.serialItemId);
    if (contained.length > 0) {
      throw new DomainError(
        "UNIT_CONTAINS_HELD_MATERIAL",
        `Unit ${unit.serial} contains held material: ${contained.map((h) => `${h.itemLabel} (hold: ${h.reason})`).join("; ")}. It must not leave until quality releases the hold.`,
        { unitSerial: unit.serial, holds: contained.map((h) => ({ holdId: h.holdId, reason: h.reason, target: h.targetLabel, item: h.itemLabel })) },
      );
    }
    await markUnitShipped(tx, siteId, unit.id, { at: now, to: `${toSite.name} (${toSite.code}), site transfer`, reference: number });
    unitSerial = unit.serial;
  }
  const transit = await virtualLocation(tx, siteId, "in_transit");
  if (!transit) throw new DomainError("NOT_FOUND", "This site has no in-transit location; ask an administrator to set up the site.", {});
  const reason = `Site transfer ${number} to ${toSite.code}`;
  const { movementId } = await postMovement(tx, {
    siteId,
    kind: "site_ship",
    requestId: cmd.requestId,
    actorUserId: actor.userId,
    occurredAt: now,
    reason,
    reference: { transfer: number, toSite: toSite.code, from: at.locationCode! },
    legs: [
      { ...item, locationId: at.locationId!, quantity: `-${quantity}` },
      { ...item, locationId: transit.id, quantity },
    ],
  });
  await insertTransfer(tx, {
    id: transferId,
    number,
    fromSiteId: siteId,
    toSiteId: toSite.id,
    partRevisionId: at.partRevisionId,
    fromLotId: at.lotId,
    fromSerialItemId: at.serialItemId,
    quantity,
    fromLocationId: at.locationId!,
    shippedAt: now,
    shippedBy: actor.userId,
    shipMovementId: movementId,
  });
  await writeAudit(tx, {
    siteId,
    actorUserId: actor.userId,
    actorName: actor.displayName,
    action: "transfers.ship",
    entity: "site_transfer",
    entityId: transferId,
    newValue: { number, toSite: toSite.code, part: at.partNumber, item: cmd.itemNumber, quantity, from: at.locationCode, movementId, unit: unitSerial },
    reason,
    requestId: cmd.requestId,
    occurredAt: now,
  });
  const payload = goodsMovement("303", facts, {
    plant: here!.erpPlant,
    order: null,
    quantity,
    postingDate: localDate(now, actor.timeZone),
    reference: movementId,
    fromLocation: at.locationCode!,
    transfer: number,
    issuingPlant: here!.erpPlant,
    receivingPlant: toSite.erpPlant,
  });
  await enqueueConfirmation(tx, siteId, { messageId: stableMessageId(siteId, actor.userId, cmd.requestId, "stock_transfer"), type: "stock_transfer", payload, at: now });
  return {
    transferId,
    number,
    toSiteCode: toSite.code,
    partNumber: at.partNumber,
    revision: at.revision,
    itemNumber: cmd.itemNumber,
    quantity,
    uom: at.uom,
    from: at.locationCode!,
    shippedAt: now.toISOString(),
    unitSerial,
  };
}
