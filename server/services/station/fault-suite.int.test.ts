import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart } from "@/db/testing/factories";
import { issueToPointOfUse } from "@/db/testing/genealogy-fixtures";
import { createStationOrder, createStationPlant, onHandAt, operatorActor } from "@/db/testing/station-fixtures";
import { sleep } from "@/db/testing/race";
import { TEST_NOW } from "@/db/testing/clock";
import { APP_ROLE, DatabaseConnectionLost, openDatabase, queryRows } from "@/db/client";
import { startCuttingProxy } from "@/db/testing/tcp-proxy";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { consumeComponent } from "./consume-component";

/*
 * The fault suite of issue 15 (bounded, runs in CI): installs through the service layer while the database connection
 * is terminated (pg_terminate_backend) in the middle of transactions and in the middle of COMMIT. Each tablet retries an
 * unanswered install with the same request id, as the operation console does. Afterwards: every acknowledged install
 * is there, none has two effects, the ledger checks (hash chain included) pass, and the same pool answers again.
 */
const t = useTestDatabase("empty", { max: 4 });

async function setUp(units: number, number: string) {
  const plant = await createStationPlant(t.db);
  const oil = await createTestPart(t.db, "lot", { uom: "L" });
  const serials = Array.from({ length: units }, (_, i) => `U${i + 1}`);
  const order = await createStationOrder(t.db, plant, { number, serials, bom: [{ find: 1, partRevisionId: oil.revisionId, qty: "1", op: 10 }] });
  const lot = await createTestLot(t.db, plant.siteId, oil.revisionId);
  await t.db.transaction((tx) => issueToPointOfUse(tx, plant, { partRevisionId: oil.revisionId, lotId: lot.id, serialItemId: null }, "100", TEST_NOW));
  return { plant, oil, order, lot, op: operatorActor(plant) };
}

/** The app's backends in this database, by what they are doing. */
async function appBackends(admin: postgres.Sql, database: string): Promise<{ pid: number; state: string; query: string; waiting: boolean }[]> {
  return admin<{ pid: number; state: string; query: string; waiting: boolean }[]>`
    select pid, coalesce(state, '') as state, coalesce(query, '') as query, wait_event_type = 'Lock' as waiting
    from pg_stat_activity where datname = ${database} and usename = ${APP_ROLE}`;
}

/** What the effects of the site's installs are in the database: movements and edges per request / unit. */
async function effects(siteId: string) {
  const [row] = await queryRows<{ moves: number; doubled: number; edges: number; units_twice: number; requests: number }>(
    t.db,
    sql`select (select count(*)::int from movements where site_id = ${siteId}::uuid and kind = 'consume') as moves,
               (select count(*)::int from (select request_id from movements where site_id = ${siteId}::uuid and kind = 'consume' group by request_id having count(*) > 1) d) as doubled,
               (select count(*)::int from genealogy_edges where site_id = ${siteId}::uuid) as edges,
               (select count(*)::int from (select parent_unit_id from genealogy_edges where site_id = ${siteId}::uuid group by parent_unit_id having count(*) > 1) u) as units_twice,
               (select count(*)::int from request_log where site_id = ${siteId}::uuid and command = 'station.consumeComponent') as requests`,
  );
  return row!;
}

describe("fault suite: connections terminated in the middle of COMMIT", () => {
  it("an install killed while its COMMIT waits did not happen; its retry with the same request id installs once", async () => {
    const { plant, order, lot, op, oil } = await setUp(1, "WO-COMMIT");
    const cmd = { requestId: randomUUID(), stationId: plant.stationId, unitId: order.units[0]!.unitId, operationSeq: 10, item: { lotId: lot.id }, quantity: "1" };
    const admin = postgres(t.url.replace(/\/\/[^@]*@/, "//postgres@"), { max: 2, onnotice: () => {} });
    const holder = await admin.reserve();
    try {
      await holder`begin`;
      await holder`insert into hash_chain_heads (site_key, seq, last_hash) values (${plant.siteId}, 0, '') on conflict do nothing`;
      await holder`select 1 from hash_chain_heads where site_key = ${plant.siteId} for update`;
      const started = Date.now();
      const install = consumeComponent(t.db, op, cmd, TEST_NOW).then(
        () => null,
        (e: unknown) => e,
      );
      let victim: number | undefined;
      for (let i = 0; i < 250 && victim === undefined; i++) {
        victim = (await appBackends(admin, t.name)).find((b) => b.waiting && /^commit/i.test(b.query.trim()))?.pid;
        if (victim === undefined) await sleep(20);
      }
      expect(victim, "the install's COMMIT should wait on the chain head").toBeDefined();
      await admin`select pg_terminate_backend(${victim!})`;
      expect(await install).toBeInstanceOf(DatabaseConnectionLost);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await holder`rollback`.catch(() => {});
      holder.release();
      await admin.end();
    }
    expect(await effects(plant.siteId)).toMatchObject({ moves: 0, requests: 0 });
    const first = await consumeComponent(t.db, op, cmd, TEST_NOW);
    expect(await consumeComponent(t.db, op, cmd, TEST_NOW)).toEqual(first);
    expect(await effects(plant.siteId)).toEqual({ moves: 1, doubled: 0, edges: 1, units_twice: 0, requests: 1 });
    expect(await onHandAt(t.db, plant.siteId, plant.loc.point_of_use, { partRevisionId: oil.revisionId, lotId: lot.id })).toBe("99");
    expect(failedChecks(await runLedgerChecks(t.db))).toEqual([]);
  }, 60_000);

  it("an install whose COMMIT ran but whose answer was lost: connection lost, and the retry answers the recorded install without a second effect", async () => {
    const { plant, order, lot, op, oil } = await setUp(1, "WO-ANSWER");
    const cmd = { requestId: randomUUID(), stationId: plant.stationId, unitId: order.units[0]!.unitId, operationSeq: 10, item: { lotId: lot.id }, quantity: "1" };
    const proxy = await startCuttingProxy(t.url);
    const app = await openDatabase({ url: proxy.url, max: 2 });
    try {
      // COMMIT reaches the server and runs; the connection is cut before its answer comes back
      const cut = proxy.cutNext("commit\u0000", { forwardFirst: true });
      const started = Date.now();
      const failed = await consumeComponent(app.db, op, cmd, TEST_NOW).then(
        () => null,
        (e: unknown) => e,
      );
      await cut;
      expect(failed).toBeInstanceOf(DatabaseConnectionLost);
      expect(Date.now() - started).toBeLessThan(10_000);
      await sleep(600); // the server side of the cut connection is closed by then
      expect(await effects(plant.siteId)).toEqual({ moves: 1, doubled: 0, edges: 1, units_twice: 0, requests: 1 });
      // the operator's retry, through the same pool: the install that was recorded, not a second one
      const [recorded] = await queryRows<{ id: string }>(t.db, sql`select id from movements where request_id = ${cmd.requestId}::uuid`);
      const retried = await consumeComponent(app.db, op, cmd, TEST_NOW);
      expect(retried.movementId).toBe(recorded!.id);
    } finally {
      await app.close();
      await proxy.close();
    }
    expect(await effects(plant.siteId)).toEqual({ moves: 1, doubled: 0, edges: 1, units_twice: 0, requests: 1 });
    expect(await onHandAt(t.db, plant.siteId, plant.loc.point_of_use, { partRevisionId: oil.revisionId, lotId: lot.id })).toBe("99");
    expect(failedChecks(await runLedgerChecks(t.db))).toEqual([]);
  }, 60_000);
});
