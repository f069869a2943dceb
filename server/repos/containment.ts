import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { activeHoldsCovering, isoUtc, toDate } from "./hold-flags";
import { targetLabelSql, type HoldTargetType } from "./quality-holds";

/*
 * Containment of held material (read-only, site-scoped): which active holds cover material inside a unit (at any
 * depth, installed now), which units every active hold reaches (WIP, finished, shipped), and the hold markers of a set
 * of lots and serials for the genealogy screens. A lot mixed on the floor (lot_inputs) is covered by the holds on what
 * it was mixed from, as everywhere material is judged usable (hold-flags.ts).
 */

export type ContainedHold = {
  holdId: string;
  targetType: HoldTargetType;
  targetLabel: string;
  reason: string;
  placedAt: Date;
  /** the held item inside the unit (part, revision and lot/serial), or the unit itself */
  itemLabel: string;
};

/** The open edges of this site (installed now), aliased `e`. */
const openEdge = (siteId: string) => sql`e.site_id = ${siteId} and e.removed_at is null`;

/**
 * Active holds covering the unit (its own serial) or anything installed in it now, at any depth: a held lot, serial,
 * part revision, or material of a held manufacturer or supplier. Empty when the unit is clean.
 */
export async function activeHoldsInUnit(db: DbOrTx, siteId: string, unitSerialItemId: string): Promise<ContainedHold[]> {
  type Row = { hold_id: string; target_type: HoldTargetType; target_label: string | null; reason: string; placed_at: string; item_label: string };
  const rows = await queryRows<Row>(
    db,
    sql`with recursive down(si) as (
          select ${unitSerialItemId}::uuid
          union
          select e.child_serial_item_id from down d
            join genealogy_edges e on ${openEdge(siteId)} and e.parent_serial_item_id = d.si
            where e.child_serial_item_id is not null
        ),
        items as (
          select s.part_revision_id, null::uuid as lot_id, s.id as serial_item_id, s.manufacturer_id, s.supplier_id
            from serial_items s where s.site_id = ${siteId} and s.id = ${unitSerialItemId}::uuid
          union all
          select e.child_part_revision_id, e.child_lot_id, e.child_serial_item_id, coalesce(l.manufacturer_id, s.manufacturer_id), coalesce(l.supplier_id, s.supplier_id)
            from down d
            join genealogy_edges e on ${openEdge(siteId)} and e.parent_serial_item_id = d.si
            left join lots l on l.site_id = e.site_id and l.id = e.child_lot_id
            left join serial_items s on s.site_id = e.site_id and s.id = e.child_serial_item_id
        ),
        hits as (
          select distinct on (h.id) h.id, h.target_type, h.target_id, h.reason, h.placed_at, i.part_revision_id, i.lot_id, i.serial_item_id
          from items i
          -- the item's own hold keys and, for a lot, those of every lot it was mixed from (hold-flags.ts)
          cross join lateral ${activeHoldsCovering({ siteId: sql`${siteId}::uuid`, partRevisionId: sql`i.part_revision_id`, lotId: sql`i.lot_id`, serialItemId: sql`i.serial_item_id`, manufacturerId: sql`i.manufacturer_id`, supplierId: sql`i.supplier_id` })}
          order by h.id, i.lot_id nulls last, i.serial_item_id nulls last
        )
        select x.id as hold_id, x.target_type::text as target_type, ${targetLabelSql(siteId, sql`x.target_type::text`, sql`x.target_id`)} as target_label,
               x.reason, ${isoUtc(sql`x.placed_at`)} as placed_at,
               p.part_number || ' rev ' || pr.revision || coalesce(', lot ' || l.lot_number, ', serial ' || s.serial_number, ' (untracked)') as item_label
        from hits x
        join part_revisions pr on pr.id = x.part_revision_id join parts p on p.id = pr.part_id
        left join lots l on l.site_id = ${siteId} and l.id = x.lot_id
        left join serial_items s on s.site_id = ${siteId} and s.id = x.serial_item_id
        order by x.placed_at, x.id`,
  );
  return rows.map((r) => ({
    holdId: r.hold_id,
    targetType: r.target_type,
    targetLabel: r.target_label ?? r.target_type,
    reason: r.reason,
    placedAt: toDate(r.placed_at)!,
    itemLabel: r.item_label,
  }));
}

