import "server-only";
import type { DbOrTx, Tx } from "@/db/client";
import type { Actor, Role } from "@/server/auth/types";
import Decimal from "decimal.js";
import { DomainError } from "@/server/domain/shared/errors";
import { localDate } from "@/server/domain/kitting/dates";
import { goodsMovement } from "@/server/domain/station/station-rules";
import { enqueueConfirmation, findLocationOfSite, firstLocationOfKind, itemFactsAt, siteErpPlant, stableMessageId } from "@/server/repos/station-work";
import { unitOfSerial } from "@/server/repos/unit-fate";
import { idempotent } from "@/server/services/shared/idempotent";
import { requireRole } from "@/server/services/shared/require-role";
import { moveQuantity, moveStock, requireReason, type StockItem } from "./station-stock";

export type ReturnToErpCommand = {
  requestId: string;
  /** A stores, kitting, quarantine or point-of-use location of the site. */
  fromLocationId: string;
  item: StockItem;
  /** Decimal text; 1 for a serial. */
  quantity: string;
  reason: string;
};

export type ReturnToErpOutcome = {
  movementId: string;
  quantity: string;
  uom: string;
  from: string;
  to: string;
  partNumber: string;
  revision: string;
  lotNumber: string | null;
  serialNumber: string | null;
  /** a quality hold covers it: ERP receives it as blocked stock, with the hold's reasons */
  onHold: boolean;
};

/** Who sends material back to the ERP warehouse: the kitting clerk (stores) or the supervisor. */
export const RETURN_TO_ERP_ROLES: readonly Role[] = ["kitting_clerk", "supervisor"];

/** The Traceline locations material goes back to the ERP warehouse from. */
const RETURNABLE_FROM = new Set(["stores", "kitting", "quarantine", "point_of_use"]);

/**
 * Send a lot quantity, an untracked quantity or a serial from a Traceline location back to the ERP warehouse: the
 * material moves to the site's virtual `returned_to_erp` location (ledger movement "return_to_erp"), with an audit row
 * and ERP's transfer back to its warehouse storage location (SAP-style 311), in one transaction. Held material may go
 * back: it goes as blocked stock with the hold's reasons. Refused when the quantity is not free at the location
 * (INSUFFICIENT_STOCK: reserved picks stay), and for a unit built here (a finished unit leaves by shipment or scrap).
 */
export async function returnToErp(db: DbOrTx, actor: Actor, cmd: ReturnToErpCommand, now: Date): Promise<ReturnToErpOutcome> {
  return db.transaction(async (tx) => {
    requireRole(actor, RETURN_TO_ERP_ROLES, "return material to ERP");
    return idempotent(tx, { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "kitting.returnToErp", payload: cmd, now }, () =>
      giveBack(tx, actor, cmd, now),
    );
  });
}

async function giveBack(tx: Tx, actor: Actor, cmd: ReturnToErpCommand, now: Date): Promise<ReturnToErpOutcome> {
  const siteId = actor.siteId;
  const quantity = moveQuantity(cmd.item, cmd.quantity);
  const reason = requireReason(cmd.reason);
  const from = await findLocationOfSite(tx, siteId, cmd.fromLocationId);
  if (!from) throw new DomainError("NOT_FOUND", "That location does not exist at this site.", { locationId: cmd.fromLocationId });
  if (!RETURNABLE_FROM.has(from.kind)) {
    throw new DomainError("VALIDATION_FAILED", `Material goes back to ERP from stores, kitting, quarantine or a point of use, not from ${from.code}.`, { field: "fromLocationId" });
  }
  const to = await firstLocationOfKind(tx, siteId, "returned_to_erp");
  if (!to) throw new DomainError("NOT_FOUND", "This site has no returned-to-ERP location; ask an administrator to set up the site.", {});
  const facts = await itemFactsAt(tx, siteId, cmd.item, from.id);
  if (!facts) throw new DomainError("NOT_FOUND", "That material does not exist at this site.", {});
  if (cmd.item.serialItemId) {
    const unit = await unitOfSerial(tx, siteId, cmd.item.serialItemId);
    if (unit) {
      throw new DomainError("VALIDATION_FAILED", `${unit.serial} is a unit built here: ship it (Ship finished units) or scrap it, rather than returning it to ERP.`, { unitSerial: unit.serial });
    }
  }
  const name = facts.serialNumber ? `serial ${facts.serialNumber}` : facts.lotNumber ? `lot ${facts.lotNumber}` : `${facts.partNumber} rev ${facts.revision}`;
  const movementId = await moveStock(tx, actor, {
    kind: "return_to_erp",
    requestId: cmd.requestId,
    from: from.id,
    to: to.id,
    item: cmd.item,
    quantity,
    reason,
    reference: { from: from.code, to: to.code },
    now,
    action: "stock.return_to_erp",
  }).catch((e: unknown) => {
    if (e instanceof DomainError && e.code === "INSUFFICIENT_STOCK") {
      const free = Decimal.max(new Decimal(facts.onHand).minus(facts.reserved), 0);
      const reserved = new Decimal(facts.reserved);
      throw new DomainError(
        "INSUFFICIENT_STOCK",
        `There is not ${quantity} ${facts.uom} of ${name} at ${from.code} to return: ${free.toFixed()} ${facts.uom} free${reserved.gt(0) ? ` (${reserved.toFixed()} reserved for kits)` : ""}.`,
        { ...e.details, free: free.toFixed(), requested: quantity },
      );
    }
    throw e;
  });
  const onHold = facts.holdReasons.length > 0;
  const payload = goodsMovement("311", facts, {
    plant: await siteErpPlant(tx, siteId),
    order: null,
    quantity,
    postingDate: localDate(now, actor.timeZone),
    reference: movementId,
    reason,
    fromLocation: from.code,
    stockType: onHold ? "blocked" : "unrestricted",
    ...(onHold ? { holdReasons: facts.holdReasons } : {}),
  });
  await enqueueConfirmation(tx, siteId, { messageId: stableMessageId(siteId, actor.userId, cmd.requestId, "return"), type: "return", payload, at: now });
  return {
    movementId,
    quantity,
    uom: facts.uom,
    from: from.code,
    to: to.code,
    partNumber: facts.partNumber,
    revision: facts.revision,
    lotNumber: facts.lotNumber,
    serialNumber: facts.serialNumber,
    onHold,
  };
}
