import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart } from "@/db/testing/factories";
import { createStationOrder, createStationPlant, onHandAt, operatorActor, rowCounts } from "@/db/testing/station-fixtures";
import { testTime } from "@/db/testing/clock";
import * as s from "@/db/schema";
import type { Tx } from "@/db/client";
import { DomainError } from "@/server/domain/shared/errors";
import { replayClock, type ClockEvent } from "@/server/domain/material-clock/material-clock";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { postMovement } from "@/server/repos/ledger";
import { consumeComponent } from "@/server/services/station/consume-component";
import { returnToStores } from "@/server/services/kitting/return-to-stores";
import { findStockByScan, storageMove } from "./storage-move";

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

/** Refused with this code, and nothing written (ledger, audit, requests, clock events). */
async function expectRefused(tx: Tx, code: string, run: () => Promise<unknown>): Promise<DomainError> {
  const before = { rows: await rowCounts(tx), events: (await tx.select().from(s.lotClockEvents)).length };
  const e = await refusal(run());
  expect(e.code, e.message).toBe(code);
  expect({ rows: await rowCounts(tx), events: (await tx.select().from(s.lotClockEvents)).length }).toEqual(before);
  return e;
}

/** A frozen two-hour sealant (30 minutes to thaw) in freezer FRZ-1, needed 0.3 KG per unit at op 10 of three units. */
async function setup(tx: Tx) {
  const plant = await createStationPlant(tx);
  const sealant = await createTestPart(tx, "lot", { description: "Sealant PR-1776 B2", uom: "KG", outTimeMinutes: 120, minThawMinutes: 30, storageClass: "freezer" });
  const [freezer] = await tx
    .insert(s.storageLocations)
    .values({ siteId: plant.siteId, code: "FRZ-1", name: "Freezer 1", kind: "stores", isPhysical: true, storageClass: "freezer" })
    .returning();
  const order = await createStationOrder(tx, plant, {
    number: `WO-${randomUUID().slice(0, 6)}`,
    serials: ["U-1", "U-2", "U-3"],
    ops: [{ seq: 10 }],
    bom: [{ find: 10, partRevisionId: sealant.revisionId, qty: "0.3", op: 10 }],
  });
  const lot = await createTestLot(tx, plant.siteId, sealant.revisionId, { lotNumber: "PR1776-0042", expiresAt: testTime(60 * 24 * 90) });
  const item = { partRevisionId: sealant.revisionId, lotId: lot.id, serialItemId: null };
  await postMovement(tx, {
    siteId: plant.siteId,
    kind: "receive_from_erp",
    occurredAt: testTime(-60),
    legs: [
      { ...item, locationId: plant.loc.erp_supply, quantity: "-1" },
      { ...item, locationId: freezer!.id, quantity: "1" },
    ],
  });
  const clerk = plant.actor(["kitting_clerk"]);
  const operator = operatorActor(plant);
  const consume = (unit: number, at: Date) =>
    consumeComponent(tx, operator, { requestId: rid(), stationId: plant.stationId, unitId: order.units[unit]!.unitId, operationSeq: 10, item: { lotId: lot.id }, quantity: "0.3" }, at);
  const move = (to: string, quantity: string, from: string, at: Date) => storageMove(tx, clerk, { requestId: rid(), item, fromLocationId: from, toLocation: to, quantity }, at);
  return { plant, sealant, freezer: freezer!, order, lot, item, clerk, consume, move };
}

