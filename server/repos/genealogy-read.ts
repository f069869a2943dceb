import "server-only";
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { partRevisions, parts, serialItems, units, workOrders } from "@/db/schema";
import type { ParameterSpec } from "@/db/schema/master";
import { isoUtc, toDate } from "./hold-flags";

/* Backward genealogy (the as-built of a unit), read-only and site-scoped. */

export type SerialView = {
  serialItemId: string;
  serialNumber: string;
  partNumber: string;
  description: string;
  revision: string;
  builtHere: boolean;
  unitId: string | null;
  unitStatus: "planned" | "in_progress" | "completed" | "scrapped" | "shipped" | null;
  workOrderId: string | null;
  workOrderNumber: string | null;
};

function serialsQuery(db: DbOrTx, where: SQL | undefined) {
  return db
    .select({
      serialItemId: serialItems.id,
      serialNumber: serialItems.serialNumber,
      partNumber: parts.partNumber,
      description: parts.description,
      revision: partRevisions.revision,
      builtHere: serialItems.builtHere,
      unitId: units.id,
      unitStatus: units.status,
      workOrderId: workOrders.id,
      workOrderNumber: workOrders.number,
    })
    .from(serialItems)
    .innerJoin(partRevisions, eq(partRevisions.id, serialItems.partRevisionId))
    .innerJoin(parts, eq(parts.id, partRevisions.partId))
    .leftJoin(units, and(eq(units.siteId, serialItems.siteId), eq(units.serialItemId, serialItems.id)))
    .leftJoin(workOrders, and(eq(workOrders.siteId, units.siteId), eq(workOrders.id, units.workOrderId)))
    .where(where)
    .orderBy(asc(parts.partNumber), asc(partRevisions.revision));
}

/** Serials of this site with exactly this serial number (a number may repeat across part numbers). */
export async function findSerialsByNumber(db: DbOrTx, siteId: string, serialNumber: string): Promise<SerialView[]> {
  return serialsQuery(db, and(eq(serialItems.siteId, siteId), eq(serialItems.serialNumber, serialNumber)));
}

/** A serial of this site, or null (a serial of another site is not found). */
export async function findSerialItem(db: DbOrTx, siteId: string, serialItemId: string): Promise<SerialView | null> {
  const [row] = await serialsQuery(db, and(eq(serialItems.siteId, siteId), eq(serialItems.id, serialItemId)));
  return row ?? null;
}

export type ParameterValue = { name: string; value: string; unit: string | null };

export type AsBuiltNode = {
  edgeId: string;
  /** the edge under which this one hangs (null at the first level) */
  parentEdgeId: string | null;
  depth: number;
  parentSerialItemId: string;
  partId: string;
  partRevisionId: string;
  partNumber: string;
  description: string;
  revision: string;
  uom: string;
  serialItemId: string | null;
  serialNumber: string | null;
  lotId: string | null;
  lotNumber: string | null;
  quantity: string;
  findNumber: number | null;
  operationSeq: number;
  operationCode: string | null;
  operatorName: string;
  stationCode: string;
  installedAt: Date;
  /** process parameters recorded with the install, keyed by name (decimal strings) */
  parameters: Record<string, string>;
  /** the same, with the unit of measure from the operation's parameter specs where one is known */
  parameterValues: ParameterValue[];
  /** removed (in rework) at or before the moment looked at */
  removed: boolean;
  removedAt: Date | null;
  removedByName: string | null;
  removalReason: string | null;
};

export type AsBuilt = {
  nodes: AsBuiltNode[];
  /** true only when maxDepth was asked for and the tree goes deeper: the answer says so rather than cutting silently */
  truncated: boolean;
  /** the depth asked for, or null for the whole tree */
  maxDepth: number | null;
  /** the moment the tree shows (installed at or before it, not removed before it) */
  at: Date;
  includeRemoved: boolean;
};

type RawNode = {
  edge_id: string;
  parent_edge_id: string | null;
  depth: number;
  parent_serial_item_id: string;
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
  operation_id: string | null;
  operation_code: string | null;
  operator_name: string;
  station_code: string;
  installed_at: string;
  parameters: Record<string, string> | string | null;
  removed_at: string | null;
  removed_by_name: string | null;
  removal_reason: string | null;
};

/**
 * The genealogy edges under a serial as they stood at `at`: installed at or before it and not yet removed then; with
 * `includeRemoved`, also those removed at or before it (rework history, marked removed). The walk goes down through
 * every installed serial with no depth limit (a path never revisits a serial, so even corrupt data cannot loop).
 */
