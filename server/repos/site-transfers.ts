import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx, type Tx } from "@/db/client";
import { isoUtc, toDate } from "./hold-flags";

/*
 * Site transfers (db/schema/transfers.ts): a lot quantity, serial or finished sub-assembly shipped from one site to
 * another. Every read here names the actor's site as the sender or the receiver; what one site is shown of the other is
 * its code and name and the item's numbers, never the other site's row ids.
 */

export type SiteRef = { id: string; code: string; name: string; erpPlant: string; transferReinspect: boolean };

/** Every site of the enterprise (the destinations a transfer can go to): codes and names are not secrets. */
export async function listSites(db: DbOrTx): Promise<SiteRef[]> {
  const rows = await queryRows<{ id: string; code: string; name: string; erp_plant: string; transfer_reinspect: boolean }>(
    db,
    sql`select id, code, name, erp_plant, transfer_reinspect from sites order by code`,
  );
  return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, erpPlant: r.erp_plant, transferReinspect: r.transfer_reinspect }));
}

export async function findSite(db: DbOrTx, siteId: string): Promise<SiteRef | null> {
  return (await listSites(db)).find((s) => s.id === siteId) ?? null;
}

/** A lot or serial of this site with this number, where it is on hand in stores or quarantine (one row per place). */
export type ShippableStock = {
  partRevisionId: string;
  partNumber: string;
  revision: string;
  uom: string;
  lotId: string | null;
  serialItemId: string | null;
  number: string;
  locationId: string;
  locationCode: string;
  locationKind: "stores" | "quarantine";
  onHand: string;
  reserved: string;
  /** the unit built here whose serial this is (a finished sub-assembly), if any */
  unitId: string | null;
};

/**
 * The lots and serials of this site numbered `number` (optionally of one part number), with their stock in stores or
 * quarantine; an item with no such stock comes once with a null location (to say where it is not).
 */
export async function findShippableStock(db: DbOrTx, siteId: string, number: string, partNumber: string | null): Promise<(Omit<ShippableStock, "locationId" | "locationCode" | "locationKind" | "onHand" | "reserved"> & { locationId: string | null; locationCode: string | null; locationKind: "stores" | "quarantine" | null; onHand: string | null; reserved: string | null })[]> {
  const rows = await queryRows<{
    part_revision_id: string;
    part_number: string;
    revision: string;
    uom: string;
    lot_id: string | null;
    serial_item_id: string | null;
    number: string;
    location_id: string | null;
    location_code: string | null;
    location_kind: "stores" | "quarantine" | null;
    on_hand: string | null;
    reserved: string | null;
    unit_id: string | null;
  }>(
    db,
    sql`with items as (
          select l.part_revision_id, l.id as lot_id, null::uuid as serial_item_id, l.lot_number as number from lots l
          where l.site_id = ${siteId}::uuid and l.lot_number = ${number}
          union all
          select s.part_revision_id, null::uuid, s.id, s.serial_number from serial_items s
          where s.site_id = ${siteId}::uuid and s.serial_number = ${number}
        )
        select i.part_revision_id, p.part_number, pr.revision, p.uom, i.lot_id, i.serial_item_id, i.number,
               loc.id as location_id, loc.code as location_code, loc.kind as location_kind, b.on_hand::text as on_hand, b.reserved::text as reserved,
               (select u.id from units u where u.site_id = ${siteId}::uuid and u.serial_item_id = i.serial_item_id) as unit_id
        from items i
        join part_revisions pr on pr.id = i.part_revision_id
        join parts p on p.id = pr.part_id
        left join stock_balances b on b.site_id = ${siteId}::uuid and b.part_revision_id = i.part_revision_id
             and b.lot_id is not distinct from i.lot_id and b.serial_item_id is not distinct from i.serial_item_id and b.on_hand > 0
             and b.location_id in (select x.id from storage_locations x where x.site_id = ${siteId}::uuid and x.kind in ('stores', 'quarantine'))
        left join storage_locations loc on loc.site_id = ${siteId}::uuid and loc.id = b.location_id
        where ${partNumber ? sql`p.part_number = ${partNumber}` : sql`true`}
        order by p.part_number, loc.code`,
  );
  return rows.map((r) => ({
    partRevisionId: r.part_revision_id,
    partNumber: r.part_number,
    revision: r.revision,
    uom: r.uom,
    lotId: r.lot_id,
    serialItemId: r.serial_item_id,
    number: r.number,
    locationId: r.location_id,
    locationCode: r.location_code,
    locationKind: r.location_kind,
    onHand: r.on_hand,
    reserved: r.reserved,
    unitId: r.unit_id,
  }));
}

