import { beforeAll, describe, expect, it } from "vitest";
import Decimal from "decimal.js";
import { TRPCError } from "@trpc/server";
import { useTestDatabase } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import { DEMO, loadDemoIds, type DemoIds } from "@/db/seed/demo-plant";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { createCallerFactory, type Context } from "@/server/api/trpc";
import type { Actor } from "@/server/auth/types";
import { stationRouter } from "./station";

const t = useTestDatabase("demo");
const createCaller = createCallerFactory(stationRouter);
let ids: DemoIds;

beforeAll(async () => {
  ids = await loadDemoIds(t.db);
});

const callerAs = (actor: Actor | null, now = new Date()) =>
  createCaller({ db: t.db, actor, clientKey: "test", now: () => now } satisfies Context);

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    return e instanceof TRPCError ? e.code : String(e);
  }
}

describe("station router", () => {
  it("lists the operator's site stations with the units queued at each (next pending operation at the station's work center)", async () => {
    const maria = await actorFor(t.db, "B1001");
    const stations = await callerAs(maria).list();
    const codes = stations.map((s) => s.code);
    expect(codes).toEqual(["AT-01", "FA-01", "FA-02", "SV-01", "TM-01"]);
    expect(codes).not.toContain("FA-21"); // Toulouse

    const fa01 = stations.find((s) => s.code === "FA-01")!;
    const serials = fa01.queue.map((q) => q.serial);
    // ACT-1002 is in progress at op 30 (first), ACT-1003 waits for op 20, the rest of both actuator orders for op 10.
    expect(serials[0]).toBe("ACT-1002");
    expect(fa01.queue[0]!.operationStatus).toBe("in_progress");
    expect(fa01.queue[0]!.operationSeq).toBe(30);
    expect(serials).toEqual(expect.arrayContaining(["ACT-1003", "ACT-1004", "ACT-1005", "ACT-1006", "ACT-1007", "ACT-1010"]));
    expect(serials).not.toContain("ACT-1001"); // completed
    expect(serials.some((s) => s.startsWith("ACT-2"))).toBe(false); // Toulouse units
    expect(fa01.queue.find((q) => q.serial === "ACT-1003")!.operationSeq).toBe(20);

    // Both final-assembly stations share the work center, so both show the same queue.
    expect(stations.find((s) => s.code === "FA-02")!.queue.map((q) => q.serial)).toEqual(serials);
    // The servo-valve bench has SV-3003 in progress at op 20; the acceptance rig has nothing waiting.
    expect(stations.find((s) => s.code === "SV-01")!.queue.map((q) => [q.serial, q.operationSeq, q.operationStatus])).toEqual([
      ["SV-3003", 20, "in_progress"],
    ]);
    expect(stations.find((s) => s.code === "AT-01")!.queue).toEqual([]);
    expect(fa01.pointOfUseAttention).toBeGreaterThanOrEqual(1); // the expired sealant lot
  });

  it("shows a station's point-of-use stock with exact quantities, expiry against now, and hold flags", async () => {
    const maria = await actorFor(t.db, "B1001");
    const now = new Date();
    const fa01 = await callerAs(maria, now).get({ stationId: ids.station("WCH", "FA-01") });
    expect(fa01.station.code).toBe("FA-01");

    const expired = fa01.stock.find((l) => l.lotNumber === DEMO.expiredLot.lotNumber)!;
    expect(expired.partNumber).toBe("PR-1422-B2");
    expect(expired.expired).toBe(true);
    expect(new Decimal(expired.quantity).eq(100)).toBe(true);
    expect(expired.onHold).toBe(false);

    // 250 g staged, 12.5 g went into ACT-1001: 237.5 left, read as an exact decimal string.
    const good = fa01.stock.find((l) => l.lotNumber === "AC24-0519")!;
    expect(good.expired).toBe(false);
    expect(new Decimal(good.quantity).eq("237.5")).toBe(true);

    // The same lot read at a moment before it expired is not expired: expiry is decided against the `now` passed in.
    const earlier = new Date(now.getTime() - 40 * 86_400_000);
    const before = await callerAs(maria, earlier).get({ stationId: ids.station("WCH", "FA-01") });
    expect(before.stock.find((l) => l.lotNumber === DEMO.expiredLot.lotNumber)!.expired).toBe(false);

    const fa02 = await callerAs(maria).get({ stationId: ids.station("WCH", "FA-02") });
    const held = fa02.stock.find((l) => l.lotNumber === DEMO.heldLot.lotNumber)!;
    expect(held.onHold).toBe(true);
    expect(new Decimal(held.quantity).eq(4)).toBe(true); // 6 staged, 2 installed into ACT-1002

    // Installed serials are no longer at the point of use; the ones still staged are, each with quantity 1.
    const serialsHere = fa01.stock.filter((l) => l.serialNumber).map((l) => l.serialNumber);
    expect(serialsHere).not.toContain("SV-3001");
    expect(serialsHere).toContain("NI-A-0042");
    expect(failedChecks(await runLedgerChecks(t.db))).toEqual([]);
  });

  it("answers NOT_FOUND for a station of another site, as for one that does not exist", async () => {
    const maria = await actorFor(t.db, "B1001");
    expect(await codeOf(callerAs(maria).get({ stationId: ids.station("TLS", "FA-21") }))).toBe("NOT_FOUND");
    expect(await codeOf(callerAs(maria).get({ stationId: "6f1c2d1e-0000-4000-8000-000000000000" }))).toBe("NOT_FOUND");
    expect(await codeOf(callerAs(maria).get({ stationId: "not-a-station" }))).toBe("BAD_REQUEST");
  });

  it("refuses roles without the station area, and anyone signed out", async () => {
    const jamal = await actorFor(t.db, "B1002"); // kitting clerk
    const priya = await actorFor(t.db, "priya.raman"); // quality engineer
    expect(await codeOf(callerAs(jamal).list())).toBe("FORBIDDEN");
    expect(await codeOf(callerAs(priya).get({ stationId: ids.station("WCH", "FA-01") }))).toBe("FORBIDDEN");
    expect(await codeOf(callerAs(null).list())).toBe("UNAUTHORIZED");
    // A supervisor reads every floor area.
    const dan = await actorFor(t.db, "dan.whitaker");
    expect(await codeOf(callerAs(dan).list())).toBe("OK");
  });
});
