// npm run bench:trace — genealogy read performance on a generated plant (>= 1,000,000 genealogy edges, 4 assembly
// levels): where-used from supplier lots (about 1,000 units each) and the as-built of top-level units (about 10,000
// nodes each), through the real API (tRPC caller, real Context, quality engineer of the site), p50/p95 over 20+
// starting points; and the same questions as one recursive SQL query each, run directly on the driver. Prints both and
// the ratio, with the data size. Scratch database created here and dropped unless --keep.
// Options: --units N (default 15600) --fanout N (5) --lines N (64) --lots N (lots in total; default chosen for ~1,000
// units per supplier lot) --runs N (20) --db NAME (reuse a kept database, skip generation) --keep
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { openDatabase, queryRows, type Db } from "../../db/client";
import { createDatabase, dropDatabase, urlFor } from "../../db/testing/pg-admin";
import { generatePlant } from "../../db/seed/generator";
import { createCallerFactory, createRouter, type Context } from "../../server/api/trpc";
import { genealogyRouter } from "../../server/api/routers/genealogy";
import type { Actor } from "../../server/auth/types";

const { values } = parseArgs({
  options: {
    units: { type: "string", default: "15600" },
    fanout: { type: "string", default: "5" },
    lines: { type: "string", default: "64" },
    lots: { type: "string" },
    runs: { type: "string", default: "20" },
    db: { type: "string" },
    keep: { type: "boolean", default: false },
  },
});
const RUNS = Number(values.runs);
const name = values.db ?? `tl_bench_trace_${Date.now().toString(36)}`;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await fn();
  return [performance.now() - t0, r];
}

