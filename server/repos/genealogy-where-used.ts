import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import type { UnitFate } from "@/server/domain/production/unit-fate";
import { factsFrom, type DetailFacts } from "./genealogy-search";
import { isoUtc, toDate } from "./hold-flags";

/*
 * Forward genealogy (where-used, recall scope), read-only and site-scoped: every unit that contains a lot, serial, part
 * revision, part, manufacturer's material or supplier lot, at any depth, with the path to it. One recursive query
 * walks up the edges; the answer is paged with an exact total (never cut silently), and only the page's units are
 * then looked up for status and location.
 */

export type WhereUsedTarget =
  | { kind: "lot"; id: string }
  | { kind: "serial"; id: string }
  | { kind: "part_revision"; id: string }
  | { kind: "part"; id: string }
  | { kind: "manufacturer"; id: string }
  | { kind: "supplier_lot"; supplierLot: string };

/** Where a unit is now; a unit that has left the floor says what became of it (to whom, when, why: a UnitFate). */
export type UnitLocation =
  | {
      kind: "installed";
      parentSerialItemId: string;
      parentSerialNumber: string;
      topSerialItemId: string;
      topSerialNumber: string;
      topStatus: UnitStatus | null;
      /** the top-level unit's fate when it has shipped or been scrapped */
      topFate: UnitFate | null;
      chain: string[];
    }
  | { kind: "in_stock"; locationCode: string; locationName: string }
  | { kind: "wip"; operationSeq: number | null; operationCode: string | null; operationStatus: "pending" | "in_progress" | null; stationCode: string | null; workCenterCode: string | null }
  | UnitFate
  | { kind: "unknown" };

type FateColumns = { status: UnitStatus | null; shipped_at: string | null; shipped_to: string | null; shipment_reference: string | null; scrapped_at: string | null; scrap_reason: string | null };

/** The fate columns of a unit row as a UnitFate (null while the unit is on the floor). */
function fateOf(r: FateColumns): UnitFate | null {
  if (r.status === "shipped") return { kind: "shipped", at: toDate(r.shipped_at), to: r.shipped_to, reference: r.shipment_reference };
  if (r.status === "scrapped") return { kind: "scrapped", at: toDate(r.scrapped_at), reason: r.scrap_reason };
  return null;
}

const fateColumns = sql`${isoUtc(sql`u.shipped_at`)} as shipped_at, u.shipped_to, u.shipment_reference, ${isoUtc(sql`u.scrapped_at`)} as scrapped_at, u.scrap_reason`;

type UnitStatus = "planned" | "in_progress" | "completed" | "scrapped" | "shipped";

export type WhereUsedRow = {
  unitSerialItemId: string;
  unitSerialNumber: string;
  unitId: string | null;
  partNumber: string;
  revision: string;
  workOrderNumber: string | null;
  status: UnitStatus | null;
  /** levels between the material and this unit (1: installed directly into it) */
  level: number;
  /** true when every edge on the path is still installed: the unit contains the material now */
  current: boolean;
  /** not installed in any other unit now: a top-level unit (or one standing alone) */
  topLevel: boolean;
  /** when the path's last hop went into this unit, and when the path was first broken by a removal (history rows) */
  installedAt: Date;
  removedAt: Date | null;
  /** how many distinct paths lead from the material to this unit */
  paths: number;
  /** the path from the material up to this unit: serial numbers, material side first, this unit last */
  path: { serialItemId: string; serialNumber: string }[];
  location: UnitLocation;
};

export type WhereUsed = {
  /** exact number of units reached (with the filter applied), over all pages */
  total: number;
  /** of them, units that contain the material now */
  currentTotal: number;
  offset: number;
  limit: number;
  rows: WhereUsedRow[];
};

/**
 * The lots selected by `lots` and every lot mixed from them on the floor, at any depth (lot_inputs: a two-part sealant's
 * base and activator lots are in every unit the mixed lot went into).
 */
