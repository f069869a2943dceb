import "server-only";
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";

type Expr = SQLWrapper | null;

const orNull = (e: Expr) => (e === null ? sql`null::uuid` : sql`${e}`);

/**
 * True when an active (unreleased) hold of the site covers an item: a hold on its lot, its serial, its part revision,
 * or the manufacturer or supplier it came from; for a lot, also a hold covering any lot it was mixed from, at any depth
 * (that lot, its part revision, manufacturer or supplier). Pass the columns (or null) of the row being read.
 */
type HeldItem = {
  siteId: Expr;
  partRevisionId: Expr;
  lotId: Expr;
  serialItemId: Expr;
  manufacturerId: Expr;
  supplierId: Expr;
};

/**
 * The hold keys (target type, id) that hold an item, one row each with `via`: its own keys (lot, serial, part revision,
 * manufacturer, supplier; via null) and, for a lot, the lot, part revision, manufacturer and supplier keys of every lot
 * it was mixed from, at any depth (a recursive walk of lot_inputs by child lot; UNION stops a cycle; via: that input
 * lot's number). A lot mixed from nothing walks one index probe that finds no row.
 */
function holdKeysOf(item: HeldItem): SQL {
  const site = orNull(item.siteId);
  const lot = orNull(item.lotId);
  return sql`select v.type, v.id, null::text as via from (values
        ('lot'::hold_target, ${lot}::uuid), ('serial'::hold_target, ${orNull(item.serialItemId)}::uuid), ('part_revision'::hold_target, ${orNull(item.partRevisionId)}::uuid),
        ('manufacturer'::hold_target, ${orNull(item.manufacturerId)}::uuid), ('supplier'::hold_target, ${orNull(item.supplierId)}::uuid)) v(type, id)
      where v.id is not null
      union all
      select v.type, v.id, a.lot_number from (
        with recursive mixed_from(id) as (
          select li.input_lot_id from lot_inputs li where li.site_id = ${site} and li.child_lot_id = ${lot}
          union
          -- each step an index probe by child lot (offset 0: never a hash of the site's lot_inputs)
          select li.input_lot_id from mixed_from mf
          cross join lateral (select x.input_lot_id from lot_inputs x where x.site_id = ${site} and x.child_lot_id = mf.id offset 0) li)
        select al.id, al.lot_number, al.part_revision_id, al.manufacturer_id, al.supplier_id
        from mixed_from mf
        cross join lateral (select y.id, y.lot_number, y.part_revision_id, y.manufacturer_id, y.supplier_id from lots y where y.site_id = ${site} and y.id = mf.id offset 0) al) a
      cross join lateral (values ('lot'::hold_target, a.id), ('part_revision'::hold_target, a.part_revision_id),
                                 ('manufacturer'::hold_target, a.manufacturer_id), ('supplier'::hold_target, a.supplier_id)) v(type, id)
      where v.id is not null`;
}

/**
 * The rows `h` (id, reason, placed_at) of the active holds covering the item (one source for the flag and the reasons):
 * matched by (target type, target id) in the item's key set (holdKeysOf), each key one probe of the active-holds index.
 */
function activeHoldsOf(item: HeldItem): SQL {
  return sql`(select distinct x.type, x.id from (${holdKeysOf(item)}) x) k
    cross join lateral (select h.id, h.target_type, h.target_id, h.reason, h.placed_at from holds h
                        where h.site_id = ${orNull(item.siteId)} and h.released_at is null and h.target_type = k.type and h.target_id = k.id offset 0) h`;
}

/**
 * The active holds covering an item as a FROM item aliased `h` (id, target_type, target_id, reason, placed_at), for a
 * LATERAL join from rows of items (containment): the same key set as the flag and the reasons.
 */
export function activeHoldsCovering(item: HeldItem): SQL {
  return sql`(select h.id, h.target_type, h.target_id, h.reason, h.placed_at from ${activeHoldsOf(item)}) h`;
}

export function activeHoldExists(item: HeldItem): SQL<boolean> {
  return sql<boolean>`exists (select 1 from ${activeHoldsOf(item)})`;
}

/** The reasons of the active holds covering an item, oldest first, as a text array (empty when not held). */
export function activeHoldReasons(item: HeldItem): SQL<string[]> {
  return sql<string[]>`coalesce((select array_agg(h.reason order by h.placed_at) from ${activeHoldsOf(item)}), '{}'::text[])`;
}

/** The active holds covering an item as JSON, oldest first: `[{ holdId, reason }]` (empty when not held). */
export function activeHoldsJson(item: HeldItem): SQL<{ holdId: string; reason: string }[]> {
  return sql<{ holdId: string; reason: string }[]>`coalesce((select json_agg(json_build_object('holdId', h.id, 'reason', h.reason) order by h.placed_at) from ${activeHoldsOf(item)}), '[]'::json)`;
}

/**
 * The active holds covering an item as JSON, oldest first: `[{ reason, via }]`, via null when the hold covers the item
 * itself, else the number of the lot it was mixed from that the hold covers (a hold covering both: null).
 */
export function activeHoldSources(item: HeldItem): SQL<{ reason: string; via: string | null }[]> {
  return sql<{ reason: string; via: string | null }[]>`coalesce((select json_agg(json_build_object('reason', h.reason, 'via', k.via) order by h.placed_at)
      from (select distinct on (x.type, x.id) x.type, x.id, x.via from (${holdKeysOf(item)}) x order by x.type, x.id, x.via nulls first) k
      cross join lateral (select h.reason, h.placed_at from holds h
                          where h.site_id = ${orNull(item.siteId)} and h.released_at is null and h.target_type = k.type and h.target_id = k.id offset 0) h), '[]'::json)`;
}

/**
 * The sources of an item that are marked not authorised (counterfeit prevention), in words, as a text array: "manufacturer
 * <name> (<code>)" and "supplier <name> (<code>)"; empty when every source it names is authorised (or it names none).
 */
export function unauthorisedSources(item: { manufacturerId: Expr; supplierId: Expr }): SQL<string[]> {
  return sql<string[]>`array_remove(array[
      (select 'manufacturer ' || um.name || ' (' || um.code || ')' from manufacturers um where um.id = ${orNull(item.manufacturerId)} and not um.authorised_source),
      (select 'supplier ' || us.name || ' (' || us.code || ')' from suppliers us where us.id = ${orNull(item.supplierId)} and not us.authorised_source)
    ]::text[], null)`;
}

/** ISO-8601 UTC text of a timestamptz expression, so raw queries read the same Date under postgres-js and PGlite. */
export function isoUtc(expr: SQL): SQL<string | null> {
  return sql<string | null>`to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

export function toDate(iso: string | null | undefined): Date | null {
  return iso ? new Date(iso) : null;
}

