import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart } from "@/db/testing/factories";
import { issueToPointOfUse } from "@/db/testing/genealogy-fixtures";
import { createStationOrder, createStationPlant, operatorActor } from "@/db/testing/station-fixtures";
import * as s from "@/db/schema";
import type { Tx } from "@/db/client";
import { consumeComponent } from "@/server/services/station/consume-component";
import { readWipBoard, type WipBoard, type WipTile } from "./read-board";
import { readWipFigures } from "./read-figures";

/*
 * The WIP board's read model on a real database: blockers computed from what the station, kitting and quality wrote
 * (holds on installed and staged lots with their reasons, short kits, missing components, expiring material, parameters
 * out of limits), the filters, and the site scope.
 */

const t = useTestDatabase("empty");
const now = new Date("2026-11-20T15:00:00Z");
const rid = () => randomUUID();

/** Order with units U-001..U-003, op 10 takes 0.3 of a sealant lot (staged at ST1's point of use); U-001 has it installed. */
async function setup(tx: Tx) {
  const plant = await createStationPlant(tx);
  const sealant = await createTestPart(tx, "lot", { description: "Sealant", uom: "KG" });
  const number = `WO-${randomUUID().slice(0, 6)}`;
  const order = await createStationOrder(tx, plant, {
    number,
    serials: ["U-001", "U-002", "U-003"],
    ops: [{ seq: 10 }, { seq: 20 }],
    bom: [{ find: 20, partRevisionId: sealant.revisionId, qty: "0.3", op: 10 }],
  });
  const lot = await createTestLot(tx, plant.siteId, sealant.revisionId, { lotNumber: `SEAL-${randomUUID().slice(0, 6)}`, expiresAt: new Date("2027-06-01T00:00:00Z"), inspectionStatus: "accepted" });
  await issueToPointOfUse(tx, plant, { partRevisionId: sealant.revisionId, lotId: lot.id, serialItemId: null }, "1", now);
  await consumeComponent(tx, operatorActor(plant), { requestId: rid(), stationId: plant.stationId, unitId: order.units[0]!.unitId, operationSeq: 10, item: { lotId: lot.id }, quantity: "0.3" }, now);
  const site = { siteId: plant.siteId, timeZone: "America/Chicago" };
  return { plant, sealant, order, number, lot, site };
}

const tiles = (b: WipBoard): WipTile[] => b.lines.flatMap((l) => l.cells.flatMap((c) => c.tiles));
const tileOf = (b: WipBoard, serial: string) => tiles(b).find((x) => x.serial === serial);

async function placeLotHold(tx: Tx, plant: Awaited<ReturnType<typeof setup>>["plant"], lotId: string, reason: string) {
  const [h] = await tx.insert(s.holds).values({ siteId: plant.siteId, targetType: "lot", targetId: lotId, reason, placedBy: plant.qualityId, placedAt: now }).returning();
  return h!.id;
}

