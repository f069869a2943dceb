import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { assertTransferable } from "@/server/domain/kitting/station-moves";
import { loadCandidates } from "@/server/repos/kitting";
import { idempotent } from "@/server/services/shared/idempotent";
import { moveQuantity, moveStock, requireReason, stationPointOfUse, type StockItem } from "./station-stock";
import type { MoveOutcome } from "./return-to-stores";

export type TransferCommand = { requestId: string; fromStationId: string; toStationId: string; item: StockItem; quantity: string; reason: string };

/**
 * Material staged at one station moves to another station's point of use (ledger legs + audit). Held or expired
 * material is refused with its reason: it goes back to stores instead (returnToStores allows it).
 */
export async function transferBetweenStations(db: DbOrTx, actor: Actor, cmd: TransferCommand, now: Date): Promise<MoveOutcome> {
  return db.transaction(async (tx) => {
    const siteId = actor.siteId;
    return idempotent(tx, { siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "kitting.transferBetweenStations", payload: cmd, now }, async () => {
      const quantity = moveQuantity(cmd.item, cmd.quantity);
      const reason = requireReason(cmd.reason);
      if (cmd.fromStationId === cmd.toStationId) throw new DomainError("VALIDATION_FAILED", "Choose a different station to transfer to.", { field: "toStationId" });
      const from = await stationPointOfUse(tx, siteId, cmd.fromStationId);
      const to = await stationPointOfUse(tx, siteId, cmd.toStationId);
      const { candidates } = await loadCandidates(tx, siteId, {
        partRevisionIds: [cmd.item.partRevisionId],
        lotId: cmd.item.lotId,
        serialItemId: cmd.item.serialItemId,
        untrackedOnly: !cmd.item.lotId && !cmd.item.serialItemId,
        locationId: from.locationId,
        anyLocationKind: true,
      });
      // no balance there: the ledger refuses the move as insufficient stock
      for (const c of candidates) assertTransferable(c, now, actor.timeZone);
      const movementId = await moveStock(tx, actor, {
        kind: "transfer",
        requestId: cmd.requestId,
        from: from.locationId,
        to: to.locationId,
        item: cmd.item,
        quantity,
        reason,
        reference: { fromStation: from.stationCode, toStation: to.stationCode },
        now,
        action: "stock.transfer_between_stations",
      });
      return { movementId, quantity, from: from.locationCode, to: to.locationCode };
    });
  });
}
