import "server-only";
import { and, asc, eq, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx, type Tx } from "@/db/client";
import {
  allowedLots,
  kitLines,
  kitPicks,
  kits,
  lots,
  manufacturers,
  partRevisions,
  parts,
  serialItems,
  stations,
  storageLocations,
  units,
  workOrderBomLines,
  workOrders,
} from "@/db/schema";
import type { BomLineSnapshot, LineCoverage, UnitSnapshot } from "@/server/domain/kitting/pick-list";
import type { Candidate } from "@/server/domain/kitting/lot-rules";
import type { KitStatus } from "@/server/domain/kitting/kit-rules";
import { DomainError } from "@/server/domain/shared/errors";
import { formatQuantity } from "@/server/domain/shared/quantity";
import { activeHoldExists, activeHoldReasons, isoUtc, toDate, unauthorisedSources } from "./hold-flags";
import type { StorageClass } from "@/server/domain/material-clock/material-clock";
import { clockColumnsSql, clockFromRow, type ClockColumns } from "./material-clock";

/* Kits, their lines and picks, allowed lots, and the stock a kit can take from. Every query is scoped by site. */

/** Locations a kit is picked from: stores, the kitting area, kit carts (never quarantine or a station). */
export const PICKABLE_KINDS = ["stores", "kitting", "kit_cart"] as const;
const OPEN_KIT = ["planned", "picking", "complete", "short"] as const;

export type WorkOrderHead = { id: string; number: string; status: string; quantity: number; dueDate: string; partRevisionId: string };

export async function lockWorkOrder(tx: Tx, siteId: string, workOrderId: string): Promise<WorkOrderHead | null> {
  const [row] = await tx
    .select({ id: workOrders.id, number: workOrders.number, status: workOrders.status, quantity: workOrders.quantity, dueDate: workOrders.dueDate, partRevisionId: workOrders.partRevisionId })
    .from(workOrders)
    .where(and(eq(workOrders.siteId, siteId), eq(workOrders.id, workOrderId)))
    .for("update");
  return row ?? null;
}

export async function loadBomLines(db: DbOrTx, siteId: string, workOrderId: string): Promise<BomLineSnapshot[]> {
  return db
    .select({
      id: workOrderBomLines.id,
      findNumber: workOrderBomLines.findNumber,
      componentRevisionId: workOrderBomLines.componentRevisionId,
      quantityPerUnit: workOrderBomLines.quantityPerUnit,
      operationSeq: workOrderBomLines.operationSeq,
      serialFrom: workOrderBomLines.serialFrom,
      serialTo: workOrderBomLines.serialTo,
      effectiveFrom: workOrderBomLines.effectiveFrom,
      effectiveTo: workOrderBomLines.effectiveTo,
    })
    .from(workOrderBomLines)
    .where(and(eq(workOrderBomLines.siteId, siteId), eq(workOrderBomLines.workOrderId, workOrderId)))
    .orderBy(asc(workOrderBomLines.operationSeq), asc(workOrderBomLines.findNumber));
}

export async function loadUnits(db: DbOrTx, siteId: string, workOrderId: string): Promise<UnitSnapshot[]> {
  return db
    .select({ id: units.id, serial: units.serial, status: units.status })
    .from(units)
    .where(and(eq(units.siteId, siteId), eq(units.workOrderId, workOrderId)))
    .orderBy(asc(units.serial));
}

/** Per BOM line of the order: picks of open kits, picks of issued kits, and installed quantity per unit. */
export async function loadCoverage(db: DbOrTx, siteId: string, workOrderId: string): Promise<Record<string, LineCoverage>> {
  const picks = await queryRows<{ bom_line_id: string; open_q: string; issued_q: string }>(
    db,
    sql`select kl.work_order_bom_line_id as bom_line_id,
               coalesce(sum(p.quantity) filter (where k.status in ('planned','picking','complete','short')), 0)::text as open_q,
               coalesce(sum(p.quantity) filter (where k.status = 'issued'), 0)::text as issued_q
        from kit_picks p
        join kit_lines kl on kl.site_id = p.site_id and kl.id = p.kit_line_id
        join kits k on k.site_id = p.site_id and k.id = p.kit_id
        where p.site_id = ${siteId} and k.work_order_id = ${workOrderId}
        group by kl.work_order_bom_line_id`,
  );
  const installed = await queryRows<{ bom_line_id: string; unit_id: string; q: string }>(
    db,
    sql`select bl.id as bom_line_id, e.parent_unit_id as unit_id, sum(e.quantity)::text as q
        from work_order_bom_lines bl
        join units u on u.site_id = bl.site_id and u.work_order_id = bl.work_order_id
        join genealogy_edges e on e.site_id = u.site_id and e.parent_unit_id = u.id
          and e.child_part_revision_id = bl.component_revision_id and e.operation_seq = bl.operation_seq and e.removed_at is null
        where bl.site_id = ${siteId} and bl.work_order_id = ${workOrderId}
        group by bl.id, e.parent_unit_id`,
  );
  const out: Record<string, LineCoverage> = {};
  const get = (id: string) => (out[id] ??= { openKitPicks: "0", issuedKitPicks: "0", installedByUnit: {} });
  for (const p of picks) Object.assign(get(p.bom_line_id), { openKitPicks: p.open_q, issuedKitPicks: p.issued_q });
  for (const i of installed) get(i.bom_line_id).installedByUnit[i.unit_id] = i.q;
  return out;
}

