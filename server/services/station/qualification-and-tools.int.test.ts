import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart } from "@/db/testing/factories";
import { issueToPointOfUse } from "@/db/testing/genealogy-fixtures";
import { createStationOrder, createStationPlant, operatorActor, rowCounts } from "@/db/testing/station-fixtures";
import * as s from "@/db/schema";
import type { Tx } from "@/db/client";
import { DomainError } from "@/server/domain/shared/errors";
import { consumeComponent, type ConsumeCommand } from "./consume-component";
import { completeOperation } from "./complete-operation";

const t = useTestDatabase("empty");
const now = new Date("2026-11-20T15:00:00Z");
const day = 24 * 3600 * 1000;

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

/**
 * Operation 10 requires skill SEAL (and, where asked, a calibrated torque wrench); the operator holds what each case
 * gives. A sealant lot is staged at the station.
 */
async function setup(tx: Tx, opts: { skills?: string[]; toolClasses?: string[] } = {}) {
  const plant = await createStationPlant(tx);
  const sealant = await createTestPart(tx, "lot", { description: "Sealant", uom: "KG" });
  const order = await createStationOrder(tx, plant, {
    number: `WO-${randomUUID().slice(0, 6)}`,
    serials: ["U-001"],
    ops: [{ seq: 10, parameters: [{ name: "torque", unit: "N·m", min: "10", max: "12" }] }],
    bom: [{ find: 10, partRevisionId: sealant.revisionId, qty: "0.3", op: 10 }],
  });
  await tx
    .update(s.workOrderOperations)
    .set({ requiredSkills: opts.skills ?? ["SEAL"], requiredToolClasses: opts.toolClasses ?? [] })
    .where(eq(s.workOrderOperations.workOrderId, order.workOrderId));
  const lot = await createTestLot(tx, plant.siteId, sealant.revisionId, { lotNumber: `SEAL-${randomUUID().slice(0, 6)}`, expiresAt: new Date("2027-06-01T00:00:00Z") });
  await issueToPointOfUse(tx, plant, { partRevisionId: sealant.revisionId, lotId: lot.id, serialItemId: null }, "1", now);
  const [seal] = await tx.insert(s.skills).values({ siteId: plant.siteId, code: "SEAL", name: "Sealing, PS-870" }).returning();
  const qualify = (over: Partial<typeof s.operatorQualifications.$inferInsert> = {}) =>
    tx.insert(s.operatorQualifications).values({
      siteId: plant.siteId,
      userId: plant.operatorId,
      skillId: seal!.id,
      qualifiedAt: new Date(now.getTime() - 100 * day),
      expiresAt: new Date(now.getTime() + 100 * day),
      updatedBy: plant.qualityId,
      updatedAt: now,
      ...over,
    });
  const tool = (code: string, over: Partial<typeof s.tools.$inferInsert> = {}) =>
    tx
      .insert(s.tools)
      .values({ siteId: plant.siteId, code, toolClass: "TORQUE-WRENCH", description: "Torque wrench 5-25 N·m", calibratedAt: new Date(now.getTime() - 30 * day), calibrationDueAt: new Date(now.getTime() + 60 * day), ...over })
      .returning()
      .then((r) => r[0]!);
  const operator = operatorActor(plant);
  const cmd = (over: Partial<ConsumeCommand> = {}): ConsumeCommand => ({
    requestId: randomUUID(),
    stationId: plant.stationId,
    unitId: order.units[0]!.unitId,
    operationSeq: 10,
    item: { lotId: lot.id },
    quantity: "0.1",
    ...over,
  });
  return { plant, order, lot, operator, cmd, qualify, tool };
}

describe("the station refuses an operator not qualified for the operation", () => {
  it.each<[string, Partial<typeof s.operatorQualifications.$inferInsert> | null, RegExp]>([
    ["no qualification in the skill", null, /not qualified for operation 10 \(OP10\): no qualification in SEAL/],
    ["an expired qualification", { expiresAt: new Date("2026-11-01T06:00:00Z") }, /the qualification in SEAL expired on 2026-11-01/],
    ["a withdrawn qualification", { revokedAt: new Date("2026-11-10T15:00:00Z") }, /the qualification in SEAL was withdrawn on 2026-11-10/],
    ["a qualification valid only later", { qualifiedAt: new Date("2026-12-01T06:00:00Z"), expiresAt: null }, /valid only from 2026-12-01/],
  ])("%s: install and completion refused naming the skill, nothing written", async (_name, qualification, message) => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      if (qualification) await f.qualify(qualification);
      const before = await rowCounts(tx);
      const e = await refusal(consumeComponent(tx, f.operator, f.cmd(), now));
      expect(e.code).toBe("OPERATOR_NOT_QUALIFIED");
      expect(e.message).toMatch(message);
      const c = await refusal(completeOperation(tx, f.operator, { requestId: randomUUID(), stationId: f.plant.stationId, unitId: f.order.units[0]!.unitId, operationSeq: 10, parameters: { torque: "11" } }, now));
      expect(c.code).toBe("OPERATOR_NOT_QUALIFIED");
      expect(await rowCounts(tx)).toEqual(before);
    });
  });

  it("accepts the operator once qualified; an operation that requires nothing needs no qualification", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      await f.qualify();
      await expect(consumeComponent(tx, f.operator, f.cmd(), now)).resolves.toMatchObject({ quantity: "0.1" });
      const g = await setup(tx, { skills: [] });
      await expect(consumeComponent(tx, g.operator, g.cmd(), now)).resolves.toMatchObject({ quantity: "0.1" });
    });
  });
});

