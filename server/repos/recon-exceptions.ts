import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx, type Tx } from "@/db/client";
import type { ExceptionStatus, ReconCategory } from "@/server/domain/reconciliation/categories";

/* Reconciliation exceptions: one row, locked for a resolution; the list with its filters; changes of status. */

export type ExceptionRow = {
  siteId: string;
  id: string;
  number: number;
  itemKey: string;
  category: ReconCategory;
  severity: "normal" | "critical";
  status: ExceptionStatus;
  partRevisionId: string | null;
  lotId: string | null;
  serialItemId: string | null;
  locationId: string | null;
  partNumber: string | null;
  revision: string | null;
  lotNumber: string | null;
  serialNumber: string | null;
  locationCode: string | null;
  uom: string | null;
  erpRevision: string | null;
  erpUnit: string | null;
  erpQuantity: string | null;
  tracelineQuantity: string | null;
  difference: string | null;
  inFlightQuantity: string | null;
  unconfirmedQuantity: string | null;
  orderNumber: string | null;
  explanation: Record<string, unknown>;
  detail: string | null;
  ownerSystem: "erp" | "traceline";
  ownerRole: string;
  snapshotKey: string | null;
  detectedAt: Date;
  lastSeenAt: Date;
  statusChangedAt: Date;
  resolution: string | null;
  resolutionReason: string | null;
  resolvedBy: string | null;
  resolvedByName: string | null;
  resolvedAt: Date | null;
  signatureId: string | null;
  adjustmentMovementId: string | null;
  correctionMessageId: string | null;
  correctionStatus: string | null;
};

const COLUMNS = sql`x.site_id, x.id, x.number, x.item_key, x.category::text as category, x.severity, x.status::text as status,
  x.part_revision_id, x.lot_id, x.serial_item_id, x.location_id, x.part_number, x.revision, x.lot_number, x.serial_number,
  x.location_code, x.uom, x.erp_revision, x.erp_unit, x.erp_quantity::text as erp_quantity, x.traceline_quantity::text as traceline_quantity,
  x.difference::text as difference, x.in_flight_quantity::text as in_flight_quantity, x.unconfirmed_quantity::text as unconfirmed_quantity,
  x.order_number, x.explanation, x.detail, x.owner_system::text as owner_system, x.owner_role::text as owner_role, x.snapshot_key,
  x.detected_at, x.last_seen_at, x.status_changed_at, x.resolution::text as resolution, x.resolution_reason, x.resolved_by,
  u.display_name as resolved_by_name, x.resolved_at, x.signature_id, x.adjustment_movement_id, x.correction_message_id,
  (select o.status::text from erp_outbox o where o.site_id = x.site_id and o.message_id = x.correction_message_id) as correction_status`;

const FROM = sql`recon_exceptions x left join users u on u.id = x.resolved_by`;

const t = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

/** "12.500000" -> "12.5", "-0.000000" -> "0". */
export function plainDecimal(v: string | null): string | null {
  if (v === null) return null;
  if (!v.includes(".")) return v;
  const s = v.replace(/0+$/, "").replace(/\.$/, "");
  return s === "-0" ? "0" : s;
}