export type HoldReach = { inWork: number; finished: number; shipped: number };

/**
 * For every active hold of the site: how many units contain the held material now, at any depth (a held serial that is
 * itself a unit counts too), by where the unit stands: in work (planned or in progress), finished (completed), shipped.
 * Scrapped units are not counted. Holds reaching no unit are absent from the map.
 */
export async function activeHoldReach(db: DbOrTx, siteId: string): Promise<Map<string, HoldReach>> {
  const active = sql`h.site_id = ${siteId} and h.released_at is null`;
  const parentsOf = (join: SQL, where: SQL) =>
    sql`select h.id as hold_id, e.parent_serial_item_id as si from holds h ${join} where ${active} and ${where} and e.removed_at is null`;
  type Row = { hold_id: string; in_work: number; finished: number; shipped: number };
  const rows = await queryRows<Row>(
    db,
    sql`with recursive mixed(hold_id, lot_id) as (
          -- lots mixed on the floor from held material (lot_inputs; driven from the few mixed lots, never all lots):
          -- an input lot held itself or through its part revision, manufacturer or supplier, then every lot mixed from
          -- a reached one, at any depth
          select h.id, li.child_lot_id from lot_inputs li
            join lots l on l.site_id = li.site_id and l.id = li.input_lot_id
            join holds h on ${active} and (
              (h.target_type = 'lot' and h.target_id = l.id) or (h.target_type = 'part_revision' and h.target_id = l.part_revision_id)
              or (h.target_type = 'manufacturer' and h.target_id = l.manufacturer_id) or (h.target_type = 'supplier' and h.target_id = l.supplier_id))
            where li.site_id = ${siteId}
          union
          select m.hold_id, li.child_lot_id from mixed m join lot_inputs li on li.site_id = ${siteId} and li.input_lot_id = m.lot_id
        ),
        seed as (
          select m.hold_id, e.parent_serial_item_id as si from mixed m
            join genealogy_edges e on e.site_id = ${siteId} and e.child_lot_id = m.lot_id and e.removed_at is null
          union all
          ${parentsOf(sql`join genealogy_edges e on e.site_id = h.site_id and e.child_lot_id = h.target_id`, sql`h.target_type = 'lot'`)}
          union all
          ${parentsOf(sql`join genealogy_edges e on e.site_id = h.site_id and e.child_serial_item_id = h.target_id`, sql`h.target_type = 'serial'`)}
          union all
          ${parentsOf(sql`join genealogy_edges e on e.site_id = h.site_id and e.child_part_revision_id = h.target_id`, sql`h.target_type = 'part_revision'`)}
          union all
          ${parentsOf(sql`join lots l on l.site_id = h.site_id and l.manufacturer_id = h.target_id join genealogy_edges e on e.site_id = l.site_id and e.child_lot_id = l.id`, sql`h.target_type = 'manufacturer'`)}
          union all
          ${parentsOf(sql`join serial_items s on s.site_id = h.site_id and s.manufacturer_id = h.target_id join genealogy_edges e on e.site_id = s.site_id and e.child_serial_item_id = s.id`, sql`h.target_type = 'manufacturer'`)}
          union all
          ${parentsOf(sql`join lots l on l.site_id = h.site_id and l.supplier_id = h.target_id join genealogy_edges e on e.site_id = l.site_id and e.child_lot_id = l.id`, sql`h.target_type = 'supplier'`)}
          union all
          ${parentsOf(sql`join serial_items s on s.site_id = h.site_id and s.supplier_id = h.target_id join genealogy_edges e on e.site_id = s.site_id and e.child_serial_item_id = s.id`, sql`h.target_type = 'supplier'`)}
          union all
          select h.id, u.serial_item_id from holds h join units u on u.site_id = h.site_id and u.serial_item_id = h.target_id where ${active} and h.target_type = 'serial'
          union all
          select h.id, u.serial_item_id from holds h join serial_items s on s.site_id = h.site_id and s.part_revision_id = h.target_id
            join units u on u.site_id = s.site_id and u.serial_item_id = s.id where ${active} and h.target_type = 'part_revision'
        ),
        up(hold_id, si) as (
          select hold_id, si from seed
          union
          select u.hold_id, e.parent_serial_item_id from up u
            join genealogy_edges e on ${openEdge(siteId)} and e.child_serial_item_id = u.si
        )
        select up.hold_id,
               count(*) filter (where u.status in ('planned', 'in_progress'))::int as in_work,
               count(*) filter (where u.status = 'completed')::int as finished,
               count(*) filter (where u.status = 'shipped')::int as shipped
        from up join units u on u.site_id = ${siteId} and u.serial_item_id = up.si
        group by up.hold_id`,
  );
  return new Map(rows.map((r) => [r.hold_id, { inWork: Number(r.in_work), finished: Number(r.finished), shipped: Number(r.shipped) }]));
}

