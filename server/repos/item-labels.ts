import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { clockColumnsSql, type ClockColumns } from "./material-clock";
import { isoUtc } from "./hold-flags";

/** What a lot's or serial's label shows, read in one statement (site-scoped: another site's item is not found). */
export type ItemLabelRow = ClockColumns & {
  id: string;
  kind: "lot" | "serial";
  number: string;
  part_revision_id: string;
  part_number: string;
  revision: string;
  description: string;
  uom: string;
  gtin: string | null;
  expires_at: string | null;
  built_here: boolean;
  places: { code: string; onHand: string }[];
};

const places = (col: "lot_id" | "serial_item_id", alias: "lo" | "x", id: ReturnType<typeof sql>) =>
  sql`(select coalesce(json_agg(json_build_object('code', l.code, 'onHand', b.on_hand::text) order by l.code), '[]')
        from stock_balances b join storage_locations l on l.site_id = b.site_id and l.id = b.location_id
        where b.site_id = ${id} and b.${sql.identifier(col)} = ${sql.identifier(alias)}.id and b.is_physical and b.on_hand > 0)`;

export async function readLotLabel(db: DbOrTx, siteId: string, lotId: string): Promise<ItemLabelRow | null> {
  const [row] = await queryRows<ItemLabelRow>(
    db,
    sql`select lo.id, 'lot' as kind, lo.lot_number as number, lo.part_revision_id, p.part_number, pr.revision, p.description, p.uom, p.gtin,
               ${isoUtc(sql`lo.expires_at`)} as expires_at, false as built_here, ${clockColumnsSql()}, ${places("lot_id", "lo", sql`${siteId}::uuid`)} as places
        from lots lo
        join part_revisions pr on pr.id = lo.part_revision_id join parts p on p.id = pr.part_id
        where lo.site_id = ${siteId}::uuid and lo.id = ${lotId}::uuid`,
  );
  return row ?? null;
}

export async function readSerialLabel(db: DbOrTx, siteId: string, serialItemId: string): Promise<ItemLabelRow | null> {
  const [row] = await queryRows<ItemLabelRow>(
    db,
    sql`select x.id, 'serial' as kind, x.serial_number as number, x.part_revision_id, p.part_number, pr.revision, p.description, p.uom, p.gtin,
               ${isoUtc(sql`x.expires_at`)} as expires_at, x.built_here,
               null::text as clock_started_at, 0 as clock_used_seconds, null::text as clock_thaw_started_at, null::int as clock_out_time_minutes,
               null::int as clock_min_thaw_minutes, null::text as clock_storage_class, ${places("serial_item_id", "x", sql`${siteId}::uuid`)} as places
        from serial_items x
        join part_revisions pr on pr.id = x.part_revision_id join parts p on p.id = pr.part_id
        where x.site_id = ${siteId}::uuid and x.id = ${serialItemId}::uuid`,
  );
  return row ?? null;
}
