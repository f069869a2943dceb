import Decimal from "decimal.js";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import * as s from "../schema";
import { queryRows } from "../client";
import type { Actor, Role } from "@/server/auth/types";
import { createPlant, type BuiltUnit, type Plant } from "./genealogy-fixtures";
import { createTestPart, createTestSerial } from "./factories";

/*
 * Station fixtures: a plant with a second station at the same work center and a third at another one, work orders
 * with chosen operations (work center, parameter limits) and BOM lines (effectivity, backflush), operator actors,
 * and the row counts a refusal must leave unchanged.
 */

export type StationPlant = Plant & { station2Id: string; pou2: string; otherWorkCenterId: string; station3Id: string; pou3: string };

export async function createStationPlant(db: DbOrTx, code?: string): Promise<StationPlant> {
  const plant = await createPlant(db, code);
  const [st2] = await db.insert(s.stations).values({ siteId: plant.siteId, workCenterId: plant.workCenterId, code: "ST2", name: "Station 2" }).returning();
  const [pou2] = await db
    .insert(s.storageLocations)
    .values({ siteId: plant.siteId, code: "POU-ST2", name: "Point of use ST2", kind: "point_of_use", isPhysical: true, stationId: st2!.id })
    .returning();
  const [area] = await db.select({ id: s.areas.id }).from(s.areas).where(sql`${s.areas.siteId} = ${plant.siteId}`);
  const [wc2] = await db.insert(s.workCenters).values({ siteId: plant.siteId, areaId: area!.id, code: "WC2", name: "Bench 2" }).returning();
  const [st3] = await db.insert(s.stations).values({ siteId: plant.siteId, workCenterId: wc2!.id, code: "ST3", name: "Station 3" }).returning();
  const [pou3] = await db
    .insert(s.storageLocations)
    .values({ siteId: plant.siteId, code: "POU-ST3", name: "Point of use ST3", kind: "point_of_use", isPhysical: true, stationId: st3!.id })
    .returning();
  return { ...plant, station2Id: st2!.id, pou2: pou2!.id, otherWorkCenterId: wc2!.id, station3Id: st3!.id, pou3: pou3!.id };
}

/** The operator of the plant as an Actor (roles: operator unless given). */
export function operatorActor(plant: Plant, roles: Role[] = ["operator"]): Actor {
  return { ...plant.actor(roles), userId: plant.operatorId, displayName: "Test Operator" };
}

export type OpSpec = { seq: number; workCenterId?: string; parameters?: { name: string; unit: string; min?: string; max?: string }[] };
export type BomSpec = { find: number; partRevisionId: string; qty: string; op: number; serialFrom?: string; serialTo?: string; backflush?: boolean };

/** A released work order for `serials` of a new serial-tracked assembly, with the given operations and frozen BOM. */
export async function createStationOrder(
  db: DbOrTx,
  plant: Plant,
  opts: { number: string; serials: string[]; ops?: OpSpec[]; bom: BomSpec[]; status?: "released" | "in_progress" | "completed" | "closed" },
): Promise<{ workOrderId: string; partRevisionId: string; units: BuiltUnit[] }> {
  const rev = await createTestPart(db, "serial", { description: `Assembly ${opts.number}` });
  const [wo] = await db
    .insert(s.workOrders)
    .values({ siteId: plant.siteId, number: opts.number, partRevisionId: rev.revisionId, quantity: opts.serials.length, status: opts.status ?? "released", dueDate: "2026-12-01" })
    .returning();
  const ops = await db
    .insert(s.workOrderOperations)
    .values(
      (opts.ops ?? [{ seq: 10 }, { seq: 20 }]).map((o) => ({
        siteId: plant.siteId,
        workOrderId: wo!.id,
        seq: o.seq,
        code: `OP${o.seq}`,
        description: `Operation ${o.seq}`,
        workCenterId: o.workCenterId ?? plant.workCenterId,
        parameters: o.parameters ?? [],
      })),
    )
    .returning();
  if (opts.bom.length > 0) {
    await db.insert(s.workOrderBomLines).values(
      opts.bom.map((l) => ({
        siteId: plant.siteId,
        workOrderId: wo!.id,
        findNumber: l.find,
        componentRevisionId: l.partRevisionId,
        quantityPerUnit: l.qty,
        operationSeq: l.op,
        serialFrom: l.serialFrom ?? null,
        serialTo: l.serialTo ?? null,
        backflush: l.backflush ?? false,
      })),
    );
  }
  const units: BuiltUnit[] = [];
  for (const serial of opts.serials) {
    const item = await createTestSerial(db, plant.siteId, rev.revisionId, { serialNumber: serial, builtHere: true });
    const [u] = await db.insert(s.units).values({ siteId: plant.siteId, workOrderId: wo!.id, serialItemId: item.id, serial, status: "planned" }).returning();
    for (const op of ops) {
      await db.insert(s.unitOperations).values({ siteId: plant.siteId, unitId: u!.id, workOrderOperationId: op.id, seq: op.seq, status: "pending" });
    }
    units.push({ unitId: u!.id, serialItemId: item.id, serial, workOrderId: wo!.id });
  }
  return { workOrderId: wo!.id, partRevisionId: rev.revisionId, units };
}

export type RowCounts = { movements: number; legs: number; edges: number; outbox: number; audit: number; requests: number; closedEdges: number };

/** Row counts of everything a station action writes: a refusal leaves them all unchanged. */
export async function rowCounts(db: DbOrTx): Promise<RowCounts> {
  const [r] = await queryRows<RowCounts>(
    db,
    sql`select (select count(*)::int from movements) as movements, (select count(*)::int from movement_legs) as legs,
               (select count(*)::int from genealogy_edges) as edges, (select count(*)::int from erp_outbox) as outbox,
               (select count(*)::int from audit_log) as audit, (select count(*)::int from request_log) as requests,
               (select count(*)::int from genealogy_edges where removed_at is not null) as "closedEdges"`,
  );
  return r!;
}

/** On hand of an item at a location ("0" when it has no balance there). */
export async function onHandAt(db: DbOrTx, siteId: string, locationId: string, item: { partRevisionId: string; lotId?: string | null; serialItemId?: string | null }): Promise<string> {
  const rows = await queryRows<{ on_hand: string }>(
    db,
    sql`select on_hand::text as on_hand from stock_balances where site_id = ${siteId} and location_id = ${locationId}::uuid
        and part_revision_id = ${item.partRevisionId}::uuid and lot_id is not distinct from ${item.lotId ?? null}::uuid
        and serial_item_id is not distinct from ${item.serialItemId ?? null}::uuid`,
  );
  return rows[0] ? new Decimal(rows[0].on_hand).toFixed() : "0";
}
