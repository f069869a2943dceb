import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import * as s from "@/db/schema";
import type { DbOrTx } from "@/db/client";

/** Master-data reads and writes for the ERP mirror. Inputs are already validated and filtered by ownership. */

export async function partByNumber(db: DbOrTx, partNumber: string) {
  const [row] = await db.select().from(s.parts).where(eq(s.parts.partNumber, partNumber));
  return row ?? null;
}

export async function revisionByNumber(db: DbOrTx, partNumber: string, revision: string) {
  const [row] = await db
    .select({ id: s.partRevisions.id, partId: s.parts.id, tracking: s.parts.tracking, partNumber: s.parts.partNumber, revision: s.partRevisions.revision, uom: s.parts.uom })
    .from(s.partRevisions)
    .innerJoin(s.parts, eq(s.parts.id, s.partRevisions.partId))
    .where(and(eq(s.parts.partNumber, partNumber), eq(s.partRevisions.revision, revision)));
  return row ?? null;
}

/** Revisions for many (part, revision) pairs in one query; key "PN|REV". */
export async function revisionsByNumbers(db: DbOrTx, pairs: { partNumber: string; revision: string }[]) {
  const numbers = [...new Set(pairs.map((p) => p.partNumber))];
  if (numbers.length === 0) return new Map<string, { id: string; tracking: string }>();
  const rows = await db
    .select({ id: s.partRevisions.id, partNumber: s.parts.partNumber, revision: s.partRevisions.revision, tracking: s.parts.tracking })
    .from(s.partRevisions)
    .innerJoin(s.parts, eq(s.parts.id, s.partRevisions.partId))
    .where(inArray(s.parts.partNumber, numbers));
  return new Map(rows.map((r) => [`${r.partNumber}|${r.revision}`, { id: r.id, tracking: r.tracking }]));
}

export async function insertPart(db: DbOrTx, values: typeof s.parts.$inferInsert) {
  const [row] = await db.insert(s.parts).values(values).returning();
  return row!;
}

export async function updatePart(db: DbOrTx, id: string, values: Partial<typeof s.parts.$inferInsert>) {
  await db.update(s.parts).set(values).where(eq(s.parts.id, id));
}

export async function upsertRevisions(db: DbOrTx, partId: string, revisions: { revision: string; status?: string }[], erpVersion: number, writeStatus: boolean) {
  for (const r of revisions) {
    await db
      .insert(s.partRevisions)
      .values({ partId, revision: r.revision, status: r.status ?? "released", erpVersion })
      .onConflictDoUpdate({
        target: [s.partRevisions.partId, s.partRevisions.revision],
        set: writeStatus ? { status: r.status ?? "released", erpVersion } : { erpVersion },
      });
  }
}

/** Replace a BOM's lines in one statement pair (inside the caller's transaction: never visible half-applied). */
export async function replaceBom(db: DbOrTx, parentRevisionId: string, erpVersion: number, lines: Omit<typeof s.bomLines.$inferInsert, "bomId">[]) {
  const [bom] = await db
    .insert(s.boms)
    .values({ parentRevisionId, erpVersion })
    .onConflictDoUpdate({ target: s.boms.parentRevisionId, set: { erpVersion } })
    .returning({ id: s.boms.id });
  await db.delete(s.bomLines).where(eq(s.bomLines.bomId, bom!.id));
  if (lines.length > 0) await db.insert(s.bomLines).values(lines.map((l) => ({ ...l, bomId: bom!.id })));
  return bom!.id;
}

export async function bomLinesOf(db: DbOrTx, parentRevisionId: string) {
  return db
    .select({
      findNumber: s.bomLines.findNumber,
      componentRevisionId: s.bomLines.componentRevisionId,
      quantity: s.bomLines.quantity,
      operationSeq: s.bomLines.operationSeq,
      serialFrom: s.bomLines.serialFrom,
      serialTo: s.bomLines.serialTo,
      effectiveFrom: s.bomLines.effectiveFrom,
      effectiveTo: s.bomLines.effectiveTo,
      backflush: s.bomLines.backflush,
    })
    .from(s.bomLines)
    .innerJoin(s.boms, eq(s.boms.id, s.bomLines.bomId))
    .where(eq(s.boms.parentRevisionId, parentRevisionId));
}

export async function workCentersByCode(db: DbOrTx, siteId: string, codes: string[]) {
  if (codes.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ id: s.workCenters.id, code: s.workCenters.code })
    .from(s.workCenters)
    .where(and(eq(s.workCenters.siteId, siteId), inArray(s.workCenters.code, codes)));
  return new Map(rows.map((r) => [r.code, r.id]));
}