export async function countKits(tx: Tx, siteId: string, workOrderId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(kits)
    .where(and(eq(kits.siteId, siteId), eq(kits.workOrderId, workOrderId)));
  return row?.n ?? 0;
}

export async function insertKit(tx: Tx, k: typeof kits.$inferInsert): Promise<string> {
  const [row] = await tx.insert(kits).values(k).returning({ id: kits.id });
  return row!.id;
}

export async function insertKitLines(tx: Tx, rows: (typeof kitLines.$inferInsert)[]): Promise<void> {
  if (rows.length > 0) await tx.insert(kitLines).values(rows);
}

export type KitHead = {
  id: string;
  number: string;
  status: KitStatus;
  scope: "work_order" | "operation" | "unit";
  operationSeq: number | null;
  unitId: string | null;
  stationId: string | null;
  workOrderId: string;
  workOrderNumber: string;
  dueDate: string;
  issueMovementId: string | null;
};

function kitHeadQuery(db: DbOrTx, where: ReturnType<typeof and>) {
  return db
    .select({
      id: kits.id,
      number: kits.number,
      status: kits.status,
      scope: kits.scope,
      operationSeq: kits.operationSeq,
      unitId: kits.unitId,
      stationId: kits.stationId,
      workOrderId: kits.workOrderId,
      workOrderNumber: workOrders.number,
      dueDate: workOrders.dueDate,
      issueMovementId: kits.issueMovementId,
    })
    .from(kits)
    .innerJoin(workOrders, and(eq(workOrders.siteId, kits.siteId), eq(workOrders.id, kits.workOrderId)))
    .where(where);
}

/** The kit row locked for the rest of the transaction (picks and issues of one kit queue here); null if not at this site. */
export async function lockKit(tx: Tx, siteId: string, kitId: string): Promise<KitHead | null> {
  const [locked] = await tx.select({ id: kits.id }).from(kits).where(and(eq(kits.siteId, siteId), eq(kits.id, kitId))).for("update");
  if (!locked) return null;
  return findKit(tx, siteId, kitId);
}

export async function findKit(db: DbOrTx, siteId: string, kitId: string): Promise<KitHead | null> {
  const [row] = await kitHeadQuery(db, and(eq(kits.siteId, siteId), eq(kits.id, kitId)));
  return row ?? null;
}

export type KitLineDetail = {
  id: string;
  bomLineId: string;
  findNumber: number;
  operationSeq: number;
  partRevisionId: string;
  partId: string;
  partNumber: string;
  revision: string;
  description: string;
  uom: string;
  tracking: "serial" | "lot" | "untracked";
  minRemainingShelfLifeDays: number | null;
  required: string;
  picked: string;
  shortQty: string;
  shortReason: string | null;
};

export async function loadKitLines(db: DbOrTx, siteId: string, kitId: string): Promise<KitLineDetail[]> {
  const rows = await db
    .select({
      id: kitLines.id,
      bomLineId: kitLines.workOrderBomLineId,
      findNumber: workOrderBomLines.findNumber,
      operationSeq: workOrderBomLines.operationSeq,
      partRevisionId: kitLines.partRevisionId,
      partId: parts.id,
      partNumber: parts.partNumber,
      revision: partRevisions.revision,
      description: parts.description,
      uom: parts.uom,
      tracking: parts.tracking,
      minRemainingShelfLifeDays: parts.minRemainingShelfLifeDays,
      required: kitLines.requiredQty,
      picked: sql<string>`coalesce((select sum(p.quantity) from kit_picks p where p.site_id = ${kitLines.siteId} and p.kit_line_id = ${kitLines.id}), 0)::text`,
      shortQty: kitLines.shortQty,
      shortReason: kitLines.shortReason,
    })
    .from(kitLines)
    .innerJoin(workOrderBomLines, and(eq(workOrderBomLines.siteId, kitLines.siteId), eq(workOrderBomLines.id, kitLines.workOrderBomLineId)))
    .innerJoin(partRevisions, eq(partRevisions.id, kitLines.partRevisionId))
    .innerJoin(parts, eq(parts.id, partRevisions.partId))
    .where(and(eq(kitLines.siteId, siteId), eq(kitLines.kitId, kitId)))
    .orderBy(asc(workOrderBomLines.operationSeq), asc(workOrderBomLines.findNumber), asc(partRevisions.revision));
  return rows.map((r) => ({ ...r, required: formatQuantity(r.required), picked: formatQuantity(r.picked), shortQty: formatQuantity(r.shortQty) }));
}

export type KitPickRow = {
  id: string;
  kitLineId: string;
  locationId: string;
  locationCode: string;
  locationName: string;
  partRevisionId: string;
  partNumber: string;
  revision: string;
  uom: string;
  lotId: string | null;
  lotNumber: string | null;
  serialItemId: string | null;
  serialNumber: string | null;
  quantity: string;
  pickedAt: Date;
};

