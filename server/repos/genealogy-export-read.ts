import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { visibleAt } from "./genealogy-levels";
import { installedComponentOf, type InstalledComponent } from "./genealogy-read";

/*
 * The whole as-built of a serial for the exports, read through a server-side cursor in batches so the export streams
 * rows as they are read: one recursive walk down the edges (LATERAL index probes, the edge columns carried, a
 * depth-first sort key built on the way down: find number, install time, edge id per level, as bytes), named with joins, sorted
 * once. Each row also carries the tree's totals (window counts), so the file's header can say them before the rows.
 */

export type AsBuiltExportRow = InstalledComponent & {
  depth: number;
  parentSerialNumber: string;
  /** epoch ms (no Date per row: the writers format it once) */
  installedMs: number;
  /** the process parameters with their units, as the file shows them: "name=value unit; …" (csv, pdf) or a JSON array of
   *  { name, value, unit } as text (json), built by PostgreSQL (no JSON parsed per row here) */
  parameters: string;
  removed: boolean;
  removedMs: number | null;
  removedByName: string | null;
  removalReason: string | null;
  substitutionReason: string | null;
};

export type AsBuiltTotals = { total: number; removed: number };
/** how the parameters come: text for CSV and PDF, a JSON array (as text) for JSON */
export type ParametersAs = "text" | "json";

type Raw = {
  depth: number;
  parent_si: string;
  parent_serial: string | null;
  part_id: string;
  part_revision_id: string;
  part_number: string;
  description: string;
  revision: string;
  uom: string;
  serial_item_id: string | null;
  serial_number: string | null;
  lot_id: string | null;
  lot_number: string | null;
  quantity: string;
  find_number: number | null;
  operation_seq: number;
  op_code: string | null;
  params: string | null;
  operator_name: string | null;
  station_code: string | null;
  installed_ms: number | string;
  removed_ms: number | string | null;
  removed_by_name: string | null;
  removal_reason: string | null;
  substitution_reason: string | null;
  total: number | string;
  removed_total: number | string;
};

function toRow(r: Raw, emptyParameters: string): AsBuiltExportRow {
  return {
    depth: Number(r.depth),
    ...installedComponentOf(r),
    parentSerialNumber: r.parent_serial ?? "?",
    installedMs: Number(r.installed_ms),
    parameters: r.params ?? emptyParameters,
    removed: r.removed_ms !== null,
    removedMs: r.removed_ms === null ? null : Number(r.removed_ms),
    removedByName: r.removed_by_name,
    removalReason: r.removal_reason,
    substitutionReason: r.substitution_reason,
  };
}

/**
 * Reads the whole as-built of a serial at `at` (removed components included and marked, or left out), depth-first,
 * in batches of `batchSize` rows through a cursor in one read-only transaction; `onBatch` gets each batch with the
 * tree's totals and may wait (the stream's back-pressure) before the next is fetched. An empty tree gives one call
 * with no rows.
 */
export async function readAsBuiltForExport(
  db: DbOrTx,
  siteId: string,
  rootSerialItemId: string,
  opts: { at: Date; includeRemoved: boolean; parameters: ParametersAs; batchSize?: number },
  onBatch: (rows: AsBuiltExportRow[], totals: AsBuiltTotals) => Promise<void>,
): Promise<void> {
  const empty = opts.parameters === "json" ? "[]" : "";
  const batch = Math.max(1, Math.min(10_000, Math.floor(opts.batchSize ?? 1000)));
  const query = asBuiltExportQuery(siteId, rootSerialItemId, opts);
  await db.transaction(async (tx) => {
    // the walk and its sort stay in memory (the default 4 MB spills a 10,000-node tree to disk)
    await tx.execute(sql`set local work_mem = '64MB'`);
    await tx.execute(sql`declare as_built_export no scroll cursor for ${query}`);
    let totals: AsBuiltTotals | null = null;
    for (;;) {
      const raw = await queryRows<Raw>(tx, sql.raw(`fetch forward ${batch} from as_built_export`));
      if (raw[0] && !totals) totals = { total: Number(raw[0].total), removed: Number(raw[0].removed_total) };
      if (raw.length > 0 || !totals) await onBatch(raw.map((r) => toRow(r, empty)), totals ?? { total: 0, removed: 0 });
      if (raw.length < batch) break;
    }
    await tx.execute(sql`close as_built_export`);
  });
}

