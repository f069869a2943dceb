// npm run bench:kitting — pick-list generation (frozen BOM -> lines with effectivity and coverage, then FEFO suggestions
// and exclusions with reasons for every line) for a work order of 200 BOM lines against 100,000 lots, on a scratch
// PostgreSQL database (created and dropped here). Options: --lines N (200) --lots N (100000) --runs N (20) --keep
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { openDatabase } from "../../db/client";
import { createDatabase, dropDatabase, urlFor } from "../../db/testing/pg-admin";
import { createTestSite, createTestUser } from "../../db/testing/factories";
import { previewPickList } from "../../server/services/kitting/pick-list-data";
import { lockWorkOrder } from "../../server/repos/kitting";
import type { Actor } from "../../server/auth/types";

const { values } = parseArgs({
  options: { lines: { type: "string", default: "200" }, lots: { type: "string", default: "100000" }, runs: { type: "string", default: "20" }, keep: { type: "boolean", default: false } },
});
const LINES = Number(values.lines);
const LOTS = Number(values.lots);
const RUNS = Number(values.runs);
const UNITS = 10;
const name = `tl_bench_kit_${Date.now().toString(36)}`;

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main() {
  console.log(`bench:kitting — scratch database ${name}: work order of ${LINES} BOM lines x ${UNITS} units, ${LOTS} lots with stock, ${RUNS} runs`);
  await createDatabase(name);
  const owner = await openDatabase({ url: urlFor(name), role: null, max: 2 });
  const app = await openDatabase({ url: urlFor(name), max: 4 });
  try {
    await owner.migrate();
    const db = owner.db;
    const site = await createTestSite(db, "BENCH");
    const user = await createTestUser(db, site.siteId, "kitting_clerk");
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
      select site_id, 'lot', id, 'Bench hold', ${user.id}, now() from lots where site_id = ${site.siteId} and lot_number like '%37'`);
    await db.execute(sql`analyze`);
    console.log(`data loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const actor: Actor = { userId: user.id, displayName: "Bench", siteId: site.siteId, siteCode: "BENCH", siteName: "Bench", timeZone: "America/Chicago", roles: ["kitting_clerk"], sites: [] };
    const minShelf = new Map<string, number | null>(
      ((await db.execute(sql`select pr.id, p.min_remaining_shelf_life_days as d from part_revisions pr join parts p on p.id = pr.part_id`)) as unknown as { id: string; d: number | null }[]).map((r) => [r.id, r.d]),
    );
    const head = await app.db.transaction((tx) => lockWorkOrder(tx, site.siteId, wo!.id));
    const times: number[] = [];
    let lines = 0;
    let suggested = 0;
    let excluded = 0;
    for (let i = 0; i < RUNS + 2; i++) {
      const start = performance.now();
      const list = await previewPickList(app.db, actor, head!, { kind: "work_order" }, (id) => minShelf.get(id) ?? null, new Date());
      const ms = performance.now() - start;
      if (i >= 2) times.push(ms); // two warm-up runs
      lines = list.length;
      suggested = list.reduce((s, l) => s + l.suggested.length, 0);
      excluded = list.reduce((s, l) => s + l.excluded.length, 0);
    }
    times.sort((a, b) => a - b);
    const p50 = pct(times, 50);
    const p95 = pct(times, 95);
    console.log(`pick list: ${lines} lines, ${suggested} suggested and ${excluded} excluded sources shown (of ${LOTS} lots with stock)`);
    console.log(`pick-list generation over ${RUNS} runs: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, min ${times[0]!.toFixed(1)} ms, max ${times[times.length - 1]!.toFixed(1)} ms (target < 200 ms: ${p95 < 200 ? "met" : "NOT met"})`);
  } finally {
    await app.close();
    await owner.close();
    if (!values.keep) await dropDatabase(name);
    else console.log(`kept database ${name}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
