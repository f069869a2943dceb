// npm run bench:sites — how the floor's and quality's questions grow with the number of sites on one database: a plant
// of N sites x S stations (`npm run gen -- --sites N --stations S --units N*U`, the generator's inter-site transfers on:
// half the unit trees get a sub-assembly built at the next site and installed at theirs through site transfers), at
// each scale of --scales (1, 10, 100), every scale its own database and its own `next start` (the production build),
// with real sign-in through next-auth. Lanes, at each scale, all interleaved over --rounds rounds (each round runs every
// lane of every scale, the scale order rotated per round, so a change of the machine's load falls on every scale):
//   station consume, app    --tablets operators of the first site's stations (badge + PIN) scanning GS1 lot labels
//                           through tRPC station.consumeComponent, closed loop (scripts/bench/station-work.ts)
//   station consume, raw    the app's own write statements for an install, without the read and the checks
//   where-used, app         an enterprise quality engineer (quality engineer + enterprise at every site) asking
//                           tRPC enterprise.whereUsed (first page of 50 + exact total) for --runs lots of the first site
//                           that went into sub-assemblies installed at another site
//   where-used, raw         the same question as one recursive SQL query (installs and received transfers, named)
//   WIP board, app          the first site's supervisor asking tRPC wip.board (--calls per round)
//   WIP board, raw          the board's ten statements (server/repos/wip-board.ts) on the driver
// Per lane and scale: median and spread (min-max) over the rounds of p50 / p95 (station: scans/s, p50, p99), CPU per call
// of the app and of PostgreSQL; then each figure at every scale and its growth from the smallest scale.
// Options: --scales 1,10,100 --units-per-site N (300) --stations N (50) --lines N (24) --tablets N (4) --requests N
//          (timed scans per tablet and round, 60) --warmup N (15) --runs N (where-used lots, 8) --calls N (WIP board reads
//          per round, 8) --rounds N (3) --db 1=NAME,10=NAME (reuse databases generated earlier, kept) --check (ledger
//          checks of each database at the end)
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { openDatabase, queryRows, type Db } from "../../db/client";
import { DEMO_PASSWORD } from "../../db/seed/demo-users";
import { failedChecks, runLedgerChecks } from "../../server/repos/ledger-checks";
import { readAlertContext, readInstalled, readInstalledHeld, readOpenBomLines, readShortKits, readStaged, readStations, readToolHolds, readWipUnits, readOperationTimes } from "../../server/repos/wip-board";
import { runRaw, runTablets, setUpWork, signInTablets, type LaneResult as StationResult, type Workload } from "./station-work";
import {
  Browser,
  commandLine,
  cpuMeter,
  DatabaseCpu,
  ensureBuild,
  fmt,
  interleave,
  machineNote,
  median,
  onCleanup,
  percentile,
  plantDatabase,
  runBenchmark,
  spread,
  startApp,
  type App,
} from "./harness";

const { values } = parseArgs({
  options: {
    scales: { type: "string", default: "1,10,100" },
    "units-per-site": { type: "string", default: "300" },
    stations: { type: "string", default: "50" },
    lines: { type: "string", default: "24" },
    tablets: { type: "string", default: "4" },
    requests: { type: "string", default: "60" },
    warmup: { type: "string", default: "15" },
    runs: { type: "string", default: "8" },
    calls: { type: "string", default: "8" },
    rounds: { type: "string", default: "3" },
    db: { type: "string" },
    check: { type: "boolean", default: false },
  },
});
const whole = (name: string, min = 1) => {
  const v = Number(values[name as keyof typeof values]);
  if (!Number.isSafeInteger(v) || v < min) throw new Error(`--${name} must be a whole number >= ${min}`);
  return v;
};
const SCALES = String(values.scales)
  .split(",")
  .map((s) => Number(s.trim()));