export async function loadKitPicks(db: DbOrTx, siteId: string, kitId: string): Promise<KitPickRow[]> {
  const rows = await db
    .select({
      id: kitPicks.id,
      kitLineId: kitPicks.kitLineId,
      locationId: kitPicks.locationId,
      locationCode: storageLocations.code,
      locationName: storageLocations.name,
      partRevisionId: kitPicks.partRevisionId,
      partNumber: parts.partNumber,
      revision: partRevisions.revision,
      uom: parts.uom,
      lotId: kitPicks.lotId,
      lotNumber: lots.lotNumber,
      serialItemId: kitPicks.serialItemId,
      serialNumber: serialItems.serialNumber,
      quantity: kitPicks.quantity,
      pickedAt: kitPicks.pickedAt,
    })
    .from(kitPicks)
    .innerJoin(storageLocations, and(eq(storageLocations.siteId, kitPicks.siteId), eq(storageLocations.id, kitPicks.locationId)))
    .innerJoin(partRevisions, eq(partRevisions.id, kitPicks.partRevisionId))
    .innerJoin(parts, eq(parts.id, partRevisions.partId))
    .leftJoin(lots, and(eq(lots.siteId, kitPicks.siteId), eq(lots.id, kitPicks.lotId)))
    .leftJoin(serialItems, and(eq(serialItems.siteId, kitPicks.siteId), eq(serialItems.id, kitPicks.serialItemId)))
    .where(and(eq(kitPicks.siteId, siteId), eq(kitPicks.kitId, kitId)))
    .orderBy(asc(kitPicks.pickedAt), asc(kitPicks.id));
  return rows.map((r) => ({ ...r, quantity: formatQuantity(r.quantity) }));
}

export async function insertPick(tx: Tx, p: typeof kitPicks.$inferInsert): Promise<string> {
  const [row] = await tx.insert(kitPicks).values(p).returning({ id: kitPicks.id });
  return row!.id;
}

export async function setKitStatus(tx: Tx, siteId: string, kitId: string, status: KitStatus): Promise<void> {
  await tx.update(kits).set({ status }).where(and(eq(kits.siteId, siteId), eq(kits.id, kitId)));
}

export async function markKitIssued(tx: Tx, siteId: string, kitId: string, v: { stationId: string; issuedBy: string; issuedAt: Date; movementId: string }): Promise<void> {
  await tx
    .update(kits)
    .set({ status: "issued", stationId: v.stationId, issuedBy: v.issuedBy, issuedAt: v.issuedAt, issueMovementId: v.movementId })
    .where(and(eq(kits.siteId, siteId), eq(kits.id, kitId)));
}

export async function setLineShort(tx: Tx, siteId: string, kitLineId: string, shortQty: string, reason: string | null): Promise<void> {
  await tx.update(kitLines).set({ shortQty, shortReason: reason }).where(and(eq(kitLines.siteId, siteId), eq(kitLines.id, kitLineId)));
}

// ---- scans --------------------------------------------------------------------------------------------------------

export type ScannedItem = {
  kind: "lot" | "serial" | "part";
  partId: string;
  partNumber: string;
  tracking: "serial" | "lot" | "untracked";
  /** the item's revision; null for a part scanned by number (any revision of it) */
  partRevisionId: string | null;
  revision: string | null;
  lotId: string | null;
  lotNumber: string | null;
  serialItemId: string | null;
  serialNumber: string | null;
} & LabelRecordFacts;

/** What a label is compared with (server/domain/label-check): the record's identifiers beside the item's keys. */
export type LabelRecordFacts = {
  gtin: string | null;
  /** the part that owns the scan's GTIN (null: no part, or no GTIN scanned) */
  gtinOwnerPartNumber: string | null;
  manufacturerCode: string | null;
  expiresAt: Date | null;
  uii: string | null;
  /** the serial that holds the scan's UII (null: none, or no UII scanned) */
  uiiOwnerSerial: string | null;
  supplierLot: string | null;
};

/** The identifiers of a scan the lookups use (server/domain/scan, readScan). */
export type ScanIdentifiers = { lot?: string; serial?: string; partNumber?: string; text?: string; uii?: string; gtin?: string };

/** What a scan is looked up by: a lot number, a serial number or UII, a part number (findScannedItems, soleScannedItemSql). */
function scanTerms(ids: ScanIdentifiers) {
  const lotNumber = ids.lot ?? ids.text;
  // a label with a serial names a serial item (its lot, if any, is the supplier's lot, compared afterwards)
  const serialNumber = ids.serial ?? (ids.lot ? undefined : ids.text);
  const partNumber = ids.partNumber ?? (ids.lot || ids.serial ? undefined : ids.text);
  const uii = ids.uii?.toUpperCase();
  return { lotNumber, serialNumber, partNumber, uii, byLot: Boolean(lotNumber && !ids.serial), byPart: Boolean(partNumber && !ids.lot && !ids.serial && !uii) };
}

/**
 * The one lot or serial a scan names, as a query of zero or one row `(lot, serial, rev)`: the same lookups as
 * findScannedItems, answering a row only when they find exactly one item and it is a lot or serial (a part: which
 * revision it means depends on the bill of materials). Null when the scan names nothing to look up. An install locks
 * this item's hold keys in its first statement (server/repos/station-work.ts) and reads its facts with the rest; the
 * item it resolves from findScannedItems is then this one (the only candidate), else it takes the keys afterwards.
 */
