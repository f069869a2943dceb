import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { activeHoldsJson } from "./hold-flags";
import { DEFAULT_HORIZONS } from "@/server/domain/material-alerts/alerts";

/*
 * The WIP board's reads: every unit in work on an open order at its current operation (its lowest operation not yet
 * completed), and what the blocker rules need about those operations: the frozen BOM lines, what each unit has
 * installed there, the material staged at the operations' stations, held material installed in the units, short kits,
 * and the usual time at each operation. One statement per list, each driven from the site's open work orders (indexed),
 * so the cost follows the work in progress, not the plant's history. Times come back as epoch milliseconds (the same
 * number under postgres-js and PGlite).
 */

const openUnits = (siteId: string) => sql`
  select u.site_id, u.id, u.serial, u.work_order_id from work_orders wo
  join units u on u.site_id = wo.site_id and u.work_order_id = wo.id and u.status in ('planned', 'in_progress')
  where wo.site_id = ${siteId} and wo.status in ('released', 'in_progress')`;

const ms = (expr: string) => sql.raw(`(extract(epoch from ${expr}) * 1000)::float8`);

export type WipUnitRow = {
  unit_id: string;
  serial_item_id: string;
  serial: string;
  unit_status: "planned" | "in_progress";
  work_order_id: string;
  work_order_number: string;
  due_date: string;
  part_number: string;
  revision: string;
  seq: number;
  op_status: "pending" | "in_progress";
  op_code: string;
  op_description: string;
  op_parameters: { name: string; unit: string; min?: string; max?: string }[];
  recorded: Record<string, string>;
  work_center_id: string;
  work_center_code: string;
  area_id: string;
  area_code: string;
  area_name: string;
  station_id: string | null;
  station_code: string | null;
  started_ms: number | null;
  arrived_ms: number;
};

/** Every unit in work on the site's open orders, at its current operation, with its line, work center and station. */
export async function readWipUnits(db: DbOrTx, siteId: string): Promise<WipUnitRow[]> {
  return queryRows<WipUnitRow>(
    db,
    sql`select u.id as unit_id, u.serial_item_id, u.serial, u.status::text as unit_status, wo.id as work_order_id,
          wo.number as work_order_number, wo.due_date::text as due_date, p.part_number, pr.revision,
          cur.seq, cur.status::text as op_status, woo.code as op_code, woo.description as op_description,
          woo.parameters as op_parameters, cur.parameters as recorded, woo.work_center_id, wc.code as work_center_code,
          a.id as area_id, a.code as area_code, a.name as area_name, st.id as station_id, st.code as station_code,
          ${ms("cur.started_at")} as started_ms, ${ms("coalesce(prev.completed_at, wo.released_at)")} as arrived_ms
        from work_orders wo
        join units u on u.site_id = wo.site_id and u.work_order_id = wo.id and u.status in ('planned', 'in_progress')
        join lateral (
          select uo.* from unit_operations uo
          where uo.site_id = u.site_id and uo.unit_id = u.id and uo.status <> 'completed'
          order by uo.seq limit 1
        ) cur on true
        left join lateral (
          select p.completed_at from unit_operations p
          where p.site_id = u.site_id and p.unit_id = u.id and p.seq < cur.seq order by p.seq desc limit 1
        ) prev on true
        join work_order_operations woo on woo.site_id = cur.site_id and woo.id = cur.work_order_operation_id
        join work_centers wc on wc.site_id = woo.site_id and wc.id = woo.work_center_id
        join areas a on a.site_id = wc.site_id and a.id = wc.area_id
        left join stations st on st.site_id = cur.site_id and st.id = cur.station_id
        join part_revisions pr on pr.id = wo.part_revision_id
        join parts p on p.id = pr.part_id
        where wo.site_id = ${siteId} and wo.status in ('released', 'in_progress')`,
  );
}

export type WipStationRow = { id: string; code: string; name: string; work_center_id: string; area_code: string };

/** The site's stations with their work center and line. */
export async function readStations(db: DbOrTx, siteId: string): Promise<WipStationRow[]> {
  return queryRows<WipStationRow>(
    db,
    sql`select s.id, s.code, s.name, s.work_center_id, a.code as area_code from stations s
        join work_centers wc on wc.site_id = s.site_id and wc.id = s.work_center_id
        join areas a on a.site_id = wc.site_id and a.id = wc.area_id
        where s.site_id = ${siteId} order by s.code`,
  );
}