export async function replaceRouting(
  db: DbOrTx,
  siteId: string,
  routing: { code: string; partRevisionId: string; erpVersion: number },
  operations: Omit<typeof s.routingOperations.$inferInsert, "siteId" | "routingId">[],
) {
  const [row] = await db
    .insert(s.routings)
    .values({ siteId, code: routing.code, partRevisionId: routing.partRevisionId, erpVersion: routing.erpVersion })
    .onConflictDoUpdate({ target: [s.routings.siteId, s.routings.code], set: { partRevisionId: routing.partRevisionId, erpVersion: routing.erpVersion } })
    .returning({ id: s.routings.id });
  await db.delete(s.routingOperations).where(and(eq(s.routingOperations.siteId, siteId), eq(s.routingOperations.routingId, row!.id)));
  await db.insert(s.routingOperations).values(operations.map((o) => ({ ...o, siteId, routingId: row!.id })));
  return row!.id;
}

export async function routingFor(db: DbOrTx, siteId: string, by: { code?: string; partRevisionId: string }) {
  const [routing] = await db
    .select()
    .from(s.routings)
    .where(and(eq(s.routings.siteId, siteId), by.code ? eq(s.routings.code, by.code) : eq(s.routings.partRevisionId, by.partRevisionId)));
  if (!routing) return null;
  const operations = await db
    .select()
    .from(s.routingOperations)
    .where(and(eq(s.routingOperations.siteId, siteId), eq(s.routingOperations.routingId, routing.id)))
    .orderBy(s.routingOperations.seq);
  return { routing, operations };
}

/** authorisedSource: written only when given (the registry gives manufacturer.authorised_source to ERP and the message carries it). */
export async function upsertManufacturer(db: DbOrTx, code: string, name: string, erpVersion: number, writeName: boolean, authorisedSource?: boolean) {
  const flag = authorisedSource === undefined ? {} : { authorisedSource };
  const [row] = await db
    .insert(s.manufacturers)
    .values({ code, name, erpVersion, ...flag })
    .onConflictDoUpdate({ target: s.manufacturers.code, set: writeName ? { name, erpVersion, ...flag } : { erpVersion, ...flag } })
    .returning({ id: s.manufacturers.id });
  return row!.id;
}

export async function replaceAml(db: DbOrTx, partId: string, entries: { manufacturerId: string; status: "approved" | "disqualified" }[], erpVersion: number) {
  await db.delete(s.approvedManufacturers).where(eq(s.approvedManufacturers.partId, partId));
  if (entries.length > 0) await db.insert(s.approvedManufacturers).values(entries.map((e) => ({ ...e, partId, erpVersion })));
}

export async function upsertSupplier(db: DbOrTx, code: string, name: string, erpVersion: number, writeName: boolean, authorisedSource?: boolean) {
  const flag = authorisedSource === undefined ? {} : { authorisedSource };
  await db
    .insert(s.suppliers)
    .values({ code, name, erpVersion, ...flag })
    .onConflictDoUpdate({ target: s.suppliers.code, set: writeName ? { name, erpVersion, ...flag } : { erpVersion, ...flag } });
}

export async function manufacturerByCode(db: DbOrTx, code: string) {
  const [row] = await db.select().from(s.manufacturers).where(eq(s.manufacturers.code, code));
  return row ?? null;
}

export async function supplierByCode(db: DbOrTx, code: string) {
  const [row] = await db.select().from(s.suppliers).where(eq(s.suppliers.code, code));
  return row ?? null;
}

export async function locationByCode(db: DbOrTx, siteId: string, code: string) {
  const [row] = await db.select().from(s.storageLocations).where(and(eq(s.storageLocations.siteId, siteId), eq(s.storageLocations.code, code)));
  return row ?? null;
}

export async function locationOfKind(db: DbOrTx, siteId: string, kind: (typeof s.locationKind.enumValues)[number]) {
  const [row] = await db.select().from(s.storageLocations).where(and(eq(s.storageLocations.siteId, siteId), eq(s.storageLocations.kind, kind))).limit(1);
  return row ?? null;
}

export async function lotByNumber(db: DbOrTx, siteId: string, partRevisionId: string, lotNumber: string) {
  const [row] = await db
    .select()
    .from(s.lots)
    .where(and(eq(s.lots.siteId, siteId), eq(s.lots.partRevisionId, partRevisionId), eq(s.lots.lotNumber, lotNumber)))
    .for("update");
  return row ?? null;
}

export async function insertLot(db: DbOrTx, values: typeof s.lots.$inferInsert) {
  const [row] = await db.insert(s.lots).values(values).returning();
  return row!;
}

export async function updateLot(db: DbOrTx, siteId: string, id: string, values: Partial<typeof s.lots.$inferInsert>) {
  if (Object.keys(values).length > 0) await db.update(s.lots).set(values).where(and(eq(s.lots.siteId, siteId), eq(s.lots.id, id)));
}

export async function serialByNumber(db: DbOrTx, siteId: string, partRevisionId: string, serialNumber: string) {
  const [row] = await db
    .select()
    .from(s.serialItems)
    .where(and(eq(s.serialItems.siteId, siteId), eq(s.serialItems.partRevisionId, partRevisionId), eq(s.serialItems.serialNumber, serialNumber)))
    .for("update");
  return row ?? null;
}

export async function serialByUii(db: DbOrTx, siteId: string, uii: string) {
  const [row] = await db
    .select({ id: s.serialItems.id, serialNumber: s.serialItems.serialNumber })
    .from(s.serialItems)
    .where(and(eq(s.serialItems.siteId, siteId), eq(s.serialItems.uii, uii)));
  return row ?? null;
}

