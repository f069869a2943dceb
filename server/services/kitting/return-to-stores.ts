import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { findLocation } from "@/server/repos/kitting";
import { idempotent } from "@/server/services/shared/idempotent";
import { assertStorageAllows } from "@/server/domain/material-clock/material-clock";
import { itemStorage, locationsByIds } from "@/server/repos/material-clock";
import { applyClockMoves } from "@/server/services/material-clock/clock-moves";
import { moveQuantity, moveStock, requireReason, stationPointOfUse, type StockItem } from "./station-stock";

export type ReturnToStoresCommand = { requestId: string; stationId: string; toLocationId: string; item: StockItem; quantity: string; reason: string };
export type MoveOutcome = { movementId: string; quantity: string; from: string; to: string };

/** Unused material goes back from a station's point of use to a stores location (ledger legs + audit). */
export async function returnToStores(db: DbOrTx, actor: Actor, cmd: ReturnToStoresCommand, now: Date): Promise<MoveOutcome> {
  return db.transaction(async (tx) => {
    const siteId = actor.siteId;
    return idempotent(tx, { siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "kitting.returnToStores", payload: cmd, now }, async () => {
      const quantity = moveQuantity(cmd.item, cmd.quantity);
      const reason = requireReason(cmd.reason);
      const pou = await stationPointOfUse(tx, siteId, cmd.stationId);
      const to = await findLocation(tx, siteId, cmd.toLocationId);
      if (!to) throw new DomainError("NOT_FOUND", "That location does not exist at this site.", { locationId: cmd.toLocationId });
      if (to.kind !== "stores") throw new DomainError("VALIDATION_FAILED", `${to.code} is not a stores location: return material to stores.`, { locationId: to.id });
      // only where the material's storage class allows (a freezer for frozen sealant), refused with the reason
      const places = await locationsByIds(tx, siteId, [pou.locationId, to.id]);
      const stored = await itemStorage(tx, siteId, cmd.item);
      assertStorageAllows(stored.name, stored.storageClass, places.get(to.id)!);
      const movementId = await moveStock(tx, actor, {
        kind: "return_to_stores",
        requestId: cmd.requestId,
        from: pou.locationId,
        to: to.id,
        item: cmd.item,
        quantity,
        reason,
        reference: { stationId: cmd.stationId, from: pou.locationCode, to: to.code },
        now,
        action: "stock.return_to_stores",
      });
      // back in its storage (all of the lot on the floor): its out-time clock stops
      await applyClockMoves(tx, actor, { movementId, now, moves: [{ lotId: cmd.item.lotId, from: places.get(pou.locationId)!, to: places.get(to.id)! }] });
      return { movementId, quantity, from: pou.locationCode, to: to.code };
    });
  });
}