if (SCALES.some((n) => !Number.isSafeInteger(n) || n < 1 || n > 999)) throw new Error("--scales: site counts from 1 to 999, comma-separated (e.g. 1,10,100)");
const UNITS_PER_SITE = whole("units-per-site");
const STATIONS = whole("stations", 8);
const LINES = whole("lines", 6);
const TABLETS = whole("tablets");
const REQUESTS = whole("requests");
const WARMUP = whole("warmup", 0);
const RUNS = whole("runs");
const CALLS = whole("calls");
const ROUNDS = whole("rounds");
const UNITS_PER_STATION = 50;
const PRIMING = 20;
const REUSE = new Map(
  (values.db ?? "")
    .split(",")
    .filter(Boolean)
    .map((pair) => {
      const [n, name] = pair.split("=");
      if (!n || !name || !/^\d+$/.test(n)) throw new Error(`--db takes SITES=NAME pairs, comma-separated (got "${pair}")`);
      return [Number(n), name] as const;
    }),
);

/** Where-used across the scope as one recursive SQL query: installs at a site and received transfers to another, distinct units, named. */
const rawWhereUsed = (scope: string, siteId: string, lotId: string) => sql`with recursive walk (site_id, kind, item_id, via, keys) as (
    select ${siteId}::uuid, 'lot'::text, ${lotId}::uuid, 'start'::text, array[${siteId}::text || ':' || ${lotId}::text]
    union all
    select n.site_id, n.kind, n.item_id, n.via, w.keys || (n.site_id::text || ':' || n.item_id::text)
    from walk w cross join lateral (
      select e.site_id, 'serial'::text as kind, e.parent_serial_item_id as item_id, 'installed'::text as via
      from genealogy_edges e where w.kind = 'lot' and e.site_id = w.site_id and e.child_lot_id = w.item_id
      union all
      select e.site_id, 'serial', e.parent_serial_item_id, 'installed'
      from genealogy_edges e where w.kind = 'serial' and e.site_id = w.site_id and e.child_serial_item_id = w.item_id
      union all
      select t.to_site_id, w.kind, coalesce(t.to_lot_id, t.to_serial_item_id), 'transferred'
      from site_transfers t where t.status = 'received' and t.from_site_id = w.site_id and (t.from_lot_id = w.item_id or t.from_serial_item_id = w.item_id)
    ) n
    where n.site_id = any(${scope}::uuid[]) and not ((n.site_id::text || ':' || n.item_id::text) = any(w.keys)))
  select distinct on (w.site_id, w.item_id) st.code, s.serial_number, u.status
  from walk w join sites st on st.id = w.site_id join serial_items s on s.site_id = w.site_id and s.id = w.item_id
  left join units u on u.site_id = w.site_id and u.serial_item_id = w.item_id
  where w.via = 'installed' order by w.site_id, w.item_id`;

type Calls = { ms: number[]; kb: number; appCpu: number; dbCpu: number; reached?: number };
type Result = { station?: StationResult; calls?: Calls };

type Scale = {
  sites: number;
  dataSize: string;
  db: Db;
  name: string;
  app: App;
  dbCpu: DatabaseCpu;
  work: Workload;
  tablets: Awaited<ReturnType<typeof signInTablets>>;
  raw: Db;
  siteId: string;
  siteCode: string;
  scope: string;
  lots: { siteId: string; lotId: string }[];
  enterprise: Browser;
  supervisor: Browser;
};

