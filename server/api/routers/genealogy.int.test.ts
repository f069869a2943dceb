import { beforeAll, describe, expect, it } from "vitest";
import Decimal from "decimal.js";
import { TRPCError } from "@trpc/server";
import { useTestDatabase, inRollback } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import { DEMO, loadDemoIds, type DemoIds } from "@/db/seed/demo-plant";
import type { Db } from "@/db/client";
import { removeInstalledLot } from "@/db/testing/overview-fixtures";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { createCallerFactory, type Context } from "@/server/api/trpc";
import type { Actor } from "@/server/auth/types";
import { genealogyRouter } from "./genealogy";
import { TEST_NOW } from "@/db/testing/clock";
import { walkAsBuilt } from "./as-built-walk.testing";

const t = useTestDatabase("demo");
const createCaller = createCallerFactory(genealogyRouter);
let ids: DemoIds;

beforeAll(async () => {
  ids = await loadDemoIds(t.db);
});

const callerAs = (actor: Actor | null, db: Db = t.db) => createCaller({ db, actor, clientKey: "test", now: () => TEST_NOW } satisfies Context);

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    return e instanceof TRPCError ? e.code : String(e);
  }
}

describe("genealogy router", () => {
  it("finds a unit by serial and shows its as-built at every level, parents before children", async () => {
    const priya = await actorFor(t.db, "priya.raman");
    const api = callerAs(priya);
    const matches = await api.findSerial({ serial: ` ${DEMO.genealogy.top} ` });
    expect(matches).toHaveLength(1);
    expect(matches[0]).toMatchObject({ serialNumber: "ACT-1001", partNumber: "FCA-7740-100", workOrderNumber: "WO-100233", unitStatus: "completed" });

    const { item, tree } = await walkAsBuilt(api, { serialItemId: matches[0]!.serialItemId });
    expect(item.serialNumber).toBe("ACT-1001");

    const sv = tree.nodes.find((n) => n.serialNumber === DEMO.genealogy.subAssembly)!;
    expect(sv).toMatchObject({ depth: 1, parentEdgeId: null, partNumber: "SVA-2210-05", operationSeq: 20, operationCode: "SVI", removed: false });
    expect(sv.operatorName).toBe("Maria Lopez");
    expect(sv.stationCode).toBe("FA-01");
    const tm = tree.nodes.find((n) => n.serialNumber === DEMO.genealogy.subSubAssembly)!;
    expect(tm).toMatchObject({ depth: 2, parentEdgeId: sv.edgeId, partNumber: "TMA-1180-03" });
    const coil = tree.nodes.find((n) => n.lotNumber === DEMO.genealogy.lot)!;
    expect(coil).toMatchObject({ depth: 3, parentEdgeId: tm.edgeId, partNumber: "CL-1180-20" });
    expect(new Decimal(coil.quantity).eq(1)).toBe(true);

    // Every node comes after its parent (depth-first order).
    const position = new Map(tree.nodes.map((n, i) => [n.edgeId, i]));
    for (const n of tree.nodes) if (n.parentEdgeId) expect(position.get(n.parentEdgeId)!).toBeLessThan(position.get(n.edgeId)!);

    // What the screen opens with: the first level only, each node with the exact count of what lies below it.
    const first = await api.asBuilt({ serialItemId: item.serialItemId });
    expect(first.level.nodes.map((n) => n.serialNumber ?? n.lotNumber)).toEqual(tree.nodes.filter((n) => n.depth === 1).map((n) => n.serialNumber ?? n.lotNumber));
    expect(first.level.nodes.map((n) => n.serialNumber)).toContain("SV-3001");
    expect(first.level.nodes.map((n) => n.serialNumber)).not.toContain("TM-5001");
    const svFirst = first.level.nodes.find((n) => n.serialNumber === "SV-3001")!;
    const parentOf = new Map(tree.nodes.map((n) => [n.edgeId, n.parentEdgeId]));
    const under = (edgeId: string, n: string | null): boolean => n !== null && (n === edgeId || under(edgeId, parentOf.get(n) ?? null));
    expect(svFirst.below).toBe(tree.nodes.filter((n) => under(sv.edgeId, n.parentEdgeId)).length);
    expect(svFirst.below).toBeGreaterThan(0);
    expect(first.level.treeTotal).toBe(tree.nodes.length);
    // a page of the level: the exact total stays, the rows are the next ones in the same order
    const page2 = await api.asBuilt({ serialItemId: item.serialItemId, offset: 1, limit: 1 });
    expect(page2.level.total).toBe(first.level.total);
    expect(page2.level.nodes.map((n) => n.edgeId)).toEqual(first.level.nodes.slice(1, 2).map((n) => n.edgeId));
  });

  it("keeps a component removed in rework in the as-built, marked removed with who, when and why", async () => {
    const priya = await actorFor(t.db, "priya.raman");
    await inRollback(t.db, async (tx) => {
      // The two mounting brackets of lot KP24-0901 installed into ACT-1001 come out, back to quarantine (MRB).
      const removedAt = TEST_NOW;
      const edgeId = await removeInstalledLot(tx, {
        siteId: ids.site("WCH"),
        unitId: ids.unit("WCH", "ACT-1001"),
        lotId: ids.lot("WCH", "KP24-0901"),
        consumedLocationId: ids.location("WCH", "V-CONSUMED"),
        toLocationId: ids.location("WCH", "QUAR-01"),
        byUserId: priya.userId,
        reason: "Bracket bore out of tolerance",
        at: removedAt,
      });

      const { tree } = await walkAsBuilt(callerAs(priya, tx as unknown as Db), { serialItemId: ids.serial("WCH", "ACT-1001") });
      const node = tree.nodes.find((n) => n.edgeId === edgeId)!;
      expect(node).toMatchObject({ lotNumber: "KP24-0901", removed: true, removedByName: "Priya Raman", removalReason: "Bracket bore out of tolerance" });
      expect(node.removedAt?.getTime()).toBe(removedAt.getTime());
      // The rest of the as-built is still there, current.
      expect(tree.nodes.find((n) => n.serialNumber === "SV-3001")!.removed).toBe(false);
      expect(tree.nodes.filter((n) => n.removed)).toHaveLength(1);
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it("does not find another site's serials: search is empty and an id answers NOT_FOUND", async () => {
    const sophie = await actorFor(t.db, "sophie.martin"); // Toulouse quality engineer
    const api = callerAs(sophie);
    expect(await api.findSerial({ serial: "ACT-1001" })).toEqual([]);
    expect(await codeOf(api.asBuilt({ serialItemId: ids.serial("WCH", "ACT-1001") }))).toBe("NOT_FOUND");
    // Toulouse's own unit is found, with the Wichita-built servo-valve as a bought-in serial.
    const [act2001] = await api.findSerial({ serial: "ACT-2001" });
    const { tree } = await walkAsBuilt(api, { serialItemId: act2001!.serialItemId });
    expect(tree.nodes.map((n) => n.serialNumber)).toContain("SV-3101");
    expect(tree.nodes.some((n) => n.serialNumber === "TM-5001")).toBe(false);
  });

  it("lists recent installs of the site only, newest first", async () => {
    const priya = await actorFor(t.db, "priya.raman");
    const installs = await callerAs(priya).recentInstalls({ limit: 50 });
    expect(installs.length).toBeGreaterThan(0);
    expect(installs.some((i) => i.unitSerial.startsWith("ACT-2"))).toBe(false);
    const times = installs.map((i) => i.installedAt.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it("refuses operators and kitting clerks", async () => {
    const maria = await actorFor(t.db, "B1001");
    const jamal = await actorFor(t.db, "B1002");
    expect(await codeOf(callerAs(maria).findSerial({ serial: "ACT-1001" }))).toBe("FORBIDDEN");
    expect(await codeOf(callerAs(jamal).asBuilt({ serialItemId: ids.serial("WCH", "ACT-1001") }))).toBe("FORBIDDEN");
    expect(await codeOf(callerAs(maria).recentInstalls())).toBe("FORBIDDEN");
  });
});
