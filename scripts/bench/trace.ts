// npm run bench:trace — genealogy as a quality engineer gets it, on a generated plant (>= 1,000,000 genealogy edges,
// 4 assembly levels): `next start` (the production build), the site's quality engineer signed in through next-auth
// (user name + password), and per question three lanes:
//   tRPC over HTTP   genealogy.whereUsed (first page of 50 + exact total, as the where-used page asks) and
//                    genealogy.asBuilt (the whole tree, as the genealogy page asks), httpBatchLink format, time to the
//                    answer's last byte, bytes per answer
//   raw SQL          the same question as one recursive query on the driver (JIT off, as the app's connections)
//   page             GET /genealogy/where-used?... and /genealogy?item=... as the browser first loads them (HTML)
// over 20 starting points (supplier lots used by the most units; top-level units with the biggest trees), interleaved:
// each round runs every lane over all points, the order reversed every other round so neither the app's lane nor the
// raw query always runs on a warm cache. Median and spread of p50 / p95 over the rounds, CPU per call of the app and of
// PostgreSQL. Targets: where-used p95 < 50 ms and <= 1.5x the raw query; as-built p95 < 100 ms (and, issue 13, first
// view < 200 KB).
// Options: --units N (15600) --fanout N (5) --lines N (64) --lots N (lots in total; default from the generator) --runs N
//          (starting points, 20) --rounds N (3) --db NAME (reuse a generated database, kept) --no-pages
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { openDatabase, queryRows } from "../../db/client";
import { DEMO_PASSWORD } from "../../db/seed/demo-users";
import { Browser, commandLine, cpuMeter, DatabaseCpu, ensureBuild, fmt, interleave, machineNote, median, onCleanup, percentile, plantDatabase, runBenchmark, spread, startApp, verdict } from "./harness";

const { values } = parseArgs({
  options: {
    units: { type: "string", default: "15600" },
    fanout: { type: "string", default: "5" },
    lines: { type: "string", default: "64" },
    lots: { type: "string" },
    runs: { type: "string", default: "20" },
    rounds: { type: "string", default: "3" },
    db: { type: "string" },
    "no-pages": { type: "boolean", default: false },
  },
});
const RUNS = Number(values.runs);
const ROUNDS = Number(values.rounds);

type Question = "where-used" | "as-built";
type Lane = { name: string; question: Question; how: "http" | "raw" | "page"; call: (point: string) => Promise<{ ms: number; bytes: number; count: number }> };
type LaneResult = { p50: number; p95: number; bytes: number; appCpu: number; dbCpu: number };

