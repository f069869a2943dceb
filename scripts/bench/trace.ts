// npm run bench:trace — genealogy as a quality engineer gets it, on a generated plant (4 assembly levels; by default
// ~200,000 genealogy edges, top-level units of ~10,000 nodes): `next start` (the production build), the site's quality
// engineer signed in through next-auth (user name + password), and three questions, each beside the same question
// asked of PostgreSQL directly:
//   where-used   genealogy.whereUsed over HTTP (first page of 50 + exact total, as the where-used page asks) | one
//                recursive SQL query | a per-level walk (one set-based query per level from this process, then names)
//                | the where-used page (HTML, optional)
//   as-built     the first view: genealogy.asBuilt over HTTP (the first level with exact counts below each node, as the
//                genealogy page asks) | the whole tree as one recursive SQL query, named | a per-level walk, named |
//                the as-built page (HTML, optional)
//   export       GET /api/genealogy/as-built/export?format=csv (the whole tree, streamed): time to the first byte, to
//                the first component row and to the end | the recursive SQL query of the whole tree (as above)
// over `--runs` starting points (supplier lots used by the most units; top-level units with the biggest trees),
// interleaved: each round runs every lane over all points, the order reversed every other round. Median and spread of
// p50 / p95 over the rounds, bytes per answer, CPU per call of the app and of PostgreSQL.
// Targets (issue 13): where-used p95 < 50 ms and <= 1.5x the raw query; as-built first view p95 < 100 ms and < 200 KB;
// export first row < 1 s and whole file within 3x the raw query.
// Options: --units N (3120) --fanout N (5) --lines N (64) --lots N (lots in total; default from the generator)
//          --runs N (starting points, 20) --rounds N (3) --db NAME (reuse a generated database, kept) --no-pages
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { openDatabase, queryRows, type DbOrTx } from "../../db/client";
import { DEMO_PASSWORD } from "../../db/seed/demo-users";
import { Browser, commandLine, cpuMeter, DatabaseCpu, ensureBuild, fmt, interleave, machineNote, median, onCleanup, percentile, plantDatabase, runBenchmark, spread, startApp, verdict } from "./harness";

