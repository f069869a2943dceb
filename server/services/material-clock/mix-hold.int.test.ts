import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart } from "@/db/testing/factories";
import { createStationOrder, createStationPlant, operatorActor } from "@/db/testing/station-fixtures";
import { testTime } from "@/db/testing/clock";
import * as s from "@/db/schema";
import type { Tx } from "@/db/client";
import { DomainError } from "@/server/domain/shared/errors";
import { refusalWords } from "@/server/api/refusal-words";
import { postMovement } from "@/server/repos/ledger";
import { loadCandidates } from "@/server/repos/kitting";
import { readStaged } from "@/server/repos/wip-board";
import { activeHoldReach, activeHoldsInUnit, holdMarkersOf } from "@/server/repos/containment";
import { consumeComponent } from "@/server/services/station/consume-component";
import { mixLots, type MixLotsCommand } from "./mix-lots";

/*
 * Issue 21: a hold placed on an input lot AFTER the mix (on the lot, its part revision, manufacturer or supplier) holds
 * every lot mixed from it, at any depth: the station refuses the mixed lot naming the input, and accepts it once the
 * hold is released; kitting and a further mix see the same hold.
 */

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

/**
 * A two-part sealant (base + activator, the activator from manufacturer ACME) mixed into a sealant lot; a thinned
 * sealant mixes the sealant with a thinner. An order of three units takes 5 G of either at op 10.
 */
