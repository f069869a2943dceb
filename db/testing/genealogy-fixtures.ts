import { and, eq } from "drizzle-orm";
import type { DbOrTx, Tx } from "../client";
import * as s from "../schema";
import { postMovement } from "@/server/repos/ledger";
import type { Actor, Role } from "@/server/auth/types";
import { createTestPart, createTestSerial, createTestSite, createTestUser, type TestSite } from "./factories";

/*
 * Genealogy fixtures for read-side tests, until consumption at the station exists: work orders with units, installs
 * (a ledger movement point of use -> consumed plus its genealogy edge), removals in rework (compensating movement,
 * edge closed) and completions (production -> a physical location). Every stock change goes through postMovement.
 */

export type Material = { partRevisionId: string; lotId: string | null; serialItemId: string | null };

export type BuiltUnit = { unitId: string; serialItemId: string; serial: string; workOrderId: string };

export type Plant = TestSite & { operatorId: string; qualityId: string; actor(roles?: Role[]): Actor };

export async function createPlant(db: DbOrTx, code?: string): Promise<Plant> {
  const site = await createTestSite(db, code);
  const operator = await createTestUser(db, site.siteId, "operator");
  const quality = await createTestUser(db, site.siteId, "quality_engineer");
  return {
    ...site,
    operatorId: operator.id,
    qualityId: quality.id,
    actor: (roles: Role[] = ["quality_engineer"]) => ({
      userId: quality.id,
      displayName: "Test User",
      siteId: site.siteId,
      siteCode: site.code,
      siteName: `Test site ${site.code}`,
      timeZone: "America/Chicago",
      locale: "en" as const,
      roles,
      sites: [{ id: site.siteId, code: site.code, name: `Test site ${site.code}`, timeZone: "America/Chicago", roles }],
    }),
  };
}

/** A work order for `serials.length` units of a new assembly part, with operations 10 and 20 and the given BOM lines. */
export async function createWorkOrder(
  tx: DbOrTx,
  plant: Plant,
  opts: {
    number: string;
    serials: string[];
    partRevisionId?: string;
    bom?: { find: number; partRevisionId: string; qty: string; op: number; serialFrom?: string; serialTo?: string }[];
    parameterSpecs?: { name: string; unit: string }[];
  },
): Promise<{ workOrderId: string; partRevisionId: string; units: BuiltUnit[] }> {
  const revId = opts.partRevisionId ?? (await createTestPart(tx, "serial", { description: `Assembly ${opts.number}` })).revisionId;
  const [wo] = await tx
    .insert(s.workOrders)
    .values({ siteId: plant.siteId, number: opts.number, partRevisionId: revId, quantity: opts.serials.length, dueDate: "2026-12-01", releasedAt: new Date("2026-11-01T12:00:00Z") })
    .returning();
  const woId = wo!.id;
  const ops = await tx
    .insert(s.workOrderOperations)
    .values(
      [10, 20].map((seq) => ({
        siteId: plant.siteId,
        workOrderId: woId,
        seq,
        code: seq === 10 ? "ASM" : "TRQ",
        description: seq === 10 ? "Assemble" : "Torque and close",
        workCenterId: plant.workCenterId,
        parameters: seq === 20 ? (opts.parameterSpecs ?? []) : [],
      })),
    )
    .returning();
  if (opts.bom && opts.bom.length > 0) {
    await tx.insert(s.workOrderBomLines).values(
      opts.bom.map((l) => ({
        siteId: plant.siteId,
        workOrderId: woId,
        findNumber: l.find,
        componentRevisionId: l.partRevisionId,
        quantityPerUnit: l.qty,
        operationSeq: l.op,
        serialFrom: l.serialFrom ?? null,
        serialTo: l.serialTo ?? null,
      })),
    );
  }
  const units: BuiltUnit[] = [];
  for (const serial of opts.serials) {
    const item = await createTestSerial(tx, plant.siteId, revId, { serialNumber: serial, builtHere: true });
    const [u] = await tx.insert(s.units).values({ siteId: plant.siteId, workOrderId: woId, serialItemId: item.id, serial, status: "in_progress" }).returning();
    for (const op of ops) {
      await tx.insert(s.unitOperations).values({ siteId: plant.siteId, unitId: u!.id, workOrderOperationId: op.id, seq: op.seq, status: "pending" });
    }
    units.push({ unitId: u!.id, serialItemId: item.id, serial, workOrderId: woId });
  }
  return { workOrderId: woId, partRevisionId: revId, units };
}

