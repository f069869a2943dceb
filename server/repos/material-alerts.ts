import "server-only";
import { eq, sql } from "drizzle-orm";
import { queryRows, type DbOrTx, type Tx } from "@/db/client";
import { sites } from "@/db/schema";
import type { AlertCandidate, AlertHorizons } from "@/server/domain/material-alerts/alerts";
import { isoUtc, toDate } from "./hold-flags";

/*
 * Material alerts' reads: the site's horizons, and the lots and serials with stock on the floor that may expire or run
 * out of out-time (driven by the partial indexes lots_expires_idx, lots_out_time_idx, serial_items_expires_idx of
 * migration 0023, so the cost follows the time-sensitive material, not the plant's stock), with where they are and the
 * open kits they are picked into. The rules are server/domain/material-alerts.
 */

export async function readAlertHorizons(db: DbOrTx, siteId: string): Promise<AlertHorizons> {
  const [row] = await db.select({ outTimeMinutes: sites.alertOutTimeMinutes, shelfLifeDays: sites.alertShelfLifeDays }).from(sites).where(eq(sites.id, siteId));
  if (!row) throw new Error(`site ${siteId} not found`);
  return row;
}

/** Lock the site's row and change its horizons; the old values come back for the audit row. */
export async function updateAlertHorizons(tx: Tx, siteId: string, h: AlertHorizons): Promise<AlertHorizons> {
  const [before] = await tx.select({ outTimeMinutes: sites.alertOutTimeMinutes, shelfLifeDays: sites.alertShelfLifeDays }).from(sites).where(eq(sites.id, siteId)).for("update");
  if (!before) throw new Error(`site ${siteId} not found`);
  await tx.update(sites).set({ alertOutTimeMinutes: h.outTimeMinutes, alertShelfLifeDays: h.shelfLifeDays }).where(eq(sites.id, siteId));
  return before;
}

type CandidateRow = {
  lot_id: string | null;
  serial_item_id: string | null;
  item: string;
  part_number: string;
  revision: string;
  description: string;
  uom: string;
  on_hand: string;
  location_id: string;
  location_code: string;
  location_kind: string;
  station_code: string | null;
  kits: { kitId: string; kitNumber: string; stationCode: string }[] | null;
  expires_at: string | null;
  out_time_minutes: number | null;
  clock_started_at: string | null;
  clock_used_seconds: number | null;
};

/**
 * Balances on the floor (physical locations, on hand > 0) of lots expiring by `shelfUntil` or whose out-time clock has
 * run, and of serials expiring by `shelfUntil`. The out-time horizon is applied by the rule (it needs the clock).
 */
export async function readAlertCandidates(db: DbOrTx, siteId: string, shelfUntil: Date): Promise<AlertCandidate[]> {
  const until = shelfUntil.toISOString();
  const rows = await queryRows<CandidateRow>(
    db,
    sql`with open_picks as (
          select kp.lot_id, kp.serial_item_id, kp.location_id,
                 json_agg(json_build_object('kitId', k.id, 'kitNumber', k.number, 'stationCode', st.code) order by k.number) as kits
          from kits k
          join stations st on st.site_id = k.site_id and st.id = k.station_id
          join kit_picks kp on kp.site_id = k.site_id and kp.kit_id = k.id
          where k.site_id = ${siteId}::uuid and k.status in ('planned', 'picking', 'complete', 'short')
          group by 1, 2, 3
        ),
        cand as (
          select lo.id as lot_id, null::uuid as serial_item_id, lo.lot_number as item, lo.part_revision_id, lo.expires_at,
                 lo.out_time_started_at, lo.out_time_used_seconds, b.location_id, b.on_hand
          from lots lo
          join stock_balances b on b.site_id = lo.site_id and b.lot_id = lo.id and b.is_physical and b.on_hand > 0
          where lo.site_id = ${siteId}::uuid
            and ((lo.expires_at is not null and lo.expires_at <= ${until}::timestamptz)
                 or lo.out_time_started_at is not null or lo.out_time_used_seconds > 0)
          union all
          select null::uuid, si.id, si.serial_number, si.part_revision_id, si.expires_at, null::timestamptz, 0, b.location_id, b.on_hand
          from serial_items si
          join stock_balances b on b.site_id = si.site_id and b.serial_item_id = si.id and b.is_physical and b.on_hand > 0
          where si.site_id = ${siteId}::uuid and si.expires_at is not null and si.expires_at <= ${until}::timestamptz
        )
        select c.lot_id, c.serial_item_id, c.item, p.part_number, pr.revision, p.description, p.uom, c.on_hand::text as on_hand,
               l.id as location_id, l.code as location_code, l.kind::text as location_kind, pst.code as station_code, op.kits,
               ${isoUtc(sql`c.expires_at`)} as expires_at, case when c.lot_id is not null then p.out_time_minutes end as out_time_minutes,
               ${isoUtc(sql`c.out_time_started_at`)} as clock_started_at, c.out_time_used_seconds as clock_used_seconds
        from cand c
        join storage_locations l on l.site_id = ${siteId}::uuid and l.id = c.location_id
        left join stations pst on pst.site_id = l.site_id and pst.id = l.station_id
        join part_revisions pr on pr.id = c.part_revision_id
        join parts p on p.id = pr.part_id
        left join open_picks op on op.location_id = c.location_id
          and op.lot_id is not distinct from c.lot_id and op.serial_item_id is not distinct from c.serial_item_id
        where c.expires_at <= ${until}::timestamptz or (c.lot_id is not null and p.out_time_minutes is not null)`,
  );
  return rows.map((r) => ({
    lotId: r.lot_id,
    serialItemId: r.serial_item_id,
    item: r.item,
    partNumber: r.part_number,
    revision: r.revision,
    description: r.description,
    uom: r.uom,
    onHand: r.on_hand,
    locationId: r.location_id,
    locationCode: r.location_code,
    locationKind: r.location_kind,
    stationCode: r.station_code,
    kits: r.kits ?? [],
    expiresAt: toDate(r.expires_at),
    clock:
      r.out_time_minutes === null
        ? null
        : {
            clock: { startedAt: toDate(r.clock_started_at), usedSeconds: r.clock_used_seconds ?? 0, thawStartedAt: null, expiresAt: toDate(r.expires_at) },
            policy: { outTimeMinutes: r.out_time_minutes },
          },
  }));
}

/** The site's station codes (the alerts list's station filter). */
export async function readStationCodes(db: DbOrTx, siteId: string): Promise<string[]> {
  const rows = await queryRows<{ code: string }>(db, sql`select code from stations where site_id = ${siteId}::uuid order by code`);
  return rows.map((r) => r.code);
}
