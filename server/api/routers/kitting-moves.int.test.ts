import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import { loadDemoIds, type DemoIds } from "@/db/seed/demo-plant";
import type { Db } from "@/db/client";
import { createCallerFactory, type Context } from "@/server/api/trpc";
import type { Actor } from "@/server/auth/types";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { kittingRouter } from "./kitting";
import { TEST_NOW } from "@/db/testing/clock";

/* The kitting router's stock moves and allowed-lot list: who may do what, and the answers the screens rely on. */

const t = useTestDatabase("demo");
const createCaller = createCallerFactory(kittingRouter);
let ids: DemoIds;

beforeAll(async () => {
  ids = await loadDemoIds(t.db);
});

const as = (db: Db, actor: Actor) => createCaller({ db, actor, clientKey: "test", now: () => TEST_NOW } satisfies Context);

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    return e instanceof TRPCError ? e.code : String(e);
  }
}

const SIGN = { method: "password" as const, secret: "demo-password", meaning: "approval" as const };

describe("kitting router: allowed lots", () => {
  it("lets the quality engineer read the work order and keep its allowed-lot list, but not kit; the clerk only reads the list", async () => {
    await inRollback(t.db, async (tx) => {
      const db = tx as unknown as Db;
      const priya = as(db, await actorFor(tx, "priya.raman"));
      const clerk = as(db, await actorFor(tx, "B1002"));
      const workOrderId = ids.workOrder("WCH", "WO-100234");
      const { lines, allowedLots } = await priya.workOrder({ workOrderId });
      expect(allowedLots).toEqual([]);
      expect((await priya.workOrders()).map((o) => o.number)).toContain("WO-100234");
      const oRings = lines.find((l) => l.partNumber === "M83248/1-214")!;

      const added = await priya.addAllowedLot({ requestId: randomUUID(), workOrderId, bomLineId: oRings.bomLineId, lot: "SE24-3420", reason: "O-rings from one cure batch only" , signature: SIGN });
      expect(added.lotNumber).toBe("SE24-3420");
      const after = await clerk.workOrder({ workOrderId });
      expect(after.allowedLots.map((a) => [a.lotNumber, a.workOrderBomLineId, a.reason])).toEqual([["SE24-3420", oRings.bomLineId, "O-rings from one cure batch only"]]);

      // the clerk sees the list but cannot change it; quality cannot kit, issue or move stock
      expect(await codeOf(clerk.addAllowedLot({ requestId: randomUUID(), workOrderId, lot: "SE24-3420", reason: "clerk tries" , signature: SIGN }))).toBe("FORBIDDEN");
      expect(await codeOf(clerk.removeAllowedLot({ requestId: randomUUID(), allowedLotId: added.allowedLotId, reason: "clerk tries" , signature: SIGN }))).toBe("FORBIDDEN");
      expect(await codeOf(priya.createKit({ requestId: randomUUID(), workOrderId, scope: { kind: "work_order" }, stationId: ids.station("WCH", "FA-01") }))).toBe("FORBIDDEN");
      expect(await codeOf(priya.stationStock({ stationId: ids.station("WCH", "FA-01") }))).toBe("FORBIDDEN");
      expect(await codeOf(priya.kit({ kitId: randomUUID() }))).toBe("FORBIDDEN");
      // bad input: an unknown lot, a lot of another part; nothing added
      expect(await codeOf(priya.addAllowedLot({ requestId: randomUUID(), workOrderId, lot: "NOPE-4711", reason: "unknown" , signature: SIGN }))).toBe("UNPROCESSABLE_CONTENT");
      expect(await codeOf(priya.addAllowedLot({ requestId: randomUUID(), workOrderId, lot: "MM24-1187", reason: "coil lot" , signature: SIGN }))).not.toBe("OK");
      expect((await clerk.workOrder({ workOrderId })).allowedLots).toHaveLength(1);

      await priya.removeAllowedLot({ requestId: randomUUID(), allowedLotId: added.allowedLotId, reason: "Batch question closed" , signature: SIGN });
      expect((await clerk.workOrder({ workOrderId })).allowedLots).toEqual([]);
      // another site's quality engineer does not find this order
      const sophie = as(db, await actorFor(tx, "sophie.martin"));
      expect(await codeOf(sophie.workOrder({ workOrderId }))).toBe("NOT_FOUND");
    });
  });
});

describe("kitting router: stock moves", () => {
  it("shows a station's stock with hold and expiry flags, finds a scan there, refuses a held transfer and returns it to stores", async () => {
    await inRollback(t.db, async (tx) => {
      const db = tx as unknown as Db;
      const clerk = as(db, await actorFor(tx, "B1002"));
      const fa02 = ids.station("WCH", "FA-02");
      const none = await clerk.stationStock({});
      expect(none.station).toBeNull();
      expect(none.stations.map((s) => s.code)).toContain("FA-02");
      expect(none.stores.map((s) => s.code)).toEqual(expect.arrayContaining(["ST-A01", "ST-FRZ"]));

      const view = await clerk.stationStock({ stationId: fa02 });
      const held = view.stock.find((r) => r.lotNumber === "KP24-0877")!;
      expect(held).toMatchObject({ onHold: true, locationCode: "POU-FA-02" });
      const fa01view = await clerk.stationStock({ stationId: ids.station("WCH", "FA-01") });
      expect(fa01view.stock.find((r) => r.lotNumber === "AC24-0331")).toMatchObject({ expired: true });

      const found = await clerk.findStationItem({ stationId: fa02, scan: "KP24-0877" });
      expect(found.map((r) => r.lotId)).toEqual([held.lotId]);
      expect(await codeOf(clerk.findStationItem({ stationId: fa02, scan: "AC24-0519" }))).toBe("CONFLICT");

      const item = { partRevisionId: held.partRevisionId, lotId: held.lotId, serialItemId: null };
      expect(
        await codeOf(clerk.transferBetweenStations({ requestId: randomUUID(), fromStationId: fa02, toStationId: ids.station("WCH", "FA-01"), item, quantity: "1", reason: "FA-01 short" })),
      ).toBe("PRECONDITION_FAILED");
      const requestId = randomUUID();
      const cmd = { requestId, stationId: fa02, toLocationId: ids.location("WCH", "ST-A01"), item, quantity: "1", reason: "Held lot back to stores for MRB" };
      const back = await clerk.returnToStores(cmd);
      expect(back).toMatchObject({ from: "POU-FA-02", to: "ST-A01", quantity: "1" });
      // the same request again (a retry after a lost answer): the same answer, moved once
      expect(await clerk.returnToStores(cmd)).toEqual(back);
      const again = await clerk.stationStock({ stationId: fa02 });
      expect(Number(again.stock.find((r) => r.lotNumber === "KP24-0877")!.quantity)).toBe(Number(held.quantity) - 1);
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);

      // another site's station is not found; an operator may not move stock
      expect(await codeOf(clerk.stationStock({ stationId: ids.station("TLS", "FA-21") }))).toBe("NOT_FOUND");
      const maria = as(db, await actorFor(tx, "B1001"));
      expect(await codeOf(maria.returnToStores({ ...cmd, requestId: randomUUID() }))).toBe("FORBIDDEN");
    });
  });
});
