import { beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { useTestDatabase } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import { DEMO, loadDemoIds, type DemoIds } from "@/db/seed/demo-plant";
import { createCallerFactory, type Context } from "@/server/api/trpc";
import type { Actor } from "@/server/auth/types";
import { wipRouter } from "./wip";
import { TEST_NOW } from "@/db/testing/clock";

const t = useTestDatabase("demo");
const createCaller = createCallerFactory(wipRouter);
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

describe("wip router", () => {
  it("summarises each open work order by operation (workOrders): units waiting, in progress, done", async () => {
    const dan = await actorFor(t.db, "dan.whitaker");
    const board = await callerAs(dan).workOrders();
    expect(board.map((w) => w.number)).toEqual(["WO-100232", "WO-100233", "WO-100234"]);
    const wo = board.find((w) => w.number === DEMO.workOrders.inProgress.number)!;
    expect(wo).toMatchObject({ status: "in_progress", unitsTotal: 6, unitsCompleted: 1, unitsInProgress: 2, unitsPlanned: 3 });
    expect(wo.operations.map((o) => [o.seq, o.code, o.workCenterCode, o.pending, o.inProgress, o.completed])).toEqual([
      [10, "MNT", "WC-FA", 3, 0, 3],
      [20, "SVI", "WC-FA", 4, 0, 2],
      [30, "HAR", "WC-FA", 4, 1, 1],
      [40, "ATP", "WC-ATP", 5, 0, 1],
    ]);
    const notStarted = board.find((w) => w.number === DEMO.workOrders.notStarted.number)!;
    expect(notStarted.operations.every((o) => o.pending === 4 && o.completed === 0)).toBe(true);
  });

  it("shows one work order unit by unit, with who completed each operation where", async () => {
    const dan = await actorFor(t.db, "dan.whitaker");
    const { workOrder, units } = await callerAs(dan).workOrder({ workOrderId: ids.workOrder("WCH", "WO-100233") });
    expect(workOrder.number).toBe("WO-100233");
    expect(units.map((u) => u.serial)).toEqual(["ACT-1001", "ACT-1002", "ACT-1003", "ACT-1004", "ACT-1005", "ACT-1006"]);
    const act1001 = units[0]!;
    expect(act1001.status).toBe("completed");
    expect(act1001.operations.map((o) => o.status)).toEqual(["completed", "completed", "completed", "completed"]);
    expect(act1001.operations[0]!.completedByName).toBe("Maria Lopez");
    expect(act1001.operations[0]!.completedAt).toBeInstanceOf(Date);
    expect(units[1]!.operations.map((o) => o.status)).toEqual(["completed", "completed", "in_progress", "pending"]);
  });

  it("scopes to the active site: a two-site supervisor sees each site's orders only there", async () => {
    const atWichita = await actorFor(t.db, DEMO.twoSiteUser, "WCH");
    const atToulouse = await actorFor(t.db, DEMO.twoSiteUser, "TLS");
    expect((await callerAs(atWichita).workOrders()).map((w) => w.number)).not.toContain("WO-200101");
    expect((await callerAs(atToulouse).workOrders()).map((w) => w.number)).toEqual(["WO-200101", "WO-200102"]);
    expect(await codeOf(callerAs(atToulouse).workOrder({ workOrderId: ids.workOrder("WCH", "WO-100233") }))).toBe("NOT_FOUND");
    expect(await codeOf(callerAs(atWichita).workOrder({ workOrderId: ids.workOrder("WCH", "WO-100233") }))).toBe("OK");
  });

  it("is for supervisors: other roles are refused", async () => {
    for (const login of ["B1001", "B1002", "priya.raman", "alex.morgan"]) {
      const actor = await actorFor(t.db, login);
      expect(await codeOf(callerAs(actor).workOrders()), login).toBe("FORBIDDEN");
    }
  });
});