export function asBuiltQuery(siteId: string, rootSerialItemId: string, atDate: Date, includeRemoved: boolean, depthLimit: number | null): SQL {
  const at = sql`${atDate.toISOString()}::timestamptz`;
  const visible = (e: string) =>
    includeRemoved
      ? sql`${sql.raw(e)}.installed_at <= ${at}`
      : sql`${sql.raw(e)}.installed_at <= ${at} and (${sql.raw(e)}.removed_at is null or ${sql.raw(e)}.removed_at > ${at})`;
  const descend = depthLimit === null ? sql`` : sql`and t.depth <= ${depthLimit}`;
  // The recursive step is a LATERAL index probe (offset 0 keeps the planner from turning it into a hash join over the
  // whole edge table); the walk carries every edge column it needs, so nothing joins back to genealogy_edges.
  return sql`with recursive tree as (
          select e.site_id, e.id, null::uuid as parent_edge_id, 1 as depth, e.parent_serial_item_id, e.parent_unit_id,
                 e.child_part_revision_id, e.child_serial_item_id, e.child_lot_id, e.quantity, e.find_number, e.operation_seq,
                 e.operator_user_id, e.station_id, e.installed_at, e.parameters, e.removed_at, e.removed_by, e.removal_reason,
                 array[e.parent_serial_item_id] as path
          from genealogy_edges e
          where e.site_id = ${siteId} and e.parent_serial_item_id = ${rootSerialItemId} and ${visible("e")}
          union all
          select c.site_id, c.id, t.id, t.depth + 1, c.parent_serial_item_id, c.parent_unit_id,
                 c.child_part_revision_id, c.child_serial_item_id, c.child_lot_id, c.quantity, c.find_number, c.operation_seq,
                 c.operator_user_id, c.station_id, c.installed_at, c.parameters, c.removed_at, c.removed_by, c.removal_reason,
                 t.path || c.parent_serial_item_id
          from tree t
          cross join lateral (
            select c.* from genealogy_edges c
            where c.site_id = t.site_id and c.parent_serial_item_id = t.child_serial_item_id and ${visible("c")}
            offset 0
          ) c
          where t.child_serial_item_id is not null ${descend}
            and not (c.parent_serial_item_id = any(t.path))
        )
        select e.id as edge_id, e.parent_edge_id, e.depth, e.parent_serial_item_id, p.id as part_id,
               e.child_part_revision_id as part_revision_id, p.part_number, p.description, pr.revision, p.uom,
               e.child_serial_item_id as serial_item_id, s.serial_number, e.child_lot_id as lot_id, l.lot_number,
               e.quantity::text as quantity, e.find_number, e.operation_seq, op.id as operation_id, op.code as operation_code,
               ou.display_name as operator_name, st.code as station_code,
               ${isoUtc(sql`e.installed_at`)} as installed_at, e.parameters,
               case when e.removed_at <= ${at} then ${isoUtc(sql`e.removed_at`)} end as removed_at,
               case when e.removed_at <= ${at} then ru.display_name end as removed_by_name,
               case when e.removed_at <= ${at} then e.removal_reason end as removal_reason
        from tree e
        join part_revisions pr on pr.id = e.child_part_revision_id
        join parts p on p.id = pr.part_id
        left join serial_items s on s.site_id = e.site_id and s.id = e.child_serial_item_id
        left join lots l on l.site_id = e.site_id and l.id = e.child_lot_id
        left join units u on u.site_id = e.site_id and u.id = e.parent_unit_id
        left join work_order_operations op on op.site_id = e.site_id and op.work_order_id = u.work_order_id and op.seq = e.operation_seq
        join users ou on ou.id = e.operator_user_id
        join stations st on st.site_id = e.site_id and st.id = e.station_id
        left join users ru on ru.id = e.removed_by`;
}

/**
 * The as-built of a serial (a unit or a sub-assembly) at `at` (default: now): every genealogy edge under it at every
 * level, or down to `maxDepth` levels (then `truncated` says whether more lies below). Removed components are included
 * and marked unless `includeRemoved` is false. Ordered depth-first (parents before children; siblings by find number).
 */
