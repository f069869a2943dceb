import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx, type Tx } from "@/db/client";
import { lotClockEvents } from "@/db/schema";
import type { ClockPolicy, LotClock, StorageClass } from "@/server/domain/material-clock/material-clock";
import { isoUtc, toDate } from "./hold-flags";

/*
 * The clocks of lots: the projection on `lots` (out_time_started_at, out_time_used_seconds, thaw_started_at,
 * expires_at) and the append-only history `lot_clock_events`, always written together.
 */

/** The columns a fact query selects for a lot's clock (aliases lo = lots, p = parts), read back by clockFromRow. */
export function clockColumnsSql(): SQL {
  return sql`${isoUtc(sql`lo.out_time_started_at`)} as clock_started_at, lo.out_time_used_seconds as clock_used_seconds,
             ${isoUtc(sql`lo.thaw_started_at`)} as clock_thaw_started_at, p.out_time_minutes as clock_out_time_minutes,
             p.min_thaw_minutes as clock_min_thaw_minutes, p.storage_class::text as clock_storage_class`;
}

export type ClockColumns = {
  clock_started_at: string | null;
  clock_used_seconds: number | null;
  clock_thaw_started_at: string | null;
  clock_out_time_minutes: number | null;
  clock_min_thaw_minutes: number | null;
  clock_storage_class: StorageClass | null;
};

/** The lot's clock and its part's limits (null for a serial or untracked stock, or a part without any clock limit). */
export function clockFromRow(r: ClockColumns, expiresAt: Date | null, isLot: boolean): { clock: LotClock; policy: ClockPolicy } | null {
  if (!isLot) return null;
  const policy: ClockPolicy = { outTimeMinutes: r.clock_out_time_minutes, minThawMinutes: r.clock_min_thaw_minutes, storageClass: r.clock_storage_class };
  if (policy.outTimeMinutes === null && policy.minThawMinutes === null) return null;
  return {
    clock: { startedAt: toDate(r.clock_started_at), usedSeconds: r.clock_used_seconds ?? 0, thawStartedAt: toDate(r.clock_thaw_started_at), expiresAt },
    policy,
  };
}

export type LockedLotClock = {
  lotId: string;
  lotNumber: string;
  partRevisionId: string;
  partNumber: string;
  clock: LotClock;
  policy: ClockPolicy;
  potLifeMinutes: number | null;
  /** Where the lot is now (physical locations with stock), with the class each provides. */
  places: { locationId: string; code: string; kind: string; storageClass: StorageClass | null; onHand: string }[];
};

/** Lock the lots (in id order: no lock cycles) and read their clocks, limits and where they are. */
export async function lockLotClocks(tx: Tx, siteId: string, lotIds: string[]): Promise<Map<string, LockedLotClock>> {
  const out = new Map<string, LockedLotClock>();
  if (lotIds.length === 0) return out;
  const ids = [...new Set(lotIds)].sort();
  const rows = await queryRows<
    ClockColumns & {
      id: string;
      lot_number: string;
      part_revision_id: string;
      part_number: string;
      expires_at: string | null;
      pot_life_minutes: number | null;
      places: { locationId: string; code: string; kind: string; storageClass: StorageClass | null; onHand: string }[];
    }
  >(
    tx,
    sql`with locked as (
          select lo.* from lots lo where lo.site_id = ${siteId}::uuid and lo.id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})
          -- no key update: the movement's legs and balances already hold KEY SHARE on these lots (foreign keys), and
          -- FOR UPDATE would wait for the other writers' KEY SHARE while they wait for our balances (a deadlock)
          order by lo.id for no key update
        )
        select lo.id, lo.lot_number, lo.part_revision_id, p.part_number, ${isoUtc(sql`lo.expires_at`)} as expires_at, p.pot_life_minutes,
               ${clockColumnsSql()},
               (select coalesce(json_agg(json_build_object('locationId', l.id, 'code', l.code, 'kind', l.kind, 'storageClass', l.storage_class, 'onHand', b.on_hand::text) order by l.code), '[]')
                  from stock_balances b join storage_locations l on l.site_id = b.site_id and l.id = b.location_id
                  where b.site_id = lo.site_id and b.lot_id = lo.id and b.is_physical and b.on_hand > 0) as places
        from locked lo join part_revisions pr on pr.id = lo.part_revision_id join parts p on p.id = pr.part_id`,
  );
  for (const r of rows) {
    out.set(r.id, {
      lotId: r.id,
      lotNumber: r.lot_number,
      partRevisionId: r.part_revision_id,
      partNumber: r.part_number,
      clock: { startedAt: toDate(r.clock_started_at), usedSeconds: r.clock_used_seconds ?? 0, thawStartedAt: toDate(r.clock_thaw_started_at), expiresAt: toDate(r.expires_at) },
      policy: { outTimeMinutes: r.clock_out_time_minutes, minThawMinutes: r.clock_min_thaw_minutes, storageClass: r.clock_storage_class },
      potLifeMinutes: r.pot_life_minutes,
      places: r.places,
    });
  }
  return out;
}

