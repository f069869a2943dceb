// npm run bench:recon — reconciliation with the ERP at scale: a site with N floor balance rows (lots at stores locations,
// received through the ledger) against an ERP stock snapshot of N lines of which 1% differ. Measured, interleaved over
// rounds: (1) the run end to end as users get it: `next start`, signed in as the site's supervisor, "Run reconciliation
// now" over tRPC/HTTP, executed by the reconciliation worker (as `npm run worker` runs it, here in this process) and
// followed over HTTP until it completes (comparison, exceptions, explanations, ledger checks, figures); (2) the same
// comparison as one SQL query (server/repos/reconciliation.ts comparisonQuery, under the same planner settings), the baseline. Targets: the run under
// 10 s and at most 1.5x the SQL.
//
//   npm run bench:recon -- [--rows 1000000] [--rounds 3] [--db NAME]
//   --db NAME: use database NAME, kept afterwards: generated into when it does not exist, reused (its size as it is)
//   when it does.
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { openDatabase, queryRows, type Db } from "../../db/client";
import { seedDemoPlant } from "../../db/seed/demo-plant";
import { DEMO_PASSWORD } from "../../db/seed/demo-users";
import { comparisonQuery, latestSnapshot, withComparisonPlan } from "../../server/repos/reconciliation";
import { startReconWorker } from "../../server/services/reconciliation/recon-worker";
import { Browser, commandLine, ensureBuild, fmt, interleave, machineNote, median, onCleanup, runBenchmark, scratchDatabase, spread, startApp, verdict } from "./harness";
import { createDatabase, urlFor, withAdmin } from "../../db/testing/pg-admin";

const { values } = parseArgs({ options: { rows: { type: "string", default: "1000000" }, rounds: { type: "string", default: "3" }, db: { type: "string" } } });
const N = Math.max(1000, Number(values.rows));
const ROUNDS = Math.max(1, Number(values.rounds));
const PER_MOVEMENT = 1000;
const LOCATIONS = 20;

type Run = { status: string; progress: number; phase: string; figures: Record<string, unknown> };