describe("tools and gauges at the operation", () => {
  it.each<[string, (f: Awaited<ReturnType<typeof setup>>) => Promise<string[]>, string, RegExp]>([
    ["no tool scanned where a torque wrench is required", async () => [], "TOOL_REQUIRED", /requires a calibrated tool of class TORQUE-WRENCH/],
    ["a tool not in the register", async () => ["TW-NOPE"], "TOOL_NOT_USABLE", /Tool TW-NOPE is not in the tool register/],
    ["a tool whose calibration is overdue", async (f) => [(await f.tool("TW-OLD", { calibrationDueAt: new Date("2026-11-15T06:00:00Z") })).code], "TOOL_NOT_USABLE", /calibration of tool TW-OLD was due on 2026-11-15/],
    ["an uncalibrated tool", async (f) => [(await f.tool("TW-NEW", { calibratedAt: null, calibrationDueAt: null })).code], "TOOL_NOT_USABLE", /TW-NEW has no calibration on record/],
    ["a tool on hold", async (f) => [(await f.tool("TW-HLD", { holdReason: "Dropped", heldAt: now, heldBy: f.plant.qualityId })).code], "TOOL_NOT_USABLE", /TW-HLD is on hold: Dropped/],
    ["a tool out of service", async (f) => [(await f.tool("TW-OOS", { status: "out_of_service" })).code], "TOOL_NOT_USABLE", /TW-OOS is out of service/],
    ["a usable tool of another class only", async (f) => [(await f.tool("CR-1", { toolClass: "CRIMPER" })).code], "TOOL_REQUIRED", /class TORQUE-WRENCH/],
  ])("%s: refused, nothing written", async (_name, scan, code, message) => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx, { skills: [], toolClasses: ["TORQUE-WRENCH"] });
      const toolCodes = await scan(f);
      const before = await rowCounts(tx);
      const e = await refusal(consumeComponent(tx, f.operator, f.cmd({ toolCodes }), now));
      expect(e.code).toBe(code);
      expect(e.message).toMatch(message);
      const c = await refusal(completeOperation(tx, f.operator, { requestId: randomUUID(), stationId: f.plant.stationId, unitId: f.order.units[0]!.unitId, operationSeq: 10, parameters: { torque: "11" }, toolCodes }, now));
      expect(c.code).toBe(code);
      expect(await rowCounts(tx)).toEqual(before);
    });
  });

  it("records the scanned tools on the install's genealogy edge and on the operation's readings", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx, { skills: [], toolClasses: ["TORQUE-WRENCH"] });
      const wrench = await f.tool("TW-0042");
      const gauge = await f.tool("FG-7", { toolClass: "FEELER-GAUGE" });
      const out = await consumeComponent(tx, f.operator, f.cmd({ toolCodes: ["tw-0042"] }), now);
      const [edge] = await tx.select({ toolIds: s.genealogyEdges.toolIds }).from(s.genealogyEdges).where(eq(s.genealogyEdges.id, out.edgeId));
      expect(edge!.toolIds).toEqual([wrench.id]);
      await consumeComponent(tx, f.operator, f.cmd({ toolCodes: ["TW-0042"], quantity: "0.2" }), now);
      await completeOperation(tx, f.operator, { requestId: randomUUID(), stationId: f.plant.stationId, unitId: f.order.units[0]!.unitId, operationSeq: 10, parameters: { torque: "11" }, toolCodes: ["TW-0042", "FG-7"] }, now);
      const [op] = await tx
        .select({ toolIds: s.unitOperations.toolIds, status: s.unitOperations.status })
        .from(s.unitOperations)
        .where(and(eq(s.unitOperations.unitId, f.order.units[0]!.unitId), eq(s.unitOperations.seq, 10)));
      expect(op!.status).toBe("completed");
      expect([...op!.toolIds].sort()).toEqual([wrench.id, gauge.id].sort());
    });
  });
});
