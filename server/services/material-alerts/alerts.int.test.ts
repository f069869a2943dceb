import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart, createTestSerial } from "@/db/testing/factories";
import { createStationOrder, createStationPlant } from "@/db/testing/station-fixtures";
import { testTime } from "@/db/testing/clock";
import * as s from "@/db/schema";
import type { Tx } from "@/db/client";
import { postMovement } from "@/server/repos/ledger";
import { DomainError } from "@/server/domain/shared/errors";
import { countMaterialAlerts, listMaterialAlerts, setAlertHorizons } from "./alerts";

const t = useTestDatabase("empty");
const DAY_MIN = 24 * 60;

type Item = { partRevisionId: string; lotId: string | null; serialItemId: string | null };
async function receive(tx: Tx, siteId: string, from: string, to: string, item: Item, quantity: string) {
  await postMovement(tx, {
    siteId,
    kind: "receive_from_erp",
    occurredAt: testTime(-600),
    legs: [
      { ...item, locationId: from, quantity: `-${quantity}` },
      { ...item, locationId: to, quantity },
    ],
  });
}

/**
 * Site A (horizons 120 min of out-time, 30 days of shelf life): a sealant lot out of storage at ST1's point of use whose
 * out-time runs out at +100; a primer lot in stores expiring 30 days and 10 minutes after TEST_NOW, picked into an open
 * kit for ST2; a spent adhesive lot back in stores; a serial expiring in 5 days at ST3's point of use; a lot far from
 * expiring. Site B: a lot expiring tomorrow.
 */
async function setup(tx: Tx) {
  const a = await createStationPlant(tx);
  await tx.update(s.sites).set({ alertOutTimeMinutes: 120, alertShelfLifeDays: 30 }).where(eq(s.sites.id, a.siteId));
  const sealant = await createTestPart(tx, "lot", { description: "Sealant", uom: "KG", outTimeMinutes: 300, storageClass: "freezer" });
  const primer = await createTestPart(tx, "lot", { description: "Primer", uom: "L" });
  const adhesive = await createTestPart(tx, "lot", { description: "Adhesive", uom: "KG", outTimeMinutes: 60, storageClass: "refrigerated" });
  const bearing = await createTestPart(tx, "serial", { description: "Bearing" });
  const sealantLot = await createTestLot(tx, a.siteId, sealant.revisionId, { lotNumber: "SEAL-1", outTimeStartedAt: testTime(-200), expiresAt: testTime(200 * DAY_MIN) });
  const primerLot = await createTestLot(tx, a.siteId, primer.revisionId, { lotNumber: "PRIM-1", expiresAt: testTime(30 * DAY_MIN + 10) });
  const spentLot = await createTestLot(tx, a.siteId, adhesive.revisionId, { lotNumber: "ADH-1", outTimeUsedSeconds: 3600 });
  const farLot = await createTestLot(tx, a.siteId, primer.revisionId, { lotNumber: "PRIM-2", expiresAt: testTime(90 * DAY_MIN) });
  const serial = await createTestSerial(tx, a.siteId, bearing.revisionId, { serialNumber: "BRG-7", expiresAt: testTime(5 * DAY_MIN) });
  const lotItem = (rev: string, lotId: string) => ({ partRevisionId: rev, lotId, serialItemId: null });
  await receive(tx, a.siteId, a.loc.erp_supply, a.loc.point_of_use, lotItem(sealant.revisionId, sealantLot.id), "2");
  await receive(tx, a.siteId, a.loc.erp_supply, a.loc.stores, lotItem(primer.revisionId, primerLot.id), "5");
  await receive(tx, a.siteId, a.loc.erp_supply, a.loc.stores, lotItem(adhesive.revisionId, spentLot.id), "1");
  await receive(tx, a.siteId, a.loc.erp_supply, a.loc.stores, lotItem(primer.revisionId, farLot.id), "5");
  await receive(tx, a.siteId, a.loc.erp_supply, a.pou3, { partRevisionId: bearing.revisionId, lotId: null, serialItemId: serial.id }, "1");

  // an open kit for ST2 with the primer picked from stores
  const order = await createStationOrder(tx, a, { number: "WO-ALERT", serials: ["U-1"], ops: [{ seq: 10 }], bom: [{ find: 10, partRevisionId: primer.revisionId, qty: "1", op: 10 }] });
  const [bomLine] = await tx.select().from(s.workOrderBomLines).where(eq(s.workOrderBomLines.workOrderId, order.workOrderId));
  const [kit] = await tx
    .insert(s.kits)
    .values({ siteId: a.siteId, number: "K-ALERT-01", workOrderId: order.workOrderId, scope: "work_order", stationId: a.station2Id, status: "picking", createdBy: a.operatorId, createdAt: testTime(-30) })
    .returning();
  const [line] = await tx.insert(s.kitLines).values({ siteId: a.siteId, kitId: kit!.id, workOrderBomLineId: bomLine!.id, partRevisionId: primer.revisionId, requiredQty: "1" }).returning();
  await tx.insert(s.kitPicks).values({ siteId: a.siteId, kitId: kit!.id, kitLineId: line!.id, locationId: a.loc.stores, partRevisionId: primer.revisionId, lotId: primerLot.id, quantity: "1", pickedBy: a.operatorId, pickedAt: testTime(-20) });

  const b = await createStationPlant(tx);
  const bLot = await createTestLot(tx, b.siteId, primer.revisionId, { lotNumber: "PRIM-B", expiresAt: testTime(DAY_MIN) });
  await receive(tx, b.siteId, b.loc.erp_supply, b.loc.stores, lotItem(primer.revisionId, bLot.id), "1");
  return { a, b, kit: kit! };
}