export async function virtualLocation(db: DbOrTx, siteId: string, kind: "in_transit" | "other_sites"): Promise<{ id: string; code: string } | null> {
  const [row] = await queryRows<{ id: string; code: string }>(
    db,
    sql`select id, code from storage_locations where site_id = ${siteId}::uuid and kind = ${kind}::location_kind order by code limit 1`,
  );
  return row ?? null;
}

/** A stores or quarantine location of this site by id (null when it is not one of this site's). */
export async function receivingLocation(db: DbOrTx, siteId: string, locationId: string | null): Promise<{ id: string; code: string; kind: string } | null> {
  const [row] = await queryRows<{ id: string; code: string; kind: string }>(
    db,
    sql`select id, code, kind::text as kind from storage_locations where site_id = ${siteId}::uuid and kind in ('stores', 'quarantine')
        and ${locationId ? sql`id = ${locationId}::uuid` : sql`kind = 'stores'`} order by code limit 1`,
  );
  return row ?? null;
}

/** The stores and quarantine locations of this site (where a transfer may be received). */
export async function receivingLocations(db: DbOrTx, siteId: string): Promise<{ id: string; code: string; name: string; kind: string }[]> {
  return queryRows(db, sql`select id, code, name, kind::text as kind from storage_locations where site_id = ${siteId}::uuid and kind in ('stores', 'quarantine') order by kind desc, code`);
}

export type NewTransfer = {
  id: string;
  number: string;
  fromSiteId: string;
  toSiteId: string;
  partRevisionId: string;
  fromLotId: string | null;
  fromSerialItemId: string | null;
  quantity: string;
  fromLocationId: string;
  shippedAt: Date;
  shippedBy: string;
  shipMovementId: string;
};

export async function insertTransfer(tx: Tx, t: NewTransfer): Promise<void> {
  await tx.execute(sql`insert into site_transfers (id, number, from_site_id, to_site_id, status, part_revision_id, from_lot_id, from_serial_item_id, quantity,
                         from_location_id, shipped_at, shipped_by, ship_movement_id)
                       values (${t.id}::uuid, ${t.number}, ${t.fromSiteId}::uuid, ${t.toSiteId}::uuid, 'in_transit', ${t.partRevisionId}::uuid, ${t.fromLotId}::uuid,
                         ${t.fromSerialItemId}::uuid, ${t.quantity}::numeric, ${t.fromLocationId}::uuid, ${t.shippedAt.toISOString()}::timestamptz,
                         ${t.shippedBy}::uuid, ${t.shipMovementId}::uuid)`);
}

/** What the receiver needs of a transfer (the sender's item facts, to give the receiver's row of the item the same). */
export type LockedTransfer = {
  id: string;
  number: string;
  status: "in_transit" | "received";
  fromSiteId: string;
  fromSiteCode: string;
  fromPlant: string;
  toSiteId: string;
  partRevisionId: string;
  partNumber: string;
  revision: string;
  uom: string;
  fromLotId: string | null;
  fromSerialItemId: string | null;
  quantity: string;
  shippedAt: Date;
  /** the item's facts at the sender */
  item: {
    number: string;
    manufacturerId: string | null;
    supplierId: string | null;
    supplierLot: string | null;
    manufacturedAt: Date | null;
    expiresAt: Date | null;
    outTimeStartedAt: Date | null;
    inspectionStatus: "pending" | "accepted" | "rejected";
    certificateRef: string | null;
    uii: string | null;
  };
  receivedAt: Date | null;
  toLocationCode: string | null;
};