async function setup(tx: Tx) {
  const plant = await createStationPlant(tx);
  const [acme] = await tx.insert(s.manufacturers).values({ code: `AC${randomUUID().slice(0, 6)}`, name: "Acme Sealants" }).returning();
  const base = await createTestPart(tx, "lot", { description: "Sealant base", uom: "G" });
  const activator = await createTestPart(tx, "lot", { description: "Sealant activator", uom: "G" });
  const mixed = await createTestPart(tx, "lot", { description: "Sealant, mixed", uom: "G" });
  const thinner = await createTestPart(tx, "lot", { description: "Thinner", uom: "G" });
  const thinned = await createTestPart(tx, "lot", { description: "Sealant, thinned", uom: "G" });
  const recipe = async (output: { revisionId: string }, lines: [{ revisionId: string }, string][]) => {
    const [bom] = await tx.insert(s.boms).values({ parentRevisionId: output.revisionId }).returning();
    await tx.insert(s.bomLines).values(lines.map(([c, quantity], n) => ({ bomId: bom!.id, findNumber: 10 * (n + 1), componentRevisionId: c.revisionId, quantity, operationSeq: 10 })));
  };
  await recipe(mixed, [[base, "10"], [activator, "1"]]);
  await recipe(thinned, [[mixed, "10"], [thinner, "1"]]);
  const order = await createStationOrder(tx, plant, {
    number: `WO-${randomUUID().slice(0, 6)}`,
    serials: ["U-1", "U-2", "U-3"],
    ops: [{ seq: 10 }],
    bom: [
      { find: 10, partRevisionId: mixed.revisionId, qty: "5", op: 10 },
      { find: 20, partRevisionId: thinned.revisionId, qty: "5", op: 10 },
    ],
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
    return lot;
  };
  const b = await receive(base, "BASE-1", "500");
  const a = await receive(activator, "ACT-1", "50", { manufacturerId: acme!.id });
  const th = await receive(thinner, "THIN-1", "50");
  const clerk = plant.actor(["kitting_clerk"]);
  const operator = operatorActor(plant);
  const mixCmd = (inputs: MixLotsCommand["inputs"]): MixLotsCommand => ({ requestId: rid(), inputs, toLocation: "POINT_OF_USE" });
  const from = (part: { revisionId: string }, lotId: string, quantity: string, fromLocationId = plant.loc.stores) => ({ partRevisionId: part.revisionId, lotId, fromLocationId, quantity });
  // the sealant: BASE-1 50 G + ACT-1 5 G -> BASE-1-M1 (55 G at the point of use)
  const m1 = await mixLots(tx, clerk, mixCmd([from(base, b.id, "50"), from(activator, a.id, "5")]), testTime(0));
  const consume = (unit: number, lotId: string, at: Date) =>
    consumeComponent(tx, operator, { requestId: rid(), stationId: plant.stationId, unitId: order.units[unit]!.unitId, operationSeq: 10, item: { lotId }, quantity: "5" }, at);
  let holds = 0;
  const hold = async (targetType: "lot" | "manufacturer" | "part_revision" | "supplier", targetId: string, reason: string) => {
    // placed in order, one second apart, between the mix and the installs below (the reasons read oldest first)
    const placedAt = new Date(testTime(4).getTime() + ++holds * 1000);
    const [h] = await tx.insert(s.holds).values({ siteId: plant.siteId, targetType, targetId, reason, placedBy: plant.qualityId, placedAt }).returning();
    return h!;
  };
  const release = (holdId: string) =>
    tx.update(s.holds).set({ releasedAt: testTime(10), releasedBy: plant.qualityId, releaseReason: "Retested: in spec" }).where(and(eq(s.holds.siteId, plant.siteId), eq(s.holds.id, holdId)));
  return { plant, order, acme: acme!, base, activator, mixed, thinner, thinned, b, a, th, m1, clerk, mixCmd, from, consume, hold, release };
}

describe("a hold on a lot a mixed lot was mixed from", () => {
  it("a hold on the base lot after the mix makes the station refuse the mixed lot, naming the base lot; released, the mixed lot is usable", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const h = await f.hold("lot", f.b.id, "Viscosity out of spec");
      const e = await refusal(f.consume(0, f.m1.childLotId, testTime(6)));
      expect(e.code).toBe("LOT_ON_HOLD");
      expect(e.message).toBe("Lot BASE-1-M1 is not usable: mixed from lot BASE-1, which is on quality hold (Viscosity out of spec).");
      expect(refusalWords(e, "station", "fr", "Europe/Paris").message).toBe(
        "Le lot BASE-1-M1 est inutilisable : issu du mélange du lot BASE-1, qui est en blocage qualité (Viscosity out of spec).",
      );
      expect(await tx.select().from(s.genealogyEdges).where(eq(s.genealogyEdges.childLotId, f.m1.childLotId))).toHaveLength(0);

      // kitting sees the same hold: the mixed lot's candidate carries the base lot's hold reason
      const { candidates } = await loadCandidates(tx, f.plant.siteId, { partRevisionIds: [f.mixed.revisionId], lotId: f.m1.childLotId, anyLocationKind: true });
      expect(candidates.map((c) => c.holdReasons)).toEqual([["Viscosity out of spec"]]);
      // the WIP board's staged material at the station shows the hold on the mixed lot
      const staged = (await readStaged(tx, f.plant.siteId)).find((r) => r.lot_id === f.m1.childLotId);
      expect(staged!.holds).toEqual([{ holdId: h.id, reason: "Viscosity out of spec" }]);
      // a further mix of the held mixed lot is refused too
      const again = await refusal(mixLots(tx, f.clerk, f.mixCmd([f.from(f.mixed, f.m1.childLotId, "20", f.plant.loc.point_of_use), f.from(f.thinner, f.th.id, "2")]), testTime(6)));
      expect(again.code).toBe("LOT_ON_HOLD");

      await f.release(h.id);
      await f.consume(0, f.m1.childLotId, testTime(11));
      expect(await tx.select().from(s.genealogyEdges).where(eq(s.genealogyEdges.childLotId, f.m1.childLotId))).toHaveLength(1);
    });
  });

  it("a hold on the activator's manufacturer holds the mixed lot; a hold on the mixed lot itself keeps the usual wording", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const h = await f.hold("manufacturer", f.acme.id, "Counterfeit suspicion");
      const e = await refusal(f.consume(0, f.m1.childLotId, testTime(6)));
      expect(e.code).toBe("LOT_ON_HOLD");
      expect(e.message).toBe("Lot BASE-1-M1 is not usable: mixed from lot ACT-1, which is on quality hold (Counterfeit suspicion).");
      // its own hold as well: held in its own right, every reason given
      const own = await f.hold("lot", f.m1.childLotId, "Cure test pending");
      expect((await refusal(f.consume(0, f.m1.childLotId, testTime(6)))).message).toBe("Lot BASE-1-M1 is not usable: on quality hold (Counterfeit suspicion; Cure test pending).");
      await f.release(own.id);
      // a hold on the base's part revision as well: both inputs named
      const rev = await f.hold("part_revision", f.base.revisionId, "Supplier notice");
      const both = await refusal(f.consume(0, f.m1.childLotId, testTime(6)));
      expect(both.message).toBe("Lot BASE-1-M1 is not usable: mixed from lots ACT-1, BASE-1, which are on quality hold (Counterfeit suspicion; Supplier notice).");
      expect(refusalWords(both, "station", "fr", "Europe/Paris").message).toBe(
        "Le lot BASE-1-M1 est inutilisable : issu du mélange des lots ACT-1, BASE-1, qui sont en blocage qualité (Counterfeit suspicion; Supplier notice).",
      );
      await f.release(rev.id);
      await f.release(h.id);
      await f.consume(0, f.m1.childLotId, testTime(11));
    });
  });

  it("kitting's suggestion walk counts a mixed lot held through its input with the lots that may not be used", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      // a mixed lot in stores (expires first: the inputs' 90 days) and two plain lots of the mixed part expiring later
      const m = await mixLots(tx, f.clerk, { ...f.mixCmd([f.from(f.base, f.b.id, "20"), f.from(f.activator, f.a.id, "2")]), toLocation: "STORES" }, testTime(1));
      const plain: string[] = [];
      for (const [n, days] of [[1, 100], [2, 110]] as const) {
        const lot = await createTestLot(tx, f.plant.siteId, f.mixed.revisionId, { lotNumber: `SEAL-${n}`, expiresAt: testTime(60 * 24 * days) });
        const item = { partRevisionId: f.mixed.revisionId, lotId: lot.id, serialItemId: null };
        await postMovement(tx, { siteId: f.plant.siteId, kind: "receive_from_erp", occurredAt: testTime(1), legs: [{ ...item, locationId: f.plant.loc.erp_supply, quantity: "-10" }, { ...item, locationId: f.plant.loc.stores, quantity: "10" }] });
        plain.push(lot.id);
      }
      await f.hold("lot", f.b.id, "Viscosity out of spec");
      // one per revision (two read each way): the two plain lots are the usable ones, the held mixed lot is excluded
      const { candidates } = await loadCandidates(tx, f.plant.siteId, { partRevisionIds: [f.mixed.revisionId], limitPerRevision: 1, flagBefore: testTime(2) });
      const byLot = new Map(candidates.map((c) => [c.lotId, c.holdReasons]));
      expect(byLot.get(m.childLotId)).toEqual(["Viscosity out of spec"]);
      expect(plain.map((id) => byLot.get(id))).toEqual([[], []]);
    });
  });

  it("a mixed lot mixed again is held through both levels", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      // the thinned sealant: BASE-1-M1 20 G + THIN-1 2 G -> BASE-1-M1-M1
      const m2 = await mixLots(tx, f.clerk, f.mixCmd([f.from(f.mixed, f.m1.childLotId, "20", f.plant.loc.point_of_use), f.from(f.thinner, f.th.id, "2")]), testTime(1));
      await f.consume(0, m2.childLotId, testTime(2));

      const h = await f.hold("lot", f.b.id, "Viscosity out of spec");
      const e = await refusal(f.consume(1, m2.childLotId, testTime(6)));
      expect(e.code).toBe("LOT_ON_HOLD");
      expect(e.message).toBe(`Lot ${m2.childLotNumber} is not usable: mixed from lot BASE-1, which is on quality hold (Viscosity out of spec).`);
      expect((await refusal(f.consume(1, f.m1.childLotId, testTime(6)))).code).toBe("LOT_ON_HOLD");
      // a hold on the middle lot holds the top one through it
      await f.release(h.id);
      const mid = await f.hold("lot", f.m1.childLotId, "Pot life doubt");
      expect((await refusal(f.consume(1, m2.childLotId, testTime(11)))).message).toBe(
        `Lot ${m2.childLotNumber} is not usable: mixed from lot ${f.m1.childLotNumber}, which is on quality hold (Pot life doubt).`,
      );
      await f.release(mid.id);
      await f.consume(1, m2.childLotId, testTime(12));
    });
  });

  it("contains the units the mixed lot went into: the unit is affected (completion and shipment refuse it), counted, marked", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      // the thinned sealant mixed from the sealant; both installed before anything is held
      const m2 = await mixLots(tx, f.clerk, f.mixCmd([f.from(f.mixed, f.m1.childLotId, "20", f.plant.loc.point_of_use), f.from(f.thinner, f.th.id, "2")]), testTime(1));
      await f.consume(0, f.m1.childLotId, testTime(2));
      await f.consume(1, m2.childLotId, testTime(2));
      const unitSerial = (n: number) => f.order.units[n]!.serialItemId;
      expect(await activeHoldsInUnit(tx, f.plant.siteId, unitSerial(0))).toEqual([]);

      const h = await f.hold("manufacturer", f.acme.id, "Counterfeit suspicion");
      // both units contain material mixed from the held manufacturer's activator (one of them two mixes down)
      for (const n of [0, 1]) {
        const held = await activeHoldsInUnit(tx, f.plant.siteId, unitSerial(n));
        expect(held.map((x) => [x.holdId, x.reason])).toEqual([[h.id, "Counterfeit suspicion"]]);
      }
      expect(await activeHoldsInUnit(tx, f.plant.siteId, unitSerial(2))).toEqual([]);
      expect((await activeHoldReach(tx, f.plant.siteId)).get(h.id)).toEqual({ inWork: 2, finished: 0, shipped: 0 });
      const markers = await holdMarkersOf(tx, f.plant.siteId, { lotIds: [f.m1.childLotId, m2.childLotId, f.th.id], serialItemIds: [] });
      expect(markers.get(`lot:${f.m1.childLotId}`)?.map((m) => m.holdId)).toEqual([h.id]);
      expect(markers.get(`lot:${m2.childLotId}`)?.map((m) => m.holdId)).toEqual([h.id]);
      expect(markers.has(`lot:${f.th.id}`)).toBe(false);

      await f.release(h.id);
      expect(await activeHoldsInUnit(tx, f.plant.siteId, unitSerial(1))).toEqual([]);
      expect((await activeHoldReach(tx, f.plant.siteId)).has(h.id)).toBe(false);
    });
  });
});