/** Write a lot's new clock (the projection) and the event that made it, in the caller's transaction. */
export async function recordClockEvent(
  tx: Tx,
  e: {
    siteId: string;
    lotId: string;
    kind: "check_out" | "check_in" | "shelf_life_extended" | "mixed";
    occurredAt: Date;
    clock: LotClock;
    fromLocationId?: string | null;
    toLocationId?: string | null;
    movementId?: string | null;
    actorUserId: string;
    thawStarted?: boolean;
    detail?: Record<string, unknown>;
    reason?: string | null;
  },
): Promise<void> {
  await tx.execute(
    sql`update lots set out_time_started_at = ${e.clock.startedAt ? e.clock.startedAt.toISOString() : null}::timestamptz,
               out_time_used_seconds = ${e.clock.usedSeconds}::int,
               thaw_started_at = ${e.clock.thawStartedAt ? e.clock.thawStartedAt.toISOString() : null}::timestamptz,
               expires_at = ${e.clock.expiresAt ? e.clock.expiresAt.toISOString() : null}::timestamptz
        where site_id = ${e.siteId}::uuid and id = ${e.lotId}::uuid`,
  );
  await tx.insert(lotClockEvents).values({
    siteId: e.siteId,
    lotId: e.lotId,
    kind: e.kind,
    occurredAt: e.occurredAt,
    fromLocationId: e.fromLocationId ?? null,
    toLocationId: e.toLocationId ?? null,
    movementId: e.movementId ?? null,
    actorUserId: e.actorUserId,
    outTimeUsedSeconds: e.clock.usedSeconds,
    thawStarted: e.thawStarted ?? false,
    detail: e.detail ?? {},
    reason: e.reason ?? null,
  });
}

export type ClockEventRow = {
  kind: "check_out" | "check_in" | "shelf_life_extended" | "mixed";
  occurredAt: Date;
  fromCode: string | null;
  toCode: string | null;
  actorName: string | null;
  outTimeUsedSeconds: number;
  thawStarted: boolean;
  detail: Record<string, unknown>;
  reason: string | null;
};

/** A lot's clock history, oldest first (the lot's page). */
export async function listClockEvents(db: DbOrTx, siteId: string, lotId: string): Promise<ClockEventRow[]> {
  const rows = await queryRows<{
    kind: ClockEventRow["kind"];
    occurred_at: string;
    from_code: string | null;
    to_code: string | null;
    actor_name: string | null;
    out_time_used_seconds: number;
    thaw_started: boolean;
    detail: Record<string, unknown>;
    reason: string | null;
  }>(
    db,
    sql`select e.kind, ${isoUtc(sql`e.occurred_at`)} as occurred_at, f.code as from_code, t.code as to_code, u.display_name as actor_name,
               e.out_time_used_seconds, e.thaw_started, e.detail, e.reason
        from lot_clock_events e
        left join storage_locations f on f.site_id = e.site_id and f.id = e.from_location_id
        left join storage_locations t on t.site_id = e.site_id and t.id = e.to_location_id
        left join users u on u.id = e.actor_user_id
        where e.site_id = ${siteId}::uuid and e.lot_id = ${lotId}::uuid
        order by e.occurred_at, e.id`,
  );
  return rows.map((r) => ({
    kind: r.kind,
    occurredAt: toDate(r.occurred_at)!,
    fromCode: r.from_code,
    toCode: r.to_code,
    actorName: r.actor_name,
    outTimeUsedSeconds: r.out_time_used_seconds,
    thawStarted: r.thaw_started,
    detail: r.detail,
    reason: r.reason,
  }));
}

/** A storage location of this site by id or code, with the class it provides. */
export async function findStorageLocation(db: DbOrTx, siteId: string, by: { id?: string; code?: string }) {
  const rows = await queryRows<{ id: string; code: string; name: string; kind: string; storage_class: StorageClass | null; station_id: string | null; is_physical: boolean }>(
    db,
    sql`select id, code, name, kind::text as kind, storage_class::text as storage_class, station_id, is_physical from storage_locations
        where site_id = ${siteId}::uuid and ${by.id ? sql`id = ${by.id}::uuid` : sql`upper(code) = upper(${by.code ?? ""})`}`,
  );
  const r = rows[0];
  return r ? { id: r.id, code: r.code, name: r.name, kind: r.kind, storageClass: r.storage_class, stationId: r.station_id, isPhysical: r.is_physical } : null;
}