export type HoldMarker = { holdId: string; reason: string; targetLabel: string };

/**
 * The active holds covering each of these lots and serials (through their lot, serial, part revision, manufacturer or
 * supplier), keyed "lot:<id>" or "serial:<id>", and of untracked material by its part revision ("rev:<id>"); items
 * not held are absent.
 */
export async function holdMarkersOf(
  db: DbOrTx,
  siteId: string,
  items: { lotIds: string[]; serialItemIds: string[]; partRevisionIds?: string[] },
): Promise<Map<string, HoldMarker[]>> {
  const out = new Map<string, HoldMarker[]>();
  const revs = items.partRevisionIds ?? [];
  if (items.lotIds.length === 0 && items.serialItemIds.length === 0 && revs.length === 0) return out;
  type Row = { item_key: string; hold_id: string; reason: string; target_label: string | null };
  const rows = await queryRows<Row>(
    db,
    sql`with items as (
          select 'lot:' || l.id as item_key, l.part_revision_id, l.id as lot_id, null::uuid as serial_item_id, l.manufacturer_id, l.supplier_id
            from lots l where l.site_id = ${siteId} and l.id = any(${uuidArray(items.lotIds)})
          union all
          select 'serial:' || s.id, s.part_revision_id, null::uuid, s.id, s.manufacturer_id, s.supplier_id
            from serial_items s where s.site_id = ${siteId} and s.id = any(${uuidArray(items.serialItemIds)})
          union all
          select 'rev:' || r.id, r.id, null::uuid, null::uuid, null::uuid, null::uuid
            from part_revisions r where r.id = any(${uuidArray(revs)})
        )
        select i.item_key, h.id as hold_id, h.reason, ${targetLabelSql(siteId, sql`h.target_type::text`, sql`h.target_id`)} as target_label
        from items i
        cross join lateral ${activeHoldsCovering({ siteId: sql`${siteId}::uuid`, partRevisionId: sql`i.part_revision_id`, lotId: sql`i.lot_id`, serialItemId: sql`i.serial_item_id`, manufacturerId: sql`i.manufacturer_id`, supplierId: sql`i.supplier_id` })}
        order by i.item_key, h.placed_at, h.id`,
  );
  for (const r of rows) {
    const list = out.get(r.item_key) ?? [];
    list.push({ holdId: r.hold_id, reason: r.reason, targetLabel: r.target_label ?? "" });
    out.set(r.item_key, list);
  }
  return out;
}

/** A set of uuids as one text parameter (`{a,b}`), cast to uuid[] in SQL: one bind value however many ids. */
function uuidArray(ids: string[]): SQL {
  return sql`${`{${ids.join(",")}}`}::uuid[]`;
}
