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

/** An enterprise hold with its placer's name, or null. */
export async function findEnterpriseHold(db: DbOrTx, id: string): Promise<(EnterpriseHoldRow & { placedByName: string }) | null> {
  const rows = await queryRows<{
    id: string;
    target_type: EnterpriseHoldRow["targetType"];
    target_id: string | null;
    part_revision_id: string | null;
    item_number: string | null;
    label: string;
    reason: string;
    placed_by: string;
    placed_by_name: string;
    placed_at: Date | string;
    site_ids: string[] | string;
  }>(
    db,
    sql`select eh.id, eh.target_type::text as target_type, eh.target_id, eh.part_revision_id, eh.item_number, eh.label, eh.reason, eh.placed_by,
               u.display_name as placed_by_name, eh.placed_at, eh.site_ids::text[] as site_ids
        from enterprise_holds eh join users u on u.id = eh.placed_by where eh.id = ${id}::uuid`,
  );
  const r = rows[0];
  if (!r) return null;
  const siteIds = Array.isArray(r.site_ids) ? r.site_ids : String(r.site_ids).replace(/[{}]/g, "").split(",").filter(Boolean);
  return {
    id: r.id,
    targetType: r.target_type,
    targetId: r.target_id,
    partRevisionId: r.part_revision_id,
    itemNumber: r.item_number,
    label: r.label,
    reason: r.reason,
    placedBy: r.placed_by,
    placedByName: r.placed_by_name,
    placedAt: asDate(r.placed_at),
    siteIds,
  };
}

export type EnterpriseHoldPart = {
  siteId: string;
  siteCode: string;
  siteName: string;
  holdId: string;
  placedBy: string;
  placedAt: Date;
  released: boolean;
  releasedAt: Date | null;
  releasedByName: string | null;
};

/** Every site's hold of an enterprise hold (one per item row held there), by site code. */
export async function holdsOfEnterpriseHold(db: DbOrTx, enterpriseHoldId: string): Promise<EnterpriseHoldPart[]> {
  const rows = await queryRows<{
    site_id: string;
    site_code: string;
    site_name: string;
    hold_id: string;
    placed_by: string;
    placed_at: Date | string;
    released_at: Date | string | null;
    released_by_name: string | null;
  }>(
    db,
    sql`select h.site_id, s.code as site_code, s.name as site_name, h.id as hold_id, h.placed_by, h.placed_at, h.released_at, u.display_name as released_by_name
        from holds h join sites s on s.id = h.site_id left join users u on u.id = h.released_by
        where h.enterprise_hold_id = ${enterpriseHoldId}::uuid order by s.code, h.placed_at, h.id`,
  );
  return rows.map((r) => ({
    siteId: r.site_id,
    siteCode: r.site_code,
    siteName: r.site_name,
    holdId: r.hold_id,
    placedBy: r.placed_by,
    placedAt: asDate(r.placed_at),
    released: r.released_at !== null,
    releasedAt: r.released_at === null ? null : asDate(r.released_at),
    releasedByName: r.released_by_name,
  }));
}

/** Code and name of these sites. */
export async function siteNames(db: DbOrTx, siteIds: string[]): Promise<{ id: string; code: string; name: string }[]> {
  if (siteIds.length === 0) return [];
  return queryRows(db, sql`select id, code, name from sites where id = any(array[${sql.join(siteIds.map((id) => sql`${id}::uuid`), sql`, `)}]) order by code`);
}

function asDate(v: Date | string): Date {
  return v instanceof Date ? v : new Date(v);
}
