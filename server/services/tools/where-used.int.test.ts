import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart } from "@/db/testing/factories";
import { issueToPointOfUse } from "@/db/testing/genealogy-fixtures";
import { createStationOrder, createStationPlant, operatorActor } from "@/db/testing/station-fixtures";
import * as s from "@/db/schema";
import { consumeComponent } from "@/server/services/station/consume-component";
import { completeOperation } from "@/server/services/station/complete-operation";
import { touchedInstallsCsv, whereUsedByOperator, whereUsedByTool } from "./where-used";

const t = useTestDatabase("empty");
const start = new Date("2026-11-02T15:00:00Z");
const hour = 3600 * 1000;

/**
 * A generated plant: 9 units of one order, each takes 0.1 of a sealant lot at operation 10. Wrench A is used on units
 * 1-6 (units 1-3 before its calibration of 2026-11-05, 4-6 after), wrench B on units 5-9 (5 and 6 with both), unit 9
 * also completed with wrench A's reading. Each install an hour apart from 2026-11-02, on day i of the month for unit i.
 */
async function plant(tx: Parameters<Parameters<typeof inRollback>[1]>[0]) {
  const p = await createStationPlant(tx);
  const sealant = await createTestPart(tx, "lot", { uom: "KG" });
  const serials = Array.from({ length: 9 }, (_, i) => `U-${i + 1}`);
  const order = await createStationOrder(tx, p, { number: `WO-${randomUUID().slice(0, 6)}`, serials, ops: [{ seq: 10 }], bom: [{ find: 10, partRevisionId: sealant.revisionId, qty: "0.1", op: 10 }] });
  const lot = await createTestLot(tx, p.siteId, sealant.revisionId);
  await issueToPointOfUse(tx, p, { partRevisionId: sealant.revisionId, lotId: lot.id, serialItemId: null }, "5", start);
  const due = new Date("2027-06-01T00:00:00Z");
  const [a] = await tx
    .insert(s.tools)
    .values([
      { siteId: p.siteId, code: "TW-A", toolClass: "TORQUE-WRENCH", description: "Wrench A", calibratedAt: new Date("2026-10-01T05:00:00Z"), calibrationDueAt: due },
      { siteId: p.siteId, code: "TW-B", toolClass: "TORQUE-WRENCH", description: "Wrench B", calibratedAt: new Date("2026-10-01T05:00:00Z"), calibrationDueAt: due },
    ])
    .returning();
  const operator = operatorActor(p);
  const at = (i: number) => new Date(start.getTime() + i * 24 * hour);
  for (let i = 0; i < 9; i++) {
    if (i === 3) await tx.update(s.tools).set({ calibratedAt: new Date("2026-11-05T06:00:00Z") }).where(eq(s.tools.id, a!.id));
    const toolCodes = [...(i < 6 ? ["TW-A"] : []), ...(i >= 4 ? ["TW-B"] : [])];
    await consumeComponent(tx, operator, { requestId: randomUUID(), stationId: p.stationId, unitId: order.units[i]!.unitId, operationSeq: 10, item: { lotId: lot.id }, quantity: "0.1", toolCodes }, at(i));
  }
  await completeOperation(tx, operator, { requestId: randomUUID(), stationId: p.stationId, unitId: order.units[8]!.unitId, operationSeq: 10, toolCodes: ["TW-A"] }, at(8));
  return { p, order, operator, actor: p.actor(["quality_engineer"]) };
}

describe("where-used by tool and by operator", () => {
  it("is exact: every install the tool touched, the distinct units, since the last good calibration, and the readings", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await plant(tx);
      const a = await whereUsedByTool(tx, f.actor, { toolCode: "tw-a", sinceLastCalibration: false, offset: 0, limit: 4 });
      expect([a.totalInstalls, a.totalUnits]).toEqual([6, 6]);
      expect(a.installs.map((i) => i.unitSerial)).toEqual(["U-1", "U-2", "U-3", "U-4"]);
      const rest = await whereUsedByTool(tx, f.actor, { toolCode: "TW-A", sinceLastCalibration: false, offset: 4, limit: 4 });
      expect(rest.installs.map((i) => i.unitSerial)).toEqual(["U-5", "U-6"]);
      // the operations worked with it: its installs' operations, and unit 9's completion (its reading)
      expect(a.readings.map((r) => r.unitSerial)).toEqual(["U-1", "U-2", "U-3", "U-4", "U-5", "U-6", "U-9"]);

      const since = await whereUsedByTool(tx, f.actor, { toolCode: "TW-A", sinceLastCalibration: true, offset: 0, limit: 50 });
      expect(since.since?.toISOString()).toBe("2026-11-05T06:00:00.000Z");
      expect([since.totalInstalls, since.installs.map((i) => i.unitSerial)]).toEqual([3, ["U-4", "U-5", "U-6"]]);

      const b = await whereUsedByTool(tx, f.actor, { toolCode: "TW-B", sinceLastCalibration: false, offset: 0, limit: 50 });
      expect([b.totalInstalls, b.totalUnits, b.installs.map((i) => i.unitSerial)]).toEqual([5, 5, ["U-5", "U-6", "U-7", "U-8", "U-9"]]);
      await expect(whereUsedByTool(tx, f.actor, { toolCode: "TW-NONE", sinceLastCalibration: false, offset: 0, limit: 50 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    });
  });

  it("by operator in a date range of site days, both ends included; the CSV export holds every install", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await plant(tx);
      // installs on 2026-11-02 .. 2026-11-10 (09:00 in Chicago): the 4th to the 6th are units 3 to 5
      const r = await whereUsedByOperator(tx, f.actor, { userId: f.p.operatorId, fromDay: "2026-11-04", toDay: "2026-11-06", offset: 0, limit: 50 });
      expect([r.totalInstalls, r.totalUnits, r.installs.map((i) => i.unitSerial)]).toEqual([3, 3, ["U-3", "U-4", "U-5"]]);
      const all = await whereUsedByOperator(tx, f.actor, { userId: f.p.operatorId, fromDay: "2026-11-01", toDay: "2026-11-30", offset: 0, limit: 2 });
      expect([all.totalInstalls, all.installs.length]).toEqual([9, 2]);
      await expect(whereUsedByOperator(tx, f.actor, { userId: f.p.operatorId, fromDay: "2026-11-06", toDay: "2026-11-04", offset: 0, limit: 50 })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });

      const csv = await touchedInstallsCsv(tx, f.actor, { toolCode: "TW-B", sinceLastCalibration: false });
      const lines = csv.body.trim().split("\r\n");
      expect(lines[0]).toBe("installed_at,unit,unit_status,work_order,operation,part,revision,lot,serial,quantity,operator,station,removed_at");
      expect(lines.slice(1).map((l) => l.split(",")[1])).toEqual(["U-5", "U-6", "U-7", "U-8", "U-9"]);
      expect(csv.filename).toBe("where-used-tool-TW-B.csv");
    });
  });
});
