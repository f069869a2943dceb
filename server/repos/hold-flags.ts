import "server-only";
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";

type Expr = SQLWrapper | null;

const orNull = (e: Expr) => (e === null ? sql`null::uuid` : sql`${e}`);

/**
 * True when an active (unreleased) hold of the site covers an item: a hold on its lot, its serial, its part revision,
 * or the manufacturer or supplier it came from. Pass the columns (or null) of the row being read.
 */
type HeldItem = {
  siteId: Expr;
  partRevisionId: Expr;
  lotId: Expr;
  serialItemId: Expr;
  manufacturerId: Expr;
  supplierId: Expr;
};

/** The rows of `holds h` that are active and cover the item (one predicate for the flag and the reasons). */
function activeHoldsOf(item: HeldItem): SQL {
  return sql`holds h
    where h.site_id = ${orNull(item.siteId)} and h.released_at is null and (
      (h.target_type = 'lot' and h.target_id = ${orNull(item.lotId)})
      or (h.target_type = 'serial' and h.target_id = ${orNull(item.serialItemId)})
      or (h.target_type = 'part_revision' and h.target_id = ${orNull(item.partRevisionId)})
      or (h.target_type = 'manufacturer' and h.target_id = ${orNull(item.manufacturerId)})
      or (h.target_type = 'supplier' and h.target_id = ${orNull(item.supplierId)})
    )`;
}

export function activeHoldExists(item: HeldItem): SQL<boolean> {
  return sql<boolean>`exists (select 1 from ${activeHoldsOf(item)})`;
}

/** The reasons of the active holds covering an item, oldest first, as a text array (empty when not held). */
export function activeHoldReasons(item: HeldItem): SQL<string[]> {
  return sql<string[]>`coalesce((select array_agg(h.reason order by h.placed_at) from ${activeHoldsOf(item)}), '{}'::text[])`;
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

