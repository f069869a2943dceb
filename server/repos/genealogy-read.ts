import "server-only";
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { partRevisions, parts, serialItems, units, workOrders } from "@/db/schema";
import type { ParameterSpec } from "@/db/schema/master";
import type { UnitFate } from "@/server/domain/production/unit-fate";

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
  /** what became of a unit that has left the floor (shipped or scrapped); null otherwise */
  fate: UnitFate | null;
};

type SerialRow = Omit<SerialView, "fate"> & {
  shippedAt: Date | null;
  shippedTo: string | null;
  shipmentReference: string | null;
  scrappedAt: Date | null;
  scrapReason: string | null;
};

function toSerialView({ shippedAt, shippedTo, shipmentReference, scrappedAt, scrapReason, ...r }: SerialRow): SerialView {
  const fate: UnitFate | null =
    r.unitStatus === "shipped"
      ? { kind: "shipped", at: shippedAt, to: shippedTo, reference: shipmentReference }
      : r.unitStatus === "scrapped"
        ? { kind: "scrapped", at: scrappedAt, reason: scrapReason }
        : null;
  return { ...r, fate };
}

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
      shippedAt: units.shippedAt,
      shippedTo: units.shippedTo,
      shipmentReference: units.shipmentReference,
      scrappedAt: units.scrappedAt,
      scrapReason: units.scrapReason,
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
  return (await serialsQuery(db, and(eq(serialItems.siteId, siteId), eq(serialItems.serialNumber, serialNumber)))).map(toSerialView);
}

/** A serial of this site, or null (a serial of another site is not found). */
export async function findSerialItem(db: DbOrTx, siteId: string, serialItemId: string): Promise<SerialView | null> {
  const [row] = await serialsQuery(db, and(eq(serialItems.siteId, siteId), eq(serialItems.id, serialItemId)));
  return row ? toSerialView(row) : null;
}

export type ParameterValue = { name: string; value: string; unit: string | null };

/** What every reading of an install shows of it (the as-built tree, its levels, its export): one list of fields. */
export type InstalledComponent = {
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
};

/** The columns an install is read with, as the genealogy statements name them. */
export type InstalledComponentColumns = {
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
  find_number: number | string | null;
  operation_seq: number | string;
  op_code: string | null;
  operator_name: string | null;
  station_code: string | null;
};

/** An install's fields from its columns (the tree's levels and the streamed export read the same ones). */
export function installedComponentOf(r: InstalledComponentColumns): InstalledComponent {
  return {
    parentSerialItemId: r.parent_si,
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
    operationCode: r.op_code,
    operatorName: r.operator_name ?? "?",
    stationCode: r.station_code ?? "?",
  };
}

