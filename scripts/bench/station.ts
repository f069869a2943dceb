// npm run bench:station — installs at the operator station as the tablets make them: `next start` (the production build)
// on a generated plant in PostgreSQL, 8 simulated tablets in a child process (scripts/bench/station-client.ts), each
// signed in through next-auth with its station operator's badge and PIN, scanning GS1 lot labels (]d2 AIM prefix, GS
// separators: GTIN, lot, part number) into its units through tRPC station.consumeComponent over HTTP, closed loop.
// Lanes, interleaved over rounds (order rotated per round):
//   app, own lots     each station consumes its own lot (no shared rows between stations)
//   app, shared lot   every station consumes the same lot (staged at each point of use): its consumed-balance row is
//                     locked by every install
//   raw, own / shared the same write statements the app sends for an install (server/repos: the lock of the unit
//                     operation and request id, then postMovement with installSteps: balances, movement, legs, genealogy
//                     edge, audit, outbox, request log), from 8 connections with the app's transaction shape (BEGIN
//                     pipelined with the first statement, db/client.ts), without the read and the checks, without HTTP
//   embedded          `next start` with no DATABASE_URL (PGlite in a scratch folder, the demo plant, as the quick start),
//                     1 and 2 tablets
// Per lane: scans/s, p50, p99, CPU per scan of the app (its process tree, /proc) and of PostgreSQL (the database's
// backends, /proc), median and spread (min-max) over the rounds. Targets (issue 12): own lots p99 < 50 ms and throughput
// >= 50% of raw; embedded, 2 tablets p99 < 50 ms.
// With --outbox (npm run bench:outbox), the lanes are "app, own lots" and the same with ERP delivery running: the
// confirmation worker as its own process pushing to a simulated ERP over loopback (scripts/bench/delivery.ts). Per round
// it first drains what the lanes before left waiting (delivered confirmations per second, target >= 1,000/s), then the
// tablets scan while it delivers (lag from commit to the ERP's receipt, target p99 < 2 s; the floor's throughput with
// delivery running, target >= 90% of without).
// Options: --units N (generated units, 12000) --requests N (timed scans per tablet per round, 250) --warmup N (untimed,
//          per tablet per round, 50) --rounds N (3) --tablets N (8) --units-per-station N (50) --db NAME (reuse a
//          generated database; bench orders are added to it, it is kept) --no-embedded (skip the PGlite lanes)
import { parseArgs } from "node:util";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase, queryRows } from "../../db/client";
import * as schema from "../../db/schema";
import { seedOwnershipDefaults } from "../../db/seed/ownership-defaults";
import { seedDemoPlant } from "../../db/seed/demo-plant";
import { DEMO_PIN } from "../../db/seed/demo-users";
import { hashSecret } from "../../server/auth/passwords";
import { failedChecks, runLedgerChecks } from "../../server/repos/ledger-checks";
import { runRaw, runTablets, setUpWork, signInTablets, type LaneResult, type Workload } from "./station-work";
import { setUpDelivery } from "./delivery";
import { commandLine, DatabaseCpu, ensureBuild, fmt, interleave, machineNote, median, onCleanup, percentile, plantDatabase, runBenchmark, spread, startApp, verdict } from "./harness";

const { values } = parseArgs({
  options: {
    units: { type: "string", default: "12000" },
    requests: { type: "string", default: "250" },
    warmup: { type: "string", default: "50" },
    rounds: { type: "string", default: "3" },
    tablets: { type: "string", default: "8" },
    "units-per-station": { type: "string", default: "50" },
    db: { type: "string" },
    "no-embedded": { type: "boolean", default: false },
    outbox: { type: "boolean", default: false },
  },
});
const REQUESTS = Number(values.requests);
const WARMUP = Number(values.warmup);
const ROUNDS = Number(values.rounds);
const TABLETS = Number(values.tablets);
const UNITS_PER_STATION = Number(values["units-per-station"]);
/** Installs per station through the app before the statistics are refreshed (a running plant's request log is never empty). */
const PRIMING = 50;
const EMBEDDED_TABLETS = 2;

