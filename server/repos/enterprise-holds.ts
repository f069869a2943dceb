import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx, type Tx } from "@/db/client";

/*
 * Enterprise-wide holds (db/schema/transfers.ts enterprise_holds): one signed hold row per site of the placer's
 * enterprise scope (holds.enterprise_hold_id), so every site's own eligibility rules (kitting, the station, shipping,
 * containment) refuse the material exactly as for a hold placed there. A lot or serial that arrives at one of those
 * sites later by transfer is held on arrival (holdOnArrival).
 */

export type EnterpriseHoldRow = {
  id: string;
  targetType: "lot" | "serial" | "part_revision" | "manufacturer" | "supplier";
  targetId: string | null;
  partRevisionId: string | null;
  itemNumber: string | null;
  label: string;
  reason: string;
  placedBy: string;
  placedAt: Date;
  siteIds: string[];
};

export async function insertEnterpriseHold(tx: Tx, h: EnterpriseHoldRow): Promise<void> {
  await tx.execute(sql`insert into enterprise_holds (id, target_type, target_id, part_revision_id, item_number, label, reason, placed_by, placed_at, site_ids)
    values (${h.id}::uuid, ${h.targetType}::hold_target, ${h.targetId}::uuid, ${h.partRevisionId}::uuid, ${h.itemNumber}, ${h.label}, ${h.reason},
            ${h.placedBy}::uuid, ${h.placedAt.toISOString()}::timestamptz, ${`{${h.siteIds.join(",")}}`}::uuid[])`);
}

/** The lots or serials of one site with this part revision and number (each site has its own row of a transferred item). */
export async function itemRowsAt(db: DbOrTx, siteId: string, kind: "lot" | "serial", partRevisionId: string, number: string): Promise<string[]> {
  const rows =
    kind === "lot"
      ? await queryRows<{ id: string }>(db, sql`select id from lots where site_id = ${siteId}::uuid and part_revision_id = ${partRevisionId}::uuid and lot_number = ${number}`)
      : await queryRows<{ id: string }>(db, sql`select id from serial_items where site_id = ${siteId}::uuid and part_revision_id = ${partRevisionId}::uuid and serial_number = ${number}`);
  return rows.map((r) => r.id);
}

/**
 * A lot or serial just received at this site: the active enterprise holds on it (by part revision and number) whose
 * scope includes this site hold it here too, from now (one holds row each, linked to the enterprise hold, placed by its
 * placer; the placing signature is the one written at placement). Returns their reasons. Active: some site's part of it
 * is still in force, or it found nothing to hold when placed.
 */
export async function holdOnArrival(
  tx: Tx,
  siteId: string,
  item: { kind: "lot" | "serial"; partRevisionId: string; number: string; targetId: string; at: Date },
): Promise<string[]> {
  const rows = await queryRows<{ reason: string }>(
    tx,
    sql`with active as (
          select eh.* from enterprise_holds eh
          where eh.target_type = ${item.kind}::hold_target and eh.part_revision_id = ${item.partRevisionId}::uuid and eh.item_number = ${item.number}
            and ${siteId}::uuid = any(eh.site_ids)
            and (exists (select 1 from holds h where h.enterprise_hold_id = eh.id and h.released_at is null)
                 or not exists (select 1 from holds h where h.enterprise_hold_id = eh.id))
            and not exists (select 1 from holds h where h.site_id = ${siteId}::uuid and h.enterprise_hold_id = eh.id
                              and h.target_id = ${item.targetId}::uuid and h.released_at is null)
        )
        insert into holds (site_id, id, target_type, target_id, reason, placed_by, placed_at, enterprise_hold_id)
        select ${siteId}::uuid, gen_random_uuid(), a.target_type, ${item.targetId}::uuid, a.reason, a.placed_by, ${item.at.toISOString()}::timestamptz, a.id
        from active a
        returning reason`,
  );
  return rows.map((r) => r.reason);
}

/** The sites an enterprise hold holds now (code, the site's hold id there, released or not): the placer's view. */
export async function enterpriseHoldSites(db: DbOrTx, enterpriseHoldId: string): Promise<{ siteCode: string; holdId: string; released: boolean }[]> {
  return queryRows(
    db,
    sql`select s.code as "siteCode", h.id as "holdId", (h.released_at is not null) as released
        from holds h join sites s on s.id = h.site_id where h.enterprise_hold_id = ${enterpriseHoldId}::uuid order by s.code`,
  );
}

/** The part revision of a lot or serial of this site. */
export async function partRevisionOfItem(db: DbOrTx, siteId: string, kind: "lot" | "serial", id: string): Promise<string> {
  const rows =
    kind === "lot"
      ? await queryRows<{ part_revision_id: string }>(db, sql`select part_revision_id from lots where site_id = ${siteId}::uuid and id = ${id}::uuid`)
      : await queryRows<{ part_revision_id: string }>(db, sql`select part_revision_id from serial_items where site_id = ${siteId}::uuid and id = ${id}::uuid`);
  return rows[0]!.part_revision_id;
}