const items = (list: { item: string; kind: string }[]) => list.map((x) => `${x.item}/${x.kind}`).sort();

describe("material alerts", () => {
  it("out-time: in the list from the minute its end is within the horizon, not one minute before", async () => {
    await inRollback(t.db, async (tx) => {
      const { a } = await setup(tx);
      // SEAL-1 runs out at +100 (started -200, 300 minutes); horizon 120 minutes: listed from -20
      const before = await listMaterialAlerts(tx, a.siteId, { kind: "out_time" }, testTime(-21));
      expect(items(before.alerts)).toEqual(["ADH-1/out_time"]);
      const after = await listMaterialAlerts(tx, a.siteId, { kind: "out_time" }, testTime(-19));
      expect(items(after.alerts)).toEqual(["ADH-1/out_time", "SEAL-1/out_time"]);
      const seal = after.alerts.find((x) => x.item === "SEAL-1")!;
      expect(seal).toMatchObject({ at: testTime(100), minutesLeft: 119, passed: false, locationCode: "POINT_OF_USE", stations: ["ST1"], next: "use_or_return", onHand: "2.000000" });
      // the spent lot back in storage: already passed, do not use
      expect(after.alerts.find((x) => x.item === "ADH-1")).toMatchObject({ at: null, passed: true, next: "do_not_use_out_time", locationCode: "STORES" });
      // once spent, SEAL-1 says so
      const spent = await listMaterialAlerts(tx, a.siteId, { kind: "out_time" }, testTime(101));
      expect(spent.alerts.find((x) => x.item === "SEAL-1")).toMatchObject({ passed: true, minutesLeft: -1, next: "do_not_use_out_time" });
    });
  });

  it("shelf life: in the list from the minute its expiry is within the horizon, not one minute before", async () => {
    await inRollback(t.db, async (tx) => {
      const { a } = await setup(tx);
      // PRIM-1 expires at 30 days + 10 minutes; horizon 30 days: listed from +10
      expect(items((await listMaterialAlerts(tx, a.siteId, { kind: "expiry" }, testTime(9))).alerts)).toEqual(["BRG-7/expiry"]);
      const after = await listMaterialAlerts(tx, a.siteId, { kind: "expiry" }, testTime(11));
      expect(items(after.alerts)).toEqual(["BRG-7/expiry", "PRIM-1/expiry"]);
      expect(after.alerts.find((x) => x.item === "PRIM-1")).toMatchObject({ minutesLeft: 30 * DAY_MIN - 1, next: "use_first_or_retest", stations: ["ST2"], kits: [{ kitNumber: "K-ALERT-01", stationCode: "ST2" }] });
      // a wider horizon from the list's filter takes the far lot too; the site's own stays as it was
      const wide = await listMaterialAlerts(tx, a.siteId, { kind: "expiry", shelfLifeDays: 120 }, testTime(0));
      expect(items(wide.alerts)).toEqual(["BRG-7/expiry", "PRIM-1/expiry", "PRIM-2/expiry"]);
      expect(wide).toMatchObject({ horizons: { shelfLifeDays: 120, outTimeMinutes: 120 }, siteHorizons: { shelfLifeDays: 30, outTimeMinutes: 120 } });
    });
  });

  it("per station: the material at its point of use and in open kits for it", async () => {
    await inRollback(t.db, async (tx) => {
      const { a } = await setup(tx);
      const at = testTime(11);
      expect(items((await listMaterialAlerts(tx, a.siteId, { station: "ST1" }, at)).alerts)).toEqual(["SEAL-1/out_time"]);
      expect(items((await listMaterialAlerts(tx, a.siteId, { station: "ST2" }, at)).alerts)).toEqual(["PRIM-1/expiry"]);
      expect(items((await listMaterialAlerts(tx, a.siteId, { station: "ST3" }, at)).alerts)).toEqual(["BRG-7/expiry"]);
      // issued, the kit no longer counts for ST2 (its material would then be at the point of use)
      await tx.update(s.kits).set({ status: "issued" }).where(eq(s.kits.number, "K-ALERT-01"));
      expect((await listMaterialAlerts(tx, a.siteId, { station: "ST2" }, at)).alerts).toEqual([]);
    });
  });

  it("site isolation: each site sees its own material only; the badge counts what the list shows", async () => {
    await inRollback(t.db, async (tx) => {
      const { a, b } = await setup(tx);
      const at = testTime(11);
      const listA = await listMaterialAlerts(tx, a.siteId, {}, at);
      expect(items(listA.alerts)).toEqual(["ADH-1/out_time", "BRG-7/expiry", "PRIM-1/expiry", "SEAL-1/out_time"]);
      expect(await countMaterialAlerts(tx, a.siteId, at)).toEqual({ count: 4, passed: 1 });
      const listB = await listMaterialAlerts(tx, b.siteId, {}, at);
      expect(items(listB.alerts)).toEqual(["PRIM-B/expiry"]);
      expect(listB.stations).toEqual(["ST1", "ST2", "ST3"]);
      expect(await countMaterialAlerts(tx, b.siteId, at)).toEqual({ count: 1, passed: 0 });
    });
  });

  it("the site's horizons: changed by a supervisor with an audit row; out of range refused, nothing written", async () => {
    await inRollback(t.db, async (tx) => {
      const { a } = await setup(tx);
      const supervisor = a.actor(["supervisor"]);
      const audits = async () => (await tx.select().from(s.auditLog).where(eq(s.auditLog.action, "site.alert_horizons"))).length;
      await expect(setAlertHorizons(tx, supervisor, { outTimeMinutes: 0, shelfLifeDays: 30 }, testTime(0))).rejects.toBeInstanceOf(DomainError);
      await expect(setAlertHorizons(tx, supervisor, { outTimeMinutes: 60, shelfLifeDays: 731 }, testTime(0))).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
      expect(await audits()).toBe(0);
      await setAlertHorizons(tx, supervisor, { outTimeMinutes: 480, shelfLifeDays: 7, reason: "Night shift" }, testTime(0));
      const [row] = await tx.select().from(s.auditLog).where(eq(s.auditLog.action, "site.alert_horizons"));
      expect(row).toMatchObject({ oldValue: { outTimeMinutes: 120, shelfLifeDays: 30 }, newValue: { outTimeMinutes: 480, shelfLifeDays: 7 }, reason: "Night shift" });
      const list = await listMaterialAlerts(tx, a.siteId, {}, testTime(11));
      expect(items(list.alerts)).toEqual(["ADH-1/out_time", "BRG-7/expiry", "SEAL-1/out_time"]);
    });
  });
});