/** ERP issues material to the point of use (lots: any quantity; serials: one). */
export async function issueToPointOfUse(tx: Tx, plant: Plant, m: Material, quantity: string, at: Date): Promise<void> {
  await postMovement(tx, {
    siteId: plant.siteId,
    kind: "receive_from_erp",
    occurredAt: at,
    legs: [
      { ...m, locationId: plant.loc.erp_supply, quantity: `-${quantity}` },
      { ...m, locationId: plant.loc.point_of_use, quantity },
    ],
  });
}

/** Install material into a unit at an operation: a consume movement and its genealogy edge. Returns the edge id. */
export async function install(
  tx: Tx,
  plant: Plant,
  unit: BuiltUnit,
  m: Material,
  opts: { quantity?: string; at: Date; op?: number; find?: number; parameters?: Record<string, string> },
): Promise<string> {
  const quantity = opts.quantity ?? "1";
  const { movementId } = await postMovement(tx, {
    siteId: plant.siteId,
    kind: "consume",
    actorUserId: plant.operatorId,
    occurredAt: opts.at,
    legs: [
      { ...m, locationId: plant.loc.point_of_use, quantity: `-${quantity}` },
      { ...m, locationId: plant.loc.consumed, quantity },
    ],
  });
  const [edge] = await tx
    .insert(s.genealogyEdges)
    .values({
      siteId: plant.siteId,
      parentSerialItemId: unit.serialItemId,
      parentUnitId: unit.unitId,
      childPartRevisionId: m.partRevisionId,
      childSerialItemId: m.serialItemId,
      childLotId: m.lotId,
      quantity,
      findNumber: opts.find ?? null,
      operationSeq: opts.op ?? 10,
      operatorUserId: plant.operatorId,
      stationId: plant.stationId,
      installedAt: opts.at,
      parameters: opts.parameters ?? {},
      movementId,
    })
    .returning();
  return edge!.id;
}

/** Take installed material out in rework: consumed -> point of use, the edge closed with who, when, why. */
export async function removeInstalled(tx: Tx, plant: Plant, edgeId: string, opts: { at: Date; reason: string }): Promise<void> {
  const [edge] = await tx.select().from(s.genealogyEdges).where(and(eq(s.genealogyEdges.siteId, plant.siteId), eq(s.genealogyEdges.id, edgeId)));
  if (!edge) throw new Error("removeInstalled: no such edge");
  const m = { partRevisionId: edge.childPartRevisionId, lotId: edge.childLotId, serialItemId: edge.childSerialItemId };
  const { movementId } = await postMovement(tx, {
    siteId: plant.siteId,
    kind: "remove",
    actorUserId: plant.qualityId,
    occurredAt: opts.at,
    reason: opts.reason,
    legs: [
      { ...m, locationId: plant.loc.consumed, quantity: `-${edge.quantity}` },
      { ...m, locationId: plant.loc.point_of_use, quantity: edge.quantity },
    ],
  });
  await tx
    .update(s.genealogyEdges)
    .set({ removedAt: opts.at, removedBy: plant.qualityId, removalReason: opts.reason, removalMovementId: movementId })
    .where(and(eq(s.genealogyEdges.siteId, plant.siteId), eq(s.genealogyEdges.id, edgeId)));
}

/** Mark operations done (status only; installs are separate). */
export async function completeOperations(tx: Tx, plant: Plant, unit: BuiltUnit, seqs: number[], at: Date): Promise<void> {
  for (const seq of seqs) {
    await tx
      .update(s.unitOperations)
      .set({ status: "completed", startedAt: at, completedAt: at, completedBy: plant.operatorId, stationId: plant.stationId })
      .where(and(eq(s.unitOperations.siteId, plant.siteId), eq(s.unitOperations.unitId, unit.unitId), eq(s.unitOperations.seq, seq)));
  }
}

/** Complete a unit: production -> `to` (stores, or the point of use where its parent will consume it). */
export async function completeUnit(tx: Tx, plant: Plant, unit: BuiltUnit, revId: string, to: string, at: Date): Promise<void> {
  await completeOperations(tx, plant, unit, [10, 20], at);
  const m = { partRevisionId: revId, lotId: null, serialItemId: unit.serialItemId };
  await postMovement(tx, {
    siteId: plant.siteId,
    kind: "complete",
    occurredAt: at,
    legs: [
      { ...m, locationId: plant.loc.production, quantity: "-1" },
      { ...m, locationId: to, quantity: "1" },
    ],
  });
  await tx.update(s.units).set({ status: "completed", completedAt: at }).where(and(eq(s.units.siteId, plant.siteId), eq(s.units.id, unit.unitId)));
}