export function soleScannedItemSql(siteId: string, ids: ScanIdentifiers): SQL | null {
  const { lotNumber, serialNumber, partNumber, uii, byLot, byPart } = scanTerms(ids);
  const found: SQL[] = [];
  if (byPart) found.push(sql`select null::uuid as lot, null::uuid as serial, null::uuid as rev from parts p where p.part_number = ${partNumber!}`);
  if (byLot) found.push(sql`select lo.id as lot, null::uuid as serial, lo.part_revision_id as rev from lots lo where lo.site_id = ${siteId}::uuid and lo.lot_number = ${lotNumber!}`);
  const serialWhere = uii ? (serialNumber ? sql`(si.serial_number = ${serialNumber} or si.uii = ${uii})` : sql`si.uii = ${uii}`) : serialNumber ? sql`si.serial_number = ${serialNumber}` : null;
  if (serialWhere) found.push(sql`select null::uuid as lot, si.id as serial, si.part_revision_id as rev from serial_items si where si.site_id = ${siteId}::uuid and ${serialWhere}`);
  if (found.length === 0) return null;
  return sql`select c.lot, c.serial, c.rev from (select f.lot, f.serial, f.rev, count(*) over () as n from (${sql.join(
    found.map((q) => sql`(${q} limit 2)`),
    sql` union all `,
  )}) f) c where c.n = 1 and (c.lot is not null or c.serial is not null)`;
}

/**
 * Lots, serials and (untracked) parts of this site matching the identifiers of a scan, each with the record facts its
 * label is checked against. A lot or serial is found by its number whatever part the label names (a label naming
 * another part is then a contradiction the caller names, not an unknown item); a serial also by its UII. Items of the
 * label's part come first.
 */
export async function findScannedItems(
  db: DbOrTx,
  siteId: string,
  ids: ScanIdentifiers,
): Promise<ScannedItem[]> {
  const { lotNumber, serialNumber, partNumber, uii, byLot: lotsAsked, byPart: partsAsked } = scanTerms(ids);
  const gtinOwner = ids.gtin
    ? sql<string | null>`(select g.part_number from parts g where g.gtin = ${ids.gtin.padStart(14, "0")})`
    : sql<string | null>`null::text`;
  const uiiOwner = uii
    ? sql<string | null>`(select u.serial_number from serial_items u where u.site_id = ${siteId}::uuid and u.uii = ${uii})`
    : sql<string | null>`null::text`;
  const serialWhere = uii
    ? serialNumber
      ? or(eq(serialItems.serialNumber, serialNumber), eq(serialItems.uii, uii))
      : eq(serialItems.uii, uii)
    : serialNumber
      ? eq(serialItems.serialNumber, serialNumber)
      : undefined;
  // the lookups are independent: sent together (one round trip on a transaction's connection)
  const [byLot, bySerial, byPart] = await Promise.all([
    lotsAsked
      ? db
          .select({
            lotId: lots.id, lotNumber: lots.lotNumber, partRevisionId: lots.partRevisionId, revision: partRevisions.revision, partId: parts.id, partNumber: parts.partNumber, tracking: parts.tracking,
            gtin: parts.gtin, gtinOwnerPartNumber: gtinOwner, manufacturerCode: manufacturers.code, expiresAt: lots.expiresAt, supplierLot: lots.supplierLot,
          })
          .from(lots)
          .innerJoin(partRevisions, eq(partRevisions.id, lots.partRevisionId))
          .innerJoin(parts, eq(parts.id, partRevisions.partId))
          .leftJoin(manufacturers, eq(manufacturers.id, lots.manufacturerId))
          .where(and(eq(lots.siteId, siteId), eq(lots.lotNumber, lotNumber!)))
          .limit(50)
      : [],
    serialWhere
      ? db
          .select({
            serialItemId: serialItems.id, serialNumber: serialItems.serialNumber, partRevisionId: serialItems.partRevisionId, revision: partRevisions.revision, partId: parts.id, partNumber: parts.partNumber, tracking: parts.tracking,
            gtin: parts.gtin, gtinOwnerPartNumber: gtinOwner, manufacturerCode: manufacturers.code, expiresAt: serialItems.expiresAt, supplierLot: serialItems.supplierLot, uii: serialItems.uii, uiiOwnerSerial: uiiOwner,
          })
          .from(serialItems)
          .innerJoin(partRevisions, eq(partRevisions.id, serialItems.partRevisionId))
          .innerJoin(parts, eq(parts.id, partRevisions.partId))
          .leftJoin(manufacturers, eq(manufacturers.id, serialItems.manufacturerId))
          .where(and(eq(serialItems.siteId, siteId), serialWhere))
          .limit(50)
      : [],
    partsAsked
      ? db.select({ partId: parts.id, partNumber: parts.partNumber, tracking: parts.tracking, gtin: parts.gtin, gtinOwnerPartNumber: gtinOwner }).from(parts).where(eq(parts.partNumber, partNumber!))
      : [],
  ]);
  // a serial that holds the scanned UII is the item the label names: the others found by number are not
  const serials = uii && bySerial.some((r) => r.uii === uii) ? bySerial.filter((r) => r.uii === uii) : bySerial;
  const items: ScannedItem[] = [
    ...byLot.map((r) => ({ kind: "lot" as const, ...r, serialItemId: null, serialNumber: null, uii: null, uiiOwnerSerial: null })),
    ...serials.map((r) => ({ kind: "serial" as const, ...r, lotId: null, lotNumber: null })),
    ...byPart.map((r) => ({
      kind: "part" as const, ...r, partRevisionId: null, revision: null, lotId: null, lotNumber: null, serialItemId: null, serialNumber: null,
      manufacturerCode: null, expiresAt: null, uii: null, uiiOwnerSerial: null, supplierLot: null,
    })),
  ];
  const wanted = ids.partNumber?.toUpperCase();
  return wanted ? [...items.filter((i) => i.partNumber.toUpperCase() === wanted), ...items.filter((i) => i.partNumber.toUpperCase() !== wanted)] : items;
}