async function main() {
  console.log(`bench:trace — ${commandLine("bench:trace")}`);
  console.log(`machine: ${machineNote()}`);
  ensureBuild();
  const genArgs = ["--sites", "1", "--units", String(values.units), "--fanout", String(values.fanout), "--lines", String(values.lines), ...(values.lots ? ["--lots", values.lots] : [])];
  const plant = await plantDatabase({ prefix: "tl_bench_trace", reuse: values.db, genArgs });
  const database = await openDatabase({ url: plant.url, max: 2 });
  onCleanup("raw query connections", () => database.close());
  const db = database.db;
  const [size] = await queryRows<{ edges: number; units: number; lots: number; serials: number; site_id: string; code: string }>(
    db,
    sql`select (select count(*)::int from genealogy_edges) as edges, (select count(*)::int from units) as units,
               (select count(*)::int from lots) as lots, (select count(*)::int from serial_items) as serials, s.id as site_id, s.code
        from sites s where s.code like 'G%' order by s.code limit 1`,
  );
  if (!size) throw new Error("no generated site (G...) in the database");
  const siteId = size.site_id;
  const dataSize = `${fmt(size.edges)} genealogy edges, ${fmt(size.units)} units, ${fmt(size.lots)} lots, ${fmt(size.serials)} serials`;
  console.log(`data: ${dataSize}`);

  // Starting points: top-level units with the biggest trees; supplier lots used directly by the most units.
  const tops = await queryRows<{ si: string; serial: string }>(
    db,
    sql`select u.serial_item_id as si, u.serial from units u
        where u.site_id = ${siteId} and u.status = 'completed'
          and not exists (select 1 from genealogy_edges e where e.site_id = u.site_id and e.child_serial_item_id = u.serial_item_id)
        order by u.serial limit ${RUNS}`,
  );
  const supplierLots = await queryRows<{ supplier_lot: string }>(
    db,
    sql`select l.supplier_lot from lots l join genealogy_edges e on e.site_id = l.site_id and e.child_lot_id = l.id
        where l.site_id = ${siteId} group by l.supplier_lot order by count(distinct e.parent_serial_item_id) desc, l.supplier_lot limit ${RUNS}`,
  );
  if (tops.length < RUNS || supplierLots.length < RUNS) console.log(`  (only ${tops.length} top-level units and ${supplierLots.length} supplier lots: raise --units for ${RUNS} starting points)`);

  // The same questions as one recursive SQL query each (what one would type in psql).
  const rawWhereUsed = (supplierLot: string) => sql`with recursive up as (
      select e.site_id, e.parent_serial_item_id as unit_si, 1 as level, array[e.parent_serial_item_id] as path, e.removed_at is null as current
      from genealogy_edges e join lots l on l.site_id = e.site_id and l.id = e.child_lot_id
      where e.site_id = ${siteId} and l.supplier_lot = ${supplierLot}
      union all
      select p.site_id, p.parent_serial_item_id, u.level + 1, u.path || p.parent_serial_item_id, u.current and p.removed_at is null
      from up u cross join lateral (select p.* from genealogy_edges p where p.site_id = u.site_id and p.child_serial_item_id = u.unit_si offset 0) p
      where not (p.parent_serial_item_id = any(u.path)))
    select distinct on (up.unit_si) up.unit_si, s.serial_number, un.status, up.level, up.path, up.current
    from up join serial_items s on s.site_id = up.site_id and s.id = up.unit_si
    left join units un on un.site_id = up.site_id and un.serial_item_id = up.unit_si
    order by up.unit_si, up.current desc, up.level`;
  // The walk carries the edge columns it needs (no join back to the whole edge table), then names them.
  const rawAsBuilt = (si: string) => sql`with recursive tree as (
      select e.site_id, e.id, 1 as depth, e.parent_unit_id, e.child_part_revision_id, e.child_serial_item_id, e.child_lot_id,
             e.quantity, e.operation_seq, e.operator_user_id, e.station_id, e.installed_at, e.parameters, e.removed_at,
             array[e.parent_serial_item_id] as path
      from genealogy_edges e
      where e.site_id = ${siteId} and e.parent_serial_item_id = ${si}
      union all
      select c.site_id, c.id, t.depth + 1, c.parent_unit_id, c.child_part_revision_id, c.child_serial_item_id, c.child_lot_id,
             c.quantity, c.operation_seq, c.operator_user_id, c.station_id, c.installed_at, c.parameters, c.removed_at,
             t.path || c.parent_serial_item_id
      from tree t
      cross join lateral (select c.* from genealogy_edges c where c.site_id = t.site_id and c.parent_serial_item_id = t.child_serial_item_id offset 0) c
      where t.child_serial_item_id is not null and not (c.parent_serial_item_id = any(t.path)))
    select t.id, t.depth, p.part_number, pr.revision, s.serial_number, l.lot_number, t.quantity, t.operation_seq, op.code,
           ou.display_name, st.code as station, t.installed_at, t.parameters, t.removed_at
    from tree t
    join part_revisions pr on pr.id = t.child_part_revision_id join parts p on p.id = pr.part_id
    left join serial_items s on s.site_id = t.site_id and s.id = t.child_serial_item_id
    left join lots l on l.site_id = t.site_id and l.id = t.child_lot_id
    left join units u on u.site_id = t.site_id and u.id = t.parent_unit_id
    left join work_order_operations op on op.site_id = t.site_id and op.work_order_id = u.work_order_id and op.seq = t.operation_seq
    join users ou on ou.id = t.operator_user_id join stations st on st.site_id = t.site_id and st.id = t.station_id`;
  const raw = async (q: ReturnType<typeof sql>) => {
    const t0 = performance.now();
    const rows = await queryRows(db, q);
    return { ms: performance.now() - t0, bytes: NaN, count: rows.length };
  };

  const app = await startApp({ label: "app on PostgreSQL", databaseUrl: plant.url });
  const dbCpu = new DatabaseCpu(plant.name);
  const browser = new Browser(app.url);
  await browser.signIn("password", { username: `${size.code.toLowerCase()}.quality_engineer`, password: DEMO_PASSWORD });
  const page = async (path: string) => {
    const r = await browser.page(path);
    if (r.status !== 200) throw new Error(`${path} answered ${r.status}`);
    return { ms: r.ms, bytes: r.bytes, count: NaN };
  };
  const every: Lane[] = [
    {
      name: "where-used, tRPC over HTTP",
      question: "where-used",
      how: "http",
      call: async (lot) => {
        const r = await browser.query<{ total: number }>("genealogy.whereUsed", { target: { kind: "supplier_lot", supplierLot: lot }, offset: 0, limit: 50, currentOnly: false, topLevelOnly: false });
        return { ms: r.ms, bytes: r.bytes, count: r.data.total };
      },
    },
    { name: "where-used, raw recursive SQL", question: "where-used", how: "raw", call: (lot) => raw(rawWhereUsed(lot)) },
    { name: "where-used, page (HTML)", question: "where-used", how: "page", call: (lot) => page(`/genealogy/where-used?${new URLSearchParams({ kind: "supplier_lot", supplierLot: lot })}`) },
    {
      name: "as-built, tRPC over HTTP",
      question: "as-built",
      how: "http",
      call: async (si) => {
        const r = await browser.query<{ tree: { nodes: unknown[] } }>("genealogy.asBuilt", { serialItemId: si });
        return { ms: r.ms, bytes: r.bytes, count: r.data.tree.nodes.length };
      },
    },
    { name: "as-built, raw recursive SQL", question: "as-built", how: "raw", call: (si) => raw(rawAsBuilt(si)) },
    { name: "as-built, page (HTML)", question: "as-built", how: "page", call: (si) => page(`/genealogy?item=${si}`) },
  ];
  const lanes = every.filter((l) => !(values["no-pages"] && l.how === "page"));
  const points = (q: Question) => (q === "where-used" ? supplierLots.map((l) => l.supplier_lot) : tops.map((t) => t.si));

  // the app's answers must count what the raw query finds (checked once per point, untimed; also the warm-up)
  const counts = new Map<string, number>();
  for (const q of ["where-used", "as-built"] as const) {
    const [api, sqlLane] = [lanes.find((l) => l.question === q && l.how === "http")!, lanes.find((l) => l.question === q && l.how === "raw")!];
    for (const p of points(q)) {
      const [a, r] = [await api.call(p), await sqlLane.call(p)];
      if (a.count !== r.count) throw new Error(`${q} ${p}: the app answers ${a.count}, the raw query ${r.count}`);
      counts.set(`${q}:${p}`, a.count);
    }
  }
  for (const l of lanes.filter((x) => x.how === "page")) await l.call(points(l.question)[0]!);

  console.log(`\n${ROUNDS} rounds; per lane and round one call per starting point; lane order reversed every other round`);
  const results = await interleave(
    lanes,
    ROUNDS,
    async (lane): Promise<LaneResult> => {
      const stop = await cpuMeter(lane.how === "raw" ? null : app, dbCpu);
      const times: number[] = [];
      const bytes: number[] = [];
      const ps = points(lane.question);
      for (const p of ps) {
        const r = await lane.call(p);
        times.push(r.ms);
        bytes.push(r.bytes);
      }
      const cpu = await stop();
      return { p50: percentile(times, 50), p95: percentile(times, 95), bytes: median(bytes), appCpu: cpu.appMs / ps.length, dbCpu: cpu.dbMs / ps.length };
    },
    (r) => `p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms`,
    (round) => (round % 2 === 0 ? lanes : [...lanes].reverse()),
  );

  console.log(`\nbench:trace — ${commandLine("bench:trace")}`);
  console.log(`machine: ${machineNote("end")}`);
  console.log(`data: ${dataSize}; ${ROUNDS} rounds; median (min-max) over the rounds`);
  const sizes = (q: Question) => points(q).map((p) => counts.get(`${q}:${p}`)!);
  const wu = sizes("where-used");
  const ab = sizes("as-built");
  console.log(`where-used: ${wu.length} supplier lots reaching ${Math.min(...wu)}-${Math.max(...wu)} units (median ${median(wu)}), first page of 50 + exact total`);
  console.log(`as-built: ${ab.length} top-level units of ${Math.min(...ab)}-${Math.max(...ab)} nodes (median ${median(ab)}), whole tree`);
  const col = (s: string, w: number) => s.padEnd(w);
  console.log(`${col("lane", 32)} ${col("p50 ms", 22)} ${col("p95 ms", 22)} ${col("KB per answer", 14)} ${col("app CPU ms/call", 22)} PostgreSQL CPU ms/call`);
  for (const lane of lanes) {
    const rs = results.get(lane)!;
    const kb = lane.how === "raw" ? "-" : (median(rs.map((r) => r.bytes)) / 1024).toFixed(0);
    console.log(`${col(lane.name, 32)} ${col(spread(rs.map((r) => r.p50)), 22)} ${col(spread(rs.map((r) => r.p95)), 22)} ${col(kb, 14)} ${col(lane.how === "raw" ? "-" : spread(rs.map((r) => r.appCpu)), 22)} ${spread(rs.map((r) => r.dbCpu))}`);
  }
  const of = (q: Question, how: Lane["how"]) => results.get(lanes.find((l) => l.question === q && l.how === how)!)!;
  for (const [q, target] of [["where-used", 50], ["as-built", 100]] as const) {
    const app95 = median(of(q, "http").map((r) => r.p95));
    const ratios = of(q, "http").map((r, i) => r.p95 / of(q, "raw")[i]!.p95);
    console.log(`${q}: HTTP p95 ${app95.toFixed(1)} ms, target < ${target} ms -> ${verdict(app95 < target)}; HTTP / raw p95 ${spread(ratios, 2, "x")}${q === "where-used" ? `, target <= 1.5x -> ${verdict(median(ratios) <= 1.5)}` : ""}`);
  }
  const abKb = median(of("as-built", "http").map((r) => r.bytes)) / 1024;
  console.log(`as-built answer ${abKb.toFixed(0)} KB, target (issue 13) first view < 200 KB -> ${verdict(abKb < 200)}`);
}

runBenchmark(main);
