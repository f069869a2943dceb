import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import type { ParameterSpec } from "@/db/schema/master";
import { installedComponentOf, type InstalledComponent } from "./genealogy-read";

/*
 * The as-built as the screen shows it: one level at a time (the components installed in one serial, or in a set of
 * serials), named, with the exact number of component records below each one, so the screen opens any node on demand
 * and never builds the whole tree. The whole tree is read only by the exports (genealogy-export-read.ts, streamed).
 */

export type AsBuiltLevelNode = InstalledComponent & {
  edgeId: string;
  /** ISO-8601 UTC: the answer is plain JSON (no transformer work per node) */
  installedAt: string;
  parameterValues: { name: string; value: string; unit: string | null }[];
  /** removed (in rework) at or before the moment looked at */
  removed: boolean;
  removedAt: string | null;
  removedByName: string | null;
  removalReason: string | null;
  substitutionReason: string | null;
  /** the nonconformance reports raised about this install (a removal raises one) */
  ncrs: { id: string; number: number }[];
  /** exact number of component records below this one (any depth), as the tree stood at the moment looked at */
  below: number;
  /** of them, removed in rework */
  belowRemoved: number;
};

export type AsBuiltLevel = {
  nodes: AsBuiltLevelNode[];
  /** components directly in the serial(s), over all pages */
  total: number;
  offset: number;
  limit: number;
  /** every component record below the serial(s) at any depth, and of them removed in rework */
  treeTotal: number;
  treeRemoved: number;
};

export type LevelOptions = { at: Date; includeRemoved: boolean; offset?: number; limit?: number };

/** A set of uuids as one text parameter (`{a,b}`), cast to uuid[] in SQL: one bind value however many ids. */
export function uuidArray(ids: Iterable<string>): SQL {
  return sql`${`{${[...ids].join(",")}}`}::uuid[]`;
}

/** An edge as it stood at `at`: installed by then, and (unless history is shown) not removed by then. */
export function visibleAt(alias: string, at: SQL, includeRemoved: boolean): SQL {
  const e = sql.raw(alias);
  return includeRemoved ? sql`${e}.installed_at <= ${at}` : sql`${e}.installed_at <= ${at} and (${e}.removed_at is null or ${e}.removed_at > ${at})`;
}

type Raw = {
  edge_id: string;
  parent_si: string;
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
  op_parameters: ParameterSpec[] | string | null;
  operator_name: string;
  station_code: string;
  installed_at: string;
  parameters: Record<string, string> | string | null;
  removed_at: string | null;
  removed_by_name: string | null;
  removal_reason: string | null;
  substitution_reason: string | null;
  ncrs: { id: string; number: number }[] | string | null;
  below: number | string;
  below_removed: number | string;
  kids_total: number | string;
  tree_total: number | string;
  tree_removed: number | string;
};

