import { describe, expect, it } from "vitest";
import { count, eq, and } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart, createTestSerial, createTestSite } from "@/db/testing/factories";
import { movements, stockBalances } from "@/db/schema";
import type { DbOrTx } from "@/db/client";
import { postMovement } from "./ledger";
import { failedChecks, runLedgerChecks } from "./ledger-checks";

const t = useTestDatabase("empty");
const now = new Date("2026-11-25T15:00:00Z");

async function onHand(db: DbOrTx, siteId: string, locationId: string, lotId: string | null, serialItemId: string | null = null) {
  const rows = await db
    .select({ onHand: stockBalances.onHand, lotId: stockBalances.lotId, serialItemId: stockBalances.serialItemId })
    .from(stockBalances)
    .where(and(eq(stockBalances.siteId, siteId), eq(stockBalances.locationId, locationId)));
  return rows.find((r) => r.lotId === lotId && r.serialItemId === serialItemId)?.onHand ?? null;
}

async function movementCount(db: DbOrTx, siteId: string) {
  const [row] = await db.select({ n: count() }).from(movements).where(eq(movements.siteId, siteId));
  return row!.n;
}

async function expectChecksGreen(db: DbOrTx) {
  expect(failedChecks(await runLedgerChecks(db))).toEqual([]);
}