export type WipBomLineRow = {
  work_order_id: string;
  operation_seq: number;
  bom_line_id: string;
  part_revision_id: string;
  part_number: string;
  revision: string;
  quantity_per_unit: string;
  backflush: boolean;
  serial_from: string | null;
  serial_to: string | null;
  effective_from: string | null;
  effective_to: string | null;
};

/** The frozen BOM lines of the site's open orders. */
export async function readOpenBomLines(db: DbOrTx, siteId: string): Promise<WipBomLineRow[]> {
  return queryRows<WipBomLineRow>(
    db,
    sql`select bl.work_order_id, bl.operation_seq, bl.id as bom_line_id, bl.component_revision_id as part_revision_id,
          p.part_number, pr.revision, bl.quantity_per_unit::text as quantity_per_unit, bl.backflush, bl.serial_from,
          bl.serial_to, bl.effective_from::text as effective_from, bl.effective_to::text as effective_to
        from work_orders wo
        join work_order_bom_lines bl on bl.site_id = wo.site_id and bl.work_order_id = wo.id
        join part_revisions pr on pr.id = bl.component_revision_id
        join parts p on p.id = pr.part_id
        where wo.site_id = ${siteId} and wo.status in ('released', 'in_progress')`,
  );
}

export type WipInstalledRow = { unit_id: string; part_revision_id: string; operation_seq: number; quantity: string };

/** What is installed (open edges) in each unit in work, per component revision and operation. */
export async function readInstalled(db: DbOrTx, siteId: string): Promise<WipInstalledRow[]> {
  return queryRows<WipInstalledRow>(
    db,
    sql`select e.parent_unit_id as unit_id, e.child_part_revision_id as part_revision_id, e.operation_seq,
          sum(e.quantity)::text as quantity
        from (${openUnits(siteId)}) u
        join genealogy_edges e on e.site_id = u.site_id and e.parent_unit_id = u.id and e.removed_at is null
        group by 1, 2, 3`,
  );
}

export type WipStagedRow = {
  work_center_id: string;
  station_code: string;
  part_number: string;
  part_revision_id: string;
  lot_id: string | null;
  serial_item_id: string | null;
  item: string;
  available: string;
  expires_ms: number | null;
  out_time_ends_ms: number | null;
  accepted: boolean;
  holds: { holdId: string; reason: string }[];
};

/** Material on hand at the stations' points of use (per work center), with expiry, out-time, inspection and active holds. */
export async function readStaged(db: DbOrTx, siteId: string): Promise<WipStagedRow[]> {
  return queryRows<WipStagedRow>(
    db,
    sql`select s.work_center_id, s.code as station_code, p.part_number, b.part_revision_id, b.lot_id, b.serial_item_id,
          coalesce(lo.lot_number, si.serial_number, p.part_number) as item, (b.on_hand - b.reserved)::text as available,
          ${ms("coalesce(lo.expires_at, si.expires_at)")} as expires_ms,
          ${ms(`case when lo.out_time_started_at is not null
                      then lo.out_time_started_at + make_interval(mins => p.out_time_minutes) - make_interval(secs => lo.out_time_used_seconds)
                    when lo.out_time_used_seconds >= p.out_time_minutes * 60 then lo.created_at end`)} as out_time_ends_ms,
          coalesce(lo.inspection_status, si.inspection_status, 'accepted') = 'accepted' as accepted,
          ${activeHoldsJson({
            siteId: sql`b.site_id`,
            partRevisionId: sql`b.part_revision_id`,
            lotId: sql`b.lot_id`,
            serialItemId: sql`b.serial_item_id`,
            manufacturerId: sql`coalesce(lo.manufacturer_id, si.manufacturer_id)`,
            supplierId: sql`coalesce(lo.supplier_id, si.supplier_id)`,
          })} as holds
        from storage_locations l
        join stations s on s.site_id = l.site_id and s.id = l.station_id
        join stock_balances b on b.site_id = l.site_id and b.location_id = l.id and b.on_hand > 0
        join part_revisions pr on pr.id = b.part_revision_id
        join parts p on p.id = pr.part_id
        left join lots lo on lo.site_id = b.site_id and lo.id = b.lot_id
        left join serial_items si on si.site_id = b.site_id and si.id = b.serial_item_id
        where l.site_id = ${siteId} and l.kind = 'point_of_use'`,
  );
}