async function prepare(sites: number): Promise<Scale> {
  const genArgs = ["--sites", String(sites), "--stations", String(STATIONS), "--units", String(sites * UNITS_PER_SITE), "--lines", String(LINES)];
  console.log(`\n== ${sites} site${sites > 1 ? "s" : ""} ==`);
  // other engineers' migrations on the same server can make the generator's first statement (ALTER ROLE of the app
  // role) fail with "tuple concurrently updated": a fresh scratch database and a second try
  let plant: Awaited<ReturnType<typeof plantDatabase>> | null = null;
  for (let attempt = 1; !plant; attempt++) {
    try {
      plant = await plantDatabase({ prefix: `tl_bench_sites${sites}`, reuse: REUSE.get(sites), genArgs });
    } catch (e) {
      if (attempt >= 3) throw e;
      console.log(`  generation failed (${e instanceof Error ? e.message : String(e)}); trying again`);
    }
  }
  const owner = await openDatabase({ url: plant.url, role: null, max: 4 });
  onCleanup(`owner connection (${sites} sites)`, () => owner.close());
  const [size] = await queryRows<{ sites: number; stations: number; units: number; edges: number; legs: number; transfers: number; site_id: string; code: string }>(
    owner.db,
    sql`select (select count(*)::int from sites where code like 'G%') as sites, (select count(*)::int from stations) as stations,
               (select count(*)::int from units) as units, (select count(*)::int from genealogy_edges) as edges,
               (select count(*)::int from movement_legs) as legs, (select count(*)::int from site_transfers) as transfers,
               s.id as site_id, s.code from sites s where s.code like 'G%' order by s.code limit 1`,
  );
  if (!size) throw new Error(`no generated site (G...) in ${plant.name}`);
  if (size.sites !== sites) throw new Error(`${plant.name} has ${size.sites} generated sites, not ${sites}`);
  const dataSize = `${sites} sites, ${fmt(size.stations)} stations, ${fmt(size.units)} units, ${fmt(size.edges)} genealogy edges, ${fmt(size.legs)} ledger legs, ${fmt(size.transfers)} site transfers`;
  console.log(`data: ${dataSize}`);

  const stations = await queryRows<{ id: string; code: string; work_center_id: string; user_id: string; display_name: string; badge: string }>(
    owner.db,
    sql`select st.id, st.code, st.work_center_id, u.id as user_id, u.display_name, u.badge_id as badge
        from stations st join sites s on s.id = st.site_id
        join users u on u.badge_id = s.code || '-OP-' || substring(st.code from 4)
        where st.site_id = ${size.site_id} order by st.code limit ${TABLETS}`,
  );
  if (stations.length < TABLETS) throw new Error(`need ${TABLETS} stations with their operators at ${size.code}, found ${stations.length}`);
  const perStation = PRIMING + ROUNDS * (WARMUP + REQUESTS) * 2 + 100;
  const work = await setUpWork(
    owner.db,
    size.site_id,
    stations.map((s) => ({ id: s.id, code: s.code, workCenterId: s.work_center_id, operator: { id: s.user_id, name: s.display_name, badge: s.badge } })),
    perStation,
    UNITS_PER_STATION,
  );

  // Starting points: lots of the first site that went into a sub-assembly shipped to another site (where-used crosses
  // sites); with one site (or too few of those), the lots used by the most units there.
  const scopeIds = (await queryRows<{ id: string }>(owner.db, sql`select id from sites where code like 'G%' order by code`)).map((r) => r.id);
  const scope = `{${scopeIds.join(",")}}`;
  const crossing = await queryRows<{ lot_id: string }>(
    owner.db,
    sql`with recursive sub(si) as (
          select t.from_serial_item_id from site_transfers t where t.from_site_id = ${size.site_id} and t.status = 'received'
          union
          select e.child_serial_item_id from sub join genealogy_edges e on e.site_id = ${size.site_id} and e.parent_serial_item_id = sub.si
          where e.child_serial_item_id is not null)
        select e.child_lot_id as lot_id from sub join genealogy_edges e on e.site_id = ${size.site_id} and e.parent_serial_item_id = sub.si
        where e.child_lot_id is not null group by e.child_lot_id order by count(*) desc, e.child_lot_id limit ${RUNS}`,
  );
  const busiest = await queryRows<{ lot_id: string }>(
    owner.db,
    sql`select e.child_lot_id as lot_id from genealogy_edges e where e.site_id = ${size.site_id} and e.child_lot_id is not null
        group by e.child_lot_id order by count(distinct e.parent_serial_item_id) desc, e.child_lot_id limit ${RUNS}`,
  );
  const picked = [...new Set([...crossing.map((r) => r.lot_id), ...busiest.map((r) => r.lot_id)])].slice(0, RUNS);
  console.log(`where-used starting points: ${picked.length} lots of ${size.code}, ${crossing.length} of them in sub-assemblies installed at another site`);

  const app = await startApp({ label: `app, ${sites} sites`, databaseUrl: plant.url });
  const dbCpu = new DatabaseCpu(plant.name);
  const tablets = await signInTablets(app, work, TABLETS, false);
  const [ent] = await queryRows<{ username: string }>(
    owner.db,
    sql`select u.username from users u join user_site_roles r on r.user_id = u.id and r.role = 'enterprise' where u.username like 'g%.enterprise'
        group by u.username order by count(*) desc, u.username limit 1`,
  );
  if (!ent) throw new Error(`no enterprise user in ${plant.name}: regenerate the plant with the current generator`);
  const enterprise = new Browser(app.url);
  await enterprise.signIn("password", { username: ent.username, password: DEMO_PASSWORD });
  const supervisor = new Browser(app.url);
  await supervisor.signIn("password", { username: `${size.code.toLowerCase()}.supervisor`, password: DEMO_PASSWORD });
  // prime as a running plant is (request log, audit, outbox not empty), then fresh statistics
  await runTablets(app, null, tablets, PRIMING, 0);
  await owner.db.execute(sql`analyze`);
  const raw = await openDatabase({ url: plant.url, max: TABLETS });
  onCleanup(`raw connections (${sites} sites)`, () => raw.close());
  // warm up the reads once
  await enterprise.query("enterprise.whereUsed", { siteId: size.site_id, kind: "lot", id: picked[0], limit: 50 });
  await supervisor.query("wip.board", {});
  return {
    sites,
    dataSize,
    db: owner.db,
    name: plant.name,
    app,
    dbCpu,
    work,
    tablets,
    raw: raw.db,
    siteId: size.site_id,
    siteCode: size.code,
    scope,
    lots: picked.map((lotId) => ({ siteId: size.site_id, lotId })),
    enterprise,
    supervisor,
  };
}

