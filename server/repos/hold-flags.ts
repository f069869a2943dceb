import "server-only";
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";

type Expr = SQLWrapper | null;

const orNull = (e: Expr) => (e === null ? sql`null::uuid` : sql`${e}`);

/**
 * True when an active (unreleased) hold of the site covers an item: a hold on its lot, its serial, its part revision,
 * or the manufacturer or supplier it came from. Pass the columns (or null) of the row being read.
 */
export function activeHoldExists(item: {
  siteId: Expr;
  partRevisionId: Expr;
  lotId: Expr;
  serialItemId: Expr;
  manufacturerId: Expr;
  supplierId: Expr;
}): SQL<boolean> {
  return sql<boolean>`exists (
    select 1 from holds h
    where h.site_id = ${orNull(item.siteId)} and h.released_at is null and (
      (h.target_type = 'lot' and h.target_id = ${orNull(item.lotId)})
      or (h.target_type = 'serial' and h.target_id = ${orNull(item.serialItemId)})
      or (h.target_type = 'part_revision' and h.target_id = ${orNull(item.partRevisionId)})
      or (h.target_type = 'manufacturer' and h.target_id = ${orNull(item.manufacturerId)})
      or (h.target_type = 'supplier' and h.target_id = ${orNull(item.supplierId)})
    ))`;
}

/** ISO-8601 UTC text of a timestamptz expression, so raw queries read the same Date under postgres-js and PGlite. */
export function isoUtc(expr: SQL): SQL<string | null> {
  return sql<string | null>`to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

export function toDate(iso: string | null | undefined): Date | null {
  return iso ? new Date(iso) : null;
}