describe("postMovement", () => {
  it("receives a lot from ERP supply into stores and moves part of it to point of use", async () => {
    await inRollback(t.db, async (tx) => {
      const site = await createTestSite(tx);
      const part = await createTestPart(tx, "lot");
      const lot = await createTestLot(tx, site.siteId, part.revisionId);
      const leg = { partRevisionId: part.revisionId, lotId: lot.id, serialItemId: null };
      await postMovement(tx, { siteId: site.siteId, kind: "receive_from_erp", occurredAt: now, legs: [
        { ...leg, locationId: site.loc.erp_supply, quantity: "-10.5" },
        { ...leg, locationId: site.loc.stores, quantity: "10.5" },
      ] });
      await postMovement(tx, { siteId: site.siteId, kind: "stage", occurredAt: now, legs: [
        { ...leg, locationId: site.loc.stores, quantity: "-4.25" },
        { ...leg, locationId: site.loc.point_of_use, quantity: "4.25" },
      ] });
      expect(await onHand(tx, site.siteId, site.loc.stores, lot.id)).toBe("6.250000");
      expect(await onHand(tx, site.siteId, site.loc.point_of_use, lot.id)).toBe("4.250000");
      expect(await onHand(tx, site.siteId, site.loc.erp_supply, lot.id)).toBe("-10.500000");
      await expectChecksGreen(tx);
    });
  });

  it("three draws of 0.1 from a lot of 0.3 leave exactly zero (scenario 8)", async () => {
    await inRollback(t.db, async (tx) => {
      const site = await createTestSite(tx);
      const part = await createTestPart(tx, "lot");
      const lot = await createTestLot(tx, site.siteId, part.revisionId);
      const leg = { partRevisionId: part.revisionId, lotId: lot.id, serialItemId: null };
      await postMovement(tx, { siteId: site.siteId, kind: "receive_from_erp", occurredAt: now, legs: [
        { ...leg, locationId: site.loc.erp_supply, quantity: "-0.3" },
        { ...leg, locationId: site.loc.point_of_use, quantity: "0.3" },
      ] });
      for (let i = 0; i < 3; i++) {
        await postMovement(tx, { siteId: site.siteId, kind: "consume", occurredAt: now, legs: [
          { ...leg, locationId: site.loc.point_of_use, quantity: "-0.1" },
          { ...leg, locationId: site.loc.consumed, quantity: "0.1" },
        ] });
      }
      expect(await onHand(tx, site.siteId, site.loc.point_of_use, lot.id)).toBe("0.000000");
      await expect(
        postMovement(tx, { siteId: site.siteId, kind: "consume", occurredAt: now, legs: [
          { ...leg, locationId: site.loc.point_of_use, quantity: "-0.000001" },
          { ...leg, locationId: site.loc.consumed, quantity: "0.000001" },
        ] }),
      ).rejects.toMatchObject({ code: "INSUFFICIENT_STOCK" });
      await expectChecksGreen(tx);
    });
  });

  it("refuses to take more than is on hand and writes nothing", async () => {
    const site = await createTestSite(t.db);
    const part = await createTestPart(t.db, "untracked");
    const leg = { partRevisionId: part.revisionId, lotId: null, serialItemId: null };
    await t.db.transaction((tx) =>
      postMovement(tx, { siteId: site.siteId, kind: "receive_from_erp", occurredAt: now, legs: [
        { ...leg, locationId: site.loc.erp_supply, quantity: "-5" },
        { ...leg, locationId: site.loc.stores, quantity: "5" },
      ] }),
    );
    const before = await movementCount(t.db, site.siteId);
    await expect(
      t.db.transaction((tx) =>
        postMovement(tx, { siteId: site.siteId, kind: "transfer", occurredAt: now, legs: [
          { ...leg, locationId: site.loc.stores, quantity: "-5.000001" },
          { ...leg, locationId: site.loc.kitting, quantity: "5.000001" },
        ] }),
      ),
    ).rejects.toMatchObject({ code: "INSUFFICIENT_STOCK" });
    expect(await movementCount(t.db, site.siteId)).toBe(before);
    expect(await onHand(t.db, site.siteId, site.loc.stores, null)).toBe("5.000000");
    expect(await onHand(t.db, site.siteId, site.loc.kitting, null)).toBeNull();
    await expectChecksGreen(t.db);
  });

  it("refuses unbalanced legs, zero legs, and a serial moved as more than one piece", async () => {
    await inRollback(t.db, async (tx) => {
      const site = await createTestSite(tx);
      const part = await createTestPart(tx, "serial");
      const serial = await createTestSerial(tx, site.siteId, part.revisionId);
      const leg = { partRevisionId: part.revisionId, lotId: null, serialItemId: serial.id };
      const base = { siteId: site.siteId, kind: "receive_from_erp" as const, occurredAt: now };
      await expect(postMovement(tx, { ...base, legs: [
        { ...leg, locationId: site.loc.erp_supply, quantity: "-1" },
        { ...leg, locationId: site.loc.stores, quantity: "2" },
      ] })).rejects.toMatchObject({ code: "UNBALANCED_MOVEMENT" });
      await expect(postMovement(tx, { ...base, legs: [{ ...leg, locationId: site.loc.stores, quantity: "1" }] })).rejects.toMatchObject({ code: "UNBALANCED_MOVEMENT" });
      await expect(postMovement(tx, { ...base, legs: [
        { ...leg, locationId: site.loc.erp_supply, quantity: "-2" },
        { ...leg, locationId: site.loc.stores, quantity: "2" },
      ] })).rejects.toMatchObject({ code: "UNBALANCED_MOVEMENT" });
      expect(await movementCount(tx, site.siteId)).toBe(0);
    });
  });

  it("keeps a serial in one place: receiving it twice is refused", async () => {
    await inRollback(t.db, async (tx) => {
      const site = await createTestSite(tx);
      const part = await createTestPart(tx, "serial");
      const serial = await createTestSerial(tx, site.siteId, part.revisionId);
      const leg = { partRevisionId: part.revisionId, lotId: null, serialItemId: serial.id };
      const receive = (to: string) =>
        postMovement(tx, { siteId: site.siteId, kind: "receive_from_erp", occurredAt: now, legs: [
          { ...leg, locationId: site.loc.erp_supply, quantity: "-1" },
          { ...leg, locationId: to, quantity: "1" },
        ] });
      await receive(site.loc.stores);
      await expect(tx.transaction(() => receive(site.loc.quarantine))).rejects.toMatchObject({ code: expect.stringMatching(/SERIAL_ALREADY_PLACED|INSUFFICIENT_STOCK/) });
      await expectChecksGreen(tx);
    });
  });

  it("moves a serial back and forth between locations, whichever way their keys sort", async () => {
    await inRollback(t.db, async (tx) => {
      const site = await createTestSite(tx);
      const part = await createTestPart(tx, "serial");
      const serial = await createTestSerial(tx, site.siteId, part.revisionId);
      const leg = { partRevisionId: part.revisionId, lotId: null, serialItemId: serial.id };
      const move = (from: string, to: string) =>
        postMovement(tx, { siteId: site.siteId, kind: "transfer", occurredAt: now, legs: [
          { ...leg, locationId: from, quantity: "-1" },
          { ...leg, locationId: to, quantity: "1" },
        ] });
      await move(site.loc.erp_supply, site.loc.stores);
      const stops = [site.loc.kitting, site.loc.kit_cart, site.loc.point_of_use, site.loc.quarantine, site.loc.stores];
      let at = site.loc.stores;
      for (let i = 0; i < 10; i++) {
        const next = stops[i % stops.length]!;
        if (next === at) continue;
        await move(at, next);
        at = next;
      }
      expect(await onHand(tx, site.siteId, at, null, serial.id)).toBe("1.000000");
      await expectChecksGreen(tx);
    });
  });

  it("lets exactly one of two concurrent takes of the last unit succeed (scenario 1, real commits)", async () => {
    const site = await createTestSite(t.db);
    const part = await createTestPart(t.db, "lot");
    const lot = await createTestLot(t.db, site.siteId, part.revisionId);
    const leg = { partRevisionId: part.revisionId, lotId: lot.id, serialItemId: null };
    await t.db.transaction((tx) =>
      postMovement(tx, { siteId: site.siteId, kind: "receive_from_erp", occurredAt: now, legs: [
        { ...leg, locationId: site.loc.erp_supply, quantity: "-1" },
        { ...leg, locationId: site.loc.point_of_use, quantity: "1" },
      ] }),
    );
    const take = () =>
      t.db.transaction((tx) =>
        postMovement(tx, { siteId: site.siteId, kind: "consume", occurredAt: now, legs: [
          { ...leg, locationId: site.loc.point_of_use, quantity: "-1" },
          { ...leg, locationId: site.loc.consumed, quantity: "1" },
        ] }),
      );
    for (let round = 0; round < 5; round++) {
      const results = await Promise.allSettled([take(), take()]);
      const ok = results.filter((r) => r.status === "fulfilled").length;
      if (round === 0) {
        expect(ok).toBe(1);
        const failure = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
        expect(failure.reason).toMatchObject({ code: "INSUFFICIENT_STOCK" });
      } else {
        expect(ok).toBe(0);
      }
    }
    expect(await onHand(t.db, site.siteId, site.loc.point_of_use, lot.id)).toBe("0.000000");
    await expectChecksGreen(t.db);
  });
});

describe("ledger checks", () => {
  it("catch a balance that no longer matches the ledger", async () => {
    await inRollback(t.ownerDb, async (tx) => {
      const site = await createTestSite(tx);
      const part = await createTestPart(tx, "untracked");
      const leg = { partRevisionId: part.revisionId, lotId: null, serialItemId: null };
      await postMovement(tx, { siteId: site.siteId, kind: "receive_from_erp", occurredAt: now, legs: [
        { ...leg, locationId: site.loc.erp_supply, quantity: "-3" },
        { ...leg, locationId: site.loc.stores, quantity: "3" },
      ] });
      await expectChecksGreen(tx);
      await tx.update(stockBalances).set({ onHand: "4" }).where(and(eq(stockBalances.siteId, site.siteId), eq(stockBalances.locationId, site.loc.stores)));
      const failed = failedChecks(await runLedgerChecks(tx)).map((f) => f.name);
      expect(failed).toContain("balances equal the ledger");
      expect(failed).toContain("item totals conserved across locations");
    });
  });
});