async function main() {
  const fresh = values.db === undefined;
  if (fresh) await createDatabase(name);
  const owner = await openDatabase({ url: urlFor(name), role: null, max: 2 });
  let app: Awaited<ReturnType<typeof openDatabase>> | null = null;
  try {
    if (fresh) {
      await owner.migrate();
      const units = Number(values.units);
      console.log(`bench:trace — generating into ${name}: ${units} units, fanout ${values.fanout}, 4 levels, ${values.lines} lines per assembly`);
      const summary = await generatePlant(
        owner.db,
        {
          sites: 1,
          units,
          depth: 4,
          fanout: Number(values.fanout),
          lines: Number(values.lines),
          ...(values.lots ? { lots: Number(values.lots) } : {}),
        },
        (p) => {
          if (p.ms > 2000) console.log(`  ${p.step}: ${p.rows} rows, ${(p.ms / 1000).toFixed(1)} s`);
        },
      );
      console.log(`  generated in ${summary.seconds.toFixed(0)} s`);
      await owner.db.execute(sql.raw("analyze"));
    }
    app = await openDatabase({ url: urlFor(name), max: 4 });
    const db = app.db;
    const [size] = await queryRows<{ edges: number; units: number; lots: number; serials: number; site_id: string }>(
      db,
      sql`select (select count(*)::int from genealogy_edges) as edges, (select count(*)::int from units) as units,
                 (select count(*)::int from lots) as lots, (select count(*)::int from serial_items) as serials,
                 (select id from sites where code like 'G%' order by code limit 1) as site_id`,
    );
    const siteId = size!.site_id;
    console.log(`data: ${size!.edges.toLocaleString("en")} genealogy edges, ${size!.units.toLocaleString("en")} units, ${size!.lots.toLocaleString("en")} lots, ${size!.serials.toLocaleString("en")} serials`);

    const [qe] = await queryRows<{ id: string; display_name: string; code: string; name: string; tz: string }>(
      db,
      sql`select u.id, u.display_name, s.code, s.name, s.time_zone as tz from users u join user_site_roles r on r.user_id = u.id join sites s on s.id = r.site_id
          where r.site_id = ${siteId} and r.role = 'quality_engineer' limit 1`,
    );
    const actor: Actor = {
      userId: qe!.id,
      displayName: qe!.display_name,
      siteId,
      siteCode: qe!.code,
      siteName: qe!.name,
      timeZone: qe!.tz,
      roles: ["quality_engineer"],
      sites: [{ id: siteId, code: qe!.code, name: qe!.name, timeZone: qe!.tz, roles: ["quality_engineer"] }],
    };
    // The genealogy procedures exactly as mounted in the app router (root.ts imports page-only modules that need Next).
    const api = createCallerFactory(createRouter({ genealogy: genealogyRouter }))({ db: db as Db, actor, clientKey: "bench", now: () => new Date() } satisfies Context);

    // Starting points: top-level units with the biggest trees; supplier lots used directly by the most units.
    const tops = await queryRows<{ si: string; serial: string }>(
      db,
      sql`select u.serial_item_id as si, u.serial from units u
          where u.site_id = ${siteId} and u.status = 'completed'
            and not exists (select 1 from genealogy_edges e where e.site_id = u.site_id and e.child_serial_item_id = u.serial_item_id)
          order by u.serial limit ${RUNS}`,
    );
    const supplierLots = await queryRows<{ supplier_lot: string; direct: number }>(
      db,
      sql`select l.supplier_lot, count(distinct e.parent_serial_item_id)::int as direct from lots l
          join genealogy_edges e on e.site_id = l.site_id and e.child_lot_id = l.id
          where l.site_id = ${siteId} group by l.supplier_lot order by direct desc, l.supplier_lot limit ${RUNS}`,
    );
    if (tops.length < RUNS || supplierLots.length < RUNS) throw new Error(`Not enough starting points: ${tops.length} units, ${supplierLots.length} supplier lots`);

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

    // The raw queries run like the API's: in a transaction with JIT off (JIT compilation alone costs ~100 ms here).
    const raw = <T extends Record<string, unknown>>(q: ReturnType<typeof sql>) =>
      db.transaction(async (tx) => {
        await tx.execute(sql`set local jit = off`);
        return queryRows<T>(tx, q);
      });
    // Warm up (plans, caches) on a point not measured twice in a row.
    await api.genealogy.whereUsed({ target: { kind: "supplier_lot", supplierLot: supplierLots[0]!.supplier_lot } });
    await api.genealogy.asBuilt({ serialItemId: tops[0]!.si });
    await raw(rawWhereUsed(supplierLots[0]!.supplier_lot));
    await raw(rawAsBuilt(tops[0]!.si));

    const wuApi: number[] = [];
    const wuRaw: number[] = [];
    const wuUnits: number[] = [];
    for (const l of supplierLots) {
      const [a, r] = await time(() => api.genealogy.whereUsed({ target: { kind: "supplier_lot", supplierLot: l.supplier_lot }, limit: 50 }));
      const [b, rawRows] = await time(() => raw(rawWhereUsed(l.supplier_lot)));
      if (rawRows.length !== r.total) throw new Error(`where-used ${l.supplier_lot}: API total ${r.total}, raw query ${rawRows.length}`);
      wuApi.push(a);
      wuRaw.push(b);
      wuUnits.push(r.total);
    }
    const abApi: number[] = [];
    const abRaw: number[] = [];
    const abNodes: number[] = [];
    for (const u of tops) {
      const [a, r] = await time(() => api.genealogy.asBuilt({ serialItemId: u.si }));
      const [b, rawRows] = await time(() => raw(rawAsBuilt(u.si)));
      if (rawRows.length !== r.tree.nodes.length) throw new Error(`as-built ${u.serial}: API ${r.tree.nodes.length} nodes, raw query ${rawRows.length}`);
      abApi.push(a);
      abRaw.push(b);
      abNodes.push(r.tree.nodes.length);
    }
    const report = (label: string, unit: string, counts: number[], apiT: number[], rawT: number[], target: number) => {
      const [p50a, p95a, p50r, p95r] = [pct(apiT, 50), pct(apiT, 95), pct(rawT, 50), pct(rawT, 95)];
      console.log(
        `${label}: ${apiT.length} starting points, ${Math.min(...counts)}-${Math.max(...counts)} ${unit} (median ${pct(counts, 50)})\n` +
          `  API (tRPC caller)   p50 ${ms(p50a)}  p95 ${ms(p95a)}   target p95 < ${target} ms: ${p95a < target ? "met" : "NOT met"}\n` +
          `  raw recursive SQL   p50 ${ms(p50r)}  p95 ${ms(p95r)}\n` +
          `  ratio API/raw       p50 ${(p50a / p50r).toFixed(2)}x  p95 ${(p95a / p95r).toFixed(2)}x   target <= 1.5x: ${p95a / p95r <= 1.5 ? "met" : "NOT met"}`,
      );
    };
    report("where-used from a supplier lot (first page of 50 + exact total, status and location)", "units reached", wuUnits, wuApi, wuRaw, 50);
    report("as-built of a top-level unit (whole tree)", "nodes", abNodes, abApi, abRaw, 100);
  } finally {
    if (app) await app.close();
    await owner.close();
    if (fresh && !values.keep) await dropDatabase(name);
    else console.log(`database kept: ${name} (npm run bench:trace -- --db ${name})`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