/**
 * Store a UII read from a serial's label at its first accepted scan (never over one already stored). A UII another
 * serial of the site holds is the label contradicting the record: refused.
 */
export async function recordSerialUii(db: DbOrTx, siteId: string, serialItemId: string, uii: string): Promise<void> {
  try {
    await db.update(serialItems).set({ uii }).where(and(eq(serialItems.siteId, siteId), eq(serialItems.id, serialItemId), isNull(serialItems.uii)));
  } catch (e) {
    const err = ((e as { cause?: unknown })?.cause ?? e) as { code?: string; constraint_name?: string };
    if (err?.code === "23505" && err.constraint_name === "serial_items_uii_unique") {
      throw new DomainError("LABEL_CONTRADICTS_RECORD", `UII ${uii} is already recorded on another serial: the label does not belong to this serial.`, { uii });
    }
    throw e;
  }
}

// ---- stock a kit can take from --------------------------------------------------------------------------------------

type CandidateRow = ClockColumns & {
  location_id: string;
  location_code: string;
  part_revision_id: string;
  lot_id: string | null;
  lot_number: string | null;
  serial_item_id: string | null;
  serial_number: string | null;
  expires_at: string | null;
  inspection_status: "pending" | "accepted" | "rejected" | null;
  manufacturer_code: string | null;
  manufacturer_name: string | null;
  location_name: string;
  location_kind: string;
  location_storage_class: StorageClass | null;
  aml: "approved" | "disqualified" | "not_listed" | "no_aml";
  hold_reasons: string[];
  unauthorised_sources: string[];
  on_hand: string;
  reserved: string;
};

export type CandidateFilter = {
  partRevisionIds: string[];
  lotId?: string | null;
  serialItemId?: string | null;
  untrackedOnly?: boolean;
  locationId?: string;
  limitPerRevision?: number;
  flagBefore?: Date;
  anyLocationKind?: boolean;
  /**
   * Allowed-lot lists in force (with `limitPerRevision`): per part revision, the lots quality named for it, and whether
   * every line of that revision is restricted. A restricted revision suggests from its allowed lots only (the others
   * come back as excluded, so the lot rules give LOT_NOT_ALLOWED); the named lots are always read, however far down the
   * expiry order they are.
   */
  allowedLots?: { partRevisionId: string; lotIds: string[]; restricted: boolean }[];
};