export function lotAndMixedFrom(siteId: string, lots: SQL): SQL {
  return sql`with recursive mixed(id) as (${lots}
               union
               select li.child_lot_id from lot_inputs li join mixed m on li.input_lot_id = m.id where li.site_id = ${siteId})
             select id from mixed`;
}

/** The edges where the material goes in (the seed of the upward walk): one index-friendly select per kind. */
export function whereUsedSeed(siteId: string, target: WhereUsedTarget): SQL {
  const cols = sql`e.site_id, e.parent_serial_item_id, e.installed_at, e.removed_at`;
  switch (target.kind) {
    case "lot":
      return sql`select ${cols} from genealogy_edges e where e.site_id = ${siteId} and e.child_lot_id in (${lotAndMixedFrom(siteId, sql`select ${target.id}::uuid`)})`;
    case "serial":
      return sql`select ${cols} from genealogy_edges e where e.site_id = ${siteId} and e.child_serial_item_id = ${target.id}`;
    case "part_revision":
      return sql`select ${cols} from genealogy_edges e where e.site_id = ${siteId} and e.child_part_revision_id = ${target.id}`;
    case "part":
      return sql`select ${cols} from genealogy_edges e where e.site_id = ${siteId} and e.child_part_revision_id in (select r.id from part_revisions r where r.part_id = ${target.id})`;
    case "manufacturer":
      return sql`select ${cols} from genealogy_edges e where e.site_id = ${siteId}
                   and e.child_lot_id in (${lotAndMixedFrom(siteId, sql`select l.id from lots l where l.site_id = ${siteId} and l.manufacturer_id = ${target.id}`)})
                 union all
                 select ${cols} from serial_items s join genealogy_edges e on e.site_id = s.site_id and e.child_serial_item_id = s.id where s.site_id = ${siteId} and s.manufacturer_id = ${target.id}`;
    case "supplier_lot":
      return sql`select ${cols} from genealogy_edges e where e.site_id = ${siteId}
                   and e.child_lot_id in (${lotAndMixedFrom(siteId, sql`select l.id from lots l where l.site_id = ${siteId} and l.supplier_lot = ${target.supplierLot}`)})
                 union all
                 select ${cols} from serial_items s join genealogy_edges e on e.site_id = s.site_id and e.child_serial_item_id = s.id where s.site_id = ${siteId} and s.supplier_lot = ${target.supplierLot}`;
  }
}

/** The upward walk: one row per (unit, path). A path never revisits a serial; each step is an index probe. */
export function whereUsedWalk(siteId: string, target: WhereUsedTarget): SQL {
  return sql`with recursive seed as materialized (${whereUsedSeed(siteId, target)}),
    up as (
      select e.site_id, e.parent_serial_item_id as unit_si, 1 as level, array[e.parent_serial_item_id] as serials,
             e.installed_at, e.removed_at, e.removed_at is null as current
      from seed e
      union all
      select p.site_id, p.parent_serial_item_id, u.level + 1, u.serials || p.parent_serial_item_id,
             p.installed_at, coalesce(u.removed_at, p.removed_at), u.current and p.removed_at is null
      from up u
      -- only the columns the walk uses: a narrow row per probe (select * copied every edge column, parameters included)
      cross join lateral (
        select p.site_id, p.parent_serial_item_id, p.installed_at, p.removed_at from genealogy_edges p
        where p.site_id = u.site_id and p.child_serial_item_id = u.unit_si offset 0
      ) p
      where not (p.parent_serial_item_id = any(u.serials))
    )`;
}

type RawRow = {
  unit_si: string;
  level: number;
  serials: string[] | string;
  installed_at: string;
  removed_at: string | null;
  current: boolean;
  paths: number;
  top_level: boolean;
  serial_number: string;
  total: number;
  current_total: number;
};

