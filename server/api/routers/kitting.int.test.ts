import { beforeAll, describe, expect, it } from "vitest";
import Decimal from "decimal.js";
import { TRPCError } from "@trpc/server";
import { useTestDatabase } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import { loadDemoIds, type DemoIds } from "@/db/seed/demo-plant";
import { createCallerFactory, type Context } from "@/server/api/trpc";
import type { Actor } from "@/server/auth/types";
import { randomUUID } from "node:crypto";
import { inRollback } from "@/db/testing/test-database";
import type { Db } from "@/db/client";
import { kittingRouter } from "./kitting";
import { stationRouter } from "./station";
import { TEST_NOW } from "@/db/testing/clock";

const t = useTestDatabase("demo");
const createCaller = createCallerFactory(kittingRouter);
let ids: DemoIds;

beforeAll(async () => {
  ids = await loadDemoIds(t.db);
});

const callerAs = (actor: Actor | null) => createCaller({ db: t.db, actor, clientKey: "test", now: () => TEST_NOW } satisfies Context);

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    return e instanceof TRPCError ? e.code : String(e);
  }
}

const eq = (a: string, b: string | number) => new Decimal(a).eq(b);

describe("kitting router", () => {
  it("lists the site's open work orders by due date, without completed ones or another site's", async () => {
    const jamal = await actorFor(t.db, "B1002");
    const orders = await callerAs(jamal).workOrders();
    expect(orders.map((o) => o.number)).toEqual(["WO-100232", "WO-100233", "WO-100234"]);
    const dues = orders.map((o) => o.dueDate);
    expect([...dues].sort()).toEqual(dues);
    const wo = orders.find((o) => o.number === "WO-100233")!;
    expect(wo.quantity).toBe(6);
    expect(wo.lines).toHaveLength(9);
    expect(wo.linesCovered).toBe(wo.lines.filter((l) => l.covered).length);
  });

  it("gives each BOM line required vs installed vs usable stock at the operation's stations, in exact decimals", async () => {
    const jamal = await actorFor(t.db, "B1002");
    const { workOrder, lines } = await callerAs(jamal).workOrder({ workOrderId: ids.workOrder("WCH", "WO-100233") });
    expect(workOrder.number).toBe("WO-100233");
    expect(lines.map((l) => l.findNumber)).toEqual([10, 20, 30, 40, 50, 60, 70, 70, 80]);

    // Sealant: 12.5 g per unit x 6 units = 75 g; ACT-1001 took 12.5 g. At FA-01: the expired lot (100 g) does not count,
    // the good lot has 237.5 g left.
    const sealant = lines.find((l) => l.partNumber === "PR-1422-B2")!;
    expect(eq(sealant.required, 75)).toBe(true);
    expect(eq(sealant.installed, "12.5")).toBe(true);
    expect(eq(sealant.remaining, "62.5")).toBe(true);
    expect(eq(sealant.atPointOfUse, "237.5")).toBe(true);
    expect(sealant.covered).toBe(true);
    expect(sealant.workCenterCode).toBe("WC-FA");

    // Brackets: 2 per unit = 12; three units have theirs (6). At the stations: 6 of lot KP24-0901 at FA-01 count,
    // the 4 of held lot KP24-0877 at FA-02 do not.
    const brackets = lines.find((l) => l.partNumber === "BKT-4410-07")!;
    expect(eq(brackets.required, 12)).toBe(true);
    expect(eq(brackets.installed, 6)).toBe(true);
    expect(eq(brackets.atPointOfUse, 6)).toBe(true);
    expect(brackets.covered).toBe(true);

    // O-rings -214: the disqualified manufacturer's lot staged at FA-01 does not count; pending-inspection stock sits in
    // quarantine (not stores), so stores hold only the accepted lot.
    const orings = lines.find((l) => l.partNumber === "M83248/1-214")!;
    expect(eq(orings.atPointOfUse, 26)).toBe(true); // 18 at FA-01 + 8 at FA-02 of lot SE24-3420
    expect(eq(orings.inStores, 170)).toBe(true); // SE24-3420: 200 received - 30 staged

    // Nothing of the harness rev B is at the stations yet except NI-B-0101 at FA-02.
    const harnessB = lines.find((l) => l.partNumber === "HAR-5521-01" && l.revision === "B")!;
    expect(eq(harnessB.atPointOfUse, 1)).toBe(true);

    // Required by unit with effectivity (as the pick list counts): rev A for ACT-1001..ACT-1004, rev B from ACT-1005;
    // neither line asks for all six units, so no false shortage of a revision no unit needs.
    const harnessA = lines.find((l) => l.partNumber === "HAR-5521-01" && l.revision === "A")!;
    const serials = (await callerAs(jamal).workOrder({ workOrderId: ids.workOrder("WCH", "WO-100233") })).units.map((u) => u.serial);
    const inA = serials.filter((x) => x.localeCompare("ACT-1004", "en", { numeric: true }) <= 0).length;
    expect(inA).toBe(4);
    expect(eq(harnessA.required, Number(harnessA.quantityPerUnit) * inA)).toBe(true);
    expect(eq(harnessB.required, Number(harnessB.quantityPerUnit) * (serials.length - inA))).toBe(true);
  });

  it("answers NOT_FOUND for another site's work order and FORBIDDEN for roles without kitting", async () => {
    const jamal = await actorFor(t.db, "B1002");
    expect(await codeOf(callerAs(jamal).workOrder({ workOrderId: ids.workOrder("TLS", "WO-200101") }))).toBe("NOT_FOUND");
    const maria = await actorFor(t.db, "B1001");
    expect(await codeOf(callerAs(maria).workOrders())).toBe("FORBIDDEN");
    const alex = await actorFor(t.db, "alex.morgan");
    expect(await codeOf(callerAs(alex).workOrder({ workOrderId: ids.workOrder("WCH", "WO-100233") }))).toBe("FORBIDDEN");
  });

  it("shows a Toulouse clerk only Toulouse orders", async () => {
    const camille = await actorFor(t.db, "B2002");
    const orders = await callerAs(camille).workOrders();
    expect(orders.map((o) => o.number)).toEqual(["WO-200101", "WO-200102"]);
  });
});