describe("WIP board", () => {
  it("shows every unit in work at its operation, with station, status and time there; nothing blocks a unit with its material staged", async () => {
    await inRollback(t.db, async (tx) => {
      const { site, number } = await setup(tx);
      const board = await readWipBoard(tx, site, {}, now);
      expect(board.totals).toMatchObject({ units: 3, inProgress: 1, waiting: 2, blocked: 0 });
      const u1 = tileOf(board, "U-001")!;
      expect(u1).toMatchObject({ workOrderNumber: number, seq: 10, status: "in_progress", stationCode: "ST1", blockers: [] });
      expect(board.lines).toHaveLength(1);
      expect(board.lines[0]!.cells.map((c) => [c.opCode, c.units, c.inProgress, c.waiting])).toEqual([["OP10", 3, 1, 2]]);
    });
  });

  it("a hold on a lot marks the units it is installed in, and those that still need it where it is staged, with the hold's reason", async () => {
    await inRollback(t.db, async (tx) => {
      const { site, plant, lot } = await setup(tx);
      const holdId = await placeLotHold(tx, plant, lot.id, "Wrong cure schedule on the certificate");
      const board = await readWipBoard(tx, site, {}, now);
      expect(tileOf(board, "U-001")!.blockers).toEqual([
        { kind: "hold", holdId, reason: "Wrong cure schedule on the certificate", where: "installed", item: lot.lotNumber, lotId: lot.id, serialItemId: null },
      ]);
      const u2 = tileOf(board, "U-002")!.blockers;
      expect(u2.map((b) => b.kind)).toEqual(["hold", "missing_component"]);
      expect(u2[0]).toMatchObject({ kind: "hold", holdId, reason: "Wrong cure schedule on the certificate", where: "staged" });
      expect(board.totals.blocked).toBe(3);
      expect(board.totals.blockedBy.hold).toBe(3);

      await tx.update(s.holds).set({ releasedAt: now, releasedBy: plant.qualityId, releaseReason: "Certificate corrected" }).where(eq(s.holds.id, holdId));
      expect((await readWipBoard(tx, site, {}, now)).totals.blocked).toBe(0);
    });
  });

  it("a hold on another lot of the same part does not mark the units", async () => {
    await inRollback(t.db, async (tx) => {
      const { site, plant, sealant } = await setup(tx);
      const other = await createTestLot(tx, plant.siteId, sealant.revisionId, { lotNumber: "OTHER-1" });
      await placeLotHold(tx, plant, other.id, "Not here");
      expect((await readWipBoard(tx, site, {}, now)).totals.blocked).toBe(0);
    });
  });

  it("a kit picked short blocks the units of its order", async () => {
    await inRollback(t.db, async (tx) => {
      const { site, plant, order, sealant } = await setup(tx);
      const [kit] = await tx
        .insert(s.kits)
        .values({ siteId: plant.siteId, number: `KIT-${randomUUID().slice(0, 6)}`, workOrderId: order.workOrderId, scope: "operation", operationSeq: 10, status: "short", createdBy: plant.operatorId, createdAt: now })
        .returning();
      const [bl] = await tx.select({ id: s.workOrderBomLines.id }).from(s.workOrderBomLines).where(eq(s.workOrderBomLines.workOrderId, order.workOrderId));
      await tx.insert(s.kitLines).values({ siteId: plant.siteId, kitId: kit!.id, workOrderBomLineId: bl!.id, partRevisionId: sealant.revisionId, requiredQty: "0.9", shortQty: "0.6", shortReason: "Only 0.3 in stores" });
      const board = await readWipBoard(tx, site, {}, now);
      expect(tileOf(board, "U-002")!.blockers).toEqual([{ kind: "short_kit", kitId: kit!.id, kitNumber: kit!.number, parts: [expect.stringMatching(/.+/)] }]);
      expect(board.totals.blockedBy.short_kit).toBe(3);
      const figures = await readWipFigures(tx, site, now);
      expect(figures.kitShortages).toEqual([{ part: expect.stringContaining(" rev "), uom: "KG", shortQty: "0.6", kits: 1 }]);
    });
  });

  it("missing component, expiring material and a parameter out of limits", async () => {
    await inRollback(t.db, async (tx) => {
      const { site, plant } = await setup(tx);
      const gasket = await createTestPart(tx, "lot", { description: "Gasket" });
      const glue = await createTestPart(tx, "lot", { description: "Glue" });
      const order = await createStationOrder(tx, plant, {
        number: "WO-B",
        serials: ["B-1"],
        ops: [{ seq: 10, parameters: [{ name: "torque", unit: "N·m", min: "10", max: "12" }] }],
        bom: [
          { find: 10, partRevisionId: gasket.revisionId, qty: "1", op: 10 },
          { find: 20, partRevisionId: glue.revisionId, qty: "1", op: 10 },
        ],
      });
      // glue staged, but expiring at 16:00 UTC, before the shift ends (14:00 Chicago = 20:00 UTC)
      const glueLot = await createTestLot(tx, plant.siteId, glue.revisionId, { lotNumber: "GLUE-1", expiresAt: new Date("2026-11-20T16:00:00Z"), inspectionStatus: "accepted" });
      await issueToPointOfUse(tx, plant, { partRevisionId: glue.revisionId, lotId: glueLot.id, serialItemId: null }, "5", now);
      await tx
        .update(s.unitOperations)
        .set({ parameters: { torque: "12.4" } })
        .where(and(eq(s.unitOperations.unitId, order.units[0]!.unitId), eq(s.unitOperations.seq, 10)));
      const b = tileOf(await readWipBoard(tx, site, {}, now), "B-1")!.blockers;
      expect(b.map((x) => x.kind)).toEqual(["missing_component", "expiring", "parameter"]);
      expect(b[0]).toMatchObject({ partNumber: expect.any(String), remaining: "1" });
      expect(b[1]).toMatchObject({ item: "GLUE-1", cause: "expiry", at: new Date("2026-11-20T16:00:00Z") });
      expect(b[2]).toEqual({ kind: "parameter", name: "torque", value: "12.4", unit: "N·m", limits: "10 to 12 N·m" });
    });
  });

  it("an operation waiting much longer than its usual time is a blocker", async () => {
    await inRollback(t.db, async (tx) => {
      const plant = await createStationPlant(tx);
      const order = await createStationOrder(tx, plant, { number: "WO-T", serials: ["T-1", "T-2", "T-3", "T-4", "T-5", "T-6", "T-7"], ops: [{ seq: 10 }, { seq: 20 }], bom: [], status: "in_progress" });
      await tx.update(s.workOrders).set({ releasedAt: new Date("2026-11-20T08:00:00Z") }).where(eq(s.workOrders.id, order.workOrderId));
      // five units took 20 minutes at op 10 (released 08:00, completed 08:20); T-6 finished op 10 at 09:00 and waits at op 20
      for (const [i, u] of order.units.slice(0, 6).entries()) {
        const done = i < 5 ? new Date("2026-11-20T08:20:00Z") : new Date("2026-11-20T09:00:00Z");
        await tx.update(s.unitOperations).set({ status: "completed", completedAt: done, startedAt: done }).where(and(eq(s.unitOperations.unitId, u.unitId), eq(s.unitOperations.seq, 10)));
      }
      // ops 20 of the first five done 10 minutes after op 10
      for (const u of order.units.slice(0, 5)) {
        await tx.update(s.unitOperations).set({ status: "completed", completedAt: new Date("2026-11-20T08:30:00Z") }).where(and(eq(s.unitOperations.unitId, u.unitId), eq(s.unitOperations.seq, 20)));
        await tx.update(s.units).set({ status: "completed", completedAt: new Date("2026-11-20T08:30:00Z") }).where(eq(s.units.id, u.unitId));
      }
      await tx.update(s.units).set({ status: "in_progress" }).where(eq(s.units.id, order.units[5]!.unitId));
      const board = await readWipBoard(tx, { siteId: plant.siteId, timeZone: "America/Chicago" }, {}, now);
      // T-6 at op 20 since 09:00 (6 h) where 10 minutes is usual; T-7 at op 10 since 08:00 (7 h) where 20 is usual
      expect(tileOf(board, "T-6")!.blockers).toEqual([{ kind: "waiting_long", minutes: 360, usualMinutes: 10 }]);
      expect(tileOf(board, "T-7")!.blockers).toEqual([{ kind: "waiting_long", minutes: 420, usualMinutes: 20 }]);
      const figures = await readWipFigures(tx, { siteId: plant.siteId, timeZone: "America/Chicago" }, now);
      expect(figures.operationTimes).toEqual([
        { operation: "WC1/OP10", samples: 6, averageMinutes: 27, longestMinutes: 60, medianMinutes: 20 },
        { operation: "WC1/OP20", samples: 5, averageMinutes: 10, longestMinutes: 10, medianMinutes: 10 },
      ]);
      expect(figures.completedPerDay.at(-1)).toEqual({ day: "2026-11-20", units: 5 });
    });
  });

  it("filters by line, station, work order, part, status and blocked only", async () => {
    await inRollback(t.db, async (tx) => {
      const { site, plant, lot, number } = await setup(tx);
      const serials = async (f: Parameters<typeof readWipBoard>[2]) => tiles(await readWipBoard(tx, site, f, now)).map((x) => x.serial).sort();
      expect(await serials({ status: "in_progress" })).toEqual(["U-001"]);
      expect(await serials({ status: "pending" })).toEqual(["U-002", "U-003"]);
      expect(await serials({ workOrder: number })).toEqual(["U-001", "U-002", "U-003"]);
      expect(await serials({ workOrder: "WO-NONE" })).toEqual([]);
      expect(await serials({ station: "ST1" })).toEqual(["U-001", "U-002", "U-003"]);
      // ST2 is at the same work center: units waiting there count, the one started at ST1 does not
      expect(await serials({ station: "ST2" })).toEqual(["U-002", "U-003"]);
      expect(await serials({ station: "ST3" })).toEqual([]);
      expect(await serials({ blockedOnly: true })).toEqual([]);
      await placeLotHold(tx, plant, lot.id, "Quarantine");
      expect(await serials({ blockedOnly: true })).toEqual(["U-001", "U-002", "U-003"]);
      const board = await readWipBoard(tx, site, {}, now);
      expect(await serials({ line: board.options.lines[0]!.code })).toHaveLength(3);
      expect(await serials({ line: "NOPE" })).toEqual([]);
      expect(await serials({ part: board.options.parts[0]! })).toHaveLength(3);
      expect(await serials({ operation: "WC1/OP10" })).toHaveLength(3);
    });
  });

  it("is scoped to the site: another site's board does not show these units", async () => {
    await inRollback(t.db, async (tx) => {
      await setup(tx);
      const other = await createStationPlant(tx);
      const board = await readWipBoard(tx, { siteId: other.siteId, timeZone: "America/Chicago" }, {}, now);
      expect(board.totals.units).toBe(0);
      expect(board.lines).toEqual([]);
    });
  });

  it("lists at most a few units per operation when many are in work, blocked first, with exact counts", async () => {
    await inRollback(t.db, async (tx) => {
      const plant = await createStationPlant(tx);
      const serials = Array.from({ length: 320 }, (_, i) => `M-${String(i).padStart(3, "0")}`);
      await createStationOrder(tx, plant, { number: "WO-MANY", serials, ops: [{ seq: 10 }], bom: [] });
      const board = await readWipBoard(tx, { siteId: plant.siteId, timeZone: "America/Chicago" }, {}, now);
      const cell = board.lines[0]!.cells[0]!;
      expect([cell.units, cell.tiles.length, cell.more]).toEqual([320, 12, 308]);
      await tx.execute(sql`select 1`);
    });
  });
});
