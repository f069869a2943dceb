import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart } from "@/db/testing/factories";
import { createStationOrder, createStationPlant, onHandAt, operatorActor, rowCounts } from "@/db/testing/station-fixtures";
import { testTime } from "@/db/testing/clock";
import * as s from "@/db/schema";
import type { Tx } from "@/db/client";
import { DomainError } from "@/server/domain/shared/errors";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { postMovement } from "@/server/repos/ledger";
import { describeTarget, traceWhereUsed } from "@/server/repos/genealogy-where-used";
import { consumeComponent } from "@/server/services/station/consume-component";
import { mixLots, type MixLotsCommand } from "./mix-lots";

const t = useTestDatabase("empty");
const rid = () => randomUUID();

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

/** Refused with this code, and nothing written (ledger, audit, requests, lots, lot inputs, clock events). */
async function expectRefused(tx: Tx, code: string, run: () => Promise<unknown>): Promise<DomainError> {
  const count = async () => ({
    rows: await rowCounts(tx),
    lots: (await tx.select().from(s.lots)).length,
    inputs: (await tx.select().from(s.lotInputs)).length,
    events: (await tx.select().from(s.lotClockEvents)).length,
  });
  const before = await count();
  const e = await refusal(run());
  expect(e.code, e.message).toBe(code);
  expect(await count()).toEqual(before);
  return e;
}

/**
 * A two-part sealant: base (ambient, 90 days left) and activator (10 days left) in stores; the mixed sealant (BOM: base
 * 10 G + activator 1 G) has a pot life of 60 minutes and is needed 5 G per unit at op 10 of three units.
 */
async function setup(tx: Tx) {
  const plant = await createStationPlant(tx);
  const base = await createTestPart(tx, "lot", { description: "Sealant base", uom: "G" });
  const activator = await createTestPart(tx, "lot", { description: "Sealant activator", uom: "G" });
  const mixed = await createTestPart(tx, "lot", { description: "Sealant, mixed", uom: "G", potLifeMinutes: 60 });
  const [bom] = await tx.insert(s.boms).values({ parentRevisionId: mixed.revisionId }).returning();
  await tx.insert(s.bomLines).values([
    { bomId: bom!.id, findNumber: 10, componentRevisionId: base.revisionId, quantity: "10", operationSeq: 10 },
    { bomId: bom!.id, findNumber: 20, componentRevisionId: activator.revisionId, quantity: "1", operationSeq: 10 },
  ]);
  const order = await createStationOrder(tx, plant, {
    number: `WO-${randomUUID().slice(0, 6)}`,
    serials: ["U-1", "U-2", "U-3"],
    ops: [{ seq: 10 }],
    bom: [{ find: 10, partRevisionId: mixed.revisionId, qty: "5", op: 10 }],
  });
  const receive = async (part: { revisionId: string }, lotNumber: string, qty: string, extra: Partial<typeof s.lots.$inferInsert> = {}) => {
    const lot = await createTestLot(tx, plant.siteId, part.revisionId, { lotNumber, expiresAt: testTime(60 * 24 * 90), ...extra });
    const item = { partRevisionId: part.revisionId, lotId: lot.id, serialItemId: null };
    await postMovement(tx, {
      siteId: plant.siteId,
      kind: "receive_from_erp",
      occurredAt: testTime(-60),
      legs: [
        { ...item, locationId: plant.loc.erp_supply, quantity: `-${qty}` },
        { ...item, locationId: plant.loc.stores, quantity: qty },
      ],
    });
    return { lot, item };
  };
  const b = await receive(base, "BASE-1", "500");
  const a = await receive(activator, "ACT-1", "50", { expiresAt: testTime(60 * 24 * 10) });
  const clerk = plant.actor(["kitting_clerk"]);
  const operator = operatorActor(plant);
  const input = (x: { lot: { id: string }; item: { partRevisionId: string } }, quantity: string) => ({ partRevisionId: x.item.partRevisionId, lotId: x.lot.id, fromLocationId: plant.loc.stores, quantity });
  const cmd = (over: Partial<MixLotsCommand> = {}): MixLotsCommand => ({ requestId: rid(), inputs: [input(b, "50"), input(a, "5")], toLocation: "POINT_OF_USE", ...over });
  const consume = (unit: number, lotId: string, at: Date) =>
    consumeComponent(tx, operator, { requestId: rid(), stationId: plant.stationId, unitId: order.units[unit]!.unitId, operationSeq: 10, item: { lotId }, quantity: "5" }, at);
  return { plant, base, activator, mixed, order, b, a, clerk, operator, input, cmd, consume };
}