/**
 * Every unit that contains the material at any depth, one row per unit (its shortest current path, else its shortest
 * past path), ordered: units that contain it now first, top-level units first, then by serial. Paged with an exact total.
 */
export async function traceWhereUsed(
  db: DbOrTx,
  siteId: string,
  target: WhereUsedTarget,
  opts: { offset?: number; limit?: number; currentOnly?: boolean; topLevelOnly?: boolean } = {},
): Promise<WhereUsed> {
  const offset = Math.max(0, Math.floor(opts.offset ?? 0));
  const limit = Math.max(1, Math.min(500, Math.floor(opts.limit ?? 50)));
  const filters: SQL[] = [sql`true`];
  if (opts.currentOnly) filters.push(sql`r.current`);
  if (opts.topLevelOnly) filters.push(sql`r.top_level`);
  // (JIT is off on the app's connections: db/client.ts; no transaction of its own, so no BEGIN/SET/COMMIT round trips)
  return traceInTx(db, siteId, target, offset, limit, filters);
}

/** One page of the where-used answer with the exact totals on every row (the units reached, ranked, then paged). */
export function whereUsedPageQuery(siteId: string, target: WhereUsedTarget, offset: number, limit: number, filters: SQL[] = [sql`true`]): SQL {
  return sql`${whereUsedWalk(siteId, target)},
        reached as (
          select distinct on (unit_si) unit_si, level, serials, installed_at, removed_at, current,
                 count(*) over (partition by unit_si) as paths
          from up
          order by unit_si, current desc, level, installed_at
        ),
        ranked as (
          select r.*, s.serial_number,
                 not exists (select 1 from genealogy_edges x where x.site_id = ${siteId} and x.child_serial_item_id = r.unit_si and x.removed_at is null) as top_level
          from reached r
          join serial_items s on s.site_id = ${siteId} and s.id = r.unit_si
        ),
        counted as (
          select r.*, count(*) over () as total, count(*) filter (where r.current) over () as current_total
          from ranked r
          where ${sql.join(filters, sql` and `)}
        ),
        page as (  -- times are formatted for the page's rows only
          select * from counted r order by r.current desc, r.top_level desc, r.serial_number, r.unit_si offset ${offset} limit ${limit}
        )
        select r.unit_si, r.level, r.serials, ${isoUtc(sql`r.installed_at`)} as installed_at, ${isoUtc(sql`r.removed_at`)} as removed_at,
               r.current, r.paths::int as paths, r.top_level, r.serial_number, r.total::int as total, r.current_total::int as current_total
        from page r
        order by r.current desc, r.top_level desc, r.serial_number, r.unit_si`;
}

async function traceInTx(db: DbOrTx, siteId: string, target: WhereUsedTarget, offset: number, limit: number, filters: SQL[]): Promise<WhereUsed> {
  const rows = await queryRows<RawRow>(db, whereUsedPageQuery(siteId, target, offset, limit, filters));
  let total = rows[0] ? Number(rows[0].total) : 0;
  let currentTotal = rows[0] ? Number(rows[0].current_total) : 0;
  if (rows.length === 0 && offset > 0) {
    // Past the last page: still answer the exact totals.
    const [c] = await queryRows<{ total: number; current_total: number }>(
      db,
      sql`${whereUsedWalk(siteId, target)},
          reached as (select unit_si, bool_or(current) as current from up group by unit_si),
          ranked as (select r.*, not exists (select 1 from genealogy_edges x where x.site_id = ${siteId} and x.child_serial_item_id = r.unit_si and x.removed_at is null) as top_level from reached r)
          select count(*)::int as total, (count(*) filter (where r.current))::int as current_total from ranked r where ${sql.join(filters, sql` and `)}`,
    );
    total = Number(c?.total ?? 0);
    currentTotal = Number(c?.current_total ?? 0);
  }
  const pathIds = rows.map((r) => parseUuidArray(r.serials));
  const details = await unitDetails(db, siteId, [...new Set([...rows.map((r) => r.unit_si), ...pathIds.flat()])]);
  return {
    total,
    currentTotal,
    offset,
    limit,
    rows: rows.map((r, i): WhereUsedRow => {
      const d = details.get(r.unit_si);
      return {
        unitSerialItemId: r.unit_si,
        unitSerialNumber: r.serial_number,
        unitId: d?.unitId ?? null,
        partNumber: d?.partNumber ?? "",
        revision: d?.revision ?? "",
        workOrderNumber: d?.workOrderNumber ?? null,
        status: d?.status ?? null,
        level: Number(r.level),
        current: r.current === true || (r.current as unknown) === "t",
        topLevel: r.top_level === true || (r.top_level as unknown) === "t",
        installedAt: toDate(r.installed_at)!,
        removedAt: toDate(r.removed_at),
        paths: Number(r.paths),
        path: pathIds[i]!.map((id) => ({ serialItemId: id, serialNumber: details.get(id)?.serialNumber ?? "?" })),
        location: d?.location ?? { kind: "unknown" },
      };
    }),
  };
}