/** Locations of this site by id, with kind and class (for the clock rules of a movement's legs). */
export async function locationsByIds(db: DbOrTx, siteId: string, ids: string[]): Promise<Map<string, { id: string; code: string; kind: string; storageClass: StorageClass | null }>> {
  const out = new Map<string, { id: string; code: string; kind: string; storageClass: StorageClass | null }>();
  const unique = [...new Set(ids)];
  if (unique.length === 0) return out;
  const rows = await queryRows<{ id: string; code: string; kind: string; storage_class: StorageClass | null }>(
    db,
    sql`select id, code, kind::text as kind, storage_class::text as storage_class from storage_locations
        where site_id = ${siteId}::uuid and id in (${sql.join(unique.map((id) => sql`${id}::uuid`), sql`, `)})`,
  );
  for (const r of rows) out.set(r.id, { id: r.id, code: r.code, kind: r.kind, storageClass: r.storage_class });
  return out;
}

/** An item's name for people and its part's storage class (for the storage-class rule of a move). */
export async function itemStorage(db: DbOrTx, siteId: string, item: { partRevisionId: string; lotId: string | null; serialItemId: string | null }) {
  const rows = await queryRows<{ part_number: string; lot_number: string | null; serial_number: string | null; storage_class: StorageClass | null }>(
    db,
    sql`select p.part_number, (select lo.lot_number from lots lo where lo.site_id = ${siteId}::uuid and lo.id = ${item.lotId}::uuid) as lot_number,
               (select si.serial_number from serial_items si where si.site_id = ${siteId}::uuid and si.id = ${item.serialItemId}::uuid) as serial_number,
               p.storage_class::text as storage_class
        from part_revisions pr join parts p on p.id = pr.part_id where pr.id = ${item.partRevisionId}::uuid`,
  );
  const r = rows[0];
  if (!r) return { name: "This material", storageClass: null };
  const name = r.lot_number ? `Lot ${r.lot_number}` : r.serial_number ? `Serial ${r.serial_number}` : `Part ${r.part_number}`;
  return { name, storageClass: r.storage_class };
}

export type ItemStockRow = ClockColumns & {
  location_id: string;
  location_code: string;
  location_name: string;
  location_kind: string;
  location_storage_class: StorageClass | null;
  station_code: string | null;
  part_revision_id: string;
  part_number: string;
  description: string;
  revision: string;
  uom: string;
  part_storage_class: StorageClass | null;
  lot_id: string | null;
  lot_number: string | null;
  serial_item_id: string | null;
  serial_number: string | null;
  expires_at: string | null;
  on_hand: string;
  reserved: string;
};

/** Where the items are: their physical balances with on hand > 0, with each location's class and each lot's clock. */
export async function stockOfItems(db: DbOrTx, siteId: string, items: { lotId: string | null; serialItemId: string | null; partId: string }[]): Promise<ItemStockRow[]> {
  if (items.length === 0) return [];
  const which = sql.join(
    items.map((i) =>
      i.lotId
        ? sql`(b.lot_id = ${i.lotId}::uuid)`
        : i.serialItemId
          ? sql`(b.serial_item_id = ${i.serialItemId}::uuid)`
          : sql`(b.lot_id is null and b.serial_item_id is null and pr.part_id = ${i.partId}::uuid)`,
    ),
    sql` or `,
  );
  return queryRows<ItemStockRow>(
    db,
    sql`select b.location_id, l.code as location_code, l.name as location_name, l.kind::text as location_kind, l.storage_class::text as location_storage_class,
               st.code as station_code, b.part_revision_id, p.part_number, p.description, pr.revision, p.uom, p.storage_class::text as part_storage_class,
               b.lot_id, lo.lot_number, b.serial_item_id, si.serial_number, ${isoUtc(sql`coalesce(lo.expires_at, si.expires_at)`)} as expires_at,
               b.on_hand::text as on_hand, b.reserved::text as reserved, ${clockColumnsSql()}
        from stock_balances b
        join storage_locations l on l.site_id = b.site_id and l.id = b.location_id
        left join stations st on st.site_id = l.site_id and st.id = l.station_id
        join part_revisions pr on pr.id = b.part_revision_id join parts p on p.id = pr.part_id
        left join lots lo on lo.site_id = b.site_id and lo.id = b.lot_id
        left join serial_items si on si.site_id = b.site_id and si.id = b.serial_item_id
        where b.site_id = ${siteId}::uuid and b.is_physical and b.on_hand > 0 and (${which})
        order by p.part_number, lo.lot_number nulls last, si.serial_number nulls last, l.code
        limit 200`,
  );
}