/** The SQL of loadCandidates (exported for EXPLAIN in the benchmark). */
export function candidatesQuery(siteId: string, f: CandidateFilter): SQL {
  const revisionList = sql.join(f.partRevisionIds.map((id) => sql`${id}::uuid`), sql`, `);
  const manufacturer = sql`coalesce(lo.manufacturer_id, si.manufacturer_id)`;
  const pickable = sql`('stores', 'kitting', 'kit_cart')`;
  const holdReasons = activeHoldReasons({
    siteId: sql`b.site_id`,
    partRevisionId: sql`b.part_revision_id`,
    lotId: sql`b.lot_id`,
    serialItemId: sql`b.serial_item_id`,
    manufacturerId: manufacturer,
    supplierId: sql`coalesce(lo.supplier_id, si.supplier_id)`,
  });
  /** Facts per balance row selected by `which` (a condition on b), formatted for the lot rules. */
  const facts = (which: SQL) => sql`
    select b.location_id, l.code as location_code, l.name as location_name, l.kind::text as location_kind, l.storage_class::text as location_storage_class, b.part_revision_id, b.lot_id, lo.lot_number, b.serial_item_id, si.serial_number,
           ${isoUtc(sql`coalesce(lo.expires_at, si.expires_at)`)} as expires_at,
           case when b.lot_id is null and b.serial_item_id is null then null else coalesce(lo.inspection_status, si.inspection_status)::text end as inspection_status,
           m.code as manufacturer_code, m.name as manufacturer_name,
           case when ${manufacturer} is null or not exists (select 1 from approved_manufacturers am where am.part_id = pr.part_id) then 'no_aml'
                else coalesce((select am.status::text from approved_manufacturers am where am.part_id = pr.part_id and am.manufacturer_id = ${manufacturer}), 'not_listed')
           end as aml,
           ${holdReasons} as hold_reasons,
           ${unauthorisedSources({ manufacturerId: manufacturer, supplierId: sql`coalesce(lo.supplier_id, si.supplier_id)` })} as unauthorised_sources,
           b.on_hand::text as on_hand, b.reserved::text as reserved, ${clockColumnsSql()}
    from stock_balances b
    join storage_locations l on l.site_id = b.site_id and l.id = b.location_id
    join part_revisions pr on pr.id = b.part_revision_id
    join parts p on p.id = pr.part_id
    left join lots lo on lo.site_id = b.site_id and lo.id = b.lot_id
    left join serial_items si on si.site_id = b.site_id and si.id = b.serial_item_id
    left join manufacturers m on m.id = ${manufacturer}
    where b.site_id = ${siteId} and ${which}
      and b.on_hand > 0 ${f.anyLocationKind ? sql`and l.is_physical` : sql`and l.kind in ${pickable}`}
      ${f.lotId ? sql`and b.lot_id = ${f.lotId}::uuid` : sql``}
      ${f.serialItemId ? sql`and b.serial_item_id = ${f.serialItemId}::uuid` : sql``}
      ${f.untrackedOnly ? sql`and b.lot_id is null and b.serial_item_id is null` : sql``}
      ${f.locationId ? sql`and b.location_id = ${f.locationId}::uuid` : sql``}`;
  if (!f.limitPerRevision) return facts(sql`b.part_revision_id in (${revisionList})`);

  // For a screen over many lines: per revision, walk its lots in expiry order on the lots index and keep the first N+1
  // that may be used and the first N+1 that may not (hold, inspection, expiry and minimum remaining shelf life at
  // planned use, AML: the lot rules' tests, on small pre-computed sets), plus all serial and untracked stock. The lot rules decide on what comes back;
  // N+1 tells the screen that there is more than it shows.
  const n = f.limitPerRevision + 1;
  const flagBefore = sql`${(f.flagBefore ?? new Date(0)).toISOString()}::timestamptz`;
  const inSet = (value: SQL, set: string) => sql`coalesce(${value} in (select id from ${sql.raw(set)}), false)`;
  // a mixed lot is also held through the lots it was mixed from (read for mixed lots only: one probe of lot_inputs)
  const heldThroughInputs = sql`(exists (select 1 from lot_inputs mx where mx.site_id = lo.site_id and mx.child_lot_id = lo.id) and ${activeHoldExists({
    siteId: sql`lo.site_id`,
    partRevisionId: sql`lo.part_revision_id`,
    lotId: sql`lo.id`,
    serialItemId: null,
    manufacturerId: sql`lo.manufacturer_id`,
    supplierId: sql`lo.supplier_id`,
  })})`;
  const flagged = sql`(${inSet(sql`lo.id`, "held_lots")} or ${inSet(sql`lo.part_revision_id`, "held_revisions")}
      or ${inSet(sql`lo.manufacturer_id`, "held_manufacturers")} or ${inSet(sql`lo.supplier_id`, "held_suppliers")} or ${heldThroughInputs}
      or ${inSet(sql`lo.manufacturer_id`, "unauthorised_manufacturers")} or ${inSet(sql`lo.supplier_id`, "unauthorised_suppliers")}
      or lo.inspection_status <> 'accepted' or coalesce(lo.expires_at, 'infinity') <= ${flagBefore} + r.min_days * interval '1 day'
      or (lo.manufacturer_id is not null and ${inSet(sql`lo.part_revision_id`, "aml_revisions")}
          and not ${inSet(sql`lo.part_revision_id::text || lo.manufacturer_id::text`, "aml_approved")}))`;
  const allowed = (f.allowedLots ?? []).filter((a) => a.lotIds.length > 0);
  const allowedPairs = allowed.flatMap((a) => a.lotIds.map((lotId) => sql`(${a.partRevisionId}::uuid, ${lotId}::uuid)`));
  const restrictedList = allowed.filter((a) => a.restricted).map((a) => sql`${a.partRevisionId}::uuid`);
  // a lot of a restricted revision that is not on its list: excluded (LOT_NOT_ALLOWED), never suggested
  const notAllowed = restrictedList.length === 0 ? sql`false` : sql`(r.restricted and not exists (select 1 from allowed_in_force a where a.part_revision_id = r.id and a.lot_id = lo.id))`;
  // A restricted revision needs no walk for usable lots: its listed lots are read directly (allowed_in_force), and the
  // walk would have to pass every other lot of the revision to find them.
  const walk = (bad: boolean) => sql`
    select x.id from ${bad || restrictedList.length === 0 ? sql`revision_rules r` : sql`(select * from revision_rules where not restricted) r`}
    cross join lateral (
      select lo.id from lots lo
      where lo.site_id = ${siteId} and lo.part_revision_id = r.id
        and exists (select 1 from stock_balances sb join storage_locations sl on sl.site_id = sb.site_id and sl.id = sb.location_id
                    where sb.site_id = lo.site_id and sb.lot_id = lo.id and sb.on_hand > 0 and sl.kind in ${pickable})
        and ${bad ? sql`(${flagged} or ${notAllowed})` : sql`not (${flagged} or ${notAllowed})`}
      order by lo.expires_at asc nulls last
      limit ${n}) x`;
  const held = (type: string) => sql`select target_id as id from holds where site_id = ${siteId} and released_at is null and target_type = ${type}`;
  return sql`
    with revision_rules as (select pr.id, coalesce(p.min_remaining_shelf_life_days, 0) as min_days,
                                   ${restrictedList.length === 0 ? sql`false` : sql`pr.id in (${sql.join(restrictedList, sql`, `)})`} as restricted
                            from part_revisions pr join parts p on p.id = pr.part_id where pr.id in (${revisionList})),
         allowed_in_force as (${
           allowedPairs.length === 0
             ? sql`select null::uuid as part_revision_id, null::uuid as lot_id where false`
             : sql`select * from (values ${sql.join(allowedPairs, sql`, `)}) v(part_revision_id, lot_id)`
         }),
         held_lots as (${held("lot")}), held_revisions as (${held("part_revision")}),
         held_manufacturers as (${held("manufacturer")}), held_suppliers as (${held("supplier")}),
         unauthorised_manufacturers as (select id from manufacturers where not authorised_source),
         unauthorised_suppliers as (select id from suppliers where not authorised_source),
         aml_revisions as (select pr.id from part_revisions pr where pr.id in (${revisionList})
                           and exists (select 1 from approved_manufacturers a where a.part_id = pr.part_id)),
         aml_approved as (select pr.id::text || a.manufacturer_id::text as id from part_revisions pr
                          join approved_manufacturers a on a.part_id = pr.part_id and a.status = 'approved' where pr.id in (${revisionList})),
         shown_lots as (${walk(false)} union all ${walk(true)} union all select lot_id from allowed_in_force),
         not_lot_revisions as (select pr.id from part_revisions pr join parts p on p.id = pr.part_id where pr.id in (${revisionList}) and p.tracking <> 'lot')
    ${facts(sql`b.lot_id = any(array(select id from shown_lots))`)}
    union all
    ${facts(sql`b.part_revision_id in (select id from not_lot_revisions) and b.lot_id is null`)}`;
}

