// npm run bench:kitting — the pick list a kitting clerk opens (frozen BOM -> lines with effectivity and what is left,
// FEFO suggestions and every excluded lot with its reason, per line) for a kit of a whole work order of 200 BOM lines x
// 10 units against 100,000 lots with stock, through `next start` (the production build) on a scratch PostgreSQL
// database: the clerk signs in through next-auth (user name + password), creates the kit over tRPC (kitting.createKit,
// as the "Create kit" button does), then the lanes, interleaved over rounds (order rotated per round):
//   tRPC over HTTP   kitting.kit, the procedure that returns the kit's pick list with its sources (httpBatchLink format)
//   page             GET /kitting/kits/<id>: the kit page as the browser first loads it (server-rendered, it calls
//                    kitting.kit in-process)
//   service          getKit called in this process, no HTTP (diagnostic: the database and service share of the time)
// Per lane: p50 / p95 of `--runs` calls per round, median and spread over the rounds, bytes, CPU per call of the app and
// of PostgreSQL. Target: p95 < 200 ms through HTTP.
// Options: --lines N (200) --lots N (100000) --runs N (per lane and round, 20) --rounds N (3)
import { parseArgs } from "node:util";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { openDatabase } from "../../db/client";
import * as schema from "../../db/schema";
import { createTestSite } from "../../db/testing/factories";
import { DEMO_PASSWORD } from "../../db/seed/demo-users";
import { hashSecret } from "../../server/auth/passwords";
import { getKit } from "../../server/services/kitting/get-kit";
import type { Actor } from "../../server/auth/types";
import { Browser, commandLine, cpuMeter, DatabaseCpu, ensureBuild, fmt, interleave, machineNote, median, onCleanup, percentile, runBenchmark, scratchDatabase, spread, startApp, verdict } from "./harness";

const { values } = parseArgs({
  options: { lines: { type: "string", default: "200" }, lots: { type: "string", default: "100000" }, runs: { type: "string", default: "20" }, rounds: { type: "string", default: "3" } },
});
const LINES = Number(values.lines);
const LOTS = Number(values.lots);
const RUNS = Number(values.runs);
const ROUNDS = Number(values.rounds);
const UNITS = 10;
const TARGET_P95 = 200;

type Call = () => Promise<{ ms: number; bytes: number }>;
type Lane = { name: string; call: Call; app: boolean };
type LaneResult = { p50: number; p95: number; bytes: number; appCpu: number; dbCpu: number };