async function generate(db: Db, siteId: string) {
  // only on demand here: no daily run may start in the middle of a round
  await db.execute(sql`update sites set recon_daily_at = null`);

  console.log(`generating ${fmt(N)} floor balance rows (lots at ${LOCATIONS} stores locations) and an ERP snapshot of ${fmt(N)} lines, 1% different...`);
  const t0 = performance.now();
  const parts = Math.max(1, Math.round(N / 1000));
  const step = async (label: string, q: ReturnType<typeof sql>) => {
    const s = performance.now();
    await db.execute(q);
    console.log(`  ${label} (${((performance.now() - s) / 1000).toFixed(1)} s)`);
  };
  await step(`${fmt(parts)} parts`, sql`insert into parts (part_number, description, uom, tracking) select 'BR-' || lpad(i::text, 7, '0'), 'Bench part', 'EA', 'lot' from generate_series(1, ${parts}) i`);
  await step("revisions", sql`insert into part_revisions (part_id, revision) select id, 'A' from parts where part_number like 'BR-%'`);
  await step(`${LOCATIONS} stores locations`, sql`insert into storage_locations (site_id, code, name, kind, is_physical) select ${siteId}::uuid, 'BR-ST-' || lpad(i::text, 2, '0'), 'Bench stores ' || i, 'stores', true from generate_series(1, ${LOCATIONS}) i`);
  await step("numbering", sql`create table bench_revs as select row_number() over (order by p.part_number) - 1 as n, pr.id, p.part_number from parts p join part_revisions pr on pr.part_id = p.id where p.part_number like 'BR-%'`);
  await step("numbering", sql`create table bench_locs as select row_number() over (order by code) - 1 as n, id, code from storage_locations where site_id = ${siteId}::uuid and code like 'BR-ST-%'`);
  await step(`${fmt(N)} lots`, sql`create table bench_items as select i, gen_random_uuid() as lot_id, (select id from bench_revs where n = i % ${parts}) as rev_id, (i % ${LOCATIONS}) as loc_n, ((i % 50) + 1)::numeric as qty from generate_series(0, ${N - 1}) i`);
  await step("lots", sql`insert into lots (site_id, id, part_revision_id, lot_number, inspection_status) select ${siteId}::uuid, lot_id, rev_id, 'BNL' || i, 'accepted' from bench_items`);
  await step(`${fmt(Math.ceil(N / PER_MOVEMENT))} receipts`, sql`create table bench_moves as select m, gen_random_uuid() as id from generate_series(0, ${Math.ceil(N / PER_MOVEMENT) - 1}) m`);
  // a movement and its legs in one transaction, as postMovement writes them: the hash chain seals the movement with its
  // legs at commit (a movement committed before its legs would hash without them and fail check:ledger)
  const sm = performance.now();
  await db.transaction(async (tx) => {
    await tx.execute(sql`insert into movements (site_id, id, kind, occurred_at, reason) select ${siteId}::uuid, id, 'receive_from_erp', now() - interval '2 days', 'bench receipt' from bench_moves`);
    await tx.execute(sql`insert into movement_legs (site_id, movement_id, location_id, part_revision_id, lot_id, quantity)
      select ${siteId}::uuid, bm.id, case when s.side = 0 then sup.id else bl.id end, b.rev_id, b.lot_id, case when s.side = 0 then -b.qty else b.qty end
      from bench_items b join bench_moves bm on bm.m = b.i / ${PER_MOVEMENT} join bench_locs bl on bl.n = b.loc_n
      cross join (values (0), (1)) s(side)
      cross join (select id from storage_locations where site_id = ${siteId}::uuid and kind = 'erp_supply' limit 1) sup`);
  });
  console.log(`  movements and ${fmt(2 * N)} legs, chained (${((performance.now() - sm) / 1000).toFixed(1)} s)`);
  await step(`${fmt(2 * N)} balances`, sql`insert into stock_balances (site_id, location_id, is_physical, part_revision_id, lot_id, on_hand)
      select site_id, location_id, (location_id <> (select id from storage_locations where site_id = ${siteId}::uuid and kind = 'erp_supply' limit 1)), part_revision_id, lot_id, sum(quantity)
      from movement_legs where site_id = ${siteId}::uuid and lot_id in (select lot_id from bench_items) group by 1, 2, 3, 4, 5`);
  // ERP's view: every floor balance of the site (the demo's too) at its location, 1% of the bench lots one more
  await step("ERP snapshot (1% different)", sql`insert into erp_stock_snapshots (site_id, snapshot_key, taken_at, lines)
      select ${siteId}::uuid, 'BENCH-STOCK', greatest(now(), (select max(taken_at) + interval '1 second' from erp_stock_snapshots)),
             jsonb_agg(jsonb_strip_nulls(jsonb_build_object('partNumber', p.part_number, 'revision', pr.revision, 'lotNumber', lo.lot_number,
               'serialNumber', si.serial_number, 'location', sl.code,
               'quantity', (b.on_hand + case when lo.lot_number like 'BNL%' and substring(lo.lot_number from 4)::int % 100 = 0 then 1 else 0 end)::text)))
      from stock_balances b join part_revisions pr on pr.id = b.part_revision_id join parts p on p.id = pr.part_id
      join storage_locations sl on sl.site_id = b.site_id and sl.id = b.location_id
      left join lots lo on lo.site_id = b.site_id and lo.id = b.lot_id left join serial_items si on si.site_id = b.site_id and si.id = b.serial_item_id
      where b.site_id = ${siteId}::uuid and b.is_physical and b.on_hand <> 0`);
  await step("clean up", sql`drop table bench_revs, bench_locs, bench_items, bench_moves`);
  // the demo's own snapshot is older: this one is the latest, so the runs compare with it
  await step("vacuum analyze", sql`vacuum analyze`);
  console.log(`  generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

async function main() {
  console.log(`bench:recon — ${commandLine("bench:recon")}`);
  console.log(`machine: ${machineNote()}`);
  ensureBuild();
  let name: string;
  let reuse = false;
  if (values.db) {
    name = values.db;
    reuse = await withAdmin(async (a) => (await a`select 1 from pg_database where datname = ${name}`).length > 0);
    if (!reuse) await createDatabase(name);
    console.log(reuse ? `reusing database ${name} (kept at the end)` : `generating into database ${name} (kept at the end)`);
  } else {
    name = await scratchDatabase("tl_bench_recon");
  }
  const url = urlFor(name);
  const owner = await openDatabase({ url, role: null, max: 2 });
  onCleanup("owner connections", () => owner.close());
  await owner.migrate();
  if (!reuse) await seedDemoPlant(owner.db, { now: new Date() });
  const db = owner.db;
  const [site] = await queryRows<{ id: string }>(db, sql`select id from sites where code = 'WCH'`);
  const siteId = site!.id;
  if (!reuse) await generate(db, siteId);
  const [size] = await queryRows<{ floor: number; lines: number }>(
    db,
    sql`select (select count(*)::int from stock_balances where site_id = ${siteId}::uuid and is_physical and on_hand <> 0) as floor,
               (select jsonb_array_length(lines) from erp_stock_snapshots where snapshot_key = 'BENCH-STOCK') as lines`,
  );
  const benchLots = (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from lots where site_id = ${siteId}::uuid and lot_number like 'BNL%'`))[0]!.n;
  const expected = Math.ceil(benchLots / 100);
  const dataSize = `${fmt(size!.floor)} floor balance rows at site WCH vs an ERP snapshot of ${fmt(size!.lines)} lines (${fmt(expected)} planted differences)`;
  console.log(`data: ${dataSize}`);
  const app = await startApp({ label: "app on PostgreSQL", databaseUrl: url });
  const browser = new Browser(app.url);
  await browser.signIn("password", { username: "dan.whitaker", password: DEMO_PASSWORD });
  const workerDb = await openDatabase({ url, max: 4 });
  onCleanup("worker connections", () => workerDb.close());
  let lastProgress = "";
  const worker = startReconWorker(workerDb.db, { pollMs: 20, log: (line) => console.log(`    worker: ${line}`) });
  onCleanup("reconciliation worker", () => worker.stop());
  const snapshot = (await latestSnapshot(db, siteId))!;

  type Lane = { name: string };
  const runLane: Lane = { name: "run (HTTP + worker)" };
  const sqlLane: Lane = { name: "same comparison, one SQL query" };
  const results = await interleave(
    [runLane, sqlLane],
    ROUNDS,
    async (lane) => {
      const s = performance.now();
      if (lane === sqlLane) {
        const [r] = await db.transaction((tx) =>
          withComparisonPlan(tx, () =>
            queryRows<{ n: number }>(tx, sql`select count(*)::int as n from (${comparisonQuery({ siteId, snapshotId: snapshot.id, takenAt: snapshot.takenAt, since: snapshot.previousTakenAt })}) d where d.category is not null`),
          ),
        );
        return { ms: performance.now() - s, differences: r!.n };
      }
      const { data } = await browser.mutate<{ run: { id: string } }>("reconciliation.requestRun", undefined);
      for (;;) {
        const { data: run } = await browser.query<Run>("reconciliation.run", { id: data.run.id });
        const line = `${run.progress}% ${run.phase}`;
        if (line !== lastProgress) {
          console.log(`    progress: ${line}`);
          lastProgress = line;
        }
        if (run.status === "completed") {
          console.log(`    steps: ${JSON.stringify(run.figures.timings)}`);
          return { ms: performance.now() - s, differences: Number(run.figures.differences) };
        }
        if (run.status !== "queued" && run.status !== "running") throw new Error(`run ended ${run.status}: ${run.phase}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    (r) => `${(r.ms / 1000).toFixed(2)} s, ${fmt(r.differences)} differences`,
  );
  const runMs = results.get(runLane)!.map((r) => r.ms);
  const sqlMs = results.get(sqlLane)!.map((r) => r.ms);
  const found = results.get(runLane)!.map((r) => r.differences);
  const ratio = median(runMs) / median(sqlMs);
  console.log("");
  console.log(`bench:recon — ${commandLine("bench:recon")}`);
  console.log(`data: ${dataSize}; ${ROUNDS} interleaved round(s)`);
  console.log(`run end to end (HTTP request -> worker -> completed, incl. exceptions, explanations, ledger checks): median ${(median(runMs) / 1000).toFixed(2)} s (${spread(runMs.map((m) => m / 1000), 2, " s")})`);
  console.log(`same comparison as one SQL query: median ${(median(sqlMs) / 1000).toFixed(2)} s (${spread(sqlMs.map((m) => m / 1000), 2, " s")})`);
  console.log(`differences found per run: ${found.join(", ")} (planted ${fmt(expected)})`);
  console.log(`target run < 10 s: ${verdict(median(runMs) < 10_000)}; target run <= 1.5x SQL: ${ratio.toFixed(2)}x, ${verdict(ratio <= 1.5)}`);
  console.log(`machine: ${machineNote("end")}`);
  if (found.some((f) => f !== expected)) throw new Error(`the run found ${found.join(", ")} differences, ${expected} were planted`);
}

runBenchmark(main);