type RawLocked = {
  id: string;
  number: string;
  status: "in_transit" | "received";
  from_site_id: string;
  from_site_code: string;
  from_plant: string;
  to_site_id: string;
  part_revision_id: string;
  part_number: string;
  revision: string;
  uom: string;
  from_lot_id: string | null;
  from_serial_item_id: string | null;
  quantity: string;
  shipped_at: string;
  item_number: string;
  manufacturer_id: string | null;
  supplier_id: string | null;
  supplier_lot: string | null;
  manufactured_at: string | null;
  expires_at: string | null;
  out_time_started_at: string | null;
  inspection_status: "pending" | "accepted" | "rejected";
  certificate_ref: string | null;
  uii: string | null;
  received_at: string | null;
  to_location_code: string | null;
};

/**
 * Lock a transfer to this site for its receipt (FOR UPDATE: two receipts of it queue; the second sees it received).
 * Found by its number, or by the item's lot or serial number when exactly one transfer to this site in transit carries
 * it. Null when no transfer to this site matches; `ambiguous` lists the transfer numbers when several do.
 */
export async function lockTransferToReceive(tx: Tx, siteId: string, scan: string): Promise<{ transfer: LockedTransfer | null; ambiguous: string[] }> {
  const candidates = await queryRows<{ id: string; number: string; status: string }>(
    tx,
    sql`select t.id, t.number, t.status from site_transfers t
        left join lots l on l.site_id = t.from_site_id and l.id = t.from_lot_id
        left join serial_items s on s.site_id = t.from_site_id and s.id = t.from_serial_item_id
        where t.to_site_id = ${siteId}::uuid
          and (t.number = ${scan} or l.lot_number = ${scan} or s.serial_number = ${scan} or s.uii = ${scan})
        order by (t.number = ${scan}) desc, t.shipped_at desc
        limit 50`,
  );
  // the paperwork names one transfer; an item label names the one in transit, or (a retry of a receipt, or a label
  // scanned again) the last one received
  const exact = candidates.find((c) => c.number === scan);
  const open = candidates.filter((c) => c.status === "in_transit");
  if (!exact && open.length > 1) return { transfer: null, ambiguous: open.map((c) => c.number) };
  const chosen = exact ?? open[0] ?? candidates[0];
  if (!chosen) return { transfer: null, ambiguous: [] };
  await tx.execute(sql`select id from site_transfers where id = ${chosen.id}::uuid for update`);
  const [r] = await queryRows<RawLocked>(
    tx,
    sql`select t.id, t.number, t.status, t.from_site_id, fs.code as from_site_code, fs.erp_plant as from_plant, t.to_site_id, t.part_revision_id,
               p.part_number, pr.revision, p.uom, t.from_lot_id, t.from_serial_item_id, t.quantity::text as quantity, ${isoUtc(sql`t.shipped_at`)} as shipped_at,
               coalesce(l.lot_number, s.serial_number) as item_number, coalesce(l.manufacturer_id, s.manufacturer_id) as manufacturer_id,
               coalesce(l.supplier_id, s.supplier_id) as supplier_id, coalesce(l.supplier_lot, s.supplier_lot) as supplier_lot,
               ${isoUtc(sql`l.manufactured_at`)} as manufactured_at, ${isoUtc(sql`coalesce(l.expires_at, s.expires_at)`)} as expires_at,
               ${isoUtc(sql`l.out_time_started_at`)} as out_time_started_at, coalesce(l.inspection_status, s.inspection_status) as inspection_status,
               coalesce(l.certificate_ref, s.certificate_ref) as certificate_ref, s.uii, ${isoUtc(sql`t.received_at`)} as received_at, tl.code as to_location_code
        from site_transfers t
        join sites fs on fs.id = t.from_site_id
        join part_revisions pr on pr.id = t.part_revision_id
        join parts p on p.id = pr.part_id
        left join lots l on l.site_id = t.from_site_id and l.id = t.from_lot_id
        left join serial_items s on s.site_id = t.from_site_id and s.id = t.from_serial_item_id
        left join storage_locations tl on tl.site_id = t.to_site_id and tl.id = t.to_location_id
        where t.id = ${chosen.id}::uuid and t.to_site_id = ${siteId}::uuid`,
  );
  if (!r) return { transfer: null, ambiguous: [] };
  return {
    transfer: {
      id: r.id,
      number: r.number,
      status: r.status,
      fromSiteId: r.from_site_id,
      fromSiteCode: r.from_site_code,
      fromPlant: r.from_plant,
      toSiteId: r.to_site_id,
      partRevisionId: r.part_revision_id,
      partNumber: r.part_number,
      revision: r.revision,
      uom: r.uom,
      fromLotId: r.from_lot_id,
      fromSerialItemId: r.from_serial_item_id,
      quantity: r.quantity,
      shippedAt: toDate(r.shipped_at)!,
      item: {
        number: r.item_number,
        manufacturerId: r.manufacturer_id,
        supplierId: r.supplier_id,
        supplierLot: r.supplier_lot,
        manufacturedAt: toDate(r.manufactured_at),
        expiresAt: toDate(r.expires_at),
        outTimeStartedAt: toDate(r.out_time_started_at),
        inspectionStatus: r.inspection_status,
        certificateRef: r.certificate_ref,
        uii: r.uii,
      },
      receivedAt: toDate(r.received_at),
      toLocationCode: r.to_location_code,
    },
    ambiguous: [],
  };
}