/** The export's query: the whole tree at `at`, named, depth-first, with the tree's totals on every row. */
export function asBuiltExportQuery(siteId: string, rootSerialItemId: string, opts: { at: Date; includeRemoved: boolean; parameters: ParametersAs }): SQL {
  const at = sql`${opts.at.toISOString()}::timestamptz`;
  // each recorded parameter with the unit its operation's spec gives it, in the order the record holds them
  const unit = sql`(select nullif(s->>'unit', '') from jsonb_array_elements(coalesce(op.parameters, '[]'::jsonb)) s where s->>'name' = kv.key limit 1)`;
  const params =
    opts.parameters === "json"
      ? sql`(select json_agg(json_build_object('name', kv.key, 'value', kv.value, 'unit', ${unit}) order by kv.ord)::text
             from jsonb_each_text(t.parameters) with ordinality kv(key, value, ord))`
      : sql`(select string_agg(kv.key || '=' || kv.value || coalesce(' ' || ${unit}, ''), '; ' order by kv.ord)
             from jsonb_each_text(t.parameters) with ordinality kv(key, value, ord))`;
  // One level of the sort key: find number, install time (ms), edge id as bytes (sign bits flipped so signed numbers
  // sort as bytes); the concatenation down the path sorts depth-first with a plain byte comparison.
  const key = (e: string) =>
    sql`int4send(coalesce(${sql.raw(e)}.find_number, 0) # (-2147483648)) || int8send(floor(extract(epoch from ${sql.raw(e)}.installed_at) * 1000)::bigint # (-9223372036854775808)) || uuid_send(${sql.raw(e)}.id)`;
  return sql`with recursive tree as (
          select e.site_id, e.id, 1 as depth, e.parent_serial_item_id, e.parent_unit_id, e.child_part_revision_id, e.child_serial_item_id,
                 e.child_lot_id, e.quantity, e.find_number, e.operation_seq, e.operator_user_id, e.station_id, e.installed_at, e.parameters,
                 e.removed_at, e.removed_by, e.removal_reason, e.substitution_reason,
                 array[e.parent_serial_item_id] as path, ${key("e")} as sort_key
          from genealogy_edges e
          where e.site_id = ${siteId} and e.parent_serial_item_id = ${rootSerialItemId} and ${visibleAt("e", at, opts.includeRemoved)}
          union all
          select c.site_id, c.id, t.depth + 1, c.parent_serial_item_id, c.parent_unit_id, c.child_part_revision_id, c.child_serial_item_id,
                 c.child_lot_id, c.quantity, c.find_number, c.operation_seq, c.operator_user_id, c.station_id, c.installed_at, c.parameters,
                 c.removed_at, c.removed_by, c.removal_reason, c.substitution_reason,
                 t.path || c.parent_serial_item_id, t.sort_key || ${key("c")}
          from tree t
          cross join lateral (
            select c.* from genealogy_edges c
            where c.site_id = t.site_id and c.parent_serial_item_id = t.child_serial_item_id and ${visibleAt("c", at, opts.includeRemoved)}
            offset 0
          ) c
          where t.child_serial_item_id is not null and not (c.parent_serial_item_id = any(t.path))
        )
        select t.depth, t.parent_serial_item_id as parent_si, ps.serial_number as parent_serial, pr.part_id, t.child_part_revision_id as part_revision_id,
               p.part_number, p.description, pr.revision, p.uom, t.child_serial_item_id as serial_item_id, s.serial_number,
               t.child_lot_id as lot_id, l.lot_number, t.quantity::text as quantity, t.find_number, t.operation_seq,
               op.code as op_code, ${params} as params, ou.display_name as operator_name, st.code as station_code,
               (extract(epoch from t.installed_at) * 1000)::float8 as installed_ms,
               case when t.removed_at <= ${at} then (extract(epoch from t.removed_at) * 1000)::float8 end as removed_ms,
               case when t.removed_at <= ${at} then ru.display_name end as removed_by_name,
               case when t.removed_at <= ${at} then t.removal_reason end as removal_reason, t.substitution_reason,
               count(*) over () as total, count(*) filter (where t.removed_at <= ${at}) over () as removed_total
        from tree t
        join part_revisions pr on pr.id = t.child_part_revision_id
        join parts p on p.id = pr.part_id
        left join serial_items ps on ps.site_id = t.site_id and ps.id = t.parent_serial_item_id
        left join serial_items s on s.site_id = t.site_id and s.id = t.child_serial_item_id
        left join lots l on l.site_id = t.site_id and l.id = t.child_lot_id
        left join units un on un.site_id = t.site_id and un.id = t.parent_unit_id
        left join work_order_operations op on op.site_id = t.site_id and op.work_order_id = un.work_order_id and op.seq = t.operation_seq
        left join users ou on ou.id = t.operator_user_id
        left join users ru on ru.id = t.removed_by
        left join stations st on st.site_id = t.site_id and st.id = t.station_id
        order by t.sort_key`;
}
