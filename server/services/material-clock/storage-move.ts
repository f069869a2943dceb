import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { readScan } from "@/server/domain/kitting/kit-rules";
import { assertTransferable } from "@/server/domain/kitting/station-moves";
import { consistentWithLabel, recordName } from "@/server/domain/label-check/label-vs-record";
import { assertStorageAllows, clockView, providedClass, type ClockView, type StorageClass } from "@/server/domain/material-clock/material-clock";
import { findScannedItems, loadCandidates } from "@/server/repos/kitting";
import { clockFromRow, findStorageLocation, itemStorage, stockOfItems } from "@/server/repos/material-clock";
import { toDate } from "@/server/repos/hold-flags";
import { idempotent } from "@/server/services/shared/idempotent";
import { moveQuantity, moveStock, type StockItem } from "@/server/services/kitting/station-stock";
import { applyClockMoves, type ClockChange } from "./clock-moves";

/** One place a scanned item is, with what the floor must see about it. */
export type ItemStock = {
  item: StockItem;
  partNumber: string;
  description: string;
  revision: string;
  uom: string;
  lotNumber: string | null;
  serialNumber: string | null;
  locationId: string;
  locationCode: string;
  locationName: string;
  stationCode: string | null;
  /** The class the location provides (a stores shelf without one: ambient); null: a work place. */
  locationClass: StorageClass | null;
  partStorageClass: StorageClass | null;
  onHand: string;
  available: string;
  expiresAt: Date | null;
  clock: ClockView | null;
};

/** Where a scanned lot, serial or part is on this site's floor, with its clocks (the storage move screen's first step). */
export async function findStockByScan(db: DbOrTx, actor: Actor, cmd: { scan: string }, now: Date): Promise<ItemStock[]> {
  const lookup = readScan(cmd.scan, now);
  const shown = lookup.lot ?? lookup.serial ?? lookup.partNumber ?? lookup.text ?? lookup.uii ?? cmd.scan.trim();
  const found = await findScannedItems(db, actor.siteId, lookup);
  if (found.length === 0) throw new DomainError("SCAN_NOT_RECOGNISED", `No lot, serial or part "${shown}" is known at ${actor.siteName}.`, { scanned: shown });
  const items = consistentWithLabel(found, lookup, actor.timeZone, recordName);
  const rows = await stockOfItems(db, actor.siteId, items);
  if (rows.length === 0) throw new DomainError("INSUFFICIENT_STOCK", `${shown} has no stock on this site's floor.`, { scanned: shown });
  return rows.map((r) => {
    const expiresAt = toDate(r.expires_at);
    const clock = clockFromRow(r, expiresAt, r.lot_id !== null);
    const on = Number(r.on_hand);
    return {
      item: { partRevisionId: r.part_revision_id, lotId: r.lot_id, serialItemId: r.serial_item_id },
      partNumber: r.part_number,
      description: r.description,
      revision: r.revision,
      uom: r.uom,
      lotNumber: r.lot_number,
      serialNumber: r.serial_number,
      locationId: r.location_id,
      locationCode: r.location_code,
      locationName: r.location_name,
      stationCode: r.station_code,
      locationClass: providedClass({ code: r.location_code, kind: r.location_kind, storageClass: r.location_storage_class }),
      partStorageClass: r.part_storage_class,
      onHand: r.on_hand,
      available: String(Math.max(0, on - Number(r.reserved))),
      expiresAt,
      clock: clock ? clockView(clock.clock, clock.policy, now) : null,
    };
  });
}

export type StorageMoveCommand = { requestId: string; item: StockItem; fromLocationId: string; toLocation: string; quantity: string; reason?: string };
export type StorageMoveOutcome = { movementId: string; quantity: string; from: string; to: string; clock: ClockChange | null };

const PLACES = new Set(["stores", "kitting", "kit_cart", "point_of_use", "quarantine"]);
const WORK_PLACES = new Set(["point_of_use", "kit_cart"]);

/**
 * Move material between physical locations by scan (the item, then the destination's label): only where its storage
 * class allows, refused with the reason; taken out of its storage its out-time clock starts (thawing too, from a
 * freezer), put back it stops (append-only clock events, the lot's projection, ledger legs and audit in one
 * transaction). Material going to a work place must be usable there (no hold, not expired, out-time left).
 */
export async function storageMove(db: DbOrTx, actor: Actor, cmd: StorageMoveCommand, now: Date): Promise<StorageMoveOutcome> {
  return db.transaction(async (tx) => {
    const siteId = actor.siteId;
    return idempotent(tx, { siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "stock.storageMove", payload: cmd, now }, async () => {
      const quantity = moveQuantity(cmd.item, cmd.quantity);
      const code = cmd.toLocation.trim();
      if (!code) throw new DomainError("VALIDATION_FAILED", "Scan or type the location the material goes to.", { field: "toLocation" });
      const from = await findStorageLocation(tx, siteId, { id: cmd.fromLocationId });
      if (!from || !from.isPhysical) throw new DomainError("NOT_FOUND", "The material's location does not exist at this site.", { fromLocationId: cmd.fromLocationId });
      const to = await findStorageLocation(tx, siteId, { code });
      if (!to) throw new DomainError("NOT_FOUND", `There is no location ${code} at ${actor.siteName}.`, { field: "toLocation", toLocation: code });
      if (!PLACES.has(to.kind)) throw new DomainError("VALIDATION_FAILED", `${to.code} is not a place material can be put.`, { field: "toLocation" });
      if (to.id === from.id) throw new DomainError("VALIDATION_FAILED", `The material is already at ${to.code}.`, { field: "toLocation" });
      const stored = await itemStorage(tx, siteId, cmd.item);
      assertStorageAllows(stored.name, stored.storageClass, to);
      if (WORK_PLACES.has(to.kind)) {
        const { candidates } = await loadCandidates(tx, siteId, {
          partRevisionIds: [cmd.item.partRevisionId],
          lotId: cmd.item.lotId,
          serialItemId: cmd.item.serialItemId,
          untrackedOnly: !cmd.item.lotId && !cmd.item.serialItemId,
          locationId: from.id,
          anyLocationKind: true,
        });
        for (const c of candidates) assertTransferable(c, now, actor.timeZone);
      }
      const reason = cmd.reason?.trim() || `Storage move ${from.code} to ${to.code}`;
      const movementId = await moveStock(tx, actor, {
        kind: "transfer",
        requestId: cmd.requestId,
        from: from.id,
        to: to.id,
        item: cmd.item,
        quantity,
        reason,
        reference: { from: from.code, to: to.code },
        now,
        action: "stock.storage_move",
      });
      const [change] = await applyClockMoves(tx, actor, { movementId, now, moves: [{ lotId: cmd.item.lotId, from, to }] });
      return { movementId, quantity, from: from.code, to: to.code, clock: change ?? null };
    });
  });
}