/**
 * The receiver's row of the item: the lot (part revision + lot number) or serial (part revision + serial number) this
 * site already has, else a new row with the sender's facts and `inspection`. `created` says which.
 */
export async function receiverItem(
  tx: Tx,
  siteId: string,
  t: LockedTransfer,
  inspection: "pending" | "accepted" | "rejected",
): Promise<{ lotId: string | null; serialItemId: string | null; created: boolean; inspectionStatus: string }> {
  const f = t.item;
  if (t.fromLotId) {
    const [made] = await queryRows<{ id: string }>(
      tx,
      sql`insert into lots (site_id, part_revision_id, lot_number, manufacturer_id, supplier_id, supplier_lot, manufactured_at, expires_at, out_time_started_at, inspection_status, certificate_ref)
          values (${siteId}::uuid, ${t.partRevisionId}::uuid, ${f.number}, ${f.manufacturerId}::uuid, ${f.supplierId}::uuid, ${f.supplierLot},
                  ${f.manufacturedAt?.toISOString() ?? null}::timestamptz, ${f.expiresAt?.toISOString() ?? null}::timestamptz,
                  ${f.outTimeStartedAt?.toISOString() ?? null}::timestamptz, ${inspection}::inspection_status, ${f.certificateRef})
          on conflict (site_id, part_revision_id, lot_number) do nothing returning id`,
    );
    if (made) return { lotId: made.id, serialItemId: null, created: true, inspectionStatus: inspection };
    const [had] = await queryRows<{ id: string; inspection_status: string }>(
      tx,
      sql`select id, inspection_status::text from lots where site_id = ${siteId}::uuid and part_revision_id = ${t.partRevisionId}::uuid and lot_number = ${f.number}`,
    );
    return { lotId: had!.id, serialItemId: null, created: false, inspectionStatus: had!.inspection_status };
  }
  const [made] = await queryRows<{ id: string }>(
    tx,
    sql`insert into serial_items (site_id, part_revision_id, serial_number, manufacturer_id, supplier_id, supplier_lot, expires_at, inspection_status, certificate_ref, built_here, uii)
        values (${siteId}::uuid, ${t.partRevisionId}::uuid, ${f.number}, ${f.manufacturerId}::uuid, ${f.supplierId}::uuid, ${f.supplierLot},
                ${f.expiresAt?.toISOString() ?? null}::timestamptz, ${inspection}::inspection_status, ${f.certificateRef}, false, ${f.uii})
        on conflict (site_id, part_revision_id, serial_number) do nothing returning id`,
  );
  if (made) return { lotId: null, serialItemId: made.id, created: true, inspectionStatus: inspection };
  const [had] = await queryRows<{ id: string; inspection_status: string }>(
    tx,
    sql`select id, inspection_status::text from serial_items where site_id = ${siteId}::uuid and part_revision_id = ${t.partRevisionId}::uuid and serial_number = ${f.number}`,
  );
  return { lotId: null, serialItemId: had!.id, created: false, inspectionStatus: had!.inspection_status };
}