const { values } = parseArgs({
  options: {
    units: { type: "string", default: "3120" },
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

type Question = "where-used" | "as-built" | "export";
type How = "http" | "raw" | "walk" | "page";
type Answer = { ms: number; bytes: number; count: number; firstByteMs?: number; firstRowMs?: number };
type Lane = { name: string; question: Question; how: How; call: (point: string) => Promise<Answer> };
type LaneResult = { p50: number; p95: number; bytes: number; appCpu: number; dbCpu: number; firstByte95: number; firstRow95: number };

/** The same where-used question as one recursive SQL query (what one would type in psql): distinct units reached, named. */
const rawWhereUsed = (siteId: string, supplierLot: string) => sql`with recursive up as (
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

/** Where-used as a per-level walk: the units the material went into, then one set-based query per level up, then names. */
async function walkWhereUsed(db: DbOrTx, siteId: string, supplierLot: string): Promise<number> {
  const ids = (rows: { si: string }[]) => `{${rows.map((r) => r.si).join(",")}}`;
  let frontier = await queryRows<{ si: string }>(
    db,
    sql`select distinct e.parent_serial_item_id as si from genealogy_edges e join lots l on l.site_id = e.site_id and l.id = e.child_lot_id
        where e.site_id = ${siteId} and l.supplier_lot = ${supplierLot}`,
  );
  const reached = new Set(frontier.map((r) => r.si));
  while (frontier.length > 0) {
    const up = await queryRows<{ si: string }>(
      db,
      sql`select distinct e.parent_serial_item_id as si from genealogy_edges e where e.site_id = ${siteId} and e.child_serial_item_id = any(${ids(frontier)}::uuid[])`,
    );
    frontier = up.filter((r) => !reached.has(r.si));
    for (const r of frontier) reached.add(r.si);
  }
  const named = await queryRows<{ si: string }>(
    db,
    sql`select s.id as si, s.serial_number, un.status from serial_items s left join units un on un.site_id = s.site_id and un.serial_item_id = s.id
        where s.site_id = ${siteId} and s.id = any(${`{${[...reached].join(",")}}`}::uuid[])`,
  );
  return named.length;
}

const namedEdgeColumns = sql`p.part_number, pr.revision, s.serial_number, l.lot_number, e.quantity, e.operation_seq, op.code,
  ou.display_name, st.code as station, e.installed_at, e.parameters, e.removed_at`;
const namedEdgeJoins = sql`join part_revisions pr on pr.id = e.child_part_revision_id join parts p on p.id = pr.part_id
  left join serial_items s on s.site_id = e.site_id and s.id = e.child_serial_item_id
  left join lots l on l.site_id = e.site_id and l.id = e.child_lot_id
  left join units u on u.site_id = e.site_id and u.id = e.parent_unit_id
  left join work_order_operations op on op.site_id = e.site_id and op.work_order_id = u.work_order_id and op.seq = e.operation_seq
  join users ou on ou.id = e.operator_user_id join stations st on st.site_id = e.site_id and st.id = e.station_id`;

/** The whole as-built as one recursive SQL query: the walk carries the edge columns, then names them with joins. */
const rawAsBuilt = (siteId: string, si: string) => sql`with recursive tree as (
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
  select e.id, e.depth, ${namedEdgeColumns}
  from tree e ${namedEdgeJoins}`;

/** The whole as-built as a per-level walk: one named, set-based query per level (the children of the level above). */
async function walkAsBuilt(db: DbOrTx, siteId: string, si: string): Promise<number> {
  let frontier = [si];
  const seen = new Set(frontier);
  let count = 0;
  while (frontier.length > 0) {
    const rows = await queryRows<{ child: string | null }>(
      db,
      sql`select e.id, e.child_serial_item_id as child, ${namedEdgeColumns} from genealogy_edges e ${namedEdgeJoins}
          where e.site_id = ${siteId} and e.parent_serial_item_id = any(${`{${frontier.join(",")}}`}::uuid[])`,
    );
    count += rows.length;
    frontier = rows.map((r) => r.child).filter((c): c is string => c !== null && !seen.has(c));
    for (const c of frontier) seen.add(c);
  }
  return count;
}

/**
 * A streamed download as the browser gets it: time to the first byte, to the first component row (the line after the
 * CSV's column header), and to the end; the size; the number of component rows the file says it holds.
 */
async function download(browser: Browser, path: string): Promise<Answer> {
  const t0 = performance.now();
  const res = await browser.fetch(path);
  if (res.status !== 200 || !res.body) throw new Error(`${path} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  let firstByteMs: number | undefined;
  let firstRowMs: number | undefined;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    firstByteMs ??= performance.now() - t0;
    bytes += value.byteLength;
    if (firstRowMs === undefined) {
      text += decoder.decode(value, { stream: true });
      const header = text.indexOf("Level,Parent serial,");
      if (header >= 0 && text.indexOf("\r\n", text.indexOf("\r\n", header) + 2) >= 0) firstRowMs = performance.now() - t0;
      else if (text.length > 1_000_000) throw new Error(`${path}: no component row in the first MB`);
      if (firstRowMs !== undefined) text = text.slice(0, header + 4000);
    }
  }
  const ms = performance.now() - t0;
  const count = Number(/\r\nComponents,"?(\d+) \(/.exec(text)?.[1] ?? NaN);
  return { ms, bytes, count, firstByteMs, firstRowMs };
}

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

  const timed = async (run: () => Promise<number>): Promise<Answer> => {
    const t0 = performance.now();
    const count = await run();
    return { ms: performance.now() - t0, bytes: NaN, count };
  };
  const raw = (q: ReturnType<typeof sql>) => timed(async () => (await queryRows(db, q)).length);

  const app = await startApp({ label: "app on PostgreSQL", databaseUrl: plant.url });
  const dbCpu = new DatabaseCpu(plant.name);
  const browser = new Browser(app.url);
  await browser.signIn("password", { username: `${size.code.toLowerCase()}.quality_engineer`, password: DEMO_PASSWORD });
  const page = async (path: string): Promise<Answer> => {
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
    { name: "where-used, raw recursive SQL", question: "where-used", how: "raw", call: (lot) => raw(rawWhereUsed(siteId, lot)) },
    { name: "where-used, per-level walk", question: "where-used", how: "walk", call: (lot) => timed(() => walkWhereUsed(db, siteId, lot)) },
    { name: "where-used, page (HTML)", question: "where-used", how: "page", call: (lot) => page(`/genealogy/where-used?${new URLSearchParams({ kind: "supplier_lot", supplierLot: lot })}`) },
    {
      name: "as-built first view, tRPC/HTTP",
      question: "as-built",
      how: "http",
      call: async (si) => {
        const r = await browser.query<{ level: { treeTotal: number } }>("genealogy.asBuilt", { serialItemId: si });
        return { ms: r.ms, bytes: r.bytes, count: r.data.level.treeTotal };
      },
    },
    { name: "as-built, raw recursive SQL", question: "as-built", how: "raw", call: (si) => raw(rawAsBuilt(siteId, si)) },
    { name: "as-built, per-level walk", question: "as-built", how: "walk", call: (si) => timed(() => walkAsBuilt(db, siteId, si)) },
    { name: "as-built first view, page", question: "as-built", how: "page", call: (si) => page(`/genealogy?item=${si}`) },
    { name: "export CSV (whole tree), HTTP", question: "export", how: "http", call: (si) => download(browser, `/api/genealogy/as-built/export?item=${si}&format=csv`) },
    { name: "export, raw recursive SQL", question: "export", how: "raw", call: (si) => raw(rawAsBuilt(siteId, si)) },
  ];
  const lanes = every.filter((l) => !(values["no-pages"] && l.how === "page"));
  const points = (q: Question) => (q === "where-used" ? supplierLots.map((l) => l.supplier_lot) : tops.map((t) => t.si));

  // every lane must count what the raw query finds (checked once per point, untimed; also the warm-up)
  const counts = new Map<string, number>();
  for (const q of ["where-used", "as-built", "export"] as const) {
    const reference = lanes.find((l) => l.question === q && l.how === "raw")!;
    for (const p of points(q)) {
      const r = await reference.call(p);
      for (const l of lanes.filter((x) => x.question === q && x.how !== "raw" && x.how !== "page")) {
        const a = await l.call(p);
        if (a.count !== r.count) throw new Error(`${l.name} ${p}: ${a.count}, the raw query ${r.count}`);
      }
      counts.set(`${q}:${p}`, r.count);
    }
  }
  for (const l of lanes.filter((x) => x.how === "page")) await l.call(points(l.question)[0]!);

  console.log(`\n${ROUNDS} rounds; per lane and round one call per starting point; lane order reversed every other round`);
  const results = await interleave(
    lanes,
    ROUNDS,
    async (lane): Promise<LaneResult> => {
      const stop = await cpuMeter(lane.how === "raw" || lane.how === "walk" ? null : app, dbCpu);
      const times: number[] = [];
      const bytes: number[] = [];
      const firstBytes: number[] = [];
      const firstRows: number[] = [];
      const ps = points(lane.question);
      for (const p of ps) {
        const r = await lane.call(p);
        times.push(r.ms);
        bytes.push(r.bytes);
        if (r.firstByteMs !== undefined) firstBytes.push(r.firstByteMs);
        if (r.firstRowMs !== undefined) firstRows.push(r.firstRowMs);
      }
      const cpu = await stop();
      return {
        p50: percentile(times, 50),
        p95: percentile(times, 95),
        bytes: median(bytes),
        appCpu: cpu.appMs / ps.length,
        dbCpu: cpu.dbMs / ps.length,
        firstByte95: percentile(firstBytes, 95),
        firstRow95: percentile(firstRows, 95),
      };
    },
    (r) => `p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms${Number.isFinite(r.firstRow95) ? `, first row p95 ${r.firstRow95.toFixed(1)} ms` : ""}`,
    (round) => (round % 2 === 0 ? lanes : [...lanes].reverse()),
  );

  console.log(`\nbench:trace — ${commandLine("bench:trace")}`);
  console.log(`machine: ${machineNote("end")}`);
  console.log(`data: ${dataSize}; ${ROUNDS} rounds; median (min-max) over the rounds`);
  const sizes = (q: Question) => points(q).map((p) => counts.get(`${q}:${p}`)!);
  const wu = sizes("where-used");
  const ab = sizes("as-built");
  console.log(`where-used: ${wu.length} supplier lots reaching ${Math.min(...wu)}-${Math.max(...wu)} units (median ${median(wu)}), first page of 50 + exact total`);
  console.log(`as-built and export: ${ab.length} top-level units of ${Math.min(...ab)}-${Math.max(...ab)} nodes (median ${median(ab)}); first view = first level + counts; export = whole tree`);
  const col = (s: string, w: number) => s.padEnd(w);
  console.log(`${col("lane", 34)} ${col("p50 ms", 22)} ${col("p95 ms", 22)} ${col("KB per answer", 14)} ${col("app CPU ms/call", 22)} PostgreSQL CPU ms/call`);
  for (const lane of lanes) {
    const rs = results.get(lane)!;
    const kb = lane.how === "raw" || lane.how === "walk" ? "-" : (median(rs.map((r) => r.bytes)) / 1024).toFixed(0);
    console.log(`${col(lane.name, 34)} ${col(spread(rs.map((r) => r.p50)), 22)} ${col(spread(rs.map((r) => r.p95)), 22)} ${col(kb, 14)} ${col(lane.how === "raw" || lane.how === "walk" ? "-" : spread(rs.map((r) => r.appCpu)), 22)} ${spread(rs.map((r) => r.dbCpu))}`);
    if (lane.question === "export" && lane.how === "http") {
      console.log(`${col("  first byte / first row, p95", 34)} ${spread(rs.map((r) => r.firstByte95))} / ${spread(rs.map((r) => r.firstRow95))}`);
    }
  }
  const of = (q: Question, how: How) => results.get(lanes.find((l) => l.question === q && l.how === how)!)!;
  const ratio = (q: Question, pick: (r: LaneResult) => number) => of(q, "http").map((r, i) => pick(r) / pick(of(q, "raw")[i]!));
  const wu95 = median(of("where-used", "http").map((r) => r.p95));
  const wuRatio = ratio("where-used", (r) => r.p95);
  console.log(`where-used: HTTP p95 ${wu95.toFixed(1)} ms, target < 50 ms -> ${verdict(wu95 < 50)}; HTTP / raw p95 ${spread(wuRatio, 2, "x")}, target <= 1.5x -> ${verdict(median(wuRatio) <= 1.5)}`);
  const ab95 = median(of("as-built", "http").map((r) => r.p95));
  const abKb = median(of("as-built", "http").map((r) => r.bytes)) / 1024;
  console.log(`as-built first view: HTTP p95 ${ab95.toFixed(1)} ms, target < 100 ms -> ${verdict(ab95 < 100)}; ${abKb.toFixed(0)} KB, target < 200 KB -> ${verdict(abKb < 200)}`);
  const firstRow = median(of("export", "http").map((r) => r.firstRow95));
  const exRatio = ratio("export", (r) => r.p50);
  console.log(`export: first row p95 ${firstRow.toFixed(1)} ms, target < 1,000 ms -> ${verdict(firstRow < 1000)}; whole file / raw query (p50) ${spread(exRatio, 2, "x")}, target <= 3x -> ${verdict(median(exRatio) <= 3)}`);
}

runBenchmark(main);
