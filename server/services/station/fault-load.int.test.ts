import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart } from "@/db/testing/factories";
import { issueToPointOfUse } from "@/db/testing/genealogy-fixtures";
import { createStationOrder, createStationPlant, onHandAt, operatorActor } from "@/db/testing/station-fixtures";
import { seededRandom, sleep } from "@/db/testing/race";
import { TEST_NOW } from "@/db/testing/clock";
import { APP_ROLE, DatabaseConnectionLost, isConnectionLost, queryRows } from "@/db/client";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { consumeComponent, type ConsumeOutcome } from "./consume-component";

/*
 * Opt-in (TRACELINE_FAULT_LOAD=1): installs under repeated pg_terminate_backend, in the middle of transactions and of
 * COMMIT, four tablets retrying with the same request id. It FAILS today: after some twenty kills transactions wait in
 * pool.reserve() for good (issue 15, Must 1). Two causes seen: postgres-js's reconnect backoff grew to 20 s with every
 * error-close (bounded to 2 s in db/client.ts since), and a kill that lands on a reconnecting connection's array-type
 * query (postgres-js fetch_types) surfaces as an unhandled CONNECTION_CLOSED while the reservation waiting for that
 * connection is never answered. Kept as the reproducer; run with
 *   TRACELINE_FAULT_LOAD=1 npx tsx scripts/test.ts vitest server/services/station/fault-load.int.test.ts
 * (FAULT_SEED replays a run). When it passes, drop the gate so the fault suite runs it in CI.
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

describe.skipIf(process.env.TRACELINE_FAULT_LOAD !== "1")("fault load: connections terminated under a load of installs", () => {
  it("mid-transaction and mid-commit kills: every acknowledged install once, nothing twice, ledger and chain sound, the pool answers", async () => {
    const seed = Number(process.env.FAULT_SEED ?? Date.now() % 100000);
    const random = seededRandom(seed);
    const { plant, order, lot, op, oil } = await setUp(24, "WO-FAULTS");
    const admin = postgres(t.url.replace(/\/\/[^@]*@/, "//postgres@"), { max: 2, onnotice: () => {} });
    const kills = { midTransaction: 0, midCommit: 0 };
    let stop = false;
    // the killer: terminates an app backend that is inside a transaction; every third time it first holds the site's
    // chain head, so that an install's COMMIT (which seals the chain) waits on it, and kills that backend mid-commit
    const killer = (async () => {
      let n = 0;
      while (!stop) {
        await sleep(15 + Math.floor(random() * 40));
        n++;
        if (n % 3 === 0) {
          const holder = await admin.reserve();
          try {
            await holder`begin`;
            await holder`insert into hash_chain_heads (site_key, seq, last_hash) values (${plant.siteId}, 0, '') on conflict do nothing`;
            await holder`select 1 from hash_chain_heads where site_key = ${plant.siteId} for update`;
            let victim: number | undefined;
            for (let i = 0; i < 25 && victim === undefined && !stop; i++) {
              victim = (await appBackends(admin, t.name)).find((b) => b.waiting && /^commit/i.test(b.query.trim()))?.pid;
              if (victim === undefined) await sleep(4);
            }
            if (victim !== undefined) {
              await admin`select pg_terminate_backend(${victim})`;
              kills.midCommit++;
            }
          } finally {
            await holder`rollback`.catch(() => {});
            holder.release();
          }
        } else {
          const busy = (await appBackends(admin, t.name)).filter((b) => b.state === "active" || b.state.startsWith("idle in transaction"));
          const victim = busy[Math.floor(random() * busy.length)];
          if (victim) {
            await admin`select pg_terminate_backend(${victim.pid})`;
            kills.midTransaction++;
          }
        }
      }
    })();

    // four tablets, six units each; an install that gets no answer is sent again with the same request id
    const acknowledged: ConsumeOutcome[] = [];
    const unexpected: string[] = [];
    let retries = 0;
    const tablets = [0, 1, 2, 3].map(async (tablet) => {
      for (let k = 0; k < 6; k++) {
        const unit = order.units[tablet * 6 + k]!;
        const cmd = { requestId: randomUUID(), stationId: tablet % 2 ? plant.station2Id : plant.stationId, unitId: unit.unitId, operationSeq: 10, item: { lotId: lot.id }, quantity: "1" };
        for (let attempt = 0; ; attempt++) {
          try {
            acknowledged.push(await consumeComponent(t.db, op, cmd, TEST_NOW));
            break;
          } catch (e) {
            if (!(e instanceof DatabaseConnectionLost || isConnectionLost(e)) || attempt > 40) {
              unexpected.push(`${(e as Error).name}: ${(e as Error).message}`);
              break;
            }
            retries++;
            await sleep(5);
          }
        }
      }
    });
    let lastAck = -1;
    const dog = setInterval(() => {
      if (acknowledged.length === lastAck) {
        console.error('STUCK', acknowledged.length, kills, retries, JSON.stringify([...((globalThis as any).__txStages ?? new Map()).entries()]), JSON.stringify(((globalThis as any).__pgpools ?? []).map((f: any) => f()), null, 0));
      }
      lastAck = acknowledged.length;
    }, 5000);
    await Promise.all(tablets);
    clearInterval(dog);
    stop = true;
    await killer;
    await admin.end();

    expect(unexpected, `seed ${seed} (FAULT_SEED to replay)`).toEqual([]);
    // the faults happened: kills landed inside transactions and inside COMMIT, and installs were retried
    expect(kills.midTransaction, `seed ${seed}`).toBeGreaterThan(0);
    expect(kills.midCommit, `seed ${seed}`).toBeGreaterThan(0);
    expect(retries, `seed ${seed}`).toBeGreaterThan(0);
    // every acknowledged install is there once; nothing has two effects
    expect(acknowledged).toHaveLength(24);
    expect(new Set(acknowledged.map((a) => a.unitId)).size).toBe(24);
    expect(await effects(plant.siteId)).toEqual({ moves: 24, doubled: 0, edges: 24, units_twice: 0, requests: 24 });
    expect(await onHandAt(t.db, plant.siteId, plant.loc.point_of_use, { partRevisionId: oil.revisionId, lotId: lot.id })).toBe("76");
    expect(failedChecks(await runLedgerChecks(t.db))).toEqual([]);
    // the same pool answers at once
    const [ok] = await queryRows<{ ok: number }>(t.db, sql`select 1 as ok`);
    expect(ok!.ok).toBe(1);
  }, 90_000);

});
