import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart, createTestSite, createTestUser } from "@/db/testing/factories";
import { issueToPointOfUse } from "@/db/testing/genealogy-fixtures";
import { createStationOrder, createStationPlant, operatorActor } from "@/db/testing/station-fixtures";
import { TEST_NOW } from "@/db/testing/clock";
import { queryRows, type Db } from "@/db/client";
import { databaseNow, purgeRequestLog } from "@/server/repos/request-log";
import { consumeComponent } from "@/server/services/station/consume-component";
import { purgeExpiredRequests } from "@/server/services/platform/housekeeping";
import { idempotent } from "./idempotent";

/* Issue 15, Must 9: request ids scoped by site AND user; request-log retention enforced, never under the floor. */

const t = useTestDatabase("empty", { max: 6 });

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return String((e as { cause?: { message?: string } }).cause?.message ?? (e as Error).message);
  }
  throw new Error("expected a refusal");
}

describe("request ids are scoped by site and user", () => {
  it("another user's request with the same id is its own request: own effect, own outcome; each replay answers its own user", async () => {
    const plant = await createStationPlant(t.db);
    const oil = await createTestPart(t.db, "lot", { uom: "L" });
    const order = await createStationOrder(t.db, plant, { number: "WO-SCOPE", serials: ["U1", "U2"], bom: [{ find: 1, partRevisionId: oil.revisionId, qty: "1", op: 10 }] });
    const lot = await createTestLot(t.db, plant.siteId, oil.revisionId);
    await t.db.transaction((tx) => issueToPointOfUse(tx, plant, { partRevisionId: oil.revisionId, lotId: lot.id, serialItemId: null }, "5", TEST_NOW));
    const second = await createTestUser(t.db, plant.siteId, "operator");
    const ann = operatorActor(plant);
    const bob = { ...ann, userId: second.id, displayName: "Second Operator" };
    const requestId = randomUUID();
    const cmd = (unitId: string) => ({ requestId, stationId: plant.stationId, unitId, operationSeq: 10, item: { lotId: lot.id }, quantity: "1" });
    const first = await consumeComponent(t.db, ann, cmd(order.units[0]!.unitId), TEST_NOW);
    // same id, another user, another unit: not a conflict and not Ann's answer
    const other = await consumeComponent(t.db, bob, cmd(order.units[1]!.unitId), TEST_NOW);
    expect(other.edgeId).not.toBe(first.edgeId);
    expect(other.unitId).toBe(order.units[1]!.unitId);
    expect(await consumeComponent(t.db, ann, cmd(order.units[0]!.unitId), TEST_NOW)).toEqual(first);
    expect(await consumeComponent(t.db, bob, cmd(order.units[1]!.unitId), TEST_NOW)).toEqual(other);
    const [counts] = await queryRows<{ requests: number; edges: number; outbox: number }>(
      t.db,
      sql`select (select count(*)::int from request_log where request_id = ${requestId}::uuid) as requests,
                 (select count(*)::int from genealogy_edges where child_lot_id = ${lot.id}::uuid) as edges,
                 (select count(distinct message_id)::int from erp_outbox where site_id = ${plant.siteId}::uuid and type = 'consumption') as outbox`,
    );
    expect(counts).toEqual({ requests: 2, edges: 2, outbox: 2 });
  });

  it("the generic idempotent wrapper keys by user too (and the same user's other payload is still a conflict)", async () => {
    const site = await createTestSite(t.db);
    const a = await createTestUser(t.db, site.siteId, "operator");
    const b = await createTestUser(t.db, site.siteId, "operator");
    const requestId = randomUUID();
    const run = (userId: string, payload: unknown, answer: string) =>
      t.db.transaction((tx) => idempotent(tx, { siteId: site.siteId, actorUserId: userId, requestId, command: "test.command", payload, now: TEST_NOW }, async () => ({ answer })));
    expect(await run(a.id, { x: 1 }, "A")).toEqual({ answer: "A" });
    expect(await run(b.id, { x: 1 }, "B")).toEqual({ answer: "B" });
    expect(await run(a.id, { x: 1 }, "again")).toEqual({ answer: "A" });
    await expect(run(a.id, { x: 2 }, "other")).rejects.toMatchObject({ code: "REQUEST_CONFLICT" });
  });
});

describe("request-log retention", () => {
  async function seedAges(db: Db, siteId: string, userId: string, days: number[]): Promise<Map<number, string>> {
    const ids = new Map<number, string>();
    for (const d of days) {
      const id = randomUUID();
      ids.set(d, id);
      await db.execute(
        sql`insert into request_log (site_id, request_id, actor_user_id, command, payload_hash, outcome, created_at)
            values (${siteId}::uuid, ${id}::uuid, ${userId}::uuid, 'test.retention', 'h', '{}'::jsonb, clock_timestamp() - make_interval(days => ${d}::int))`,
      );
    }
    return ids;
  }
  const remaining = async (ids: Map<number, string>) => {
    const rows = await queryRows<{ request_id: string }>(t.db, sql`select request_id::text from request_log where request_id::text = any(string_to_array(${[...ids.values()].join(",")}, ','))`);
    const left = new Set(rows.map((r) => r.request_id));
    return [...ids.entries()].filter(([, id]) => left.has(id)).map(([d]) => d);
  };

  it("the app role cannot delete request-log rows; the worker's purge removes only rows past the window", async () => {
    const site = await createTestSite(t.db);
    const user = await createTestUser(t.db, site.siteId, "operator");
    const ids = await seedAges(t.db, site.siteId, user.id, [1, 6, 10, 40]);
    expect(await refusal(t.db.execute(sql`delete from request_log where site_id = ${site.siteId}::uuid`))).toMatch(/permission denied/);
    expect(await refusal(t.db.execute(sql`update request_log set outcome = '{}'::jsonb where site_id = ${site.siteId}::uuid`))).toMatch(/permission denied/);
    const r = await purgeExpiredRequests(t.db, "30");
    expect(r).toMatchObject({ days: 30, warning: null });
    expect(r.purged).toBeGreaterThanOrEqual(1);
    expect(await remaining(ids)).toEqual([1, 6, 10]);
    // a window under the floor is raised to 7 days: what a retry could still need stays
    const low = await purgeExpiredRequests(t.db, "2");
    expect(low.days).toBe(7);
    expect(low.warning).toMatch(/below the floor/);
    expect(await remaining(ids)).toEqual([1, 6]);
  });

  it("the database refuses a purge cut-off younger than the floor, whoever asks", async () => {
    const site = await createTestSite(t.db);
    const user = await createTestUser(t.db, site.siteId, "operator");
    const ids = await seedAges(t.db, site.siteId, user.id, [1, 6]);
    const dbNow = await databaseNow(t.db);
    expect(await refusal(purgeRequestLog(t.db, new Date(dbNow.getTime() - 86_400_000)))).toMatch(/REQUEST_LOG_RETENTION/);
    expect(await refusal(purgeRequestLog(t.ownerDb, dbNow))).toMatch(/REQUEST_LOG_RETENTION/);
    expect(await remaining(ids)).toEqual([1, 6]);
  });
});