function toRow(r: Record<string, unknown>): ExceptionRow {
  return {
    siteId: r.site_id as string,
    id: r.id as string,
    number: Number(r.number),
    itemKey: r.item_key as string,
    category: r.category as ReconCategory,
    severity: r.severity as "normal" | "critical",
    status: r.status as ExceptionStatus,
    partRevisionId: (r.part_revision_id as string | null) ?? null,
    lotId: (r.lot_id as string | null) ?? null,
    serialItemId: (r.serial_item_id as string | null) ?? null,
    locationId: (r.location_id as string | null) ?? null,
    partNumber: (r.part_number as string | null) ?? null,
    revision: (r.revision as string | null) ?? null,
    lotNumber: (r.lot_number as string | null) ?? null,
    serialNumber: (r.serial_number as string | null) ?? null,
    locationCode: (r.location_code as string | null) ?? null,
    uom: (r.uom as string | null) ?? null,
    erpRevision: (r.erp_revision as string | null) ?? null,
    erpUnit: (r.erp_unit as string | null) ?? null,
    erpQuantity: plainDecimal((r.erp_quantity as string | null) ?? null),
    tracelineQuantity: plainDecimal((r.traceline_quantity as string | null) ?? null),
    difference: plainDecimal((r.difference as string | null) ?? null),
    inFlightQuantity: plainDecimal((r.in_flight_quantity as string | null) ?? null),
    unconfirmedQuantity: plainDecimal((r.unconfirmed_quantity as string | null) ?? null),
    orderNumber: (r.order_number as string | null) ?? null,
    explanation: (r.explanation as Record<string, unknown>) ?? {},
    detail: (r.detail as string | null) ?? null,
    ownerSystem: r.owner_system as "erp" | "traceline",
    ownerRole: r.owner_role as string,
    snapshotKey: (r.snapshot_key as string | null) ?? null,
    detectedAt: new Date(r.detected_at as string),
    lastSeenAt: new Date(r.last_seen_at as string),
    statusChangedAt: new Date(r.status_changed_at as string),
    resolution: (r.resolution as string | null) ?? null,
    resolutionReason: (r.resolution_reason as string | null) ?? null,
    resolvedBy: (r.resolved_by as string | null) ?? null,
    resolvedByName: (r.resolved_by_name as string | null) ?? null,
    resolvedAt: t(r.resolved_at),
    signatureId: (r.signature_id as string | null) ?? null,
    adjustmentMovementId: (r.adjustment_movement_id as string | null) ?? null,
    correctionMessageId: (r.correction_message_id as string | null) ?? null,
    correctionStatus: (r.correction_status as string | null) ?? null,
  };
}

export async function findException(db: DbOrTx, siteId: string, id: string): Promise<ExceptionRow | null> {
  const rows = await queryRows<Record<string, unknown>>(db, sql`select ${COLUMNS} from ${FROM} where x.site_id = ${siteId}::uuid and x.id = ${id}::uuid`);
  return rows[0] ? toRow(rows[0]) : null;
}

/** Lock one exception for a change of status (the resolutions serialise on it). */
export async function lockException(tx: Tx, siteId: string, id: string): Promise<ExceptionRow | null> {
  const locked = await queryRows<{ id: string }>(tx, sql`select id from recon_exceptions where site_id = ${siteId}::uuid and id = ${id}::uuid for update`);
  return locked[0] ? findException(tx, siteId, id) : null;
}

export type ExceptionChange = {
  status: ExceptionStatus;
  resolution: "adjusted" | "correction_requested" | "accepted" | null;
  reason: string;
  userId: string;
  at: Date;
  signatureId?: string | null;
  adjustmentMovementId?: string | null;
  correctionMessageId?: string | null;
};

export async function changeException(tx: Tx, siteId: string, id: string, c: ExceptionChange): Promise<void> {
  const closed = c.status === "resolved" || c.status === "accepted";
  await tx.execute(sql`
    update recon_exceptions set status = ${c.status}::recon_exception_status, resolution = ${c.resolution}::recon_resolution,
      resolution_reason = ${c.reason}, resolved_by = ${c.userId}::uuid, status_changed_at = ${c.at.toISOString()}::timestamptz,
      resolved_at = ${closed ? sql`${c.at.toISOString()}::timestamptz` : sql`null`},
      signature_id = coalesce(${c.signatureId ?? null}::uuid, signature_id),
      adjustment_movement_id = coalesce(${c.adjustmentMovementId ?? null}::uuid, adjustment_movement_id),
      correction_message_id = coalesce(${c.correctionMessageId ?? null}::uuid, correction_message_id)
    where site_id = ${siteId}::uuid and id = ${id}::uuid`);
}

export type ExceptionFilters = {
  status?: "live" | "closed" | "all";
  category?: ReconCategory;
  ownerSystem?: "erp" | "traceline";
  ownerRole?: string;
  /** Older than this many days (detected before now - days). */
  olderThanDays?: number;
  part?: string;
  runId?: string;
};