/** The embedded default: a scratch PGlite folder with the demo plant (as the app seeds it) and the bench's orders at WCH. */
async function prepareEmbedded(perStation: number): Promise<{ dir: string; work: Workload }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tl-bench-pglite-"));
  onCleanup(`remove ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  const saved = { url: process.env.DATABASE_URL, dir: process.env.TRACELINE_DATA_DIR };
  delete process.env.DATABASE_URL;
  process.env.TRACELINE_DATA_DIR = path.join(dir, "pglite");
  const database = await openDatabase();
  try {
    // what db/app-database.ts does at the app's first start, then the bench's orders, before the app opens the folder
    await database.migrate();
    await seedOwnershipDefaults(database.db);
    await seedDemoPlant(database.db, { now: new Date() });
    const db = database.db;
    const [site] = await queryRows<{ id: string }>(db, sql`select id from sites where code = 'WCH'`);
    const stations = await queryRows<{ id: string; code: string; work_center_id: string }>(
      db,
      sql`select st.id, st.code, st.work_center_id from stations st where st.site_id = ${site!.id}
            and exists (select 1 from storage_locations l where l.site_id = st.site_id and l.station_id = st.id and l.kind = 'point_of_use')
          order by st.code limit ${EMBEDDED_TABLETS}`,
    );
    const pinHash = await hashSecret(DEMO_PIN);
    const withOperators = [];
    for (const [i, st] of stations.entries()) {
      const badge = `BENCH-OP-${i + 1}`;
      const [user] = await db.insert(schema.users).values({ displayName: `Bench operator ${i + 1}`, badgeId: badge, pinHash }).returning();
      await db.insert(schema.userSiteRoles).values({ userId: user!.id, siteId: site!.id, role: "operator" });
      withOperators.push({ id: st.id, code: st.code, workCenterId: st.work_center_id, operator: { id: user!.id, name: user!.displayName, badge } });
    }
    const work = await setUpWork(db, site!.id, withOperators, perStation, UNITS_PER_STATION);
    return { dir: path.join(dir, "pglite"), work };
  } finally {
    await database.close();
    if (saved.url !== undefined) process.env.DATABASE_URL = saved.url;
    if (saved.dir !== undefined) process.env.TRACELINE_DATA_DIR = saved.dir;
    else delete process.env.TRACELINE_DATA_DIR;
  }
}

type Lane = { name: string; run: () => Promise<LaneResult>; kind: "app-own" | "app-shared" | "raw-own" | "raw-shared" | "embedded-1" | "embedded-2" | "app-own-delivering" };

async function main() {
  const title = values.outbox ? "bench:outbox" : "bench:station";
  console.log(`${title} — ${commandLine(title)}`);
  console.log(`machine: ${machineNote()}`);
  ensureBuild();
  const plant = await plantDatabase({ prefix: "tl_bench_station", reuse: values.db, genArgs: ["--sites", "1", "--units", String(values.units)] });
  const owner = await openDatabase({ url: plant.url, role: null, max: 4 });
  onCleanup("owner connection", () => owner.close());
  const [size] = await queryRows<{ legs: number; edges: number; units: number; site_id: string; code: string }>(
    owner.db,
    sql`select (select count(*)::int from movement_legs) as legs, (select count(*)::int from genealogy_edges) as edges, (select count(*)::int from units) as units,
               s.id as site_id, s.code from sites s where s.code like 'G%' order by s.code limit 1`,
  );
  if (!size) throw new Error("no generated site (G...) in the database");
  const dataSize = `${fmt(size.units)} units, ${fmt(size.legs)} ledger legs, ${fmt(size.edges)} genealogy edges (site ${size.code})`;
  console.log(`data: ${dataSize}`);
  const stations = await queryRows<{ id: string; code: string; work_center_id: string; user_id: string; display_name: string; badge: string }>(
    owner.db,
    sql`select st.id, st.code, st.work_center_id, u.id as user_id, u.display_name, u.badge_id as badge
        from stations st join sites s on s.id = st.site_id
        join users u on u.badge_id = s.code || '-OP-' || substring(st.code from 4)
        where st.site_id = ${size.site_id} order by st.code limit ${TABLETS}`,
  );
  if (stations.length < TABLETS) throw new Error(`need ${TABLETS} stations with their operators (badge <site>-OP-L<level>-<n>), found ${stations.length}: regenerate the plant with the current generator`);
  const perStation = PRIMING + ROUNDS * (WARMUP + REQUESTS) * 2 + 100;
  const work = await setUpWork(
    owner.db,
    size.site_id,
    stations.map((s) => ({ id: s.id, code: s.code, workCenterId: s.work_center_id, operator: { id: s.user_id, name: s.display_name, badge: s.badge } })),
    perStation,
    UNITS_PER_STATION,
  );
  const app = await startApp({ label: "app on PostgreSQL", databaseUrl: plant.url });
  const dbCpu = new DatabaseCpu(plant.name);
  const own = await signInTablets(app, work, TABLETS, false);
  const shared = await signInTablets(app, work, TABLETS, true);
  console.log(`signed in ${TABLETS} operators (badge + PIN); label scanned, e.g.: ${JSON.stringify(own[0]!.label)}`);
  // Prime the plant as a running one is (the generator writes no station requests, audit rows or outbox messages, and
  // statistics saying those tables are empty make PostgreSQL scan them), then fresh statistics.
  await runTablets(app, null, own, PRIMING, 0);
  await owner.db.execute(sql`analyze`);
  const raw = await openDatabase({ url: plant.url, max: TABLETS });
  onCleanup("raw lane connections", () => raw.close());

  const lanes: Lane[] = [{ name: `app, own lots (${TABLETS} tablets)`, kind: "app-own", run: () => runTablets(app, dbCpu, own, REQUESTS, WARMUP) }];
  const drains: { delivered: number; seconds: number; workerCpuMs: number }[] = [];
  const lags: number[][] = [];
  const delivery = values.outbox ? await setUpDelivery(owner.db, work.siteId, size.code, plant.url) : null;
  if (delivery) {
    lanes.push({
      name: `app, own lots, ERP delivery running`,
      kind: "app-own-delivering",
      run: async () => {
        drains.push(await delivery.startAndDrain());
        const from = new Date();
        const r = await runTablets(app, dbCpu, own, REQUESTS, WARMUP);
        lags.push(await delivery.lagsOf(from, new Date()));
        await delivery.stopWorker();
        return r;
      },
    });
  } else {
    lanes.push(
      { name: `app, shared lot (${TABLETS} tablets)`, kind: "app-shared", run: () => runTablets(app, dbCpu, shared, REQUESTS, WARMUP) },
      { name: `raw writes, own lots (${TABLETS} connections)`, kind: "raw-own", run: () => runRaw(raw.db, dbCpu, work, false, WARMUP, REQUESTS) },
      { name: `raw writes, shared lot (${TABLETS} connections)`, kind: "raw-shared", run: () => runRaw(raw.db, dbCpu, work, true, WARMUP, REQUESTS) },
    );
  }
  if (!values["no-embedded"] && !values.outbox) {
    const embedded = await prepareEmbedded(ROUNDS * (WARMUP + REQUESTS) * 2 + PRIMING + 100);
    const lite = await startApp({ label: "app on embedded PGlite", dataDir: embedded.dir });
    const liteTablets = await signInTablets(lite, embedded.work, EMBEDDED_TABLETS, false);
    await runTablets(lite, null, liteTablets, 20, 0);
    lanes.push(
      { name: "embedded (PGlite), 1 tablet", kind: "embedded-1", run: () => runTablets(lite, null, liteTablets.slice(0, 1), REQUESTS, WARMUP) },
      { name: `embedded (PGlite), ${EMBEDDED_TABLETS} tablets`, kind: "embedded-2", run: () => runTablets(lite, null, liteTablets, REQUESTS, WARMUP) },
    );
  }
  console.log(`\n${ROUNDS} rounds; per lane and round ${WARMUP} untimed + ${REQUESTS} timed scans per tablet; lane order rotated per round`);
  const results = await interleave(lanes, ROUNDS, (lane) => lane.run(), (r) => `${r.throughput.toFixed(0)}/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`);

  console.log(`\n${title} — ${commandLine(title)}`);
  console.log(`machine: ${machineNote("end")}`);
  console.log(`data: ${dataSize}; ${ROUNDS} rounds x ${REQUESTS} timed scans per tablet; figures: median (min-max) over the rounds`);
  const col = (s: string, w: number) => s.padEnd(w);
  console.log(`${col("lane", 42)} ${col("scans/s", 16)} ${col("p50 ms", 22)} ${col("p99 ms", 22)} ${col("app CPU ms/scan", 22)} ${col("PostgreSQL CPU ms/scan", 23)} client CPU ms/scan`);
  for (const lane of lanes) {
    const rs = results.get(lane)!;
    const pick = (f: (r: LaneResult) => number, d = 1) => spread(rs.map(f), d);
    const app = lane.kind.startsWith("raw") ? "-" : pick((r) => r.appCpu, 2);
    const pg = lane.kind.startsWith("embedded") ? "(in the app)" : pick((r) => r.dbCpu, 2);
    console.log(`${col(lane.name, 42)} ${col(pick((r) => r.throughput, 0), 16)} ${col(pick((r) => r.p50), 22)} ${col(pick((r) => r.p99), 22)} ${col(app, 22)} ${col(pg, 23)} ${pick((r) => r.clientCpu, 2)}`);
  }
  const of = (kind: Lane["kind"]) => results.get(lanes.find((l) => l.kind === kind)!) ?? [];
  const ratios = (a: LaneResult[], b: LaneResult[]) => a.map((r, i) => (100 * r.throughput) / b[i]!.throughput);
  if (delivery) {
    const rates = drains.map((d) => d.delivered / d.seconds);
    const p99s = lags.map((l) => percentile(l, 99) / 1000);
    const floor = ratios(of("app-own-delivering"), of("app-own"));
    console.log(`\nERP delivery (the worker process pushing to the simulated ERP over loopback, JSON):`);
    console.log(`  backlog drained per round: ${drains.map((d) => fmt(d.delivered)).join(", ")} confirmations; worker CPU ${spread(drains.map((d) => d.workerCpuMs / d.delivered), 2)} ms per confirmation`);
    console.log(`  delivered per second: ${spread(rates, 0)} -> target >= 1,000/s: ${verdict(median(rates) >= 1000)}`);
    console.log(`  lag from commit to the ERP's receipt while the tablets scan, p99: ${spread(p99s, 2, " s")} (p50 ${spread(lags.map((l) => percentile(l, 50) / 1000), 2, " s")}) -> target < 2 s: ${verdict(median(p99s) < 2)}`);
    console.log(`  the floor with delivery running: ${spread(floor, 0, "%")} of its throughput without -> target >= 90%: ${verdict(median(floor) >= 90)}`);
    const doubles = delivery!.erp.doubles();
    console.log(`  the simulated ERP applied ${fmt(delivery!.erp.applied.size)} confirmations; applied twice: ${doubles.length}`);
    if (doubles.length > 0) process.exitCode = 1;
    const failed = failedChecks(await runLedgerChecks(owner.db));
    console.log(`ledger checks on PostgreSQL after the run: ${failed.length === 0 ? "all green" : `FAILED: ${JSON.stringify(failed)}`}`);
    if (failed.length > 0) process.exitCode = 1;
    return;
  }
  const ownRatio = ratios(of("app-own"), of("raw-own"));
  const sharedRatio = ratios(of("app-shared"), of("raw-shared"));
  const ownP99 = median(of("app-own").map((r) => r.p99));
  console.log(`\napp / raw throughput, own lots: ${spread(ownRatio, 0, "%")} (per round); shared lot: ${spread(sharedRatio, 0, "%")}`);
  console.log(`targets (issue 12), own lots: p99 < 50 ms: ${ownP99.toFixed(1)} ms -> ${verdict(ownP99 < 50)}; throughput >= 50% of raw: ${median(ownRatio).toFixed(0)}% -> ${verdict(median(ownRatio) >= 50)}`);
  console.log(`shared lot beside it: p99 ${spread(of("app-shared").map((r) => r.p99))} ms`);
  if (!values["no-embedded"]) {
    const liteP99 = median(of("embedded-2").map((r) => r.p99));
    console.log(`target (issue 12), embedded, ${EMBEDDED_TABLETS} tablets: p99 < 50 ms: ${liteP99.toFixed(1)} ms -> ${verdict(liteP99 < 50)}`);
  }
  const failed = failedChecks(await runLedgerChecks(owner.db));
  console.log(`ledger checks on PostgreSQL after the run: ${failed.length === 0 ? "all green" : `FAILED: ${JSON.stringify(failed)}`}`);
  if (failed.length > 0) process.exitCode = 1;
}

runBenchmark(main);