describe("out-time clocks through storage moves and consumption", () => {
  it("accumulates over check-out / check-in cycles, waits for the thaw, accepts one minute before the out-time is spent and refuses one minute after", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const pou = f.plant.loc.point_of_use;

      // cycle 1: out of the freezer at +0 (clock and thaw start), used at +30, back at +60
      const out1 = await f.move("point_of_use", "1", f.freezer.id, testTime(0));
      expect(out1.clock).toMatchObject({ event: "check_out", lotNumber: "PR1776-0042", clock: { running: true, remainingMinutes: 120, thaw: "thawing" } });
      const thawing = await expectRefused(tx, "THAW_INCOMPLETE", () => f.consume(0, testTime(29)));
      expect(thawing.message).toContain("Lot PR1776-0042 is not usable: still thawing");
      await f.consume(0, testTime(30));
      const in1 = await f.move("FRZ-1", "0.7", pou, testTime(60));
      expect(in1.clock).toMatchObject({ event: "check_in", clock: { running: false, remainingMinutes: 60 } });

      // while it is in the freezer nothing runs out, and frozen material cannot be used
      // cycle 2: out at +600; thawed at +630; 60 minutes left, so it runs out at +660
      await f.move("POINT_OF_USE", "0.7", f.freezer.id, testTime(600));
      await expectRefused(tx, "THAW_INCOMPLETE", () => f.consume(1, testTime(620)));
      await f.consume(1, testTime(659)); // one minute before
      const spent = await expectRefused(tx, "OUT_TIME_EXCEEDED", () => f.consume(2, testTime(661))); // one minute after
      expect(spent.message).toMatch(/its 120 minutes of out-time are used/);
      expect(spent.message).toContain("ran out at 2026-11-25 21:42"); // +660 in the site's time zone (America/Chicago)

      // the history is append-only and replays to the lot's projection
      const events = await tx.select().from(s.lotClockEvents).where(eq(s.lotClockEvents.lotId, f.lot.id)).orderBy(asc(s.lotClockEvents.occurredAt));
      expect(events.map((e) => [e.kind, e.occurredAt.toISOString(), e.outTimeUsedSeconds, e.thawStarted])).toEqual([
        ["check_out", testTime(0).toISOString(), 0, true],
        ["check_in", testTime(60).toISOString(), 3600, false],
        ["check_out", testTime(600).toISOString(), 3600, true],
      ]);
      const replayed = replayClock(
        events.map((e): ClockEvent => (e.kind === "check_out" ? { kind: "check_out", at: e.occurredAt, fromFreezer: e.thawStarted } : { kind: "check_in", at: e.occurredAt })),
      );
      const [lot] = await tx.select().from(s.lots).where(eq(s.lots.id, f.lot.id));
      expect({ startedAt: lot!.outTimeStartedAt, usedSeconds: lot!.outTimeUsedSeconds, thawStartedAt: lot!.thawStartedAt }).toEqual({
        startedAt: replayed.startedAt,
        usedSeconds: replayed.usedSeconds,
        thawStartedAt: replayed.thawStartedAt,
      });
      expect(await onHandAt(tx, f.plant.siteId, pou, f.item)).toBe("0.4");
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);

      // the floor sees it: remaining out-time, thaw state, effective expiry where the lot is
      const [where] = await findStockByScan(tx, f.clerk, { scan: "PR1776-0042" }, testTime(640));
      expect(where).toMatchObject({ locationCode: "POINT_OF_USE", onHand: "0.400000", clock: { running: true, remainingMinutes: 20, thaw: { state: "thawed" } } });
      expect(where!.clock!.effectiveExpiry).toEqual({ at: testTime(660), cause: "out_time" });
    });
  });

  it("puts material only where its storage class allows, refused with the reason and nothing written", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const e = await expectRefused(tx, "STORAGE_CLASS_MISMATCH", () => f.move("STORES", "1", f.freezer.id, testTime(0)));
      expect(e.message).toBe("Lot PR1776-0042 must be kept in freezer storage; STORES is ambient storage.");
      await expectRefused(tx, "NOT_FOUND", () => f.move("NO-SUCH-BIN", "1", f.freezer.id, testTime(0)));

      // ambient material stays out of the freezer
      const ambient = await createTestPart(tx, "lot", { description: "Primer" });
      const primer = await createTestLot(tx, f.plant.siteId, ambient.revisionId, { lotNumber: "PRM-1" });
      const item = { partRevisionId: ambient.revisionId, lotId: primer.id, serialItemId: null };
      await postMovement(tx, { siteId: f.plant.siteId, kind: "receive_from_erp", occurredAt: testTime(0), legs: [{ ...item, locationId: f.plant.loc.erp_supply, quantity: "-2" }, { ...item, locationId: f.plant.loc.stores, quantity: "2" }] });
      const cold = await expectRefused(tx, "STORAGE_CLASS_MISMATCH", () => storageMove(tx, f.clerk, { requestId: rid(), item, fromLocationId: f.plant.loc.stores, toLocation: "FRZ-1", quantity: "1" }, testTime(1)));
      expect(cold.message).toBe("Lot PRM-1 must be kept at ambient temperature; FRZ-1 is freezer storage.");

      // the return from a station to stores follows the same rule; back into the freezer it stops the clock
      await f.move("POINT_OF_USE", "1", f.freezer.id, testTime(0));
      const back = { requestId: rid(), stationId: f.plant.stationId, item: f.item, quantity: "1", reason: "End of shift" };
      await expectRefused(tx, "STORAGE_CLASS_MISMATCH", () => returnToStores(tx, f.clerk, { ...back, toLocationId: f.plant.loc.stores }, testTime(45)));
      await returnToStores(tx, f.clerk, { ...back, toLocationId: f.freezer.id }, testTime(45));
      const [lot] = await tx.select().from(s.lots).where(and(eq(s.lots.siteId, f.plant.siteId), eq(s.lots.id, f.lot.id)));
      expect(lot).toMatchObject({ outTimeStartedAt: null, outTimeUsedSeconds: 45 * 60 });
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it("a lot with its out-time spent does not go back out to a station; a retried move has one effect", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const cmd = { requestId: rid(), item: f.item, fromLocationId: f.freezer.id, toLocation: "POINT_OF_USE", quantity: "1" };
      const first = await storageMove(tx, f.clerk, cmd, testTime(0));
      expect(await storageMove(tx, f.clerk, cmd, testTime(0))).toEqual(first);
      expect(await tx.select().from(s.lotClockEvents).where(eq(s.lotClockEvents.lotId, f.lot.id))).toHaveLength(1);
      await f.move("FRZ-1", "1", f.plant.loc.point_of_use, testTime(130)); // 130 of 120 minutes used
      const e = await expectRefused(tx, "OUT_TIME_EXCEEDED", () => f.move("POINT_OF_USE", "1", f.freezer.id, testTime(200)));
      expect(e.message).toMatch(/It cannot go to another station/);
    });
  });
});