export async function getAsBuilt(
  db: DbOrTx,
  siteId: string,
  rootSerialItemId: string,
  opts: { maxDepth?: number; at?: Date; includeRemoved?: boolean } = {},
): Promise<AsBuilt> {
  const maxDepth = opts.maxDepth === undefined ? null : Math.max(1, Math.floor(opts.maxDepth));
  const at = opts.at ?? new Date();
  const includeRemoved = opts.includeRemoved ?? true;
  const rows = await withoutJit(db, (tx) => queryRows<RawNode>(tx, asBuiltQuery(siteId, rootSerialItemId, at, includeRemoved, maxDepth)));
  const truncated = maxDepth !== null && rows.some((r) => Number(r.depth) > maxDepth);
  const kept = maxDepth === null ? rows : rows.filter((r) => Number(r.depth) <= maxDepth);
  const specs = await parameterSpecs(db, siteId, [...new Set(kept.map((r) => r.operation_id).filter((x): x is string => x !== null))]);
  const nodes = kept.map((r): AsBuiltNode => {
    const parameters = typeof r.parameters === "string" ? (JSON.parse(r.parameters) as Record<string, string>) : (r.parameters ?? {});
    const opSpecs = r.operation_id ? specs.get(r.operation_id) : undefined;
    return {
      edgeId: r.edge_id,
      parentEdgeId: r.parent_edge_id,
      depth: Number(r.depth),
      parentSerialItemId: r.parent_serial_item_id,
      partId: r.part_id,
      partRevisionId: r.part_revision_id,
      partNumber: r.part_number,
      description: r.description,
      revision: r.revision,
      uom: r.uom,
      serialItemId: r.serial_item_id,
      serialNumber: r.serial_number,
      lotId: r.lot_id,
      lotNumber: r.lot_number,
      quantity: r.quantity,
      findNumber: r.find_number === null ? null : Number(r.find_number),
      operationSeq: Number(r.operation_seq),
      operationCode: r.operation_code,
      operatorName: r.operator_name,
      stationCode: r.station_code,
      installedAt: toDate(r.installed_at)!,
      parameters,
      parameterValues: Object.entries(parameters).map(([name, value]) => ({ name, value, unit: opSpecs?.get(name) ?? null })),
      removed: r.removed_at !== null,
      removedAt: toDate(r.removed_at),
      removedByName: r.removed_by_name,
      removalReason: r.removal_reason,
    };
  });
  return { nodes: depthFirst(nodes), truncated, maxDepth, at, includeRemoved };
}

/**
 * Run short graph reads with JIT compilation off: PostgreSQL's cost estimates for recursive queries over a large edge
 * table trigger JIT, which costs ~100 ms of compilation for a query that runs in ~20 ms. (The lead may prefer
 * `alter role traceline_app set jit = off` in a migration; then this wrapper is just a transaction.)
 */
export async function withoutJit<T>(db: DbOrTx, fn: (tx: DbOrTx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return fn(tx);
  });
}

/** Parents before children, siblings by find number then install time: one pass over a children index. */
export function depthFirst<T extends { edgeId: string; parentEdgeId: string | null; findNumber: number | null; installedAt: Date }>(nodes: T[]): T[] {
  const children = new Map<string | null, T[]>();
  for (const n of nodes) {
    const list = children.get(n.parentEdgeId);
    if (list) list.push(n);
    else children.set(n.parentEdgeId, [n]);
  }
  for (const list of children.values()) {
    list.sort((a, b) => (a.findNumber ?? 0) - (b.findNumber ?? 0) || a.installedAt.getTime() - b.installedAt.getTime() || (a.edgeId < b.edgeId ? -1 : 1));
  }
  const out: T[] = [];
  const stack: T[] = [...(children.get(null) ?? [])].reverse();
  while (stack.length > 0) {
    const n = stack.pop()!;
    out.push(n);
    const kids = children.get(n.edgeId);
    if (kids) for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return out;
}

/** Units of the parameters of these work-order operations: operation id -> parameter name -> unit. */
async function parameterSpecs(db: DbOrTx, siteId: string, operationIds: string[]): Promise<Map<string, Map<string, string>>> {
  const out = new Map<string, Map<string, string>>();
  if (operationIds.length === 0) return out;
  const rows = await queryRows<{ id: string; parameters: ParameterSpec[] | string }>(
    db,
    sql`select id, parameters from work_order_operations
        where site_id = ${siteId} and id = any(${sql.raw(`array[${operationIds.map((i) => `'${i.replace(/[^0-9a-f-]/gi, "")}'`).join(",")}]::uuid[]`)})
          and jsonb_array_length(parameters) > 0`,
  );
  for (const r of rows) {
    const specs = typeof r.parameters === "string" ? (JSON.parse(r.parameters) as ParameterSpec[]) : r.parameters;
    out.set(r.id, new Map(specs.map((p) => [p.name, p.unit])));
  }
  return out;
}