type LaneKind = "station-app" | "station-raw" | "where-app" | "where-raw" | "wip-app" | "wip-raw";
type Lane = { name: string; scale: Scale; kind: LaneKind; run: () => Promise<Result> };

async function timedCalls(app: App | null, dbCpu: DatabaseCpu, n: number, call: (i: number) => Promise<{ ms: number; bytes: number; reached?: number }>): Promise<Calls> {
  const stop = await cpuMeter(app, dbCpu);
  const ms: number[] = [];
  let bytes = 0;
  let reached = 0;
  for (let i = 0; i < n; i++) {
    const r = await call(i);
    ms.push(r.ms);
    bytes += r.bytes;
    reached += r.reached ?? 0;
  }
  const cpu = await stop();
  return { ms, kb: bytes / n / 1024, appCpu: cpu.appMs / n, dbCpu: cpu.dbMs / n, reached: reached / n };
}

function lanesOf(s: Scale): Lane[] {
  const tag = `${s.sites} site${s.sites > 1 ? "s" : ""}`;
  const timed = async <T>(f: () => Promise<T[]>) => {
    const t0 = performance.now();
    const rows = await f();
    return { ms: performance.now() - t0, bytes: 0, reached: rows.length };
  };
  return [
    { name: `${tag}: station consume, app (${TABLETS} tablets)`, scale: s, kind: "station-app", run: async () => ({ station: await runTablets(s.app, s.dbCpu, s.tablets, REQUESTS, WARMUP) }) },
    { name: `${tag}: station consume, raw writes`, scale: s, kind: "station-raw", run: async () => ({ station: await runRaw(s.raw, s.dbCpu, s.work, false, WARMUP, REQUESTS) }) },
    {
      name: `${tag}: where-used across sites, tRPC`,
      scale: s,
      kind: "where-app",
      run: async () => ({
        calls: await timedCalls(s.app, s.dbCpu, s.lots.length, async (i) => {
          const r = await s.enterprise.query<{ total: number }>("enterprise.whereUsed", { siteId: s.lots[i]!.siteId, kind: "lot", id: s.lots[i]!.lotId, limit: 50 });
          return { ms: r.ms, bytes: r.bytes, reached: r.data.total };
        }),
      }),
    },
    {
      name: `${tag}: where-used across sites, raw SQL`,
      scale: s,
      kind: "where-raw",
      run: async () => ({ calls: await timedCalls(null, s.dbCpu, s.lots.length, (i) => timed(() => queryRows(s.raw, rawWhereUsed(s.scope, s.lots[i]!.siteId, s.lots[i]!.lotId)))) }),
    },
    {
      name: `${tag}: WIP board of ${s.siteCode}, tRPC`,
      scale: s,
      kind: "wip-app",
      run: async () => ({ calls: await timedCalls(s.app, s.dbCpu, CALLS, async () => s.supervisor.query("wip.board", {})) }),
    },
    {
      name: `${tag}: WIP board, raw 10 statements`,
      scale: s,
      kind: "wip-raw",
      run: async () => ({
        calls: await timedCalls(null, s.dbCpu, CALLS, async () => {
          const t0 = performance.now();
          await Promise.all([
            readWipUnits(s.raw, s.siteId),
            readStations(s.raw, s.siteId),
            readOpenBomLines(s.raw, s.siteId),
            readInstalled(s.raw, s.siteId),
            readStaged(s.raw, s.siteId),
            readInstalledHeld(s.raw, s.siteId),
            readShortKits(s.raw, s.siteId),
            readOperationTimes(s.raw, s.siteId, new Date(Date.now() - 14 * 86_400_000)),
            readToolHolds(s.raw, s.siteId),
            readAlertContext(s.raw, s.siteId),
          ]);
          return { ms: performance.now() - t0, bytes: 0 };
        }),
      }),
    },
  ];
}