export type WipInstalledHeldRow = { unit_id: string; hold_id: string; reason: string; item: string; lot_id: string | null; serial_item_id: string | null };

/**
 * Material under an active hold installed (open edge) in a unit in work: a hold on the lot, the serial, the part
 * revision, or the manufacturer or supplier it came from. Driven from the site's active holds (few).
 */
export async function readInstalledHeld(db: DbOrTx, siteId: string): Promise<WipInstalledHeldRow[]> {
  return queryRows<WipInstalledHeldRow>(
    db,
    sql`with h as (select id, reason, target_type, target_id, placed_at from holds where site_id = ${siteId} and released_at is null),
        held as (
          select h.id, h.reason, h.placed_at, e.parent_unit_id, e.child_lot_id, e.child_serial_item_id from h
            join genealogy_edges e on e.site_id = ${siteId} and e.child_lot_id = h.target_id and e.removed_at is null where h.target_type = 'lot'
          union all
          select h.id, h.reason, h.placed_at, e.parent_unit_id, e.child_lot_id, e.child_serial_item_id from h
            join genealogy_edges e on e.site_id = ${siteId} and e.child_serial_item_id = h.target_id and e.removed_at is null where h.target_type = 'serial'
          union all
          select h.id, h.reason, h.placed_at, e.parent_unit_id, e.child_lot_id, e.child_serial_item_id from h
            join genealogy_edges e on e.site_id = ${siteId} and e.child_part_revision_id = h.target_id and e.removed_at is null where h.target_type = 'part_revision'
          union all
          select h.id, h.reason, h.placed_at, e.parent_unit_id, e.child_lot_id, e.child_serial_item_id from h
            join lots lo on lo.site_id = ${siteId} and ((h.target_type = 'manufacturer' and lo.manufacturer_id = h.target_id) or (h.target_type = 'supplier' and lo.supplier_id = h.target_id))
            join genealogy_edges e on e.site_id = ${siteId} and e.child_lot_id = lo.id and e.removed_at is null
          union all
          select h.id, h.reason, h.placed_at, e.parent_unit_id, e.child_lot_id, e.child_serial_item_id from h
            join serial_items si on si.site_id = ${siteId} and ((h.target_type = 'manufacturer' and si.manufacturer_id = h.target_id) or (h.target_type = 'supplier' and si.supplier_id = h.target_id))
            join genealogy_edges e on e.site_id = ${siteId} and e.child_serial_item_id = si.id and e.removed_at is null
        )
        select held.parent_unit_id as unit_id, held.id as hold_id, held.reason,
          coalesce(lo.lot_number, si.serial_number, '') as item, held.child_lot_id as lot_id, held.child_serial_item_id as serial_item_id
        from held
        join units u on u.site_id = ${siteId} and u.id = held.parent_unit_id and u.status in ('planned', 'in_progress')
        left join lots lo on lo.site_id = ${siteId} and lo.id = held.child_lot_id
        left join serial_items si on si.site_id = ${siteId} and si.id = held.child_serial_item_id
        order by held.placed_at`,
  );
}

export type WipToolHoldRow = { unit_id: string; tool_code: string; reason: string; installs: number };

/**
 * Units in work touched by a tool on hold: an install made with it (its genealogy edge, removed since or not) or a
 * reading of an operation taken with it, at or after the hold's affected-since time (its last good calibration) when
 * the hold has one. One row per unit and tool, with the number of installs.
 */
export async function readToolHolds(db: DbOrTx, siteId: string): Promise<WipToolHoldRow[]> {
  return queryRows<WipToolHoldRow>(
    db,
    sql`with t as (select id, code, hold_reason, hold_affects_since from tools where site_id = ${siteId} and hold_reason is not null),
        touched as (
          select e.parent_unit_id as unit_id, t.code, t.hold_reason, 1 as n from t
            join genealogy_edges e on e.site_id = ${siteId} and e.tool_ids @> array[t.id]
            where t.hold_affects_since is null or e.installed_at >= t.hold_affects_since
          union all
          select uo.unit_id, t.code, t.hold_reason, 0 from t
            join unit_operations uo on uo.site_id = ${siteId} and uo.tool_ids @> array[t.id]
            where t.hold_affects_since is null or coalesce(uo.completed_at, uo.started_at) >= t.hold_affects_since
        )
        select x.unit_id, x.code as tool_code, x.hold_reason as reason, sum(x.n)::int as installs
        from touched x join units u on u.site_id = ${siteId} and u.id = x.unit_id and u.status in ('planned', 'in_progress')
        group by x.unit_id, x.code, x.hold_reason
        order by x.code`,
  );
}

