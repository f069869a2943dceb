import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart } from "@/db/testing/factories";
import { issueToPointOfUse } from "@/db/testing/genealogy-fixtures";
import { createStationOrder, createStationPlant, operatorActor, rowCounts, type StationPlant } from "@/db/testing/station-fixtures";
import { testTime } from "@/db/testing/clock";
import * as s from "@/db/schema";
import type { Db, DbOrTx, Tx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { hashSecret } from "@/server/auth/passwords";
import { DomainError } from "@/server/domain/shared/errors";
import { localDate } from "@/server/domain/kitting/dates";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { createCallerFactory, type Context } from "@/server/api/trpc";
import { genealogyRouter } from "@/server/api/routers/genealogy";
import { createDeviation, deviationsCsv, listDeviationViews, type CreateDeviationCommand } from "@/server/services/quality/deviations";
import { consumeComponent } from "./consume-component";
import { completeOperation } from "./complete-operation";

/*
 * Issue 19, Must 3: a substitute (another revision, a manufacturer off the AML, a lot off the allowed list) is refused
 * without a deviation, and the refusal says one is needed or names the one that would allow it and why it does not;
 * with a valid one it installs, recorded on the genealogy edge (deviation id + substitution reason) and shown by
 * as-designed vs as-built, until its quantity or its date runs out (the test clock); concurrent installs never exceed
 * its limit (real commits).
 */

const t = useTestDatabase("empty", { max: 12 });
const PASSWORD = "correct horse battery staple";
let passwordHash: string;
const t0 = testTime(-24 * 60);
const t1 = testTime(0);
const rid = () => randomUUID();
const approval = { method: "password" as const, secret: PASSWORD, meaning: "approval" };

beforeAll(async () => {
  passwordHash = await hashSecret(PASSWORD);
});

async function refused(run: () => Promise<unknown>): Promise<DomainError> {
  try {
    await run();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

async function qualityOf(db: DbOrTx, plant: StationPlant): Promise<Actor> {
  const [u] = await db.insert(s.users).values({ username: `q-${randomUUID().slice(0, 8)}`, displayName: "Quinn Quality", passwordHash }).returning();
  await db.insert(s.userSiteRoles).values({ userId: u!.id, siteId: plant.siteId, role: "quality_engineer" });
  return { ...plant.actor(["quality_engineer"]), userId: u!.id, displayName: "Quinn Quality" };
}

/** A plant whose BOM takes 1 of part VALVE rev A (a lot) per unit at op 10; rev B of the same part is staged. */
async function setup(db: Tx, units = ["U1", "U2"]) {
  const plant = await createStationPlant(db);
  const valve = await createTestPart(db, "lot", { uom: "EA" });
  const [revB] = await db.insert(s.partRevisions).values({ partId: valve.partId, revision: "B" }).returning();
  const order = await createStationOrder(db, plant, { number: `WO-${randomUUID().slice(0, 6)}`, serials: units, ops: [{ seq: 10 }], bom: [{ find: 1, partRevisionId: valve.revisionId, qty: "1", op: 10 }] });
  const lotB = await createTestLot(db, plant.siteId, revB!.id);
  await issueToPointOfUse(db, plant, { partRevisionId: revB!.id, lotId: lotB.id, serialItemId: null }, "10", t0);
  return { plant, valve, revB: revB!, order, lotB, op: operatorActor(plant), quality: await qualityOf(db, plant) };
}

type F = Awaited<ReturnType<typeof setup>>;

const devCmd = (f: F, extra: Partial<CreateDeviationCommand> = {}): CreateDeviationCommand => ({
  requestId: rid(),
  designed: { partNumber: f.valve.partNumber, revision: "A" },
  substitute: { kind: "revision", partNumber: f.valve.partNumber, revision: "B" },
  scope: { unitSerials: ["U1"] },
  reason: "Rev B is form-fit-function equivalent per ECN-881",
  validThrough: localDate(t1, "America/Chicago"),
  quantityLimit: "2",
  signature: approval,
  ...extra,
});

const installB = (db: DbOrTx, f: F, unit: number, quantity: string, at: Date) =>
  consumeComponent(db, f.op, { requestId: rid(), stationId: f.plant.stationId, unitId: f.order.units[unit]!.unitId, operationSeq: 10, item: { lotId: f.lotB.id }, quantity }, at);

describe("deviations at the station", () => {
  it("a substitute revision: refused without, accepted with one for its units until its quantity runs out; the edge and as-designed show it", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const none = await refused(() => installB(tx, f, 0, "1", t1));
      expect(none.code).toBe("WRONG_REVISION");
      expect(none.message).toMatch(/Only an approved deviation would allow it, and none names it\.$/);

      expect((await refused(() => createDeviation(tx, f.op, devCmd(f), { now: t1, clientKey: "t" }))).code).toBe("FORBIDDEN");
      expect((await refused(() => createDeviation(tx, f.quality, devCmd(f, { validThrough: localDate(testTime(-3 * 24 * 60), "America/Chicago") }), { now: t1, clientKey: "t" }))).message).toMatch(/already have expired/);
      expect((await refused(() => createDeviation(tx, f.quality, devCmd(f, { scope: { unitSerials: ["NOPE"] } }), { now: t1, clientKey: "t" }))).code).toBe("NOT_FOUND");
      const dev = await createDeviation(tx, f.quality, devCmd(f), { now: t1, clientKey: "t" });
      expect(dev.number).toBe("DEV-000001");

      // another unit: the refusal names the deviation and why it does not apply
      const other = await refused(() => installB(tx, f, 1, "1", t1));
      expect(other).toMatchObject({ code: "WRONG_REVISION", details: expect.objectContaining({ deviation: "DEV-000001" }) });
      expect(other.message).toMatch(/Deviation DEV-000001 is for other units, so it does not allow this install\.$/);
      // over its limit at once: refused, nothing written
      const before = await rowCounts(tx);
      expect((await refused(() => installB(tx, f, 0, "3", t1))).message).toMatch(/DEV-000001 has only 2 left/);
      expect(await rowCounts(tx)).toEqual(before);

      const out = await installB(tx, f, 0, "1", t1);
      expect(out).toMatchObject({ deviation: "DEV-000001", revision: "B", findNumber: 1 });
      const [edge] = await tx.select().from(s.genealogyEdges).where(eq(s.genealogyEdges.id, out.edgeId));
      expect(edge).toMatchObject({ deviationId: dev.deviationId, substitutionReason: "DEV-000001: Rev B is form-fit-function equivalent per ECN-881" });
      // the substitute fills the designed line: the operation completes without "missing components"
      await completeOperation(tx, f.op, { requestId: rid(), stationId: f.plant.stationId, unitId: f.order.units[0]!.unitId, operationSeq: 10 }, t1);
      const caller = createCallerFactory(genealogyRouter)({ db: tx as unknown as Db, actor: f.quality, clientKey: "test", now: () => t1 } satisfies Context);
      const design = await caller.asDesigned({ serialItemId: f.order.units[0]!.serialItemId });
      expect(design.levels[0]!.rows).toEqual([expect.objectContaining({ verdict: "substituted", substitutionReasons: ["DEV-000001: Rev B is form-fit-function equivalent per ECN-881"] })]);

      const [row] = await tx.select().from(s.deviations).where(eq(s.deviations.id, dev.deviationId));
      expect(row!.quantityUsed).toBe("1.000000");
      const views = await listDeviationViews(tx, f.quality, {}, t1);
      expect(views).toEqual([expect.objectContaining({ numberText: "DEV-000001", state: "valid", installs: 1, signature: "valid", scope: "Units U1" })]);
      expect((await deviationsCsv(tx, f.quality, {}, t1)).body).toMatch(/^Deviation,State,/);
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it("runs out by date (the test clock) and by quantity; altering a signed deviation makes it refuse", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx, ["U1", "U2", "U3"]);
      const dev = await createDeviation(tx, f.quality, devCmd(f, { scope: { workOrderNumber: (await tx.select().from(s.workOrders).where(eq(s.workOrders.id, f.order.workOrderId)))[0]!.number }, quantityLimit: "2" }), { now: t1, clientKey: "t" });
      await installB(tx, f, 0, "1", t1);
      await installB(tx, f, 1, "1", t1);
      const usedUp = await refused(() => installB(tx, f, 2, "1", t1));
      expect(usedUp.message).toMatch(/Deviation DEV-000001 is used up \(2 installed\)/);
      // raise the limit behind the signature's back: the station no longer trusts it
      await tx.execute(sql`update deviations set quantity_limit = 5 where id = ${dev.deviationId}`);
      expect((await refused(() => installB(tx, f, 2, "1", t1))).message).toMatch(/DEV-000001 was changed after it was signed/);
      expect((await listDeviationViews(tx, f.quality, {}, t1))[0]).toMatchObject({ signature: "invalid" });

      // a fresh one, valid through today (site time): after midnight it has expired
      const g = await setup(tx);
      await createDeviation(tx, g.quality, devCmd(g), { now: t1, clientKey: "t" });
      const tomorrow = new Date(t1.getTime() + 36 * 3600_000);
      const expired = await refused(() => installB(tx, g, 0, "1", tomorrow));
      expect(expired.message).toMatch(/Deviation DEV-000001 expired on \d{4}-\d{2}-\d{2}, so it does not allow this install/);
      expect((await listDeviationViews(tx, g.quality, { state: "expired" }, tomorrow)).map((d) => d.numberText)).toEqual(["DEV-000001"]);
    });
  });

  it("a manufacturer off the AML installs only under a manufacturer deviation", async () => {
    await inRollback(t.db, async (tx) => {
      const plant = await createStationPlant(tx);
      const seal = await createTestPart(tx, "lot", { uom: "EA" });
      const [good] = await tx.insert(s.manufacturers).values({ code: `G${randomUUID().slice(0, 6)}`, name: "Good Seals" }).returning();
      const [other] = await tx.insert(s.manufacturers).values({ code: `O${randomUUID().slice(0, 6)}`, name: "Other Seals" }).returning();
      await tx.insert(s.approvedManufacturers).values({ partId: seal.partId, manufacturerId: good!.id, status: "approved" });
      const order = await createStationOrder(tx, plant, { number: `WO-${randomUUID().slice(0, 6)}`, serials: ["U1"], ops: [{ seq: 10 }], bom: [{ find: 1, partRevisionId: seal.revisionId, qty: "1", op: 10 }] });
      const lot = await createTestLot(tx, plant.siteId, seal.revisionId, { manufacturerId: other!.id });
      await issueToPointOfUse(tx, plant, { partRevisionId: seal.revisionId, lotId: lot.id, serialItemId: null }, "5", t0);
      const op = operatorActor(plant);
      const install = () => consumeComponent(tx, op, { requestId: rid(), stationId: plant.stationId, unitId: order.units[0]!.unitId, operationSeq: 10, item: { lotId: lot.id }, quantity: "1" }, t1);
      expect((await refused(install)).code).toBe("MANUFACTURER_NOT_APPROVED");
      const quality = await qualityOf(tx, plant);
      await createDeviation(
        tx,
        quality,
        { requestId: rid(), designed: { partNumber: seal.partNumber, revision: "A" }, substitute: { kind: "manufacturer", code: other!.code }, scope: { unitSerials: ["U1"] }, reason: "Source inspection passed", validThrough: localDate(t1, "America/Chicago"), quantityLimit: "1", signature: approval },
        { now: t1, clientKey: "t" },
      );
      expect(await install()).toMatchObject({ deviation: "DEV-000001" });
    });
  });

  it("concurrent installs under one deviation never exceed its limit (real commits)", async () => {
    const f = await t.db.transaction((tx) => setup(tx, ["U1", "U2", "U3", "U4", "U5", "U6"]));
    const number = (await t.db.select().from(s.workOrders).where(eq(s.workOrders.id, f.order.workOrderId)))[0]!.number;
    const dev = await createDeviation(t.db, f.quality, devCmd(f, { scope: { workOrderNumber: number }, quantityLimit: "3" }), { now: t1, clientKey: "t" });
    const results = await Promise.allSettled(f.order.units.map((_, i) => installB(t.db, f, i, "1", t1)));
    const ok = results.filter((r) => r.status === "fulfilled");
    const failed = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
    for (const e of failed) if (!(e instanceof DomainError)) throw e;
    expect(ok).toHaveLength(3);
    expect(failed.map((e) => (e as DomainError).code)).toEqual(["WRONG_REVISION", "WRONG_REVISION", "WRONG_REVISION"]);
    const [row] = await t.db.select().from(s.deviations).where(eq(s.deviations.id, dev.deviationId));
    expect(row!.quantityUsed).toBe("3.000000");
    const edges = await t.db.select().from(s.genealogyEdges).where(eq(s.genealogyEdges.deviationId, dev.deviationId));
    expect(edges).toHaveLength(3);
    expect(failedChecks(await runLedgerChecks(t.db, { siteId: f.plant.siteId }))).toEqual([]);
  });
});
