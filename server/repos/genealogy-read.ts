import "server-only";
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { partRevisions, parts, serialItems, units, workOrders } from "@/db/schema";
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

export type AsBuiltNode = {
  edgeId: string;
  /** the edge under which this one hangs (null at the first level) */
  parentEdgeId: string | null;
  depth: number;
  parentSerialItemId: string;
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
  parameters: Record<string, string>;
  removed: boolean;
  removedAt: Date | null;
  removedByName: string | null;
  removalReason: string | null;
};

export type AsBuilt = {
  nodes: AsBuiltNode[];
  /** true when the tree goes deeper than maxDepth: the answer says so rather than silently cutting it */
  truncated: boolean;
  maxDepth: number;
};

type RawNode = {
  edge_id: string;
  parent_edge_id: string | null;
  depth: number;
  parent_serial_item_id: string;
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
  operation_code: string | null;
  operator_name: string;
  station_code: string;
  installed_at: string;
  parameters: Record<string, string> | string | null;
  removed_at: string | null;
  removed_by_name: string | null;
  removal_reason: string | null;
};

export const AS_BUILT_MAX_DEPTH = 25;

/**
 * The as-built of a serial (a unit or a sub-assembly): every genealogy edge under it, one level (maxDepth 1) or
 * recursively through installed serials, closed edges included and marked as removed. Walks edges of this site
 * only; a path never revisits a serial. Ordered depth-first (parents before their children).
 */
export async function getAsBuilt(
  db: DbOrTx,
  siteId: string,
  rootSerialItemId: string,
  opts: { maxDepth?: number } = {},
): Promise<AsBuilt> {
  const maxDepth = Math.max(1, Math.min(opts.maxDepth ?? AS_BUILT_MAX_DEPTH, AS_BUILT_MAX_DEPTH));
  const rows = await queryRows<RawNode>(
    db,
    sql`with recursive tree as (
          select e.site_id, e.id, null::uuid as parent_edge_id, 1 as depth, e.parent_serial_item_id, e.parent_unit_id,
                 e.child_serial_item_id, array[e.parent_serial_item_id] as path,
                 array[lpad(coalesce(e.find_number, 0)::text, 6, '0') || e.id::text] as sort_key
          from genealogy_edges e
          where e.site_id = ${siteId} and e.parent_serial_item_id = ${rootSerialItemId}
          union all
          select c.site_id, c.id, t.id, t.depth + 1, c.parent_serial_item_id, c.parent_unit_id,
                 c.child_serial_item_id, t.path || c.parent_serial_item_id,
                 t.sort_key || (lpad(coalesce(c.find_number, 0)::text, 6, '0') || c.id::text)
          from tree t
          join genealogy_edges c on c.site_id = t.site_id and c.parent_serial_item_id = t.child_serial_item_id
          where t.child_serial_item_id is not null and t.depth <= ${maxDepth}
            and not (c.parent_serial_item_id = any(t.path))
        )
        select t.id as edge_id, t.parent_edge_id, t.depth, e.parent_serial_item_id,
               e.child_part_revision_id as part_revision_id, p.part_number, p.description, pr.revision, p.uom,
               e.child_serial_item_id as serial_item_id, s.serial_number, e.child_lot_id as lot_id, l.lot_number,
               e.quantity::text as quantity, e.find_number, e.operation_seq, op.code as operation_code,
               ou.display_name as operator_name, st.code as station_code,
               ${isoUtc(sql`e.installed_at`)} as installed_at, e.parameters,
               ${isoUtc(sql`e.removed_at`)} as removed_at, ru.display_name as removed_by_name, e.removal_reason
        from tree t
        join genealogy_edges e on e.site_id = t.site_id and e.id = t.id
        join part_revisions pr on pr.id = e.child_part_revision_id
        join parts p on p.id = pr.part_id
        left join serial_items s on s.site_id = e.site_id and s.id = e.child_serial_item_id
        left join lots l on l.site_id = e.site_id and l.id = e.child_lot_id
        left join units u on u.site_id = e.site_id and u.id = e.parent_unit_id
        left join work_order_operations op on op.site_id = e.site_id and op.work_order_id = u.work_order_id and op.seq = e.operation_seq
        join users ou on ou.id = e.operator_user_id
        join stations st on st.site_id = e.site_id and st.id = e.station_id
        left join users ru on ru.id = e.removed_by
        order by t.sort_key`,
  );
  const truncated = rows.some((r) => Number(r.depth) > maxDepth);
  const nodes = rows
    .filter((r) => Number(r.depth) <= maxDepth)
    .map(
      (r): AsBuiltNode => ({
        edgeId: r.edge_id,
        parentEdgeId: r.parent_edge_id,
        depth: Number(r.depth),
        parentSerialItemId: r.parent_serial_item_id,
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
        parameters: typeof r.parameters === "string" ? (JSON.parse(r.parameters) as Record<string, string>) : (r.parameters ?? {}),
        removed: r.removed_at !== null,
        removedAt: toDate(r.removed_at),
        removedByName: r.removed_by_name,
        removalReason: r.removal_reason,
      }),
    );
  return { nodes, truncated, maxDepth };
}