async function main() {
  console.log(`bench:kitting — ${commandLine("bench:kitting")}`);
  console.log(`machine: ${machineNote()}`);
  ensureBuild();
  const name = await scratchDatabase("tl_bench_kit");
  const url = (await import("../../db/testing/pg-admin")).urlFor(name);
  const owner = await openDatabase({ url, role: null, max: 2 });
  onCleanup("owner connection", () => owner.close());
  await owner.migrate();
  const db = owner.db;
  const site = await createTestSite(db, "BENCH");
  const [clerk] = await db
    .insert(schema.users)
    .values({ username: "bench.clerk", displayName: "Bench Clerk", passwordHash: await hashSecret(DEMO_PASSWORD) })
    .returning();
  await db.insert(schema.userSiteRoles).values({ userId: clerk!.id, siteId: site.siteId, role: "kitting_clerk" });
  const t0 = performance.now();
  // Set-based: parts and revisions, manufacturers with an AML (one disqualified), lots spread over the parts with
  // expiries from the past to two years out, some pending inspection, some held, all with stock in stores.
  await db.execute(sql`insert into manufacturers (code, name) select 'M' || g, 'Bench manufacturer ' || g from generate_series(1, 5) g`);
  await db.execute(sql`insert into parts (part_number, description, uom, tracking, min_remaining_shelf_life_days)
    select 'BK-' || lpad(g::text, 5, '0'), 'Bench component ' || g, 'EA', 'lot', case when g % 4 = 0 then 30 else null end from generate_series(1, ${LINES}) g`);
  await db.execute(sql`insert into parts (part_number, description, uom, tracking) values ('BK-TOP', 'Bench assembly', 'EA', 'serial')`);
  await db.execute(sql`insert into part_revisions (part_id, revision) select id, 'A' from parts where part_number like 'BK-%'`);
  await db.execute(sql`insert into approved_manufacturers (part_id, manufacturer_id, status)
    select p.id, m.id, case when m.code = 'M5' then 'disqualified'::aml_status else 'approved'::aml_status end
    from parts p cross join manufacturers m where p.part_number like 'BK-0%'`);
  const [top] = (await db.execute(sql`select pr.id from part_revisions pr join parts p on p.id = pr.part_id where p.part_number = 'BK-TOP'`)) as unknown as { id: string }[];
  const [wo] = (await db.execute(
    sql`insert into work_orders (site_id, number, part_revision_id, quantity, status, due_date) values (${site.siteId}, 'WO-BENCH', ${top!.id}, ${UNITS}, 'released', (now() + interval '14 days')::date) returning id`,
  )) as unknown as { id: string }[];
  await db.execute(sql`insert into work_order_bom_lines (site_id, work_order_id, find_number, component_revision_id, quantity_per_unit, operation_seq, serial_from, serial_to)
    select ${site.siteId}, ${wo!.id}, row_number() over (order by p.part_number) * 10, pr.id, '2.5', 10 * (1 + (row_number() over (order by p.part_number)) % 4),
           case when p.part_number like '%7' then 'U-0006' end, null
    from parts p join part_revisions pr on pr.part_id = p.id where p.part_number like 'BK-0%'`);
  await db.execute(sql`insert into serial_items (site_id, part_revision_id, serial_number, built_here, inspection_status) select ${site.siteId}, ${top!.id}, 'U-' || lpad(g::text, 4, '0'), true, 'accepted' from generate_series(1, ${UNITS}) g`);
  await db.execute(sql`insert into units (site_id, work_order_id, serial_item_id, serial) select ${site.siteId}, ${wo!.id}, id, serial_number from serial_items where site_id = ${site.siteId}`);
  await db.execute(sql`insert into lots (site_id, part_revision_id, lot_number, manufacturer_id, expires_at, inspection_status)
    select ${site.siteId}, pr.id, 'L' || lpad(g::text, 7, '0'), (select id from manufacturers where code = 'M' || (1 + (g / ${LINES}) % 5)),
           now() + ((g * 7919) % 760 - 30) * interval '1 day', case when g % 23 = 0 then 'pending'::inspection_status else 'accepted'::inspection_status end
    from generate_series(1, ${LOTS}) g
    join lateral (select pr.id from part_revisions pr join parts p on p.id = pr.part_id where p.part_number = 'BK-' || lpad((1 + g % ${LINES})::text, 5, '0')) pr on true`);
  await db.execute(sql`insert into stock_balances (site_id, location_id, is_physical, part_revision_id, lot_id, on_hand)
    select site_id, ${site.loc.stores}, true, part_revision_id, id, 100 from lots where site_id = ${site.siteId}`);
  await db.execute(sql`insert into holds (site_id, target_type, target_id, reason, placed_by, placed_at)
    select site_id, 'lot', id, 'Bench hold', ${clerk!.id}, now() from lots where site_id = ${site.siteId} and lot_number like '%37'`);
  await db.execute(sql`vacuum analyze`);
  const dataSize = `work order of ${LINES} BOM lines x ${UNITS} units, ${fmt(LOTS)} lots with stock`;
  console.log(`data: ${dataSize} (loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);

  const app = await startApp({ label: "app on PostgreSQL", databaseUrl: url });
  const dbCpu = new DatabaseCpu(name);
  const browser = new Browser(app.url);
  await browser.signIn("password", { username: "bench.clerk", password: DEMO_PASSWORD });
  const { data: created } = await browser.mutate<{ kitId: string }>("kitting.createKit", { requestId: randomUUID(), workOrderId: wo!.id, scope: { kind: "work_order" }, stationId: site.stationId });
  const { data: kit } = await browser.query<{ lines: { suggested: unknown[]; excluded: unknown[] }[] }>("kitting.kit", { kitId: created.kitId });
  const suggested = kit.lines.reduce((s, l) => s + l.suggested.length, 0);
  const excluded = kit.lines.reduce((s, l) => s + l.excluded.length, 0);
  console.log(`kit ${created.kitId} created by the clerk over tRPC: ${kit.lines.length} lines, ${suggested} suggested and ${excluded} excluded sources shown`);

  const service = await openDatabase({ url, max: 4 });
  onCleanup("service connections", () => service.close());
  const actor: Actor = { userId: clerk!.id, displayName: "Bench Clerk", siteId: site.siteId, siteCode: "BENCH", siteName: "Test site BENCH", timeZone: "America/Chicago", locale: "en", roles: ["kitting_clerk"], sites: [] };
  const lanes: Lane[] = [
    { name: "tRPC kitting.kit over HTTP", app: true, call: () => browser.query("kitting.kit", { kitId: created.kitId }) },
    {
      name: "page /kitting/kits/<id> (HTML)",
      app: true,
      call: async () => {
        const r = await browser.page(`/kitting/kits/${created.kitId}`);
        if (r.status !== 200) throw new Error(`the kit page answered ${r.status}`);
        return r;
      },
    },
    {
      name: "service getKit in-process (no HTTP)",
      app: false,
      call: async () => {
        const s = performance.now();
        await getKit(service.db, actor, created.kitId, new Date());
        return { ms: performance.now() - s, bytes: NaN };
      },
    },
  ];
  // warm-up: plans, connections, JIT of both processes
  for (const lane of lanes) for (let i = 0; i < 3; i++) await lane.call();
  console.log(`\n${ROUNDS} rounds of ${RUNS} calls per lane (after 3 untimed), lane order rotated per round`);
  const results = await interleave(
    lanes,
    ROUNDS,
    async (lane): Promise<LaneResult> => {
      const stop = await cpuMeter(lane.app ? app : null, dbCpu);
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < RUNS; i++) {
        const r = await lane.call();
        times.push(r.ms);
        bytes = r.bytes;
      }
      const cpu = await stop();
      return { p50: percentile(times, 50), p95: percentile(times, 95), bytes, appCpu: cpu.appMs / RUNS, dbCpu: cpu.dbMs / RUNS };
    },
    (r) => `p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms`,
  );

  console.log(`\nbench:kitting — ${commandLine("bench:kitting")}`);
  console.log(`machine: ${machineNote("end")}`);
  console.log(`data: ${dataSize}; kit of the whole order: ${kit.lines.length} lines, ${suggested} suggested + ${excluded} excluded sources shown; ${ROUNDS} rounds x ${RUNS} calls; median (min-max) over the rounds`);
  const col = (s: string, w: number) => s.padEnd(w);
  console.log(`${col("lane", 36)} ${col("p50 ms", 22)} ${col("p95 ms", 22)} ${col("KB per answer", 14)} ${col("app CPU ms/call", 22)} PostgreSQL CPU ms/call`);
  for (const lane of lanes) {
    const rs = results.get(lane)!;
    const kb = Number.isFinite(rs[0]!.bytes) ? (rs[0]!.bytes / 1024).toFixed(0) : "-";
    console.log(`${col(lane.name, 36)} ${col(spread(rs.map((r) => r.p50)), 22)} ${col(spread(rs.map((r) => r.p95)), 22)} ${col(kb, 14)} ${col(lane.app ? spread(rs.map((r) => r.appCpu)) : "-", 22)} ${spread(rs.map((r) => r.dbCpu), 1)}`);
  }
  const p95 = median(results.get(lanes[0]!)!.map((r) => r.p95));
  console.log(`target: pick list through HTTP p95 < ${TARGET_P95} ms: ${p95.toFixed(1)} ms -> ${verdict(p95 < TARGET_P95)}`);
}

runBenchmark(main);
