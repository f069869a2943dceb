import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart, createTestSerial } from "@/db/testing/factories";
import { issueToPointOfUse } from "@/db/testing/genealogy-fixtures";
import { createStationOrder, createStationPlant, onHandAt, operatorActor, rowCounts } from "@/db/testing/station-fixtures";
import * as s from "@/db/schema";
import { queryRows, type Tx } from "@/db/client";
import { DomainError } from "@/server/domain/shared/errors";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { consumeComponent } from "./consume-component";
import { completeOperation } from "./complete-operation";

const t = useTestDatabase("empty");
const now = new Date("2026-11-20T15:00:00Z");
const rid = () => randomUUID();

async function expectRefused(tx: Tx, code: string, run: () => Promise<unknown>, message?: RegExp): Promise<DomainError> {
  const before = await rowCounts(tx);
  let err: unknown = null;
  try {
    await run();
  } catch (e) {
    err = e;
  }
  if (!(err instanceof DomainError)) throw err ?? new Error("expected a refusal");
  expect(err.code, err.message).toBe(code);
  if (message) expect(err.message).toMatch(message);
  expect(await rowCounts(tx)).toEqual(before);
  return err;
}

/**
 * One unit; op 10: a scanned serial (find 1), 6 backflushed washers (untracked, find 2), 0.5 backflushed primer (lot,
 * find 3), a backflush-flagged adhesive with shelf life (never backflushed: must be scanned, find 4); op 20: torque.
 */
async function setup(tx: Tx, opts: { adhesive?: boolean } = {}) {
  const plant = await createStationPlant(tx);
  const shaft = await createTestPart(tx, "serial");
  const washer = await createTestPart(tx, "untracked");
  const primer = await createTestPart(tx, "lot", { uom: "L" });
  const adhesive = await createTestPart(tx, "lot", { uom: "G", shelfLifeDays: 180 });
  const order = await createStationOrder(tx, plant, {
    number: `WO-${randomUUID().slice(0, 6)}`,
    serials: ["C-1"],
    ops: [{ seq: 10 }, { seq: 20, parameters: [{ name: "torque", unit: "N·m", min: "4.5", max: "5.5" }] }],
    bom: [
      { find: 1, partRevisionId: shaft.revisionId, qty: "1", op: 10 },
      { find: 2, partRevisionId: washer.revisionId, qty: "6", op: 10, backflush: true },
      { find: 3, partRevisionId: primer.revisionId, qty: "0.5", op: 10, backflush: true },
      ...(opts.adhesive ? [{ find: 4, partRevisionId: adhesive.revisionId, qty: "2", op: 10, backflush: true }] : []),
    ],
  });
  const shaftItem = await createTestSerial(tx, plant.siteId, shaft.revisionId, { serialNumber: `SH-${randomUUID().slice(0, 4)}` });
  await issueToPointOfUse(tx, plant, { partRevisionId: shaft.revisionId, lotId: null, serialItemId: shaftItem.id }, "1", now);
  await issueToPointOfUse(tx, plant, { partRevisionId: washer.revisionId, lotId: null, serialItemId: null }, "10", now);
  // two primer lots: the one expiring first is drawn first, and it holds only 0.3
  const early = await createTestLot(tx, plant.siteId, primer.revisionId, { lotNumber: "PR-EARLY", expiresAt: new Date("2027-01-01T00:00:00Z") });
  const late = await createTestLot(tx, plant.siteId, primer.revisionId, { lotNumber: "PR-LATE", expiresAt: new Date("2027-06-01T00:00:00Z") });
  await issueToPointOfUse(tx, plant, { partRevisionId: primer.revisionId, lotId: late.id, serialItemId: null }, "2", now);
  await issueToPointOfUse(tx, plant, { partRevisionId: primer.revisionId, lotId: early.id, serialItemId: null }, "0.3", now);
  const unit = order.units[0]!;
  const op = operatorActor(plant);
  const base = { stationId: plant.stationId, unitId: unit.unitId };
  return { plant, shaft, washer, primer, adhesive, order, unit, shaftItem, early, late, op, base };
}