/**
 * Balances with stock at pickable locations (or, with `anyLocationKind`, any physical one) for the given part revisions
 * (optionally one lot, serial, or location), with the facts the lot rules judge: expiry, inspection, AML verdict, active
 * hold reasons, on hand and reserved. With `limitPerRevision` (for display), per revision the first lots by expiry that
 * may be used and that may not, one more than the limit of each, so the caller can say that there is more.
 */
export async function loadCandidates(db: DbOrTx, siteId: string, f: CandidateFilter): Promise<{ candidates: Candidate[] }> {
  if (f.partRevisionIds.length === 0) return { candidates: [] };
  const rows = await queryRows<CandidateRow>(db, candidatesQuery(siteId, f));
  return {
    candidates: rows.map((r) => ({
      locationId: r.location_id,
      locationCode: r.location_code,
      locationName: r.location_name,
      locationKind: r.location_kind,
      locationStorageClass: r.location_storage_class,
      partRevisionId: r.part_revision_id,
      lotId: r.lot_id,
      lotNumber: r.lot_number,
      serialItemId: r.serial_item_id,
      serialNumber: r.serial_number,
      expiresAt: toDate(r.expires_at),
      inspectionStatus: r.inspection_status,
      manufacturerCode: r.manufacturer_code,
      manufacturerName: r.manufacturer_name,
      aml: r.aml,
      holdReasons: r.hold_reasons ?? [],
      unauthorisedSources: r.unauthorised_sources ?? [],
      onHand: r.on_hand,
      reserved: r.reserved,
      clock: clockFromRow(r, toDate(r.expires_at), r.lot_id !== null),
    })),
  };
}

// ---- allowed lots ---------------------------------------------------------------------------------------------------

export type AllowedLotRow = { id: string; workOrderBomLineId: string | null; partRevisionId: string; lotId: string; lotNumber: string; reason: string; addedAt: Date };

export async function listAllowedLots(db: DbOrTx, siteId: string, workOrderId: string): Promise<AllowedLotRow[]> {
  return db
    .select({
      id: allowedLots.id,
      workOrderBomLineId: allowedLots.workOrderBomLineId,
      partRevisionId: allowedLots.partRevisionId,
      lotId: allowedLots.lotId,
      lotNumber: lots.lotNumber,
      reason: allowedLots.reason,
      addedAt: allowedLots.addedAt,
    })
    .from(allowedLots)
    .innerJoin(lots, and(eq(lots.siteId, allowedLots.siteId), eq(lots.id, allowedLots.lotId)))
    .where(and(eq(allowedLots.siteId, siteId), eq(allowedLots.workOrderId, workOrderId), isNull(allowedLots.removedAt)))
    .orderBy(asc(allowedLots.addedAt));
}

export async function insertAllowedLot(tx: Tx, row: typeof allowedLots.$inferInsert): Promise<string> {
  const [r] = await tx.insert(allowedLots).values(row).returning({ id: allowedLots.id });
  return r!.id;
}

export async function lockAllowedLot(tx: Tx, siteId: string, id: string) {
  const [row] = await tx.select().from(allowedLots).where(and(eq(allowedLots.siteId, siteId), eq(allowedLots.id, id))).for("update");
  return row ?? null;
}

export async function markAllowedLotRemoved(tx: Tx, siteId: string, id: string, by: string, at: Date): Promise<void> {
  await tx.update(allowedLots).set({ removedBy: by, removedAt: at }).where(and(eq(allowedLots.siteId, siteId), eq(allowedLots.id, id)));
}

export async function findLot(db: DbOrTx, siteId: string, lotId: string) {
  const [row] = await db
    .select({ id: lots.id, lotNumber: lots.lotNumber, partRevisionId: lots.partRevisionId })
    .from(lots)
    .where(and(eq(lots.siteId, siteId), eq(lots.id, lotId)));
  return row ?? null;
}

// ---- locations ------------------------------------------------------------------------------------------------------

export type LocationRow = { id: string; code: string; kind: (typeof storageLocations.$inferSelect)["kind"]; stationId: string | null };

export async function findLocation(db: DbOrTx, siteId: string, locationId: string): Promise<LocationRow | null> {
  const [row] = await db
    .select({ id: storageLocations.id, code: storageLocations.code, kind: storageLocations.kind, stationId: storageLocations.stationId })
    .from(storageLocations)
    .where(and(eq(storageLocations.siteId, siteId), eq(storageLocations.id, locationId)));
  return row ?? null;
}