export type AsBuiltNode = InstalledComponent & {
  edgeId: string;
  /** the edge under which this one hangs (null at the first level) */
  parentEdgeId: string | null;
  depth: number;
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
  /** why another revision than designed was installed, when the operator recorded it */
  substitutionReason: string | null;
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

type RawEdge = {
  edge_id: string;
  parent_edge_id: string | null;
  depth: number;
  parent_serial_item_id: string;
  parent_unit_id: string | null;
  part_revision_id: string;
  serial_item_id: string | null;
  lot_id: string | null;
  quantity: string;
  find_number: number | null;
  operation_seq: number;
  operator_user_id: string;
  station_id: string;
  /** epoch milliseconds (float8: cheaper to send and read than formatted text) */
  installed_ms: number | string;
  parameters: Record<string, string> | string | null;
  removed_ms: number | string | null;
  removed_by: string | null;
  removal_reason: string | null;
  substitution_reason: string | null;
};

/**
 * The genealogy edges under a serial as they stood at `at`: installed at or before it and not yet removed then; with
 * `includeRemoved`, also those removed at or before it (rework history, marked removed). The walk goes down through
 * every installed serial with no depth limit (a path never revisits a serial, so even corrupt data cannot loop).
 * It returns the edge columns only (ids, not names): names are looked up once per distinct id afterwards.
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
                 e.operator_user_id, e.station_id, e.installed_at, e.parameters, e.removed_at, e.removed_by, e.removal_reason, e.substitution_reason,
                 array[e.parent_serial_item_id] as path
          from genealogy_edges e
          where e.site_id = ${siteId} and e.parent_serial_item_id = ${rootSerialItemId} and ${visible("e")}
          union all
          select c.site_id, c.id, t.id, t.depth + 1, c.parent_serial_item_id, c.parent_unit_id,
                 c.child_part_revision_id, c.child_serial_item_id, c.child_lot_id, c.quantity, c.find_number, c.operation_seq,
                 c.operator_user_id, c.station_id, c.installed_at, c.parameters, c.removed_at, c.removed_by, c.removal_reason, c.substitution_reason,
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
        select e.id as edge_id, e.parent_edge_id, e.depth, e.parent_serial_item_id, e.parent_unit_id,
               e.child_part_revision_id as part_revision_id, e.child_serial_item_id as serial_item_id, e.child_lot_id as lot_id,
               e.quantity::text as quantity, e.find_number, e.operation_seq, e.operator_user_id, e.station_id,
               (extract(epoch from e.installed_at) * 1000)::float8 as installed_ms, e.parameters,
               case when e.removed_at <= ${at} then (extract(epoch from e.removed_at) * 1000)::float8 end as removed_ms,
               case when e.removed_at <= ${at} then e.removed_by end as removed_by,
               case when e.removed_at <= ${at} then e.removal_reason end as removal_reason, e.substitution_reason
        from tree e`;
}

/**
 * The manufacturers and suppliers the given lots and serials of a site came from (ids): a hold on one of them covers
 * the material, so an export's signed records include it.
 */
export async function sourcesOf(db: DbOrTx, siteId: string, items: { lotIds: Iterable<string>; serialItemIds: Iterable<string> }): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select distinct x.id::text as id from (
          select unnest(array[l.manufacturer_id, l.supplier_id]) as id from lots l where l.site_id = ${siteId} and l.id = any(${uuidArray(items.lotIds)})
          union all
          select unnest(array[s.manufacturer_id, s.supplier_id]) from serial_items s where s.site_id = ${siteId} and s.id = any(${uuidArray(items.serialItemIds)})
        ) x where x.id is not null`,
  );
  return rows.map((r) => r.id);
}

/** A set of uuids as one text parameter (`{a,b}`), cast to uuid[] in SQL: one bind value however many ids. */
function uuidArray(ids: Iterable<string>): SQL {
  return sql`${`{${[...ids].join(",")}}`}::uuid[]`;
}

type Names = {
  revisions: Map<string, { partId: string; partNumber: string; description: string; revision: string; uom: string }>;
  serials: Map<string, string>;
  lots: Map<string, string>;
  users: Map<string, string>;
  stations: Map<string, string>;
  /** "unitId|seq" -> the unit's work-order operation (code, parameter units) */
  operations: Map<string, { code: string; units: Map<string, string> }>;
};

/**
 * Names for the ids an as-built walk returned, in one round trip: each kind of object looked up once per distinct id
 * (index probes from the unnested id list, not scans of whole tables).
 */
async function lookupNames(db: DbOrTx, siteId: string, rows: RawEdge[]): Promise<Names> {
  const revIds = new Set<string>();
  const serialIds = new Set<string>();
  const lotIds = new Set<string>();
  const userIds = new Set<string>();
  const stationIds = new Set<string>();
  const unitIds = new Set<string>();
  for (const r of rows) {
    revIds.add(r.part_revision_id);
    if (r.serial_item_id) serialIds.add(r.serial_item_id);
    if (r.lot_id) lotIds.add(r.lot_id);
    userIds.add(r.operator_user_id);
    if (r.removed_by) userIds.add(r.removed_by);
    stationIds.add(r.station_id);
    if (r.parent_unit_id) unitIds.add(r.parent_unit_id);
  }
  const names: Names = { revisions: new Map(), serials: new Map(), lots: new Map(), users: new Map(), stations: new Map(), operations: new Map() };
  if (rows.length === 0) return names;
  type Row = { k: "r" | "s" | "l" | "u" | "t" | "o"; id: string; a: string | null; b: string | null; c: string | null; d: string | null; e: string | null };
  const found = await queryRows<Row>(
    db,
    // Each lookup is an index probe per distinct id (LATERAL ... offset 0 keeps the planner from hashing whole tables).
    sql`select 'r' as k, x.id::text as id, pr.part_id::text as a, pr.part_number as b, pr.description as c, pr.revision as d, pr.uom as e
          from unnest(${uuidArray(revIds)}) x(id)
          cross join lateral (select r.part_id, p.part_number, p.description, r.revision, p.uom from part_revisions r join parts p on p.id = r.part_id
                              where r.id = x.id offset 0) pr
        union all
        select 's', x.id::text, s.serial_number, null, null, null, null
          from unnest(${uuidArray(serialIds)}) x(id)
          cross join lateral (select s.serial_number from serial_items s where s.site_id = ${siteId} and s.id = x.id offset 0) s
        union all
        select 'l', x.id::text, l.lot_number, null, null, null, null
          from unnest(${uuidArray(lotIds)}) x(id)
          cross join lateral (select l.lot_number from lots l where l.site_id = ${siteId} and l.id = x.id offset 0) l
        union all
        select 'u', u.id::text, u.display_name, null, null, null, null from unnest(${uuidArray(userIds)}) x(id) join users u on u.id = x.id
        union all
        select 't', st.id::text, st.code, null, null, null, null
          from unnest(${uuidArray(stationIds)}) x(id) join stations st on st.site_id = ${siteId} and st.id = x.id
        union all
        select 'o', x.id::text, op.seq::text, op.code, op.parameters::text, null, null
          from unnest(${uuidArray(unitIds)}) x(id)
          cross join lateral (select un.work_order_id from units un where un.site_id = ${siteId} and un.id = x.id offset 0) un
          join work_order_operations op on op.site_id = ${siteId} and op.work_order_id = un.work_order_id`,
  );
  for (const f of found) {
    switch (f.k) {
      case "r":
        names.revisions.set(f.id, { partId: f.a ?? "", partNumber: f.b ?? "?", description: f.c ?? "", revision: f.d ?? "?", uom: f.e ?? "" });
        break;
      case "s":
        names.serials.set(f.id, f.a ?? "?");
        break;
      case "l":
        names.lots.set(f.id, f.a ?? "?");
        break;
      case "u":
        names.users.set(f.id, f.a ?? "?");
        break;
      case "t":
        names.stations.set(f.id, f.a ?? "?");
        break;
      case "o": {
        const specs = f.c ? (JSON.parse(f.c) as ParameterSpec[]) : [];
        names.operations.set(`${f.id}|${Number(f.a)}`, { code: f.b ?? "", units: new Map(specs.map((p) => [p.name, p.unit])) });
        break;
      }
    }
  }
  return names;
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
  const all = await queryRows<RawEdge>(db, asBuiltQuery(siteId, rootSerialItemId, at, includeRemoved, maxDepth));
  const kept = maxDepth === null ? all : all.filter((r) => Number(r.depth) <= maxDepth);
  const rows = { all, kept };
  const names = await lookupNames(db, siteId, kept);
  const truncated = maxDepth !== null && rows.all.some((r) => Number(r.depth) > maxDepth);
  const nodes = rows.kept.map((r): AsBuiltNode => {
    const parameters = typeof r.parameters === "string" ? (JSON.parse(r.parameters) as Record<string, string>) : (r.parameters ?? {});
    const rev = names.revisions.get(r.part_revision_id);
    const op = r.parent_unit_id ? names.operations.get(`${r.parent_unit_id}|${Number(r.operation_seq)}`) : undefined;
    return {
      edgeId: r.edge_id,
      parentEdgeId: r.parent_edge_id,
      depth: Number(r.depth),
      parentSerialItemId: r.parent_serial_item_id,
      partId: rev?.partId ?? "",
      partRevisionId: r.part_revision_id,
      partNumber: rev?.partNumber ?? "?",
      description: rev?.description ?? "",
      revision: rev?.revision ?? "?",
      uom: rev?.uom ?? "",
      serialItemId: r.serial_item_id,
      serialNumber: r.serial_item_id ? (names.serials.get(r.serial_item_id) ?? null) : null,
      lotId: r.lot_id,
      lotNumber: r.lot_id ? (names.lots.get(r.lot_id) ?? null) : null,
      quantity: r.quantity,
      findNumber: r.find_number === null ? null : Number(r.find_number),
      operationSeq: Number(r.operation_seq),
      operationCode: op?.code ?? null,
      operatorName: names.users.get(r.operator_user_id) ?? "?",
      stationCode: names.stations.get(r.station_id) ?? "?",
      installedAt: new Date(Number(r.installed_ms)),
      parameters,
      parameterValues: Object.entries(parameters).map(([name, value]) => ({ name, value, unit: op?.units.get(name) ?? null })),
      removed: r.removed_ms !== null,
      removedAt: r.removed_ms === null ? null : new Date(Number(r.removed_ms)),
      removedByName: r.removed_by ? (names.users.get(r.removed_by) ?? null) : null,
      removalReason: r.removal_reason,
      substitutionReason: r.substitution_reason,
    };
  });
  return { nodes: depthFirst(nodes), truncated, maxDepth, at, includeRemoved };
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

export type WorkOrderUnit = { serialItemId: string; serial: string; status: "planned" | "in_progress" | "completed" | "scrapped" | "shipped" };

/** The units of a work order of this site (none for a work order of another site), by serial. */
export async function listWorkOrderUnits(db: DbOrTx, siteId: string, workOrderId: string): Promise<WorkOrderUnit[]> {
  return db
    .select({ serialItemId: units.serialItemId, serial: units.serial, status: units.status })
    .from(units)
    .where(and(eq(units.siteId, siteId), eq(units.workOrderId, workOrderId)))
    .orderBy(asc(units.serial));
}