describe("completeOperation", () => {
  it("refuses while a scanned component is missing, then backflushes FEFO, completes, and produces the finished serial into stores", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      await expectRefused(tx, "MISSING_COMPONENTS", () => completeOperation(tx, f.op, { ...f.base, requestId: rid(), operationSeq: 10 }, now), /still needs: .*find 1\): 1 EA/);
      await consumeComponent(tx, f.op, { ...f.base, requestId: rid(), operationSeq: 10, item: { serialItemId: f.shaftItem.id } }, now);
      const before = await rowCounts(tx);
      const out = await completeOperation(tx, f.op, { ...f.base, requestId: rid(), operationSeq: 10 }, now);
      expect(out.unitCompleted).toBe(false);
      expect(out.backflushed).toEqual([
        expect.objectContaining({ findNumber: 2, lotNumber: null, quantity: "6" }),
        expect.objectContaining({ findNumber: 3, lotNumber: "PR-EARLY", quantity: "0.3" }),
        expect.objectContaining({ findNumber: 3, lotNumber: "PR-LATE", quantity: "0.2" }),
      ]);
      const after = await rowCounts(tx);
      expect(after.movements - before.movements).toBe(2); // one backflush movement per line
      expect(after.edges - before.edges).toBe(3);
      expect(after.outbox - before.outbox).toBe(4); // three 261 consumptions + the operation confirmation
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.point_of_use, { partRevisionId: f.washer.revisionId })).toBe("4");
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.point_of_use, { partRevisionId: f.primer.revisionId, lotId: f.early.id })).toBe("0");
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.point_of_use, { partRevisionId: f.primer.revisionId, lotId: f.late.id })).toBe("1.8");
      const [op10] = await tx.select().from(s.unitOperations).where(and(eq(s.unitOperations.unitId, f.unit.unitId), eq(s.unitOperations.seq, 10)));
      expect(op10).toMatchObject({ status: "completed", completedBy: f.plant.operatorId });

      // op 20 has no components but needs its torque recorded, within limits
      await expectRefused(tx, "PARAMETER_MISSING", () => completeOperation(tx, f.op, { ...f.base, requestId: rid(), operationSeq: 20 }, now), /torque \(N·m\)/);
      await expectRefused(tx, "PARAMETER_OUT_OF_LIMITS", () => completeOperation(tx, f.op, { ...f.base, requestId: rid(), operationSeq: 20, parameters: { torque: "5.51" } }, now));
      const done = await completeOperation(tx, f.op, { ...f.base, requestId: rid(), operationSeq: 20, parameters: { torque: "5.2" } }, now);
      expect(done).toMatchObject({ unitCompleted: true, finishedTo: "STORES" });
      const unitItem = { partRevisionId: f.order.partRevisionId, serialItemId: f.unit.serialItemId };
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.stores, unitItem)).toBe("1");
      const [u] = await tx.select().from(s.units).where(eq(s.units.id, f.unit.unitId));
      expect(u!.status).toBe("completed");
      const [wo] = await tx.select().from(s.workOrders).where(eq(s.workOrders.id, f.order.workOrderId));
      expect(wo!.status).toBe("completed");
      const [completion] = await queryRows<{ payload: Record<string, unknown> }>(tx, sql`select payload from erp_outbox where type = 'completion'`);
      expect(completion!.payload).toMatchObject({ movementType: "101", serial: "C-1", quantity: "1", confirmation: { operation: 20, finalConfirmation: true } });
      // nothing more once complete
      await expectRefused(tx, "UNIT_NOT_OPEN", () => completeOperation(tx, f.op, { ...f.base, requestId: rid(), operationSeq: 20 }, now));
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it("the finished serial can be a component of a higher assembly", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      await consumeComponent(tx, f.op, { ...f.base, requestId: rid(), operationSeq: 10, item: { serialItemId: f.shaftItem.id } }, now);
      await completeOperation(tx, f.op, { ...f.base, requestId: rid(), operationSeq: 10 }, now);
      const done = await completeOperation(tx, f.op, { ...f.base, requestId: rid(), operationSeq: 20, parameters: { torque: "5" }, toLocationId: f.plant.pou2 }, now);
      expect(done.finishedTo).toBe("POU-ST2");
      const top = await createStationOrder(tx, f.plant, { number: "WO-TOP", serials: ["TOP-1"], bom: [{ find: 1, partRevisionId: f.order.partRevisionId, qty: "1", op: 10 }] });
      const installed = await consumeComponent(tx, f.op, { requestId: rid(), stationId: f.plant.station2Id, unitId: top.units[0]!.unitId, operationSeq: 10, item: { scan: "C-1" } }, now);
      expect(installed.serialNumber).toBe("C-1");
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it("backflush short: the operation does not complete and says what is missing; time-sensitive lines are never backflushed", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx, { adhesive: true });
      await consumeComponent(tx, f.op, { ...f.base, requestId: rid(), operationSeq: 10, item: { serialItemId: f.shaftItem.id } }, now);
      // the adhesive has a shelf life: even flagged for backflush, it must be scanned
      const adhesiveLot = await createTestLot(tx, f.plant.siteId, f.adhesive.revisionId, { expiresAt: new Date("2027-03-01T00:00:00Z") });
      await issueToPointOfUse(tx, f.plant, { partRevisionId: f.adhesive.revisionId, lotId: adhesiveLot.id, serialItemId: null }, "10", now);
      await expectRefused(tx, "MISSING_COMPONENTS", () => completeOperation(tx, f.op, { ...f.base, requestId: rid(), operationSeq: 10 }, now), /find 4\): 2 G/);
      await consumeComponent(tx, f.op, { ...f.base, requestId: rid(), operationSeq: 10, item: { lotId: adhesiveLot.id }, quantity: "2" }, now);
      // a hold on the later primer lot leaves 0.3 usable for the 0.5 needed
      await tx.insert(s.holds).values({ siteId: f.plant.siteId, targetType: "lot", targetId: f.late.id, reason: "Wrong colour", placedBy: f.plant.qualityId, placedAt: now });
      const e = await expectRefused(tx, "BACKFLUSH_SHORT", () => completeOperation(tx, f.op, { ...f.base, requestId: rid(), operationSeq: 10 }, now), /rev A needs 0.5 L, 0.3 L here/);
      expect(e.details.short).toEqual([expect.objectContaining({ findNumber: 3, needed: "0.5", available: "0.3" })]);
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it("replays a completion with the same answer and refuses the wrong station and an operation out of order", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      await expectRefused(tx, "OPERATION_NOT_OPEN", () => completeOperation(tx, f.op, { ...f.base, requestId: rid(), operationSeq: 20, parameters: { torque: "5" } }, now));
      await expectRefused(tx, "WRONG_STATION", () => completeOperation(tx, f.op, { ...f.base, stationId: f.plant.station3Id, requestId: rid(), operationSeq: 10 }, now));
      await consumeComponent(tx, f.op, { ...f.base, requestId: rid(), operationSeq: 10, item: { serialItemId: f.shaftItem.id } }, now);
      const cmd = { ...f.base, requestId: rid(), operationSeq: 10 };
      const first = await completeOperation(tx, f.op, cmd, now);
      const before = await rowCounts(tx);
      expect(await completeOperation(tx, f.op, cmd, now)).toEqual(first);
      expect(await rowCounts(tx)).toEqual(before);
      await expectRefused(tx, "OPERATION_NOT_OPEN", () => completeOperation(tx, f.op, { ...cmd, requestId: rid() }, now), /already complete/);
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });
});
