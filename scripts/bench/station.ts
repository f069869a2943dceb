// npm run bench:station — consumption at the operator station through the app's tRPC HTTP endpoint by 8 concurrent
// simulated stations, on a generated plant (>= 1,000,000 ledger legs), and in the same run the same transaction as raw
// SQL through the postgres driver (lock the unit operation, request id, guarded balance updates, movement + legs,
// genealogy edge, operation start, audit row, outbox row, request log) by 8 concurrent workers.
// - HTTP: the app's station router on a Node HTTP server with the fetch adapter the app's /api/trpc route uses; per
//   request the session cookie is decrypted (as the app's next-auth config does it) and the actor loaded from the
//   database, as the route's context does; superjson; one request per scan. The tablets run in a separate process.
// - Each station works through the 25 units of its own order in turn (a lot-tracked line, one per scan), from one lot
//   staged at its point of use; the raw SQL workers do the same. Before any run: 50 untimed installs per station and
//   fresh statistics (a running plant's request log is never empty); before each run: 200 untimed requests per station.
// Reports throughput, p50/p99 latency, this process's CPU per consumption and the ratio (and, as a diagnostic, the
// service called without HTTP). Targets: p99 < 50 ms; throughput >= half of raw SQL's.
// Options: --units N (generated units, 12000) --requests N (per station, 250) --warmup N (untimed, per station, 200)
//          --stations N (8) --db NAME (reuse) --keep
//          --only http,direct,raw (the runs to make; for profiling one of them)
//          --generate-only (with --db: only generate the plant into it; used by the fresh run's child process)
import { parseArgs } from "node:util";
import { spawn, spawnSync } from "node:child_process";
import { createServer, type IncomingMessage } from "node:http";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { encode } from "next-auth/jwt";
import { decodeSessionToken } from "../../server/auth/session-token";
import { openDatabase, queryRows, type Db } from "../../db/client";
import { createDatabase, dropDatabase, urlFor } from "../../db/testing/pg-admin";
import { generatePlant } from "../../db/seed/generator";
import { createTestLot, createTestPart, createTestUser } from "../../db/testing/factories";
import { createStationOrder } from "../../db/testing/station-fixtures";
import type { Plant } from "../../db/testing/genealogy-fixtures";
import { postMovement } from "../../server/repos/ledger";
import { failedChecks, runLedgerChecks } from "../../server/repos/ledger-checks";
import { consumeComponent } from "../../server/services/station/consume-component";
import { createRouter, type Context } from "../../server/api/trpc";
import { stationRouter } from "../../server/api/routers/station";
import { resolveSessionActor } from "../../server/auth/actor";
import { createSession } from "../../server/repos/user-sessions";
import { readClaims } from "../../server/auth/claims";
import type { Actor } from "../../server/auth/types";

const { values } = parseArgs({
  options: {
    units: { type: "string", default: "12000" },
    requests: { type: "string", default: "250" },
    stations: { type: "string", default: "8" },
    db: { type: "string" },
    keep: { type: "boolean", default: false },
    only: { type: "string", default: "http,direct,raw" },
    warmup: { type: "string", default: "200" },
    "generate-only": { type: "boolean", default: false },
  },
});
const STATIONS = Number(values.stations);
const REQUESTS = Number(values.requests);
/** Untimed requests per station before each run (JIT, connections, caches), as any steady-state benchmark does. */
const WARMUP = Number(values.warmup);
/** Installs per station before the statistics are taken (see "Prime the plant" below). */
const PRIMING = 50;
const name = values.db ?? `tl_bench_station_${Date.now().toString(36)}`;

/** The app's station router (the app router's other routers pull in Next's navigation, which needs Next's runtime). */
export const benchRouter = createRouter({ station: stationRouter });
export type BenchRouter = typeof benchRouter;

const SECRET = "bench-station-session-secret-of-enough-length-0123456789";
const COOKIE = "authjs.session-token";

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