export async function markTransferReceived(
  tx: Tx,
  transferId: string,
  v: { toLotId: string | null; toSerialItemId: string | null; toLocationId: string; at: Date; by: string; receiveMovementId: string; deliveredMovementId: string; inspection: string },
): Promise<void> {
  await tx.execute(sql`update site_transfers set status = 'received', to_lot_id = ${v.toLotId}::uuid, to_serial_item_id = ${v.toSerialItemId}::uuid,
                         to_location_id = ${v.toLocationId}::uuid, received_at = ${v.at.toISOString()}::timestamptz, received_by = ${v.by}::uuid,
                         receive_movement_id = ${v.receiveMovementId}::uuid, delivered_movement_id = ${v.deliveredMovementId}::uuid,
                         received_inspection = ${v.inspection}
                       where id = ${transferId}::uuid and status = 'in_transit'`);
}

/** A transfer as either site sees it: numbers, the other site's code and name, never the other site's row ids. */
export type TransferView = {
  id: string;
  number: string;
  direction: "incoming" | "outgoing";
  status: "in_transit" | "received";
  otherSiteCode: string;
  otherSiteName: string;
  partNumber: string;
  revision: string;
  description: string;
  itemKind: "lot" | "serial";
  itemNumber: string;
  quantity: string;
  uom: string;
  shippedAt: Date;
  receivedAt: Date | null;
  /** where it left from (outgoing) or was put (incoming, once received): a location of the viewer's own site */
  locationCode: string | null;
  receivedInspection: string | null;
};

/** Transfers to or from this site: in transit first, then the most recent; at most `limit` of each direction. */
export async function listTransfers(db: DbOrTx, siteId: string, opts: { direction: "incoming" | "outgoing"; status?: "in_transit" | "received"; limit?: number }): Promise<TransferView[]> {
  const limit = Math.max(1, Math.min(200, opts.limit ?? 50));
  const mine = opts.direction === "incoming" ? sql`t.to_site_id` : sql`t.from_site_id`;
  const other = opts.direction === "incoming" ? sql`t.from_site_id` : sql`t.to_site_id`;
  const rows = await queryRows<{
    id: string;
    number: string;
    status: "in_transit" | "received";
    other_code: string;
    other_name: string;
    part_number: string;
    revision: string;
    description: string;
    item_kind: "lot" | "serial";
    item_number: string;
    quantity: string;
    uom: string;
    shipped_at: string;
    received_at: string | null;
    location_code: string | null;
    received_inspection: string | null;
  }>(
    db,
    sql`select t.id, t.number, t.status, o.code as other_code, o.name as other_name, p.part_number, pr.revision, p.description,
               case when t.from_lot_id is not null then 'lot' else 'serial' end as item_kind, coalesce(l.lot_number, s.serial_number) as item_number,
               t.quantity::text as quantity, p.uom, ${isoUtc(sql`t.shipped_at`)} as shipped_at, ${isoUtc(sql`t.received_at`)} as received_at,
               loc.code as location_code, t.received_inspection
        from site_transfers t
        join sites o on o.id = ${other}
        join part_revisions pr on pr.id = t.part_revision_id
        join parts p on p.id = pr.part_id
        left join lots l on l.site_id = t.from_site_id and l.id = t.from_lot_id
        left join serial_items s on s.site_id = t.from_site_id and s.id = t.from_serial_item_id
        left join storage_locations loc on loc.site_id = ${siteId}::uuid
             and loc.id = ${opts.direction === "incoming" ? sql`t.to_location_id` : sql`t.from_location_id`}
        where ${mine} = ${siteId}::uuid ${opts.status ? sql`and t.status = ${opts.status}` : sql``}
        order by (t.status = 'in_transit') desc, t.shipped_at desc, t.number
        limit ${limit}`,
  );
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    direction: opts.direction,
    status: r.status,
    otherSiteCode: r.other_code,
    otherSiteName: r.other_name,
    partNumber: r.part_number,
    revision: r.revision,
    description: r.description,
    itemKind: r.item_kind,
    itemNumber: r.item_number,
    quantity: r.quantity,
    uom: r.uom,
    shippedAt: toDate(r.shipped_at)!,
    receivedAt: toDate(r.received_at),
    locationCode: r.location_code,
    receivedInspection: r.received_inspection,
  }));
}