const iso = (col: SQL) => sql`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The components installed directly in the given serials as they stood at `at` (a page of them, ordered by find
 * number, install time, edge), each named and with the exact count of what lies below it; and the totals of the whole
 * tree below the serials. One statement: the children, then one narrow recursive walk that only counts (no names, no
 * edge columns), grouped by the child it started from; names only for the page's rows (the holds on them are read by the caller).
 */
export async function readAsBuiltLevel(db: DbOrTx, siteId: string, parentSerialItemIds: string[], opts: LevelOptions): Promise<AsBuiltLevel> {
  const offset = Math.max(0, Math.floor(opts.offset ?? 0));
  const limit = Math.max(1, Math.min(1000, Math.floor(opts.limit ?? 500)));
  const empty: AsBuiltLevel = { nodes: [], total: 0, offset, limit, treeTotal: 0, treeRemoved: 0 };
  if (parentSerialItemIds.length === 0) return empty;
  const at = sql`${opts.at.toISOString()}::timestamptz`;
  const removedNow = (e: string) => sql`coalesce(${sql.raw(e)}.removed_at <= ${at}, false)`;
  const rows = await queryRows<Raw>(
    db,
    sql`with recursive kids as materialized (
          select k.id, k.parent_serial_item_id, k.child_serial_item_id, k.find_number, k.installed_at, ${removedNow("k")} as removed
          from genealogy_edges k
          where k.site_id = ${siteId} and k.parent_serial_item_id = any(${uuidArray(parentSerialItemIds)}) and ${visibleAt("k", at, opts.includeRemoved)}
        ),
        -- the walk goes through serials only (an edge to a lot or untracked material ends there): one row per serial
        -- reached on a path from a child of the level, carrying the path's serials so it never loops
        serials as (
          select k.id as top, k.child_serial_item_id as si, array[k.parent_serial_item_id] as path
          from kids k
          where k.child_serial_item_id is not null and k.child_serial_item_id <> k.parent_serial_item_id
          union all
          select x.top, c.child_serial_item_id, x.path || x.si
          from serials x
          cross join lateral (
            select c.child_serial_item_id from genealogy_edges c
            where c.site_id = ${siteId} and c.parent_serial_item_id = x.si and c.child_serial_item_id is not null and ${visibleAt("c", at, opts.includeRemoved)}
            offset 0
          ) c
          where not (c.child_serial_item_id = any(x.path || x.si))
        ),
        -- what is installed directly in each serial reached, counted once per serial (index only: no edge row is read)
        per_serial as (
          select c.parent_serial_item_id as si, count(*) as n, count(*) filter (where ${removedNow("c")}) as removed
          from genealogy_edges c
          where c.site_id = ${siteId} and c.parent_serial_item_id in (select si from serials) and ${visibleAt("c", at, opts.includeRemoved)}
          group by c.parent_serial_item_id
        ),
        -- every component record below a child of the level: what is in each serial, once per path that reaches it
        counts as (
          select x.top, sum(p.n) as below, sum(p.removed) as below_removed from serials x join per_serial p on p.si = x.si group by x.top
        ),
        totals as (
          select (select count(*) from kids) as kids_total,
                 (select count(*) from kids) + (select coalesce(sum(below), 0) from counts) as tree_total,
                 (select count(*) from kids where removed) + (select coalesce(sum(below_removed), 0) from counts) as tree_removed
        ),
        page as (select k.id from kids k order by coalesce(k.find_number, 0), k.installed_at, k.id offset ${offset} limit ${limit})
        select e.id as edge_id, e.parent_serial_item_id as parent_si, pr.part_id, e.child_part_revision_id as part_revision_id,
               p.part_number, p.description, pr.revision, p.uom,
               e.child_serial_item_id as serial_item_id, s.serial_number, e.child_lot_id as lot_id, l.lot_number,
               e.quantity::text as quantity, e.find_number, e.operation_seq, op.code as op_code, op.parameters as op_parameters,
               ou.display_name as operator_name, st.code as station_code, ${iso(sql`e.installed_at`)} as installed_at, e.parameters,
               case when e.removed_at <= ${at} then ${iso(sql`e.removed_at`)} end as removed_at,
               case when e.removed_at <= ${at} then ru.display_name end as removed_by_name,
               case when e.removed_at <= ${at} then e.removal_reason end as removal_reason, e.substitution_reason,
               (select coalesce(json_agg(json_build_object('id', n.id, 'number', n.number) order by n.number), '[]')
                  from ncrs n where n.site_id = e.site_id and n.edge_id = e.id) as ncrs,
               coalesce(c.below, 0)::int as below, coalesce(c.below_removed, 0)::int as below_removed,
               t.kids_total::int as kids_total, t.tree_total::int as tree_total, t.tree_removed::int as tree_removed
        from totals t
        left join page pg on true
        left join genealogy_edges e on e.site_id = ${siteId} and e.id = pg.id
        left join counts c on c.top = e.id
        left join part_revisions pr on pr.id = e.child_part_revision_id
        left join parts p on p.id = pr.part_id
        left join serial_items s on s.site_id = e.site_id and s.id = e.child_serial_item_id
        left join lots l on l.site_id = e.site_id and l.id = e.child_lot_id
        left join units un on un.site_id = e.site_id and un.id = e.parent_unit_id
        left join work_order_operations op on op.site_id = e.site_id and op.work_order_id = un.work_order_id and op.seq = e.operation_seq
        left join users ou on ou.id = e.operator_user_id
        left join users ru on ru.id = e.removed_by
        left join stations st on st.site_id = e.site_id and st.id = e.station_id
        order by coalesce(e.find_number, 0), e.installed_at, e.id`,
  );
  const first = rows[0];
  if (!first) return empty;
  const nodes = rows.filter((r) => r.edge_id !== null).map(toNode);
  return { nodes, total: Number(first.kids_total), offset, limit, treeTotal: Number(first.tree_total), treeRemoved: Number(first.tree_removed) };
}

function json<T>(v: T | string | null): T | null {
  return typeof v === "string" ? (JSON.parse(v) as T) : v;
}

function toNode(r: Raw): AsBuiltLevelNode {
  const parameters = json<Record<string, string>>(r.parameters) ?? {};
  const units = new Map((json<ParameterSpec[]>(r.op_parameters) ?? []).map((p) => [p.name, p.unit]));
  return {
    edgeId: r.edge_id,
    ...installedComponentOf(r),
    installedAt: r.installed_at,
    parameterValues: Object.entries(parameters).map(([name, value]) => ({ name, value, unit: units.get(name) ?? null })),
    removed: r.removed_at !== null,
    removedAt: r.removed_at,
    removedByName: r.removed_by_name,
    removalReason: r.removal_reason,
    substitutionReason: r.substitution_reason,
    ncrs: json<{ id: string; number: number }[]>(r.ncrs) ?? [],
    below: Number(r.below),
    belowRemoved: Number(r.below_removed),
  };
}

export type AsBuiltGraphNode = AsBuiltLevelNode & { parentEdgeId: string | null; depth: number };

/**
 * The upper levels of the as-built for the graph view: level by level (one set-based read per level), until `cap`
 * nodes are read or the tree ends; each node knows the edge it hangs under. The whole tree's size comes from the first
 * level's counts.
 */
export async function readAsBuiltUpperLevels(
  db: DbOrTx,
  siteId: string,
  rootSerialItemId: string,
  opts: { at: Date; includeRemoved: boolean; cap: number },
): Promise<{ nodes: AsBuiltGraphNode[]; treeTotal: number }> {
  const out: AsBuiltGraphNode[] = [];
  let parents = new Map<string, string | null>([[rootSerialItemId, null]]);
  let treeTotal = 0;
  const seen = new Set<string>([rootSerialItemId]);
  for (let depth = 1; parents.size > 0 && out.length < opts.cap; depth++) {
    const level = await readAsBuiltLevel(db, siteId, [...parents.keys()], { at: opts.at, includeRemoved: opts.includeRemoved, limit: opts.cap - out.length });
    if (depth === 1) treeTotal = level.treeTotal;
    const next = new Map<string, string | null>();
    for (const n of level.nodes) {
      out.push({ ...n, parentEdgeId: parents.get(n.parentSerialItemId) ?? null, depth });
      if (n.serialItemId && n.below > 0 && !seen.has(n.serialItemId)) {
        seen.add(n.serialItemId);
        next.set(n.serialItemId, n.edgeId);
      }
    }
    parents = next;
  }
  return { nodes: out, treeTotal };
}