export type WipShortKitRow = {
  kit_id: string;
  kit_number: string;
  work_order_id: string;
  scope: "work_order" | "operation" | "unit";
  operation_seq: number | null;
  unit_id: string | null;
  parts: string[];
};

/** Kits of the site's open orders that were picked short, with the parts short. */
export async function readShortKits(db: DbOrTx, siteId: string): Promise<WipShortKitRow[]> {
  return queryRows<WipShortKitRow>(
    db,
    sql`select k.id as kit_id, k.number as kit_number, k.work_order_id, k.scope::text as scope, k.operation_seq, k.unit_id,
          coalesce(array_agg(distinct p.part_number) filter (where p.part_number is not null), '{}') as parts
        from work_orders wo
        join kits k on k.site_id = wo.site_id and k.work_order_id = wo.id and k.status = 'short'
        left join kit_lines kl on kl.site_id = k.site_id and kl.kit_id = k.id and kl.short_qty > 0
        left join part_revisions pr on pr.id = kl.part_revision_id
        left join parts p on p.id = pr.part_id
        where wo.site_id = ${siteId} and wo.status in ('released', 'in_progress')
        group by k.site_id, k.id`,
  );
}

export type OperationTimeRow = {
  work_center_id: string;
  work_center_code: string;
  op_code: string;
  samples: number;
  median_minutes: number;
  average_minutes: number;
  longest_minutes: number;
};

/**
 * Time at each operation (work center and operation code), arrival to completion, over the operations completed since
 * `since`: arrival is the completion of the unit's previous operation, or the order's release for its first.
 */
export async function readOperationTimes(db: DbOrTx, siteId: string, since: Date): Promise<OperationTimeRow[]> {
  return queryRows<OperationTimeRow>(
    db,
    sql`select woo.work_center_id, wc.code as work_center_code, woo.code as op_code, count(*)::int as samples,
          (percentile_cont(0.5) within group (order by d.minutes))::float8 as median_minutes,
          avg(d.minutes)::float8 as average_minutes, max(d.minutes)::float8 as longest_minutes
        from (
          select uo.work_order_operation_id,
            extract(epoch from uo.completed_at - coalesce((
              select p.completed_at from unit_operations p
              where p.site_id = uo.site_id and p.unit_id = uo.unit_id and p.seq < uo.seq order by p.seq desc limit 1
            ), wo.released_at)) / 60 as minutes
          from unit_operations uo
          join units u on u.site_id = uo.site_id and u.id = uo.unit_id
          join work_orders wo on wo.site_id = u.site_id and wo.id = u.work_order_id
          where uo.site_id = ${siteId} and uo.completed_at is not null and uo.completed_at >= ${since.toISOString()}::timestamptz
        ) d
        join work_order_operations woo on woo.site_id = ${siteId} and woo.id = d.work_order_operation_id
        join work_centers wc on wc.site_id = woo.site_id and wc.id = woo.work_center_id
        group by woo.work_center_id, wc.code, woo.code
        order by wc.code, woo.code`,
  );
}

export type CountByDayRow = { day: string; units: number };

/** Units completed per calendar day (in the site's time zone) since `since`. */
export async function readCompletedPerDay(db: DbOrTx, siteId: string, timeZone: string, since: Date): Promise<CountByDayRow[]> {
  return queryRows<CountByDayRow>(
    db,
    sql`select to_char(uo.completed_at at time zone ${timeZone}, 'YYYY-MM-DD') as day, count(*)::int as units
        from unit_operations uo
        where uo.site_id = ${siteId} and uo.completed_at is not null and uo.completed_at >= ${since.toISOString()}::timestamptz
          and not exists (select 1 from unit_operations n where n.site_id = uo.site_id and n.unit_id = uo.unit_id and n.seq > uo.seq)
        group by 1 order by 1`,
  );
}

export type ScrapReasonRow = { reason: string; units: number };