describe("kitting router: kits end to end", () => {
  const stationCaller = createCallerFactory(stationRouter);
  const as = (db: Db, actor: Actor) => createCaller({ db, actor, clientKey: "test", now: () => TEST_NOW } satisfies Context);

  it("a clerk creates, picks, issues and prints a kit; the station shows it; a supervisor only reads", async () => {
    await inRollback(t.db, async (tx) => {
      const db = tx as unknown as Db;
      const jamal = await actorFor(tx, "B1002");
      const dan = await actorFor(tx, "dan.whitaker");
      const clerk = as(db, jamal);
      const fa01 = ids.station("WCH", "FA-01");
      const created = await clerk.createKit({ requestId: randomUUID(), workOrderId: ids.workOrder("WCH", "WO-100234"), scope: { kind: "operation", operationSeq: 30 }, stationId: fa01 });
      expect(await codeOf(as(db, dan).pickToKit({ requestId: randomUUID(), kitId: created.kitId, scan: "AC24-0519" }))).toBe("FORBIDDEN");
      expect(await codeOf(clerk.pickToKit({ requestId: randomUUID(), kitId: created.kitId, scan: "AC24-0331" }))).toBe("UNPROCESSABLE_CONTENT");
      await clerk.pickToKit({ requestId: randomUUID(), kitId: created.kitId, scan: "AC24-0519" });
      const kit = await as(db, dan).kit({ kitId: created.kitId });
      const harness = kit.lines.find((l) => l.partNumber === "HAR-5521-01")!;
      await clerk.recordShortPick({ requestId: randomUUID(), kitId: created.kitId, kitLineId: harness.id, quantity: "4", reason: "Harnesses still at receiving" });
      await clerk.issueKit({ requestId: randomUUID(), kitId: created.kitId });
      const label = await clerk.label({ kitId: created.kitId });
      expect(label.zpl).toContain(created.kitNumber);
      expect(label.content.lines.map((l) => l.item)).toEqual(["Lot AC24-0519"]);
      const maria = await actorFor(tx, "B1001");
      const station = await stationCaller({ db, actor: maria, clientKey: "test", now: () => TEST_NOW }).get({ stationId: fa01 });
      const staged = station.kitLines.filter((l) => l.kitNumber === created.kitNumber);
      expect(staged.map((l) => [l.partNumber, l.picked, l.shortQty])).toEqual([
        ["HAR-5521-01", "0", "4"],
        ["PR-1422-B2", "50", "0"],
      ]);
      const orders = await clerk.workOrders();
      expect(orders.find((o) => o.number === "WO-100234")!.kits.map((k) => k.status)).toEqual(["issued"]);
      // another site's kit is not found
      const camille = await actorFor(tx, "B2002");
      expect(await codeOf(as(db, camille).kit({ kitId: created.kitId }))).toBe("NOT_FOUND");
    });
  });
});