function parseUuidArray(v: string[] | string): string[] {
  if (Array.isArray(v)) return v;
  return v.replace(/^\{|\}$/g, "").split(",").filter((s) => s.length > 0);
}

type UnitDetail = {
  serialNumber: string;
  unitId: string | null;
  partNumber: string;
  revision: string;
  workOrderNumber: string | null;
  status: UnitStatus | null;
  location: UnitLocation;
};

type RawDetail = FateColumns & {
  si: string;
  serial_number: string;
  unit_id: string | null;
  part_number: string;
  revision: string;
  wo_number: string | null;
  parent_si: string | null;
  chain: string[] | string | null;
  stock_code: string | null;
  stock_name: string | null;
  op_seq: number | null;
  op_code: string | null;
  op_status: "pending" | "in_progress" | null;
  op_station: string | null;
  op_work_center: string | null;
};

/**
 * Status and location of these serials (the page's units and the serials on their paths): installed in which parent
 * (with the chain up to the top-level unit), in stock at which physical location, or in WIP at which operation and
 * station; shipped or scrapped.
 */
export async function unitDetails(db: DbOrTx, siteId: string, serialItemIds: string[]): Promise<Map<string, UnitDetail>> {
  const out = new Map<string, UnitDetail>();
  if (serialItemIds.length === 0) return out;
  const ids = sql.raw(`array[${serialItemIds.map((i) => `'${i.replace(/[^0-9a-f-]/gi, "")}'`).join(",")}]::uuid[]`);
  const rows = await queryRows<RawDetail>(
    db,
    sql`with recursive chain as (
          select s.id as start_si, e.parent_serial_item_id as si, array[e.parent_serial_item_id] as path
          from serial_items s
          join genealogy_edges e on e.site_id = s.site_id and e.child_serial_item_id = s.id and e.removed_at is null
          where s.site_id = ${siteId} and s.id = any(${ids})
          union all
          select c.start_si, e.parent_serial_item_id, c.path || e.parent_serial_item_id
          from chain c
          cross join lateral (
            select e.parent_serial_item_id from genealogy_edges e
            where e.site_id = ${siteId} and e.child_serial_item_id = c.si and e.removed_at is null offset 0
          ) e
          where not (e.parent_serial_item_id = any(c.path))
        ),
        longest as (select distinct on (start_si) start_si, path from chain order by start_si, cardinality(path) desc)
        select s.id as si, s.serial_number, u.id as unit_id, p.part_number, pr.revision, wo.number as wo_number, u.status, ${fateColumns},
               lg.path[1] as parent_si, lg.path as chain,
               sb.code as stock_code, sb.name as stock_name,
               op.seq as op_seq, wop.code as op_code, op.status as op_status, st.code as op_station, wc.code as op_work_center
        from serial_items s
        join part_revisions pr on pr.id = s.part_revision_id
        join parts p on p.id = pr.part_id
        left join lateral (select u.* from units u where u.site_id = s.site_id and u.serial_item_id = s.id offset 0) u on true
        left join work_orders wo on wo.site_id = u.site_id and wo.id = u.work_order_id
        left join longest lg on lg.start_si = s.id
        left join lateral (
          select l.code, l.name from stock_balances b join storage_locations l on l.site_id = b.site_id and l.id = b.location_id
          where b.site_id = s.site_id and b.serial_item_id = s.id and b.on_hand > 0 and b.is_physical limit 1
        ) sb on true
        left join lateral (
          select uo.seq, uo.status, uo.station_id, uo.work_order_operation_id from unit_operations uo
          where uo.site_id = u.site_id and uo.unit_id = u.id and uo.status <> 'completed' order by uo.seq limit 1
        ) op on true
        left join work_order_operations wop on wop.site_id = s.site_id and wop.id = op.work_order_operation_id
        left join work_centers wc on wc.site_id = s.site_id and wc.id = wop.work_center_id
        left join stations st on st.site_id = s.site_id and st.id = op.station_id
        where s.site_id = ${siteId} and s.id = any(${ids})`,
  );
  const serialOf = new Map(rows.map((r) => [r.si, r.serial_number]));
  // Chains can reach serials outside the asked set: name them too.
  const chainIds = [...new Set(rows.flatMap((r) => (r.chain ? parseUuidArray(r.chain) : [])))].filter((id) => !serialOf.has(id));
  const extra = new Map<string, { serial: string; status: UnitStatus | null; fate: UnitFate | null }>();
  if (chainIds.length > 0) {
    const more = await queryRows<FateColumns & { id: string; serial_number: string }>(
      db,
      sql`select s.id, s.serial_number, u.status, ${fateColumns} from serial_items s left join units u on u.site_id = s.site_id and u.serial_item_id = s.id
          where s.site_id = ${siteId} and s.id = any(${sql.raw(`array[${chainIds.map((i) => `'${i.replace(/[^0-9a-f-]/gi, "")}'`).join(",")}]::uuid[]`)})`,
    );
    for (const m of more) extra.set(m.id, { serial: m.serial_number, status: m.status, fate: fateOf(m) });
  }
  const statusOf = new Map(rows.map((r) => [r.si, r.status]));
  const fates = new Map(rows.map((r) => [r.si, fateOf(r)]));
  const nameOf = (id: string) => serialOf.get(id) ?? extra.get(id)?.serial ?? "?";
  for (const r of rows) {
    let location: UnitLocation;
    const chain = r.chain ? parseUuidArray(r.chain) : [];
    if (r.parent_si && chain.length > 0) {
      const top = chain[chain.length - 1]!;
      location = {
        kind: "installed",
        parentSerialItemId: r.parent_si,
        parentSerialNumber: nameOf(r.parent_si),
        topSerialItemId: top,
        topSerialNumber: nameOf(top),
        topStatus: statusOf.get(top) ?? extra.get(top)?.status ?? null,
        topFate: fates.get(top) ?? extra.get(top)?.fate ?? null,
        chain: chain.map(nameOf),
      };
    } else if (fates.get(r.si)) location = fates.get(r.si)!;
    else if (r.stock_code) location = { kind: "in_stock", locationCode: r.stock_code, locationName: r.stock_name ?? r.stock_code };
    else if (r.status === "planned" || r.status === "in_progress") {
      location = {
        kind: "wip",
        operationSeq: r.op_seq === null ? null : Number(r.op_seq),
        operationCode: r.op_code,
        operationStatus: r.op_status,
        stationCode: r.op_station,
        workCenterCode: r.op_work_center,
      };
    } else location = { kind: "unknown" };
    out.set(r.si, {
      serialNumber: r.serial_number,
      unitId: r.unit_id,
      partNumber: r.part_number,
      revision: r.revision,
      workOrderNumber: r.wo_number,
      status: r.status,
      location,
    });
  }
  return out;
}