/** The point-of-use location of a station of this site (with the station's code), or null. */
export async function findPointOfUse(db: DbOrTx, siteId: string, stationId: string): Promise<{ locationId: string; locationCode: string; stationCode: string } | null> {
  const [row] = await db
    .select({ locationId: storageLocations.id, locationCode: storageLocations.code, stationCode: stations.code })
    .from(storageLocations)
    .innerJoin(stations, and(eq(stations.siteId, storageLocations.siteId), eq(stations.id, storageLocations.stationId)))
    .where(and(eq(storageLocations.siteId, siteId), eq(storageLocations.kind, "point_of_use"), eq(storageLocations.stationId, stationId)))
    .orderBy(asc(storageLocations.code))
    .limit(1);
  return row ?? null;
}

export async function findUnitOfOrder(db: DbOrTx, siteId: string, workOrderId: string, unitId: string) {
  const [row] = await db
    .select({ id: units.id, serial: units.serial })
    .from(units)
    .where(and(eq(units.siteId, siteId), eq(units.workOrderId, workOrderId), eq(units.id, unitId)));
  return row ?? null;
}

// ---- lists for screens ----------------------------------------------------------------------------------------------

export type KitSummary = {
  id: string;
  number: string;
  status: KitStatus;
  scope: "work_order" | "operation" | "unit";
  operationSeq: number | null;
  unitSerial: string | null;
  workOrderId: string;
  workOrderNumber: string;
  stationId: string | null;
  stationCode: string | null;
  createdAt: Date;
  issuedAt: Date | null;
  lines: number;
  shortLines: number;
};

/** Kits of the site (one work order, one station, or the open and recently issued ones), newest first. */
export async function listKits(db: DbOrTx, siteId: string, f: { workOrderId?: string; stationId?: string; statuses?: KitStatus[] } = {}): Promise<KitSummary[]> {
  return db
    .select({
      id: kits.id,
      number: kits.number,
      status: kits.status,
      scope: kits.scope,
      operationSeq: kits.operationSeq,
      unitSerial: units.serial,
      workOrderId: kits.workOrderId,
      workOrderNumber: workOrders.number,
      stationId: kits.stationId,
      stationCode: stations.code,
      createdAt: kits.createdAt,
      issuedAt: kits.issuedAt,
      lines: sql<number>`(select count(*) from kit_lines kl where kl.site_id = ${kits.siteId} and kl.kit_id = ${kits.id})::int`,
      shortLines: sql<number>`(select count(*) from kit_lines kl where kl.site_id = ${kits.siteId} and kl.kit_id = ${kits.id} and kl.short_qty > 0)::int`,
    })
    .from(kits)
    .innerJoin(workOrders, and(eq(workOrders.siteId, kits.siteId), eq(workOrders.id, kits.workOrderId)))
    .leftJoin(units, and(eq(units.siteId, kits.siteId), eq(units.id, kits.unitId)))
    .leftJoin(stations, and(eq(stations.siteId, kits.siteId), eq(stations.id, kits.stationId)))
    .where(
      and(
        eq(kits.siteId, siteId),
        f.workOrderId ? eq(kits.workOrderId, f.workOrderId) : undefined,
        f.stationId ? eq(kits.stationId, f.stationId) : undefined,
        f.statuses ? inArray(kits.status, f.statuses) : undefined,
      ),
    )
    .orderBy(sql`${kits.createdAt} desc`, asc(kits.number));
}

export { OPEN_KIT };

export type StagedKitLine = {
  kitId: string;
  kitNumber: string;
  workOrderId: string;
  workOrderNumber: string;
  issuedAt: Date | null;
  partNumber: string;
  revision: string;
  uom: string;
  required: string;
  picked: string;
  shortQty: string;
  shortReason: string | null;
};

/** Kits issued to a station (not yet closed), line by line: what was brought and what is short, by order. */
export async function listStagedKitLines(db: DbOrTx, siteId: string, stationId: string): Promise<StagedKitLine[]> {
  const rows = await db
    .select({
      kitId: kits.id,
      kitNumber: kits.number,
      workOrderId: kits.workOrderId,
      workOrderNumber: workOrders.number,
      issuedAt: kits.issuedAt,
      partNumber: parts.partNumber,
      revision: partRevisions.revision,
      uom: parts.uom,
      required: kitLines.requiredQty,
      picked: sql<string>`coalesce((select sum(p.quantity) from kit_picks p where p.site_id = ${kitLines.siteId} and p.kit_line_id = ${kitLines.id}), 0)::text`,
      shortQty: kitLines.shortQty,
      shortReason: kitLines.shortReason,
    })
    .from(kits)
    .innerJoin(workOrders, and(eq(workOrders.siteId, kits.siteId), eq(workOrders.id, kits.workOrderId)))
    .innerJoin(kitLines, and(eq(kitLines.siteId, kits.siteId), eq(kitLines.kitId, kits.id)))
    .innerJoin(workOrderBomLines, and(eq(workOrderBomLines.siteId, kitLines.siteId), eq(workOrderBomLines.id, kitLines.workOrderBomLineId)))
    .innerJoin(partRevisions, eq(partRevisions.id, kitLines.partRevisionId))
    .innerJoin(parts, eq(parts.id, partRevisions.partId))
    .where(and(eq(kits.siteId, siteId), eq(kits.stationId, stationId), eq(kits.status, "issued")))
    .orderBy(asc(workOrders.dueDate), asc(kits.number), asc(workOrderBomLines.operationSeq), asc(workOrderBomLines.findNumber));
  return rows.map((r) => ({ ...r, required: formatQuantity(r.required), picked: formatQuantity(r.picked), shortQty: formatQuantity(r.shortQty) }));
}
