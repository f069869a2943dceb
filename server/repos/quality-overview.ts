import "server-only";
import { and, asc, desc, eq, isNull, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/db/client";
import {
  genealogyEdges,
  holds,
  lots,
  manufacturers,
  partRevisions,
  parts,
  serialItems,
  stations,
  suppliers,
  units,
  users,
} from "@/db/schema";
import { activeHoldReach } from "./containment";
import { activeHoldExists } from "./hold-flags";

/* Read-only, site-scoped quality views: lots with expiry/inspection/hold status, active holds, recent installs. */

export type LotView = {
  id: string;
  lotNumber: string;
  partRevisionId: string;
  partNumber: string;
  description: string;
  revision: string;
  uom: string;
  manufacturerName: string | null;
  supplierName: string | null;
  supplierLot: string | null;
  certificateRef: string | null;
  expiresAt: Date | null;
  /** expired relative to the `now` passed in */
  expired: boolean;
  inspectionStatus: "pending" | "accepted" | "rejected";
  onHold: boolean;
  /** on hand at physical locations of the site */
  onHand: string;
};

/**
 * Lots of the site. With `attentionOnly`, only those a quality engineer must act on: expired, not accepted at
 * inspection, or on hold. Expired is decided against `now`, passed in.
 */
export async function listLots(db: DbOrTx, siteId: string, now: Date, opts: { attentionOnly?: boolean } = {}): Promise<LotView[]> {
  const onHold = activeHoldExists({
    siteId: lots.siteId,
    partRevisionId: lots.partRevisionId,
    lotId: lots.id,
    serialItemId: null,
    manufacturerId: lots.manufacturerId,
    supplierId: lots.supplierId,
  });
  const expired = sql<boolean>`(${lots.expiresAt} is not null and ${lots.expiresAt} <= ${now.toISOString()}::timestamptz)`;
  return db
    .select({
      id: lots.id,
      lotNumber: lots.lotNumber,
      partRevisionId: lots.partRevisionId,
      partNumber: parts.partNumber,
      description: parts.description,
      revision: partRevisions.revision,
      uom: parts.uom,
      manufacturerName: manufacturers.name,
      supplierName: suppliers.name,
      supplierLot: lots.supplierLot,
      certificateRef: lots.certificateRef,
      expiresAt: lots.expiresAt,
      expired,
      inspectionStatus: lots.inspectionStatus,
      onHold,
      onHand: sql<string>`coalesce((
        select sum(b.on_hand) from stock_balances b
        where b.site_id = ${lots.siteId} and b.lot_id = ${lots.id} and b.is_physical
      ), 0)::text`,
    })
    .from(lots)
    .innerJoin(partRevisions, eq(partRevisions.id, lots.partRevisionId))
    .innerJoin(parts, eq(parts.id, partRevisions.partId))
    .leftJoin(manufacturers, eq(manufacturers.id, lots.manufacturerId))
    .leftJoin(suppliers, eq(suppliers.id, lots.supplierId))
    .where(and(eq(lots.siteId, siteId), opts.attentionOnly ? or(expired, sql`${lots.inspectionStatus} <> 'accepted'`, onHold) : undefined))
    .orderBy(sql`${lots.expiresAt} asc nulls last`, asc(parts.partNumber), asc(lots.lotNumber));
}

export type HoldView = {
  id: string;
  targetType: "lot" | "serial" | "part_revision" | "manufacturer" | "supplier";
  targetId: string;
  /** what is held, in words: part, revision and lot/serial, or the manufacturer/supplier */
  targetLabel: string;
  reason: string;
  placedAt: Date;
  placedByName: string;
  /** units containing the held material now, at any depth, in work (planned or in progress) */
  affectedOpenUnits: number;
  /** ... completed (finished stock) and shipped */
  affectedFinishedUnits: number;
  affectedShippedUnits: number;
};

/** Active (unreleased) holds of the site, newest first, each with what it holds and the units containing it (any depth). */
export async function listActiveHolds(db: DbOrTx, siteId: string): Promise<HoldView[]> {
  const placedBy = alias(users, "placed_by_user");
  const rows = await db
    .select({
      id: holds.id,
      targetType: holds.targetType,
      targetId: holds.targetId,
      targetLabel: sql<string | null>`case ${holds.targetType}
        when 'lot' then (select p.part_number || ' rev ' || pr.revision || ', lot ' || l.lot_number
          from lots l join part_revisions pr on pr.id = l.part_revision_id join parts p on p.id = pr.part_id
          where l.site_id = ${holds.siteId} and l.id = ${holds.targetId})
        when 'serial' then (select p.part_number || ' rev ' || pr.revision || ', serial ' || s.serial_number
          from serial_items s join part_revisions pr on pr.id = s.part_revision_id join parts p on p.id = pr.part_id
          where s.site_id = ${holds.siteId} and s.id = ${holds.targetId})
        when 'part_revision' then (select p.part_number || ' rev ' || pr.revision || ' (all stock)'
          from part_revisions pr join parts p on p.id = pr.part_id where pr.id = ${holds.targetId})
        when 'manufacturer' then (select 'Manufacturer ' || m.code || ' ' || m.name from manufacturers m where m.id = ${holds.targetId})
        when 'supplier' then (select 'Supplier ' || su.code || ' ' || su.name from suppliers su where su.id = ${holds.targetId})
      end`,
      reason: holds.reason,
      placedAt: holds.placedAt,
      placedByName: placedBy.displayName,
    })
    .from(holds)
    .innerJoin(placedBy, eq(placedBy.id, holds.placedBy))
    .where(and(eq(holds.siteId, siteId), isNull(holds.releasedAt)))
    .orderBy(desc(holds.placedAt));
  const reach = await activeHoldReach(db, siteId);
  return rows.map((r) => ({
    ...r,
    targetLabel: r.targetLabel ?? `${r.targetType.replace("_", " ")} ${r.targetId}`,
    affectedOpenUnits: reach.get(r.id)?.inWork ?? 0,
    affectedFinishedUnits: reach.get(r.id)?.finished ?? 0,
    affectedShippedUnits: reach.get(r.id)?.shipped ?? 0,
  }));
}

export type InstallView = {
  edgeId: string;
  installedAt: Date;
  unitId: string;
  unitSerial: string;
  parentSerialItemId: string;
  partNumber: string;
  revision: string;
  lotNumber: string | null;
  serialNumber: string | null;
  quantity: string;
  uom: string;
  operationSeq: number;
  operatorName: string;
  stationCode: string;
  removedAt: Date | null;
};

/** The latest components installed into units at this site (consumptions), newest first. */
export async function listRecentInstalls(db: DbOrTx, siteId: string, limit = 20): Promise<InstallView[]> {
  return db
    .select({
      edgeId: genealogyEdges.id,
      installedAt: genealogyEdges.installedAt,
      unitId: genealogyEdges.parentUnitId,
      unitSerial: units.serial,
      parentSerialItemId: genealogyEdges.parentSerialItemId,
      partNumber: parts.partNumber,
      revision: partRevisions.revision,
      lotNumber: lots.lotNumber,
      serialNumber: serialItems.serialNumber,
      quantity: genealogyEdges.quantity,
      uom: parts.uom,
      operationSeq: genealogyEdges.operationSeq,
      operatorName: users.displayName,
      stationCode: stations.code,
      removedAt: genealogyEdges.removedAt,
    })
    .from(genealogyEdges)
    .innerJoin(units, and(eq(units.siteId, genealogyEdges.siteId), eq(units.id, genealogyEdges.parentUnitId)))
    .innerJoin(partRevisions, eq(partRevisions.id, genealogyEdges.childPartRevisionId))
    .innerJoin(parts, eq(parts.id, partRevisions.partId))
    .leftJoin(lots, and(eq(lots.siteId, genealogyEdges.siteId), eq(lots.id, genealogyEdges.childLotId)))
    .leftJoin(serialItems, and(eq(serialItems.siteId, genealogyEdges.siteId), eq(serialItems.id, genealogyEdges.childSerialItemId)))
    .innerJoin(users, eq(users.id, genealogyEdges.operatorUserId))
    .innerJoin(stations, and(eq(stations.siteId, genealogyEdges.siteId), eq(stations.id, genealogyEdges.stationId)))
    .where(eq(genealogyEdges.siteId, siteId))
    .orderBy(desc(genealogyEdges.installedAt))
    .limit(limit);
}
