import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { queryRows, type DbOrTx, type Tx } from "@/db/client";
import { partRevisions, parts, unitOperations, units, workOrders } from "@/db/schema";
import { activeHoldReasons, isoUtc, toDate } from "./hold-flags";

/*
 * A unit's fate once it leaves the floor: shipped to a customer or scrapped as a whole. Site-scoped reads and writes of
 * the unit row, its operations and where its serial is in stock.
 */

export type LockedUnit = {
  id: string;
  serial: string;
  serialItemId: string;
  status: "planned" | "in_progress" | "completed" | "scrapped" | "shipped";
  workOrderId: string;
  workOrderNumber: string;
  workOrderStatus: string;
  partRevisionId: string;
  partNumber: string;
  revision: string;
  uom: string;
  shippedAt: Date | null;
  shippedTo: string | null;
  shipmentReference: string | null;
  scrappedAt: Date | null;
  scrapReason: string | null;
};

/**
 * Lock a unit for a change of its fate: first its operation rows in sequence (the order the station locks them in
 * before it touches the unit, so an install or completion in flight finishes first and none starts until this commits),
 * then the unit row. Null when the unit is not of this site.
 */
export async function lockUnitForFate(tx: Tx, siteId: string, unitId: string): Promise<LockedUnit | null> {
  await tx
    .select({ id: unitOperations.id })
    .from(unitOperations)
    .where(and(eq(unitOperations.siteId, siteId), eq(unitOperations.unitId, unitId)))
    .orderBy(asc(unitOperations.seq))
    .for("update");
  const [row] = await tx
    .select({
      id: units.id,
      serial: units.serial,
      serialItemId: units.serialItemId,
      status: units.status,
      workOrderId: units.workOrderId,
      workOrderNumber: workOrders.number,
      workOrderStatus: workOrders.status,
      partRevisionId: workOrders.partRevisionId,
      partNumber: parts.partNumber,
      revision: partRevisions.revision,
      uom: parts.uom,
      shippedAt: units.shippedAt,
      shippedTo: units.shippedTo,
      shipmentReference: units.shipmentReference,
      scrappedAt: units.scrappedAt,
      scrapReason: units.scrapReason,
    })
    .from(units)
    .innerJoin(workOrders, and(eq(workOrders.siteId, units.siteId), eq(workOrders.id, units.workOrderId)))
    .innerJoin(partRevisions, eq(partRevisions.id, workOrders.partRevisionId))
    .innerJoin(parts, eq(parts.id, partRevisions.partId))
    .where(and(eq(units.siteId, siteId), eq(units.id, unitId)))
    .for("update", { of: units });
  return row ?? null;
}

/** The unit's operations in sequence (read after lockUnitForFate). */
export async function unitOperationStates(db: DbOrTx, siteId: string, unitId: string): Promise<{ seq: number; status: "pending" | "in_progress" | "completed" }[]> {
  return db
    .select({ seq: unitOperations.seq, status: unitOperations.status })
    .from(unitOperations)
    .where(and(eq(unitOperations.siteId, siteId), eq(unitOperations.unitId, unitId)))
    .orderBy(asc(unitOperations.seq));
}

/** The physical location holding a serial now (on hand 1), with its kind; null when it is in no physical location. */
export async function serialStockLocation(db: DbOrTx, siteId: string, serialItemId: string): Promise<{ id: string; code: string; kind: string } | null> {
  const rows = await queryRows<{ id: string; code: string; kind: string }>(
    db,
    sql`select l.id, l.code, l.kind::text as kind from stock_balances b join storage_locations l on l.site_id = b.site_id and l.id = b.location_id
        where b.site_id = ${siteId} and b.serial_item_id = ${serialItemId}::uuid and b.on_hand > 0 and b.is_physical
        order by l.code limit 1`,
  );
  return rows[0] ?? null;
}

/** The unit (if any) whose own serial this is: a unit built here. */
export async function unitOfSerial(db: DbOrTx, siteId: string, serialItemId: string): Promise<{ unitId: string; serial: string } | null> {
  const [row] = await db
    .select({ unitId: units.id, serial: units.serial })
    .from(units)
    .where(and(eq(units.siteId, siteId), eq(units.serialItemId, serialItemId)));
  return row ?? null;
}

export async function markUnitShipped(tx: Tx, siteId: string, unitId: string, v: { at: Date; to: string; reference: string }): Promise<void> {
  await tx
    .update(units)
    .set({ status: "shipped", shippedAt: v.at, shippedTo: v.to, shipmentReference: v.reference })
    .where(and(eq(units.siteId, siteId), eq(units.id, unitId)));
}

export async function markUnitScrapped(tx: Tx, siteId: string, unitId: string, v: { at: Date; reason: string }): Promise<void> {
  await tx
    .update(units)
    .set({ status: "scrapped", scrappedAt: v.at, scrapReason: v.reason })
    .where(and(eq(units.siteId, siteId), eq(units.id, unitId)));
}

export type FinishedUnitRow = {
  unitId: string;
  serial: string;
  serialItemId: string;
  partNumber: string;
  revision: string;
  description: string;
  workOrderNumber: string;
  completedAt: Date | null;
  locationCode: string;
  /** reasons of the active holds covering the unit's serial (empty when it may ship) */
  holdReasons: string[];
};

/** Completed units whose serial is in a stores location now: what can be shipped (held ones flagged), by serial. */
export async function listFinishedUnitsInStores(db: DbOrTx, siteId: string): Promise<FinishedUnitRow[]> {
  const holds = activeHoldReasons({
    siteId: sql`u.site_id`,
    partRevisionId: sql`si.part_revision_id`,
    lotId: null,
    serialItemId: sql`si.id`,
    manufacturerId: sql`si.manufacturer_id`,
    supplierId: sql`si.supplier_id`,
  });
  const rows = await queryRows<{
    unit_id: string;
    serial: string;
    serial_item_id: string;
    part_number: string;
    revision: string;
    description: string;
    wo_number: string;
    completed_at: string | null;
    location_code: string;
    hold_reasons: string[] | null;
  }>(
    db,
    sql`select u.id as unit_id, u.serial, u.serial_item_id, p.part_number, pr.revision, p.description, wo.number as wo_number,
               ${isoUtc(sql`u.completed_at`)} as completed_at, l.code as location_code, ${holds} as hold_reasons
        from units u
        join serial_items si on si.site_id = u.site_id and si.id = u.serial_item_id
        join part_revisions pr on pr.id = si.part_revision_id
        join parts p on p.id = pr.part_id
        join work_orders wo on wo.site_id = u.site_id and wo.id = u.work_order_id
        join stock_balances b on b.site_id = u.site_id and b.serial_item_id = u.serial_item_id and b.on_hand > 0
        join storage_locations l on l.site_id = b.site_id and l.id = b.location_id and l.kind = 'stores'
        where u.site_id = ${siteId} and u.status = 'completed'
        order by p.part_number, u.serial
        limit 500`,
  );
  return rows.map((r) => ({
    unitId: r.unit_id,
    serial: r.serial,
    serialItemId: r.serial_item_id,
    partNumber: r.part_number,
    revision: r.revision,
    description: r.description,
    workOrderNumber: r.wo_number,
    completedAt: toDate(r.completed_at),
    locationCode: r.location_code,
    holdReasons: r.hold_reasons ?? [],
  }));
}