/** Units scrapped since `since`, per reason. */
export async function readScrapByReason(db: DbOrTx, siteId: string, since: Date): Promise<ScrapReasonRow[]> {
  return queryRows<ScrapReasonRow>(
    db,
    sql`select scrap_reason as reason, count(*)::int as units from units
        where site_id = ${siteId} and status = 'scrapped' and scrapped_at >= ${since.toISOString()}::timestamptz
        group by 1 order by 2 desc, 1`,
  );
}

export type KitShortageRow = { part_number: string; revision: string; uom: string; short_qty: string; kits: number };

/** What open orders' kits are short of, per part: the quantity and how many kits. */
export async function readKitShortages(db: DbOrTx, siteId: string): Promise<KitShortageRow[]> {
  return queryRows<KitShortageRow>(
    db,
    sql`select p.part_number, pr.revision, p.uom, sum(kl.short_qty)::text as short_qty, count(distinct k.id)::int as kits
        from work_orders wo
        join kits k on k.site_id = wo.site_id and k.work_order_id = wo.id and k.status = 'short'
        join kit_lines kl on kl.site_id = k.site_id and kl.kit_id = k.id and kl.short_qty > 0
        join part_revisions pr on pr.id = kl.part_revision_id
        join parts p on p.id = pr.part_id
        where wo.site_id = ${siteId} and wo.status in ('released', 'in_progress')
        group by p.part_number, pr.revision, p.uom
        order by sum(kl.short_qty) desc, p.part_number`,
  );
}

export type WipKitAlertRow = {
  work_center_id: string;
  station_code: string;
  kit_id: string;
  kit_number: string;
  part_revision_id: string;
  part_number: string;
  lot_id: string | null;
  serial_item_id: string | null;
  item: string;
  expires_ms: number | null;
  out_time_ends_ms: number | null;
};

/**
 * The site's material-alert horizons, and the lots and serials picked into open kits (not yet issued) of open orders
 * for a station, with their expiry and running out-time end: what the board's upcoming blockers need beyond the
 * material staged at the points of use (readStaged). One statement, driven from the open orders (indexed).
 */
export async function readAlertContext(db: DbOrTx, siteId: string): Promise<{ outTimeMinutes: number; shelfLifeDays: number; kitPicks: WipKitAlertRow[] }> {
  const [row] = await queryRows<{ out_time_minutes: number; shelf_life_days: number; picks: WipKitAlertRow[] | null }>(
    db,
    sql`select si.alert_out_time_minutes as out_time_minutes, si.alert_shelf_life_days as shelf_life_days,
          (select json_agg(json_build_object(
              'work_center_id', st.work_center_id, 'station_code', st.code, 'kit_id', k.id, 'kit_number', k.number,
              'part_revision_id', kp.part_revision_id, 'part_number', p.part_number, 'lot_id', kp.lot_id, 'serial_item_id', kp.serial_item_id,
              'item', coalesce(lo.lot_number, sn.serial_number, p.part_number),
              'expires_ms', ${ms("coalesce(lo.expires_at, sn.expires_at)")},
              'out_time_ends_ms', ${ms(`case when lo.out_time_started_at is not null
                  then lo.out_time_started_at + make_interval(mins => p.out_time_minutes) - make_interval(secs => lo.out_time_used_seconds) end`)}))
            from work_orders wo
            join kits k on k.site_id = wo.site_id and k.work_order_id = wo.id and k.status in ('planned', 'picking', 'complete', 'short')
            join stations st on st.site_id = k.site_id and st.id = k.station_id
            join kit_picks kp on kp.site_id = k.site_id and kp.kit_id = k.id
            join part_revisions pr on pr.id = kp.part_revision_id
            join parts p on p.id = pr.part_id
            left join lots lo on lo.site_id = kp.site_id and lo.id = kp.lot_id
            left join serial_items sn on sn.site_id = kp.site_id and sn.id = kp.serial_item_id
            where wo.site_id = si.id and wo.status in ('released', 'in_progress')
              and (coalesce(lo.expires_at, sn.expires_at) is not null or (lo.out_time_started_at is not null and p.out_time_minutes is not null))) as picks
        from sites si where si.id = ${siteId}`,
  );
  return { outTimeMinutes: row?.out_time_minutes ?? DEFAULT_HORIZONS.outTimeMinutes, shelfLifeDays: row?.shelf_life_days ?? DEFAULT_HORIZONS.shelfLifeDays, kitPicks: row?.picks ?? [] };
}
