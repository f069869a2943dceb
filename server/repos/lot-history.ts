import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { clockColumnsSql, clockFromRow, type ClockColumns } from "./material-clock";
import { isoUtc, toDate } from "./hold-flags";

/*
 * A lot as quality looks it up (shelf-life extension): its part, expiry, clock and where it is.
 */

export type LotFacts = {
  lotId: string;
  lotNumber: string;
  partNumber: string;
  revision: string;
  description: string;
  uom: string;
  expiresAt: Date | null;
  inspectionStatus: string;
  clock: ReturnType<typeof clockFromRow>;
  places: { code: string; onHand: string }[];
};

/** The lots of this site with this number (several parts may share a lot number), or the one lot with this id. */
export async function findLots(db: DbOrTx, siteId: string, by: { lotNumber?: string; lotId?: string }): Promise<LotFacts[]> {
  const rows = await queryRows<
    ClockColumns & {
      id: string;
      lot_number: string;
      part_number: string;
      revision: string;
      description: string;
      uom: string;
      expires_at: string | null;
      inspection_status: string;
      places: { code: string; onHand: string }[];
    }
  >(
    db,
    sql`select lo.id, lo.lot_number, p.part_number, pr.revision, p.description, p.uom, ${isoUtc(sql`lo.expires_at`)} as expires_at,
               lo.inspection_status::text as inspection_status, ${clockColumnsSql()},
               (select coalesce(json_agg(json_build_object('code', l.code, 'onHand', b.on_hand::text) order by l.code), '[]')
                  from stock_balances b join storage_locations l on l.site_id = b.site_id and l.id = b.location_id
                  where b.site_id = lo.site_id and b.lot_id = lo.id and b.is_physical and b.on_hand > 0) as places
        from lots lo join part_revisions pr on pr.id = lo.part_revision_id join parts p on p.id = pr.part_id
        where lo.site_id = ${siteId}::uuid
          and ${by.lotId ? sql`lo.id = ${by.lotId}::uuid` : sql`lo.lot_number = ${(by.lotNumber ?? "").trim()}`}
        order by p.part_number
        limit 20`,
  );
  return rows.map((r) => {
    const expiresAt = toDate(r.expires_at);
    return {
      lotId: r.id,
      lotNumber: r.lot_number,
      partNumber: r.part_number,
      revision: r.revision,
      description: r.description,
      uom: r.uom,
      expiresAt,
      inspectionStatus: r.inspection_status,
      clock: clockFromRow(r, expiresAt, true),
      places: r.places,
    };
  });
}

/** A lot's number with its part number and revision, as ERP names the batch (null: not a lot of this site). */
export async function partOfLot(db: DbOrTx, siteId: string, lotId: string): Promise<{ lotNumber: string; partNumber: string; revision: string } | null> {
  const rows = await queryRows<{ lot_number: string; part_number: string; revision: string }>(
    db,
    sql`select lo.lot_number, p.part_number, pr.revision from lots lo join part_revisions pr on pr.id = lo.part_revision_id join parts p on p.id = pr.part_id
        where lo.site_id = ${siteId}::uuid and lo.id = ${lotId}::uuid`,
  );
  const r = rows[0];
  return r ? { lotNumber: r.lot_number, partNumber: r.part_number, revision: r.revision } : null;
}