type LaneUnit = { unitId: string; unitSerialItemId: string; opId: string };
/** One station: its units in turn (as a station works through an order's units), one lot staged at its point of use. */
type Lane = { stationId: string; units: LaneUnit[]; next: number; lotId: string; partRevisionId: string; pou: string };
/** Units per station: each gets about REQUESTS * 3 / UNITS_PER_LANE installs over the three runs, as a real unit's operation does. */
const UNITS_PER_LANE = 25;
const nextUnit = (lane: Lane) => lane.units[lane.next++ % lane.units.length]!;

/** The plant is generated by a child process (`--generate-only`), so the measuring process starts clean. */
async function generateOnly() {
  const owner = await openDatabase({ url: urlFor(name), role: null, max: 4 });
  try {
    await owner.migrate();
    const units = Number(values.units);
    console.log(`bench:station — generating into ${name}: ${units} units, 4 levels`);
    const summary = await generatePlant(owner.db, { sites: 1, units, depth: 4, fanout: 2 }, (p) => {
      if (p.ms > 5000) console.log(`  ${p.step}: ${p.rows} rows, ${(p.ms / 1000).toFixed(1)} s`);
    });
    console.log(`  generated in ${summary.seconds.toFixed(0)} s`);
    // settle the freshly loaded database before measuring: vacuum, statistics, and a checkpoint
    const t0 = performance.now();
    await owner.db.execute(sql`vacuum analyze`);
    await owner.db.execute(sql`checkpoint`);
    console.log(`  vacuum analyze + checkpoint: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    await owner.close();
  }
}

async function main() {
  const fresh = values.db === undefined;
  if (fresh) {
    await createDatabase(name);
    const gen = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, "--db", name, "--units", String(values.units), "--generate-only"], { stdio: "inherit" });
    if (gen.status !== 0) {
      await dropDatabase(name);
      throw new Error(`generating the plant failed (exit ${gen.status})`);
    }
  }
  const owner = await openDatabase({ url: urlFor(name), role: null, max: 4 });
  const app = await openDatabase({ url: urlFor(name), max: STATIONS + 2 });
  const raw = postgres(urlFor(name), { max: STATIONS, onnotice: () => {} });
  let server: ReturnType<typeof createServer> | null = null;
  try {
    const [size] = await queryRows<{ legs: number; site_id: string; code: string; tz: string; site_name: string }>(
      owner.db,
      sql`select (select count(*)::int from movement_legs) as legs, s.id as site_id, s.code, s.time_zone as tz, s.name as site_name
          from sites s where s.code like 'G%' order by s.code limit 1`,
    );
    if (!size) throw new Error("no generated site");
    console.log(`data: ${size.legs.toLocaleString("en")} ledger legs`);
    if (size.legs < 1_000_000) console.log("  (fewer than 1,000,000 legs: raise --units)");
    const siteId = size.site_id;

    // The workload: per station, one unit of a bench order whose op 10 takes a lot-tracked part, 1 per scan, from a
    // lot staged at the station's point of use (enough for every request of both runs).
    const stations = await queryRows<{ id: string; work_center_id: string; pou: string }>(
      owner.db,
      sql`select st.id, st.work_center_id, l.id as pou from stations st join storage_locations l on l.site_id = st.site_id and l.station_id = st.id and l.kind = 'point_of_use'
          where st.site_id = ${siteId} order by st.code limit ${STATIONS}`,
    );
    if (stations.length < STATIONS) throw new Error(`need ${STATIONS} stations, found ${stations.length}`);
    const locs = await queryRows<{ kind: string; id: string }>(owner.db, sql`select distinct on (kind) kind::text, id from storage_locations where site_id = ${siteId} order by kind, code`);
    const locOf = (k: string) => locs.find((l) => l.kind === k)!.id;
    const operator = await createTestUser(owner.db, siteId, "operator");
    const actor: Actor = {
      userId: operator.id,
      displayName: "Bench Operator",
      siteId,
      siteCode: size.code,
      siteName: size.site_name,
      timeZone: size.tz,
      roles: ["operator"],
      sites: [{ id: siteId, code: size.code, name: size.site_name, timeZone: size.tz, roles: ["operator"] }],
    };
    const part = await createTestPart(owner.db, "lot", { description: "Bench sealant" });
    const perLane = String((REQUESTS + WARMUP) * 3 + PRIMING + 10);
    const lanes: Lane[] = [];
    for (const [i, st] of stations.entries()) {
      const plant = { siteId, workCenterId: st.work_center_id } as Plant;
      const order = await createStationOrder(owner.db, plant, {
        number: `WO-BENCH-ST-${Date.now().toString(36)}-${i}`,
        serials: Array.from({ length: UNITS_PER_LANE }, (_, k) => `BENCH-${i}-${k}`),
        ops: [{ seq: 10, workCenterId: st.work_center_id }],
        bom: [{ find: 1, partRevisionId: part.revisionId, qty: "1000", op: 10 }],
      });
      const lot = await createTestLot(owner.db, siteId, part.revisionId);
      await owner.db.transaction((tx) =>
        postMovement(tx, {
          siteId,
          kind: "receive_from_erp",
          occurredAt: new Date(),
          legs: [
            { partRevisionId: part.revisionId, lotId: lot.id, serialItemId: null, locationId: locOf("erp_supply"), quantity: `-${perLane}` },
            { partRevisionId: part.revisionId, lotId: lot.id, serialItemId: null, locationId: st.pou, quantity: perLane },
          ],
        }),
      );
      const units: LaneUnit[] = [];
      for (const unit of order.units) {
        const [op] = await queryRows<{ id: string }>(owner.db, sql`select id from unit_operations where unit_id = ${unit.unitId} and seq = 10`);
        units.push({ unitId: unit.unitId, unitSerialItemId: unit.serialItemId, opId: op!.id });
      }
      lanes.push({ stationId: st.id, units, next: 0, lotId: lot.id, partRevisionId: part.revisionId, pou: st.pou });
    }
    // Prime the plant as a running one is: the generator writes no station requests, audit rows or outbox messages, and
    // statistics that say those tables are empty make PostgreSQL scan them on every lookup. Some installs, then fresh
    // statistics, before anything is measured.
    await Promise.all(
      lanes.map(async (lane) => {
        for (let i = 0; i < PRIMING; i++) {
          await consumeComponent(app.db, actor, { requestId: randomUUID(), stationId: lane.stationId, unitId: nextUnit(lane).unitId, operationSeq: 10, item: { lotId: lane.lotId }, quantity: "1" }, new Date());
        }
      }),
    );
    await owner.db.execute(sql`analyze`);

    // The tRPC endpoint over HTTP, as the app serves it (fetch adapter, superjson); the context as the route's: the
    // session cookie decrypted (next-auth's JWE), the actor and their roles loaded from the database.
    // A sign-in session as the badge sign-in opens it (idle limit above the run's length), checked on every request.
    const session = await createSession(app.db, { userId: operator.id, method: "badge", signedInAt: new Date(), idleTimeoutMs: 8 * 3_600_000, expiresAt: new Date(Date.now() + 8 * 3_600_000), clientKey: "bench" });
    const token = await encode({ salt: COOKIE, secret: SECRET, token: { sub: operator.id, name: "Bench Operator", userId: operator.id, sessionId: session.id, sessionVersion: operator.sessionVersion, activeSiteId: siteId, method: "badge", signedInAt: Date.now() } });
    server = createServer(async (req, res) => {
      const body = await readBody(req);
      const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body: req.method === "POST" ? body : undefined });
      const response = await fetchRequestHandler({
        endpoint: "/api/trpc",
        req: request,
        router: benchRouter,
        createContext: async (): Promise<Context> => {
          const cookie = /(?:^|; )authjs\.session-token=([^;]+)/.exec(request.headers.get("cookie") ?? "")?.[1];
          const claims = cookie ? readClaims(await decodeSessionToken({ salt: COOKIE, secret: SECRET, token: cookie })) : null;
          return { db: app.db as Db, actor: claims ? await resolveSessionActor(app.db, claims, new Date()) : null, clientKey: "bench", now: () => new Date() };
        },
        onError: ({ error }) => console.error(error),
      });
      res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;

    const only = new Set((values.only ?? "").split(","));
    const skipped = { n: 0, seconds: 0, throughput: NaN, p50: NaN, p99: NaN, cpuMsPerOp: NaN };
    const httpRun = !only.has("http") ? skipped : await runClients({ url: `http://127.0.0.1:${port}/api/trpc`, cookie: `${COOKIE}=${token}`, requests: REQUESTS, warmup: WARMUP, lanes: lanes.map((l) => ({ stationId: l.stationId, unitIds: l.units.map((u) => u.unitId), lotId: l.lotId })) });
    report("HTTP (tRPC consumeComponent, every check)", httpRun);

    // diagnostic: the same service without HTTP, to tell the transport's share from the transaction's
    const directRun = !only.has("direct") ? skipped : await runLanes(lanes, async (lane) => {
      await consumeComponent(app.db, actor, { requestId: randomUUID(), stationId: lane.stationId, unitId: nextUnit(lane).unitId, operationSeq: 10, item: { lotId: lane.lotId }, quantity: "1" }, new Date());
    });
    report("service called directly (no HTTP; diagnostic)", directRun);

    const consumed = locOf("consumed");
    const rawRun = !only.has("raw") ? skipped : await runLanes(lanes, (lane) => rawConsume(raw, { siteId, userId: operator.id, lane, consumed }));
    report("raw SQL (same writes, no checks)", rawRun);

    const ratio = httpRun.throughput / rawRun.throughput;
    console.log(`\nratio: HTTP throughput is ${(ratio * 100).toFixed(0)}% of raw SQL's (target >= 50%)`);
    console.log(`p99 HTTP: ${ms(httpRun.p99)} (target < 50 ms) -> ${httpRun.p99 < 50 ? "met" : "NOT met"}; throughput ratio -> ${ratio >= 0.5 ? "met" : "NOT met"}`);
    const failed = failedChecks(await runLedgerChecks(owner.db));
    console.log(`ledger checks after the run: ${failed.length === 0 ? "all green" : `FAILED: ${JSON.stringify(failed)}`}`);
  } finally {
    server?.close();
    await raw.end();
    await app.close();
    await owner.close();
    if (fresh && !values.keep) await dropDatabase(name);
    else console.log(`kept database ${name}`);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** The HTTP run: the tablets in their own process; this process (the app) measures its own CPU meanwhile. */
async function runClients(work: { url: string; cookie: string; requests: number; warmup: number; lanes: { stationId: string; unitIds: string[]; lotId: string }[] }) {
  let cpu0 = process.cpuUsage();
  const child = spawn(process.execPath, [...process.execArgv, "scripts/bench/station-client.ts"], {
    env: { ...process.env, BENCH_STATION_CLIENT: JSON.stringify(work) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  let warm = false;
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString("utf8");
    // the tablets say when their warm-up is over: the app's CPU is counted from there
    if (!warm && out.includes("WARM\n")) {
      warm = true;
      cpu0 = process.cpuUsage();
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`the station clients failed (exit ${code})`);
  const cpu = process.cpuUsage(cpu0);
  const { seconds, latencies, clientCpuMs } = JSON.parse(out.trim().split("\n").pop()!) as { seconds: number; latencies: number[]; clientCpuMs: number };
  const n = latencies.length;
  console.log(`  (the simulated tablets' process: ${(clientCpuMs / n).toFixed(2)} ms CPU per consumption)`);
  return { cpuMsPerOp: (cpu.user + cpu.system) / 1000 / n, n, seconds, throughput: n / seconds, p50: pct(latencies, 50), p99: pct(latencies, 99) };
}

async function runLanes(lanes: Lane[], one: (lane: Lane) => Promise<void>) {
  await Promise.all(lanes.map(async (lane) => { for (let i = 0; i < WARMUP; i++) await one(lane); }));
  const latencies: number[] = [];
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    lanes.map(async (lane) => {
      for (let i = 0; i < REQUESTS; i++) {
        const s = performance.now();
        await one(lane);
        latencies.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { cpuMsPerOp: (cpu.user + cpu.system) / 1000 / latencies.length, n: latencies.length, seconds, throughput: latencies.length / seconds, p50: pct(latencies, 50), p99: pct(latencies, 99) };
}

function report(label: string, r: Awaited<ReturnType<typeof runLanes>>) {
  console.log(`\n${label}: ${r.n} consumptions by ${STATIONS} stations in ${r.seconds.toFixed(1)} s`);
  console.log(`  throughput ${r.throughput.toFixed(0)}/s, p50 ${ms(r.p50)}, p99 ${ms(r.p99)}; this process's CPU ${r.cpuMsPerOp.toFixed(2)} ms per consumption`);
}

/** The consumption's writes as hand-written SQL in one transaction, in the service's lock order. */
async function rawConsume(raw: postgres.Sql, a: { siteId: string; userId: string; lane: Lane; consumed: string }) {
  const { siteId, userId, lane, consumed } = a;
  const unit = nextUnit(lane);
  const requestId = randomUUID();
  await raw.begin(async (tx) => {
    await tx`select id from unit_operations where site_id = ${siteId} and id = ${unit.opId} for update`;
    await tx`select pg_advisory_xact_lock(hashtextextended(${`request:${siteId}:${requestId}`}, 0))`;
    await tx`select 1 from request_log where site_id = ${siteId} and request_id = ${requestId}`;
    await tx`insert into stock_balances (site_id, location_id, is_physical, part_revision_id, lot_id, on_hand) values (${siteId}, ${consumed}, false, ${lane.partRevisionId}, ${lane.lotId}, 0) on conflict do nothing`;
    const bal = await tx<{ id: string; location_id: string }[]>`select id, location_id from stock_balances where site_id = ${siteId} and part_revision_id = ${lane.partRevisionId} and lot_id = ${lane.lotId}
        and location_id in (${lane.pou}, ${consumed}) order by id for update`;
    const pouBal = bal.find((b) => b.location_id === lane.pou)!.id;
    const conBal = bal.find((b) => b.location_id === consumed)!.id;
    const took = await tx`update stock_balances set on_hand = on_hand - 1, updated_at = now() where site_id = ${siteId} and id = ${pouBal} and on_hand - 1 >= reserved returning id`;
    if (took.length === 0) throw new Error("raw: insufficient stock");
    await tx`update stock_balances set on_hand = on_hand + 1, updated_at = now() where site_id = ${siteId} and id = ${conBal}`;
    const [mv] = await tx<{ id: string }[]>`insert into movements (site_id, kind, request_id, actor_user_id, occurred_at, reference) values (${siteId}, 'consume', ${requestId}, ${userId}, now(), '{}') returning id`;
    await tx`insert into movement_legs (site_id, movement_id, location_id, part_revision_id, lot_id, quantity) values
        (${siteId}, ${mv!.id}, ${lane.pou}, ${lane.partRevisionId}, ${lane.lotId}, -1), (${siteId}, ${mv!.id}, ${consumed}, ${lane.partRevisionId}, ${lane.lotId}, 1)`;
    const [edge] = await tx<{ id: string }[]>`insert into genealogy_edges (site_id, parent_serial_item_id, parent_unit_id, child_part_revision_id, child_lot_id, quantity, find_number, operation_seq, operator_user_id, station_id, installed_at, parameters, movement_id)
        values (${siteId}, ${unit.unitSerialItemId}, ${unit.unitId}, ${lane.partRevisionId}, ${lane.lotId}, 1, 1, 10, ${userId}, ${lane.stationId}, now(), '{}', ${mv!.id}) returning id`;
    await tx`update unit_operations set status = 'in_progress', station_id = ${lane.stationId}, started_at = coalesce(started_at, now()) where site_id = ${siteId} and id = ${unit.opId}`;
    await tx`insert into audit_log (site_id, actor_user_id, actor_name, action, entity, entity_id, new_value, request_id) values (${siteId}, ${userId}, 'Bench Operator', 'station.consumeComponent', 'genealogy_edge', ${edge!.id}, ${raw.json({ quantity: "1" })}, ${requestId})`;
    await tx`insert into erp_outbox (site_id, type, payload) values (${siteId}, 'consumption', ${raw.json({ movementType: "261", quantity: "1" })})`;
    await tx`insert into request_log (site_id, request_id, actor_user_id, command, payload_hash, outcome) values (${siteId}, ${requestId}, ${userId}, 'station.consumeComponent', 'raw', ${raw.json({ edgeId: edge!.id })})`;
  });
}

(values["generate-only"] ? generateOnly() : main()).catch((e) => {
  console.error(e);
  process.exit(1);
});