export type TargetDescription = {
  kind: WhereUsedTarget["kind"];
  label: string;
  partNumber: string | null;
  revision: string | null;
  /** in English (the exports' header, API consumers); the screen words `facts` in the reader's language */
  detail: string | null;
  facts: DetailFacts | null;
};

/** What the trace starts from, in words; null when it does not exist at this site (lots, serials, supplier lots). */
export async function describeTarget(db: DbOrTx, siteId: string, target: WhereUsedTarget): Promise<TargetDescription | null> {
  type Row = { label: string; part_number: string | null; revision: string | null; detail: string | null; facts: unknown };
  let q: SQL;
  switch (target.kind) {
    case "lot":
      // a lot mixed on the floor into other lots (lot_inputs) names them: the units found include theirs
      q = sql`select l.lot_number as label, p.part_number, pr.revision,
                     'supplier lot ' || coalesce(l.supplier_lot, '(none)')
                       || coalesce('; mixed into lot ' || (select string_agg(c.lot_number, ', ' order by c.lot_number) from lot_inputs li
                                                            join lots c on c.site_id = li.site_id and c.id = li.child_lot_id
                                                            where li.site_id = l.site_id and li.input_lot_id = l.id), '') as detail,
                     jsonb_build_object('kind', 'supplier_lot', 'supplierLot', l.supplier_lot, 'mixedInto',
                       coalesce((select jsonb_agg(c.lot_number order by c.lot_number) from lot_inputs li
                                 join lots c on c.site_id = li.site_id and c.id = li.child_lot_id
                                 where li.site_id = l.site_id and li.input_lot_id = l.id), '[]'::jsonb)) as facts
              from lots l join part_revisions pr on pr.id = l.part_revision_id join parts p on p.id = pr.part_id
              where l.site_id = ${siteId} and l.id = ${target.id}`;
      break;
    case "serial":
      q = sql`select s.serial_number as label, p.part_number, pr.revision, null as detail, null as facts
              from serial_items s join part_revisions pr on pr.id = s.part_revision_id join parts p on p.id = pr.part_id
              where s.site_id = ${siteId} and s.id = ${target.id}`;
      break;
    case "part_revision":
      q = sql`select p.part_number || ' rev ' || pr.revision as label, p.part_number, pr.revision, p.description as detail,
                     jsonb_build_object('kind', 'as_is', 'text', p.description) as facts
              from part_revisions pr join parts p on p.id = pr.part_id where pr.id = ${target.id}`;
      break;
    case "part":
      q = sql`select p.part_number as label, p.part_number, null as revision, p.description as detail,
                     jsonb_build_object('kind', 'as_is', 'text', p.description) as facts from parts p where p.id = ${target.id}`;
      break;
    case "manufacturer":
      q = sql`select m.code as label, null as part_number, null as revision, m.name as detail,
                     jsonb_build_object('kind', 'as_is', 'text', m.name) as facts from manufacturers m where m.id = ${target.id}`;
      break;
    case "supplier_lot":
      q = sql`select ${target.supplierLot} as label, null as part_number, null as revision,
                     count(*)::text || ' lot(s) or serial(s) at this site' as detail,
                     jsonb_build_object('kind', 'holders', 'count', count(*), 'scope', 'site') as facts
              from (select 1 from lots where site_id = ${siteId} and supplier_lot = ${target.supplierLot}
                    union all select 1 from serial_items where site_id = ${siteId} and supplier_lot = ${target.supplierLot}) x
              having count(*) > 0`;
      break;
  }
  const [row] = await queryRows<Row>(db, q);
  return row ? { kind: target.kind, label: row.label, partNumber: row.part_number, revision: row.revision, detail: row.detail, facts: factsFrom(row.facts) } : null;
}