async function main() {
  console.log(`bench:sites — ${commandLine("bench:sites")}`);
  console.log(`machine: ${machineNote()}`);
  ensureBuild();
  const scales: Scale[] = [];
  for (const n of SCALES) scales.push(await prepare(n));

  // every scale's lanes in one interleaved run: per round the scales in rotated order, each scale's lanes in rotated order
  const perScale = scales.map(lanesOf);
  const lanes = perScale.flat();
  const kinds = perScale[0]!.length;
  const orderOf = (round: number) =>
    scales.flatMap((_, i) => {
      const si = (i + round) % scales.length;
      const own = perScale[si]!;
      return [...own.slice(round % kinds), ...own.slice(0, round % kinds)];
    });
  console.log(`\n${ROUNDS} rounds; per round every lane of every scale (scales and lanes in rotated order)`);
  const results = await interleave(
    lanes,
    ROUNDS,
    (lane) => lane.run(),
    (r) =>
      r.station
        ? `${r.station.throughput.toFixed(0)}/s, p50 ${r.station.p50.toFixed(1)} ms, p99 ${r.station.p99.toFixed(1)} ms`
        : `p50 ${percentile(r.calls!.ms, 50).toFixed(1)} ms, p95 ${percentile(r.calls!.ms, 95).toFixed(1)} ms${r.calls!.reached ? `, ${r.calls!.reached.toFixed(0)} rows` : ""}`,
    orderOf,
  );

  console.log(`\nbench:sites — ${commandLine("bench:sites")}`);
  console.log(`machine: ${machineNote("end")}`);
  for (const s of scales) console.log(`data, ${s.sites} sites: ${s.dataSize}`);
  console.log(`${ROUNDS} rounds; station: ${TABLETS} tablets x ${REQUESTS} timed scans per round; where-used: ${RUNS} lots per round; WIP board: ${CALLS} reads per round`);
  console.log(`figures: median (min-max) over the rounds\n`);
  const col = (x: string, w: number) => x.padEnd(w);
  console.log(`${col("lane", 52)} ${col("per s", 14)} ${col("p50 ms", 22)} ${col("p95 / p99 ms", 22)} ${col("KB", 8)} ${col("app CPU ms/call", 20)} PostgreSQL CPU ms/call`);
  const figures = new Map<string, Map<number, number>>();
  const keep = (figure: string, sites: number, v: number) => {
    if (!figures.has(figure)) figures.set(figure, new Map());
    figures.get(figure)!.set(sites, v);
  };
  for (const lane of lanes) {
    const rs = results.get(lane)!;
    const label = lane.name.slice(lane.name.indexOf(": ") + 2).replace(/ of G\d+/, "");
    if (lane.kind.startsWith("station")) {
      const st = rs.map((r) => r.station!);
      const pick = (f: (r: StationResult) => number, d = 1) => spread(st.map(f), d);
      const app = lane.kind === "station-raw" ? "-" : pick((r) => r.appCpu, 2);
      console.log(`${col(lane.name, 52)} ${col(pick((r) => r.throughput, 0), 14)} ${col(pick((r) => r.p50), 22)} ${col(`p99 ${pick((r) => r.p99)}`, 22)} ${col("-", 8)} ${col(app, 20)} ${pick((r) => r.dbCpu, 2)}`);
      keep(`${label}: scans/s`, lane.scale.sites, median(st.map((r) => r.throughput)));
      keep(`${label}: p50 ms`, lane.scale.sites, median(st.map((r) => r.p50)));
      keep(`${label}: p99 ms`, lane.scale.sites, median(st.map((r) => r.p99)));
      if (lane.kind === "station-app") keep(`${label}: app CPU ms/scan`, lane.scale.sites, median(st.map((r) => r.appCpu)));
      keep(`${label}: PostgreSQL CPU ms/scan`, lane.scale.sites, median(st.map((r) => r.dbCpu)));
    } else {
      const cs = rs.map((r) => r.calls!);
      const isApp = lane.kind.endsWith("app");
      const p50 = cs.map((c) => percentile(c.ms, 50));
      const p95 = cs.map((c) => percentile(c.ms, 95));
      console.log(
        `${col(lane.name, 52)} ${col("-", 14)} ${col(spread(p50), 22)} ${col(`p95 ${spread(p95)}`, 22)} ${col(isApp ? cs[0]!.kb.toFixed(0) : "-", 8)} ${col(isApp ? spread(cs.map((c) => c.appCpu), 2) : "-", 20)} ${spread(cs.map((c) => c.dbCpu), 2)}`,
      );
      keep(`${label}: p50 ms`, lane.scale.sites, median(p50));
      keep(`${label}: p95 ms`, lane.scale.sites, median(p95));
      if (isApp) keep(`${label}: app CPU ms/call`, lane.scale.sites, median(cs.map((c) => c.appCpu)));
      keep(`${label}: PostgreSQL CPU ms/call`, lane.scale.sites, median(cs.map((c) => c.dbCpu)));
      if (lane.kind === "where-app") keep(`${label}: units reached per lot`, lane.scale.sites, median(cs.map((c) => c.reached ?? 0)));
    }
  }

  const base = SCALES[0]!;
  console.log(`\nhow each figure grows with the sites (medians; x = the figure over its value at ${base} site${base > 1 ? "s" : ""}):`);
  console.log(`${col("figure", 62)} ${SCALES.map((n) => col(`${n} sites`, 12)).join(" ")} ${SCALES.slice(1).map((n) => col(`x at ${n}`, 10)).join(" ")}`);
  for (const [figure, at] of figures) {
    const b = at.get(base)!;
    const v = (n: number) => at.get(n)!;
    const f = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(2));
    console.log(`${col(figure, 62)} ${SCALES.map((n) => col(f(v(n)), 12)).join(" ")} ${SCALES.slice(1).map((n) => col(b > 0 ? `${(v(n) / b).toFixed(2)}x` : "-", 10)).join(" ")}`);
  }

  if (values.check) {
    for (const s of scales) {
      const failed = failedChecks(await runLedgerChecks(s.db));
      console.log(`ledger checks, ${s.sites} sites (${s.name}): ${failed.length === 0 ? "all green" : `FAILED: ${JSON.stringify(failed.map((f) => f.name))}`}`);
      if (failed.length > 0) process.exitCode = 1;
    }
  }
}

runBenchmark(main);
