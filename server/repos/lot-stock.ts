import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import type { WhereUsedTarget } from "./genealogy-where-used";

/* Remaining stock of the lots a where-used traces (recall scope: what is still on the shelf, and where). */

export type LotStock = {
  lotId: string;
  lotNumber: string;
  partNumber: string;
  revision: string;
  uom: string;
  /** on hand at physical locations (stores, kitting, kit carts, points of use, quarantine), exact decimal text */
  onHand: string;
  /** reserved by kit picks, part of onHand */
  reserved: string;
  locations: { code: string; name: string; onHand: string }[];
};

function lotsOf(siteId: string, target: WhereUsedTarget): SQL | null {
  switch (target.kind) {
    case "lot":
      return sql`l.site_id = ${siteId} and l.id = ${target.id}`;
    case "part_revision":
      return sql`l.site_id = ${siteId} and l.part_revision_id = ${target.id}`;
    case "part":
      return sql`l.site_id = ${siteId} and l.part_revision_id in (select r.id from part_revisions r where r.part_id = ${target.id})`;
    case "manufacturer":
      return sql`l.site_id = ${siteId} and l.manufacturer_id = ${target.id}`;
    case "supplier_lot":
      return sql`l.site_id = ${siteId} and l.supplier_lot = ${target.supplierLot}`;
    case "serial":
      return null;
  }
}

/**
 * Per lot of the traced material (a serial has none): what remains on hand at physical locations of the site, by
 * location, lots with stock left first. At most `limit` lots (the answer says how many there are in all).
 */
export async function remainingStockPerLot(db: DbOrTx, siteId: string, target: WhereUsedTarget, limit = 200): Promise<{ total: number; lots: LotStock[] }> {
  const where = lotsOf(siteId, target);
  if (!where) return { total: 0, lots: [] };
  type Row = {
    lot_id: string;
    lot_number: string;
    part_number: string;
    revision: string;
    uom: string;
    on_hand: string;
    reserved: string;
    locations: { code: string; name: string; on_hand: string }[] | string | null;
    total: number;
  };
  const rows = await queryRows<Row>(
    db,
    sql`select l.id as lot_id, l.lot_number, p.part_number, pr.revision, p.uom,
               coalesce(sum(b.on_hand) filter (where b.is_physical), 0)::text as on_hand,
               coalesce(sum(b.reserved) filter (where b.is_physical), 0)::text as reserved,
               coalesce(json_agg(json_build_object('code', loc.code, 'name', loc.name, 'on_hand', b.on_hand::text) order by loc.code)
                 filter (where b.is_physical and b.on_hand <> 0), '[]'::json) as locations,
               count(*) over ()::int as total
        from lots l
        join part_revisions pr on pr.id = l.part_revision_id join parts p on p.id = pr.part_id
        left join stock_balances b on b.site_id = l.site_id and b.lot_id = l.id
        left join storage_locations loc on loc.site_id = b.site_id and loc.id = b.location_id
        where ${where}
        group by l.id, l.lot_number, p.part_number, pr.revision, p.uom
        order by (coalesce(sum(b.on_hand) filter (where b.is_physical), 0) > 0) desc, p.part_number, l.lot_number
        limit ${limit}`,
  );
  return {
    total: rows[0] ? Number(rows[0].total) : 0,
    lots: rows.map((r) => {
      const locs = (typeof r.locations === "string" ? JSON.parse(r.locations) : (r.locations ?? [])) as { code: string; name: string; on_hand: string }[];
      return {
        lotId: r.lot_id,
        lotNumber: r.lot_number,
        partNumber: r.part_number,
        revision: r.revision,
        uom: r.uom,
        onHand: String(r.on_hand),
        reserved: String(r.reserved),
        locations: locs.map((x) => ({ code: x.code, name: x.name, onHand: String(x.on_hand) })),
      };
    }),
  };
}