export async function insertSerial(db: DbOrTx, values: typeof s.serialItems.$inferInsert) {
  const [row] = await db.insert(s.serialItems).values(values).returning();
  return row!;
}

export async function updateSerial(db: DbOrTx, siteId: string, id: string, values: Partial<typeof s.serialItems.$inferInsert>) {
  if (Object.keys(values).length > 0) await db.update(s.serialItems).set(values).where(and(eq(s.serialItems.siteId, siteId), eq(s.serialItems.id, id)));
}

/** Physical on-hand of a serial (is it on the floor already?). */
export async function serialOnFloor(db: DbOrTx, siteId: string, serialItemId: string): Promise<boolean> {
  const rows = await db
    .select({ onHand: s.stockBalances.onHand })
    .from(s.stockBalances)
    .where(and(eq(s.stockBalances.siteId, siteId), eq(s.stockBalances.serialItemId, serialItemId), eq(s.stockBalances.isPhysical, true)));
  return rows.some((r) => r.onHand !== "0" && !/^0(\.0+)?$/.test(r.onHand));
}

export async function workOrderByNumber(db: DbOrTx, siteId: string, number: string) {
  const [row] = await db.select().from(s.workOrders).where(and(eq(s.workOrders.siteId, siteId), eq(s.workOrders.number, number))).for("update");
  return row ?? null;
}

export async function insertWorkOrder(db: DbOrTx, values: typeof s.workOrders.$inferInsert) {
  const [row] = await db.insert(s.workOrders).values(values).returning();
  return row!;
}

export async function updateWorkOrder(db: DbOrTx, siteId: string, id: string, values: Partial<typeof s.workOrders.$inferInsert>) {
  await db.update(s.workOrders).set(values).where(and(eq(s.workOrders.siteId, siteId), eq(s.workOrders.id, id)));
}

export async function freezeWorkOrder(
  db: DbOrTx,
  siteId: string,
  workOrderId: string,
  bom: Awaited<ReturnType<typeof bomLinesOf>>,
  operations: { seq: number; code: string; description: string; workCenterId: string; parameters: s.ParameterSpec[] }[],
) {
  if (bom.length > 0) {
    await db.insert(s.workOrderBomLines).values(
      bom.map((l) => ({
        siteId,
        workOrderId,
        findNumber: l.findNumber,
        componentRevisionId: l.componentRevisionId,
        quantityPerUnit: l.quantity,
        operationSeq: l.operationSeq,
        serialFrom: l.serialFrom,
        serialTo: l.serialTo,
        effectiveFrom: l.effectiveFrom,
        effectiveTo: l.effectiveTo,
        backflush: l.backflush,
      })),
    );
  }
  return db
    .insert(s.workOrderOperations)
    .values(operations.map((o) => ({ siteId, workOrderId, ...o })))
    .returning({ id: s.workOrderOperations.id, seq: s.workOrderOperations.seq });
}

export async function workOrderOperationsOf(db: DbOrTx, siteId: string, workOrderId: string) {
  return db
    .select({ id: s.workOrderOperations.id, seq: s.workOrderOperations.seq })
    .from(s.workOrderOperations)
    .where(and(eq(s.workOrderOperations.siteId, siteId), eq(s.workOrderOperations.workOrderId, workOrderId)));
}

export async function unitsOf(db: DbOrTx, siteId: string, workOrderId: string) {
  return db.select().from(s.units).where(and(eq(s.units.siteId, siteId), eq(s.units.workOrderId, workOrderId)));
}

/** Create units (serial item + unit + one unit operation per order operation) for new serials. */
export async function createUnits(
  db: DbOrTx,
  siteId: string,
  workOrder: { id: string; partRevisionId: string },
  serials: string[],
  operations: { id: string; seq: number }[],
) {
  if (serials.length === 0) return;
  const items = await db
    .insert(s.serialItems)
    .values(serials.map((serialNumber) => ({ siteId, partRevisionId: workOrder.partRevisionId, serialNumber, builtHere: true, inspectionStatus: "pending" as const })))
    .returning({ id: s.serialItems.id, serialNumber: s.serialItems.serialNumber });
  const units = await db
    .insert(s.units)
    .values(items.map((i) => ({ siteId, workOrderId: workOrder.id, serialItemId: i.id, serial: i.serialNumber })))
    .returning({ id: s.units.id });
  const unitOps = units.flatMap((u) => operations.map((o) => ({ siteId, unitId: u.id, workOrderOperationId: o.id, seq: o.seq })));
  if (unitOps.length > 0) await db.insert(s.unitOperations).values(unitOps);
}

export async function insertStockSnapshot(db: DbOrTx, values: typeof s.erpStockSnapshots.$inferInsert) {
  await db
    .insert(s.erpStockSnapshots)
    .values(values)
    .onConflictDoUpdate({ target: [s.erpStockSnapshots.siteId, s.erpStockSnapshots.snapshotKey], set: { takenAt: values.takenAt, lines: values.lines } });
}
