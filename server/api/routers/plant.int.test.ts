import { describe, expect, it } from "vitest";
import Decimal from "decimal.js";
import { TRPCError } from "@trpc/server";
import { useTestDatabase } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import { DEMO } from "@/db/seed/demo-plant";
import { createCallerFactory, type Context } from "@/server/api/trpc";
import type { Actor } from "@/server/auth/types";
import { plantRouter } from "./plant";
import { TEST_NOW } from "@/db/testing/clock";

const t = useTestDatabase("demo");
const createCaller = createCallerFactory(plantRouter);

const callerAs = (actor: Actor | null, now = TEST_NOW) => createCaller({ db: t.db, actor, clientKey: "test", now: () => now } satisfies Context);

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    return e instanceof TRPCError ? e.code : String(e);
  }
}

describe("plant router", () => {
  it("lists the active holds of the site with what they hold and the units in work they touch", async () => {
    const priya = await actorFor(t.db, "priya.raman");
    const holds = await callerAs(priya).activeHolds();
    expect(holds).toHaveLength(1);
    const hold = holds[0]!;
    expect(hold.targetType).toBe("lot");
    expect(hold.targetLabel).toContain(DEMO.heldLot.partNumber);
    expect(hold.targetLabel).toContain(DEMO.heldLot.lotNumber);
    expect(hold.reason).toContain("SEN-24-118");
    expect(hold.placedByName).toBe("Priya Raman");
    expect(hold.affectedOpenUnits).toBe(1); // ACT-1002, in progress, has two brackets of the lot

    const sophie = await actorFor(t.db, "sophie.martin");
    expect(await callerAs(sophie).activeHolds()).toEqual([]);
  });

  it("lists the lots needing attention: expired (against now), awaiting inspection, or held", async () => {
    const priya = await actorFor(t.db, "priya.raman");
    const now = TEST_NOW;
    const lots = await callerAs(priya, now).lots({ attentionOnly: true });
    const byNumber = new Map(lots.map((l) => [l.lotNumber, l]));
    expect(byNumber.get(DEMO.expiredLot.lotNumber)?.expired).toBe(true);
    expect(byNumber.get(DEMO.pendingInspectionLot.lotNumber)?.inspectionStatus).toBe("pending");
    expect(byNumber.get(DEMO.heldLot.lotNumber)?.onHold).toBe(true);
    expect(byNumber.has("AC24-0519")).toBe(false); // in date, accepted, free
    expect(byNumber.has("SE24-3420")).toBe(false);
    expect(lots.some((l) => l.lotNumber.startsWith("OU24"))).toBe(false); // Toulouse lot

    // On hand at physical locations, exact: 1000 g received, 100 g staged at FA-01, nothing consumed from it.
    expect(new Decimal(byNumber.get(DEMO.expiredLot.lotNumber)!.onHand).eq(1000)).toBe(true);

    // Read as of a month ago, the expired sealant lot was still in date and is not listed for expiry.
    const monthAgo = new Date(now.getTime() - 30 * 86_400_000);
    const earlier = await callerAs(priya, monthAgo).lots({ attentionOnly: true });
    expect(earlier.map((l) => l.lotNumber)).not.toContain(DEMO.expiredLot.lotNumber);

    const all = await callerAs(priya).lots();
    expect(all.length).toBeGreaterThan(lots.length);
  });

  it("lists storage locations with on-hand totals per unit of measure", async () => {
    const jamal = await actorFor(t.db, "B1002");
    const locations = await callerAs(jamal).storageLocations();
    const freezer = locations.find((l) => l.code === "ST-FRZ")!;
    // 1000 + 1500 g received, 100 + 250 g staged at FA-01.
    expect(freezer.totals).toHaveLength(1);
    expect(freezer.totals[0]!.uom).toBe("G");
    expect(new Decimal(freezer.totals[0]!.quantity).eq(2150)).toBe(true);
    expect(freezer.lines).toBe(2);
    const pou = locations.find((l) => l.code === "POU-FA-01")!;
    expect(pou.stationCode).toBe("FA-01");
    expect(pou.totals.map((x) => x.uom)).toEqual(["EA", "G"]);
    expect(locations.some((l) => l.code === "POU-FA-21")).toBe(false);
  });

  it("refuses roles that do not need these reads", async () => {
    const maria = await actorFor(t.db, "B1001");
    expect(await codeOf(callerAs(maria).activeHolds())).toBe("FORBIDDEN");
    expect(await codeOf(callerAs(maria).lots())).toBe("FORBIDDEN");
    expect(await codeOf(callerAs(maria).storageLocations())).toBe("FORBIDDEN");
    const jamal = await actorFor(t.db, "B1002");
    expect(await codeOf(callerAs(jamal).activeHolds())).toBe("FORBIDDEN");
  });
});