function where(siteId: string, f: ExceptionFilters, now: Date): SQL {
  const parts: SQL[] = [sql`x.site_id = ${siteId}::uuid`];
  if ((f.status ?? "live") === "live") parts.push(sql`x.status in ('open', 'investigating')`);
  else if (f.status === "closed") parts.push(sql`x.status in ('resolved', 'accepted')`);
  if (f.category) parts.push(sql`x.category = ${f.category}::recon_category`);
  if (f.ownerSystem) parts.push(sql`x.owner_system = ${f.ownerSystem}::owner_system`);
  if (f.ownerRole) parts.push(sql`x.owner_role::text = ${f.ownerRole}`);
  if (f.olderThanDays !== undefined) parts.push(sql`x.detected_at <= ${now.toISOString()}::timestamptz - ${`${f.olderThanDays} days`}::interval`);
  if (f.part) parts.push(sql`x.part_number ilike ${`${f.part.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  if (f.runId) parts.push(sql`(x.first_run_id = ${f.runId}::uuid or x.last_run_id = ${f.runId}::uuid)`);
  return sql.join(parts, sql` and `);
}

/** The exceptions of a site with filters, most critical and newest first; `limit` rows and the exact total. */
export async function listExceptions(db: DbOrTx, siteId: string, f: ExceptionFilters, p: { now: Date; limit: number; offset: number }): Promise<{ rows: ExceptionRow[]; total: number }> {
  const w = where(siteId, f, p.now);
  const [rows, total] = await Promise.all([
    queryRows<Record<string, unknown>>(
      db,
      sql`select ${COLUMNS} from ${FROM} where ${w} order by (x.severity = 'critical') desc, x.detected_at desc, x.number desc limit ${p.limit} offset ${p.offset}`,
    ),
    queryRows<{ n: number }>(db, sql`select count(*)::int as n from recon_exceptions x where ${w}`),
  ]);
  return { rows: rows.map(toRow), total: total[0]?.n ?? 0 };
}

/** Free stock of an item at the site's physical locations (for an adjustment of a difference compared over the floor). */
export async function freeStockOf(db: DbOrTx, siteId: string, item: { partRevisionId: string; lotId: string | null; serialItemId: string | null }) {
  return queryRows<{ location_id: string; code: string; free: string }>(
    db,
    sql`select b.location_id, l.code, (b.on_hand - b.reserved)::text as free from stock_balances b
        join storage_locations l on l.site_id = b.site_id and l.id = b.location_id
        where b.site_id = ${siteId}::uuid and b.is_physical and b.part_revision_id = ${item.partRevisionId}::uuid
          and b.lot_id is not distinct from ${item.lotId}::uuid and b.serial_item_id is not distinct from ${item.serialItemId}::uuid
          and b.on_hand - b.reserved > 0
        order by l.code`,
  );
}

/** The floor leg of an adjustment movement: where it was booked and by how much (signed). */
export async function adjustmentLeg(db: DbOrTx, siteId: string, movementId: string): Promise<{ locationId: string; locationCode: string; quantity: string } | null> {
  const rows = await queryRows<{ location_id: string; code: string; quantity: string }>(
    db,
    sql`select l.location_id, s.code, l.quantity::text as quantity from movement_legs l
        join storage_locations s on s.site_id = l.site_id and s.id = l.location_id
        where l.site_id = ${siteId}::uuid and l.movement_id = ${movementId}::uuid and s.is_physical limit 1`,
  );
  const r = rows[0];
  return r ? { locationId: r.location_id, locationCode: r.code, quantity: r.quantity } : null;
}

/** The site's floor (physical) locations, by code. */
export async function floorLocations(db: DbOrTx, siteId: string) {
  return queryRows<{ location_id: string; code: string; free: string }>(
    db,
    sql`select id as location_id, code, '0' as free from storage_locations where site_id = ${siteId}::uuid and is_physical order by code`,
  );
}