describe("mixing lots into a child lot", () => {
  it("consumes the inputs through the ledger, makes the child lot with its pot life, usable one minute before and refused one minute after", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const cmd = f.cmd();
      const out = await mixLots(tx, f.clerk, cmd, testTime(0));
      expect(out).toMatchObject({
        childLotNumber: "BASE-1-M1",
        partNumber: f.mixed.partNumber,
        quantity: "55",
        uom: "G",
        location: "POINT_OF_USE",
        expiresAt: testTime(60).toISOString(),
        potLifeEndsAt: testTime(60).toISOString(),
        expiryCause: "pot_life",
        inputs: [
          { lotNumber: "BASE-1", quantity: "50" },
          { lotNumber: "ACT-1", quantity: "5" },
        ],
      });
      // ERP is told once, in the mix's transaction: one lot_mix message whose reference is the mix movement
      const messages = async () => tx.select().from(s.erpOutbox).where(eq(s.erpOutbox.siteId, f.plant.siteId));
      const [message, ...others] = await messages();
      expect(others).toEqual([]);
      expect(message).toMatchObject({ type: "lot_mix", orderingKey: `item:${f.mixed.partNumber}|BASE-1-M1|`, status: "pending" });
      expect(message!.payload).toMatchObject({
        movementType: "501",
        material: f.mixed.partNumber,
        batch: "BASE-1-M1",
        quantity: "55",
        uom: "G",
        expiresAt: testTime(60).toISOString(),
        toLocation: "POINT_OF_USE",
        reference: out.movementId,
        inputs: [
          { movementType: "201", material: f.base.partNumber, batch: "BASE-1", quantity: "50", uom: "G", fromLocation: "STORES" },
          { movementType: "201", material: f.activator.partNumber, batch: "ACT-1", quantity: "5", uom: "G", fromLocation: "STORES" },
        ],
      });
      // a retried request has one effect and the same answer, and writes no second message
      expect(await mixLots(tx, f.clerk, cmd, testTime(0))).toEqual(out);
      expect((await messages()).map((m) => m.messageId)).toEqual([message!.messageId]);

      const child = { partRevisionId: f.mixed.revisionId, lotId: out.childLotId, serialItemId: null };
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.stores, f.b.item)).toBe("450");
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.stores, f.a.item)).toBe("45");
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.consumed, f.b.item)).toBe("50");
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.point_of_use, child)).toBe("55");
      const [movement] = await tx.select().from(s.movements).where(eq(s.movements.id, out.movementId));
      expect(movement!.kind).toBe("mix");
      const inputs = await tx.select().from(s.lotInputs).where(eq(s.lotInputs.childLotId, out.childLotId));
      expect(inputs.map((i) => [i.inputLotId, i.quantity]).sort()).toEqual([
        [f.a.lot.id, "5.000000"],
        [f.b.lot.id, "50.000000"],
      ].sort());
      const events = await tx.select().from(s.lotClockEvents).where(eq(s.lotClockEvents.kind, "mixed"));
      expect(events).toHaveLength(3);
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);

      // the station: accepted one minute before the pot life ends, refused one minute after
      await f.consume(0, out.childLotId, testTime(59));
      const late = await expectRefused(tx, "LOT_EXPIRED", () => f.consume(1, out.childLotId, testTime(61)));
      expect(late.message).toContain(`Lot ${out.childLotNumber} is not usable: expired`);

      // where-used of an input lot (and of the activator) finds the unit that consumed the mixed lot
      for (const lot of [f.b.lot, f.a.lot]) {
        const used = await traceWhereUsed(tx, f.plant.siteId, { kind: "lot", id: lot.id });
        expect(used.rows.map((r) => r.unitSerialNumber)).toEqual(["U-1"]);
      }
      // the where-used screen's heading names the lot it was mixed into
      expect((await describeTarget(tx, f.plant.siteId, { kind: "lot", id: f.b.lot.id }))!.detail).toBe("supplier lot (none); mixed into lot BASE-1-M1");
      // ... and says so as facts, for the screen to word in the reader's language (genealogy-words.int.test.ts)
      expect((await describeTarget(tx, f.plant.siteId, { kind: "lot", id: f.b.lot.id }))!.facts).toEqual({ kind: "supplier_lot", supplierLot: null, mixedInto: ["BASE-1-M1"] });
      // a second mix of the same base lot is numbered after the first
      expect((await mixLots(tx, f.clerk, f.cmd({ inputs: [f.input(f.b, "20"), f.input(f.a, "2")] }), testTime(5))).childLotNumber).toBe("BASE-1-M2");
    });
  });

  it("gives the child lot the earliest expiry of its inputs when that comes before the end of its pot life", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      await tx.update(s.lots).set({ expiresAt: testTime(30) }).where(and(eq(s.lots.siteId, f.plant.siteId), eq(s.lots.id, f.a.lot.id)));
      const out = await mixLots(tx, f.operator, f.cmd(), testTime(0));
      expect(out).toMatchObject({ expiresAt: testTime(30).toISOString(), potLifeEndsAt: testTime(60).toISOString(), expiryCause: "input", expiryInputLot: "ACT-1" });
    });
  });

  it.each([
    ["an input on hold", "LOT_ON_HOLD"],
    ["an expired input", "LOT_EXPIRED"],
    ["an input with its out-time spent", "OUT_TIME_EXCEEDED"],
    ["an input still thawing", "THAW_INCOMPLETE"],
    ["a lot of another part", "WRONG_PART"],
    ["a missing component", "MIX_INCOMPLETE"],
  ])("refuses %s and writes nothing", async (what, code) => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const lotRow = and(eq(s.lots.siteId, f.plant.siteId), eq(s.lots.id, f.a.lot.id));
      let cmd = f.cmd();
      if (what === "an input on hold") {
        await tx.insert(s.holds).values({ siteId: f.plant.siteId, targetType: "lot", targetId: f.a.lot.id, reason: "Viscosity out of spec", placedBy: f.plant.qualityId, placedAt: testTime(-5) });
      } else if (what === "an expired input") {
        await tx.update(s.lots).set({ expiresAt: testTime(-1) }).where(lotRow);
      } else if (what === "an input with its out-time spent") {
        await tx.update(s.parts).set({ outTimeMinutes: 30 }).where(eq(s.parts.id, f.activator.partId));
        await tx.update(s.lots).set({ outTimeStartedAt: testTime(-31) }).where(lotRow);
      } else if (what === "an input still thawing") {
        await tx.update(s.parts).set({ minThawMinutes: 30, storageClass: "freezer" }).where(eq(s.parts.id, f.activator.partId));
        await tx.update(s.lots).set({ outTimeStartedAt: testTime(-10), thawStartedAt: testTime(-10) }).where(lotRow);
      } else if (what === "a lot of another part") {
        const other = await createTestPart(tx, "lot", { description: "Primer", uom: "G" });
        const lot = await createTestLot(tx, f.plant.siteId, other.revisionId, { lotNumber: "PRM-9" });
        const item = { partRevisionId: other.revisionId, lotId: lot.id, serialItemId: null };
        await postMovement(tx, { siteId: f.plant.siteId, kind: "receive_from_erp", occurredAt: testTime(-5), legs: [{ ...item, locationId: f.plant.loc.erp_supply, quantity: "-5" }, { ...item, locationId: f.plant.loc.stores, quantity: "5" }] });
        cmd = f.cmd({ inputs: [f.input(f.b, "50"), f.input(f.a, "5"), { partRevisionId: other.revisionId, lotId: lot.id, fromLocationId: f.plant.loc.stores, quantity: "1" }] });
      } else {
        cmd = f.cmd({ inputs: [f.input(f.b, "50")] });
      }
      const e = await expectRefused(tx, code, () => mixLots(tx, f.clerk, cmd, testTime(0)));
      if (code === "WRONG_PART") expect(e.message).toBe(`Lot PRM-9 (${(await tx.select().from(s.parts).where(eq(s.parts.description, "Primer")))[0]!.partNumber}) is not a component of ${f.mixed.partNumber} rev A.`);
      if (code === "MIX_INCOMPLETE") expect(e.message).toBe(`${f.mixed.partNumber} rev A is mixed from ${f.base.partNumber} + ${f.activator.partNumber}: scan a lot of ${f.activator.partNumber} too.`);
      if (code === "LOT_ON_HOLD") expect(e.message).toContain("Viscosity out of spec");
    });
  });
});
