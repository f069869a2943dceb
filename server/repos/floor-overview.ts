import "server-only";
import { and, asc, eq, gt, inArray, ne, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import {
  areas,
  lots,
  partRevisions,
  parts,
  serialItems,
  stations,
  stockBalances,
  storageLocations,
  unitOperations,
  units,
  users,
  workCenters,
  workOrderBomLines,
  workOrderOperations,
  workOrders,
} from "@/db/schema";
import { activeHoldExists, activeHoldReasons, unauthorisedSources } from "./hold-flags";
import { materialExclusions } from "@/server/domain/material-eligibility/material-eligibility";
import { outTimeExceeded } from "@/server/domain/station/station-rules";
import { materialStatus, type MaterialStatus, type NotUsableCode } from "@/server/domain/vocabulary/material-status";

/*
 * Read-only, site-scoped views of the shop floor: stations and their point-of-use stock, the units queued at each
 * station, work orders with their units' operation progress, the frozen BOM against what is staged, and storage
 * locations with on-hand totals. Every query filters by the site passed in (the actor's), one query per list.
 */

const OPEN_WORK_ORDER = ["released", "in_progress"] as const;
const OPEN_UNIT = ["planned", "in_progress"] as const;

export type StationView = {
  id: string;
  code: string;
  name: string;
  workCenterId: string;
  workCenterCode: string;
  workCenterName: string;
  areaCode: string;
  areaName: string;
};

function stationsQuery(db: DbOrTx, where: SQL | undefined) {
  return db
    .select({
      id: stations.id,
      code: stations.code,
      name: stations.name,
      workCenterId: stations.workCenterId,
      workCenterCode: workCenters.code,
      workCenterName: workCenters.name,
      areaCode: areas.code,
      areaName: areas.name,
    })
    .from(stations)
    .innerJoin(workCenters, and(eq(workCenters.siteId, stations.siteId), eq(workCenters.id, stations.workCenterId)))
    .innerJoin(areas, and(eq(areas.siteId, workCenters.siteId), eq(areas.id, workCenters.areaId)))
    .where(where)
    .orderBy(asc(stations.code));
}

export async function listStations(db: DbOrTx, siteId: string): Promise<StationView[]> {
  return stationsQuery(db, eq(stations.siteId, siteId));
}

/** A station of this site, or null (a station of another site is not found). */
export async function findStation(db: DbOrTx, siteId: string, stationId: string): Promise<StationView | null> {
  const [row] = await stationsQuery(db, and(eq(stations.siteId, siteId), eq(stations.id, stationId)));
  return row ?? null;
}

export type PointOfUseStockRow = {
  stationId: string;
  locationId: string;
  locationCode: string;
  partRevisionId: string;
  partNumber: string;
  description: string;
  revision: string;
  uom: string;
  tracking: "serial" | "lot" | "untracked";
  lotId: string | null;
  lotNumber: string | null;
  serialItemId: string | null;
  serialNumber: string | null;
  quantity: string;
  expiresAt: Date | null;
  expired: boolean;
  inspectionStatus: "pending" | "accepted" | "rejected" | null;
  onHold: boolean;
  /** The manufacturer by name (and code), when the lot or serial names one. */
  manufacturerName: string | null;
  manufacturerCode: string | null;
  /** Usable, or not usable and why: judged now by the material rules (hold, expiry, shelf life, inspection, AML, out-time). */
  status: MaterialStatus;
};

/** Material on hand at the point-of-use locations of the site's stations (or one station, or any one location), with expiry and hold flags. */
export async function listPointOfUseStock(
  db: DbOrTx,
  siteId: string,
  now: Date,
  opts: { stationId?: string; locationId?: string } = {},
): Promise<PointOfUseStockRow[]> {
  const manufacturerId = sql`coalesce(${lots.manufacturerId}, ${serialItems.manufacturerId})`;
  const heldItem = {
    siteId: stockBalances.siteId,
    partRevisionId: stockBalances.partRevisionId,
    lotId: stockBalances.lotId,
    serialItemId: stockBalances.serialItemId,
    manufacturerId,
    supplierId: sql`coalesce(${lots.supplierId}, ${serialItems.supplierId})`,
  };
  const rows = await db
    .select({
      stationId: storageLocations.stationId,
      locationId: storageLocations.id,
      locationCode: storageLocations.code,
      partRevisionId: stockBalances.partRevisionId,
      partNumber: parts.partNumber,
      description: parts.description,
      revision: partRevisions.revision,
      uom: parts.uom,
      tracking: parts.tracking,
      lotId: stockBalances.lotId,
      lotNumber: lots.lotNumber,
      serialItemId: stockBalances.serialItemId,
      serialNumber: serialItems.serialNumber,
      quantity: stockBalances.onHand,
      lotExpiresAt: lots.expiresAt,
      serialExpiresAt: serialItems.expiresAt,
      lotInspection: lots.inspectionStatus,
      serialInspection: serialItems.inspectionStatus,
      onHold: activeHoldExists(heldItem),
      holdReasons: sql<string>`array_to_string(${activeHoldReasons(heldItem)}, E'\n')`,
      unauthorised: sql<string>`array_to_string(${unauthorisedSources(heldItem)}, E'\n')`,
      manufacturerCode: sql<string | null>`(select m.code from manufacturers m where m.id = ${manufacturerId})`,
      manufacturerName: sql<string | null>`(select m.name from manufacturers m where m.id = ${manufacturerId})`,
      aml: sql<"approved" | "disqualified" | "not_listed" | "no_aml">`case when ${manufacturerId} is null or not exists (select 1 from approved_manufacturers am where am.part_id = ${parts.id}) then 'no_aml'
        else coalesce((select am.status::text from approved_manufacturers am where am.part_id = ${parts.id} and am.manufacturer_id = ${manufacturerId}), 'not_listed') end`,
      minRemainingShelfLifeDays: parts.minRemainingShelfLifeDays,
      outTimeMinutes: parts.outTimeMinutes,
      outTimeStartedAt: lots.outTimeStartedAt,
    })
    .from(stockBalances)
    .innerJoin(storageLocations, and(eq(storageLocations.siteId, stockBalances.siteId), eq(storageLocations.id, stockBalances.locationId)))
    .innerJoin(partRevisions, eq(partRevisions.id, stockBalances.partRevisionId))
    .innerJoin(parts, eq(parts.id, partRevisions.partId))
    .leftJoin(lots, and(eq(lots.siteId, stockBalances.siteId), eq(lots.id, stockBalances.lotId)))
    .leftJoin(serialItems, and(eq(serialItems.siteId, stockBalances.siteId), eq(serialItems.id, stockBalances.serialItemId)))
    .where(
      and(
        eq(stockBalances.siteId, siteId),
        opts.locationId ? eq(storageLocations.id, opts.locationId) : eq(storageLocations.kind, "point_of_use"),
        gt(stockBalances.onHand, "0"),
        opts.stationId ? eq(storageLocations.stationId, opts.stationId) : undefined,
      ),
    )
    .orderBy(asc(storageLocations.code), asc(parts.partNumber), asc(lots.lotNumber), asc(serialItems.serialNumber));
  return rows.map(({ lotExpiresAt, serialExpiresAt, lotInspection, serialInspection, stationId, holdReasons, unauthorised, aml, minRemainingShelfLifeDays, outTimeMinutes, outTimeStartedAt, ...r }) => {
    const expiresAt = lotExpiresAt ?? serialExpiresAt ?? null;
    const inspectionStatus = r.lotId === null && r.serialItemId === null ? null : (lotInspection ?? serialInspection ?? null);
    const reasons: { code: NotUsableCode; rejected?: boolean }[] = materialExclusions(
      { ...r, expiresAt, inspectionStatus, aml, holdReasons: holdReasons ? holdReasons.split("\n") : [], unauthorisedSources: unauthorised ? unauthorised.split("\n") : [] },
      { plannedUseAt: now, minRemainingShelfLifeDays, allowedLotIds: null },
    );
    if (outTimeExceeded({ outTimeStartedAt, outTimeMinutes }, now)) reasons.push({ code: "OUT_TIME_EXCEEDED" });
    return {
      ...r,
      stationId: stationId ?? "",
      expiresAt,
      expired: expiresAt !== null && expiresAt.getTime() <= now.getTime(),
      inspectionStatus: lotInspection ?? serialInspection ?? null,
      status: materialStatus(reasons),
    };
  });
}

export type QueuedUnitRow = {
  stationId: string;
  stationCode: string;
  unitId: string;
  serial: string;
  unitStatus: "planned" | "in_progress" | "completed" | "scrapped" | "shipped";
  workOrderId: string;
  workOrderNumber: string;
  dueDate: string;
  partNumber: string;
  revision: string;
  operationSeq: number;
  operationCode: string;
  operationDescription: string;
  operationStatus: "pending" | "in_progress" | "completed";
};

/**
 * Units queued at each station: a unit's next operation (its lowest operation not yet completed) is performed at the
 * station's work center. Units already being worked come first, then by due date.
 */
export async function listQueuedUnits(db: DbOrTx, siteId: string, opts: { stationId?: string } = {}): Promise<QueuedUnitRow[]> {
  const nextOp = db
    .selectDistinctOn([unitOperations.unitId], {
      unitId: unitOperations.unitId,
      workOrderOperationId: unitOperations.workOrderOperationId,
      seq: unitOperations.seq,
      status: unitOperations.status,
    })
    .from(unitOperations)
    .where(and(eq(unitOperations.siteId, siteId), ne(unitOperations.status, "completed")))
    .orderBy(asc(unitOperations.unitId), asc(unitOperations.seq))
    .as("next_op");
  return db
    .select({
      stationId: stations.id,
      stationCode: stations.code,
      unitId: units.id,
      serial: units.serial,
      unitStatus: units.status,
      workOrderId: workOrders.id,
      workOrderNumber: workOrders.number,
      dueDate: workOrders.dueDate,
      partNumber: parts.partNumber,
      revision: partRevisions.revision,
      operationSeq: nextOp.seq,
      operationCode: workOrderOperations.code,
      operationDescription: workOrderOperations.description,
      operationStatus: nextOp.status,
    })
    .from(nextOp)
    .innerJoin(units, and(eq(units.siteId, siteId), eq(units.id, nextOp.unitId)))
    .innerJoin(workOrders, and(eq(workOrders.siteId, units.siteId), eq(workOrders.id, units.workOrderId)))
    .innerJoin(
      workOrderOperations,
      and(eq(workOrderOperations.siteId, units.siteId), eq(workOrderOperations.id, nextOp.workOrderOperationId)),
    )
    .innerJoin(stations, and(eq(stations.siteId, units.siteId), eq(stations.workCenterId, workOrderOperations.workCenterId)))
    .innerJoin(partRevisions, eq(partRevisions.id, workOrders.partRevisionId))
    .innerJoin(parts, eq(parts.id, partRevisions.partId))
    .where(
      and(
        inArray(units.status, [...OPEN_UNIT]),
        inArray(workOrders.status, [...OPEN_WORK_ORDER]),
        opts.stationId ? eq(stations.id, opts.stationId) : undefined,
      ),
    )
    .orderBy(
      asc(stations.code),
      sql`case when ${nextOp.status} = 'in_progress' then 0 else 1 end`,
      asc(workOrders.dueDate),
      asc(workOrders.number),
      asc(units.serial),
    );
}

export type WorkOrderView = {
  id: string;
  number: string;
  status: "released" | "in_progress" | "completed" | "closed" | "cancelled";
  quantity: number;
  dueDate: string;
  releasedAt: Date;
  partRevisionId: string;
  partNumber: string;
  description: string;
  revision: string;
  unitsTotal: number;
  unitsPlanned: number;
  unitsInProgress: number;
  unitsCompleted: number;
  unitsScrapped: number;
};

const countUnits = (status: string) => sql<number>`(count(${units.id}) filter (where ${units.status} = ${status}))::int`;

function workOrdersQuery(db: DbOrTx, where: SQL | undefined) {
  return db
    .select({
      id: workOrders.id,
      number: workOrders.number,
      status: workOrders.status,
      quantity: workOrders.quantity,
      dueDate: workOrders.dueDate,
      releasedAt: workOrders.releasedAt,
      partRevisionId: workOrders.partRevisionId,
      partNumber: parts.partNumber,
      description: parts.description,
      revision: partRevisions.revision,
      unitsTotal: sql<number>`count(${units.id})::int`,
      unitsPlanned: countUnits("planned"),
      unitsInProgress: countUnits("in_progress"),
      unitsCompleted: sql<number>`(count(${units.id}) filter (where ${units.status} in ('completed', 'shipped')))::int`,
      unitsScrapped: countUnits("scrapped"),
    })
    .from(workOrders)
    .innerJoin(partRevisions, eq(partRevisions.id, workOrders.partRevisionId))
    .innerJoin(parts, eq(parts.id, partRevisions.partId))
    .leftJoin(units, and(eq(units.siteId, workOrders.siteId), eq(units.workOrderId, workOrders.id)))
    .where(where)
    .groupBy(workOrders.siteId, workOrders.id, partRevisions.id, parts.id)
    .orderBy(asc(workOrders.dueDate), asc(workOrders.number));
}

/** Work orders of the site by due date, with unit counts per status; open ones only unless asked otherwise. */
export async function listWorkOrders(db: DbOrTx, siteId: string, opts: { openOnly?: boolean } = {}): Promise<WorkOrderView[]> {
  return workOrdersQuery(
    db,
    and(eq(workOrders.siteId, siteId), opts.openOnly === false ? undefined : inArray(workOrders.status, [...OPEN_WORK_ORDER])),
  );
}

/** A work order of this site, or null (one of another site is not found). */
export async function findWorkOrder(db: DbOrTx, siteId: string, workOrderId: string): Promise<WorkOrderView | null> {
  const [row] = await workOrdersQuery(db, and(eq(workOrders.siteId, siteId), eq(workOrders.id, workOrderId)));
  return row ?? null;
}

export type UnitOperationRow = {
  workOrderId: string;
  unitId: string;
  serial: string;
  unitStatus: "planned" | "in_progress" | "completed" | "scrapped" | "shipped";
  seq: number;
  status: "pending" | "in_progress" | "completed";
  stationCode: string | null;
  startedAt: Date | null;
  completedAt: Date | null;
  completedByName: string | null;
};

/** Per-unit operation progress: one row per unit and operation, for the open work orders or one work order. */
export async function listUnitOperations(
  db: DbOrTx,
  siteId: string,
  opts: { workOrderId?: string } = {},
): Promise<UnitOperationRow[]> {
  return db
    .select({
      workOrderId: units.workOrderId,
      unitId: units.id,
      serial: units.serial,
      unitStatus: units.status,
      seq: unitOperations.seq,
      status: unitOperations.status,
      stationCode: stations.code,
      startedAt: unitOperations.startedAt,
      completedAt: unitOperations.completedAt,
      completedByName: users.displayName,
    })
    .from(unitOperations)
    .innerJoin(units, and(eq(units.siteId, unitOperations.siteId), eq(units.id, unitOperations.unitId)))
    .innerJoin(workOrders, and(eq(workOrders.siteId, units.siteId), eq(workOrders.id, units.workOrderId)))
    .leftJoin(stations, and(eq(stations.siteId, unitOperations.siteId), eq(stations.id, unitOperations.stationId)))
    .leftJoin(users, eq(users.id, unitOperations.completedBy))
    .where(
      and(
        eq(unitOperations.siteId, siteId),
        opts.workOrderId ? eq(units.workOrderId, opts.workOrderId) : inArray(workOrders.status, [...OPEN_WORK_ORDER]),
      ),
    )
    .orderBy(asc(workOrders.dueDate), asc(workOrders.number), asc(units.serial), asc(unitOperations.seq));
}

export type OperationSummaryRow = {
  workOrderId: string;
  operationId: string;
  seq: number;
  code: string;
  description: string;
  workCenterCode: string;
  pending: number;
  inProgress: number;
  completed: number;
};

const countOps = (status: string) =>
  sql<number>`(count(${unitOperations.id}) filter (where ${unitOperations.status} = ${status}))::int`;

/** WIP per work order and operation: how many units wait for, are at, or have passed each operation. */
export async function listOperationSummary(
  db: DbOrTx,
  siteId: string,
  opts: { workOrderId?: string } = {},
): Promise<OperationSummaryRow[]> {
  return db
    .select({
      workOrderId: workOrderOperations.workOrderId,
      operationId: workOrderOperations.id,
      seq: workOrderOperations.seq,
      code: workOrderOperations.code,
      description: workOrderOperations.description,
      workCenterCode: workCenters.code,
      pending: countOps("pending"),
      inProgress: countOps("in_progress"),
      completed: countOps("completed"),
    })
    .from(workOrderOperations)
    .innerJoin(workOrders, and(eq(workOrders.siteId, workOrderOperations.siteId), eq(workOrders.id, workOrderOperations.workOrderId)))
    .innerJoin(workCenters, and(eq(workCenters.siteId, workOrderOperations.siteId), eq(workCenters.id, workOrderOperations.workCenterId)))
    .leftJoin(
      unitOperations,
      and(eq(unitOperations.siteId, workOrderOperations.siteId), eq(unitOperations.workOrderOperationId, workOrderOperations.id)),
    )
    .where(
      and(
        eq(workOrderOperations.siteId, siteId),
        opts.workOrderId ? eq(workOrderOperations.workOrderId, opts.workOrderId) : inArray(workOrders.status, [...OPEN_WORK_ORDER]),
      ),
    )
    .groupBy(workOrderOperations.siteId, workOrderOperations.id, workCenters.siteId, workCenters.id, workOrders.siteId, workOrders.id)
    .orderBy(asc(workOrders.dueDate), asc(workOrders.number), asc(workOrderOperations.seq));
}

export type KitLineRow = {
  workOrderId: string;
  bomLineId: string;
  findNumber: number;
  componentRevisionId: string;
  partNumber: string;
  description: string;
  revision: string;
  uom: string;
  tracking: "serial" | "lot" | "untracked";
  operationSeq: number;
  operationCode: string | null;
  workCenterCode: string | null;
  backflush: boolean;
  quantityPerUnit: string;
  /** quantity per unit x work order quantity (before effectivity: server/services/kitting/kit-lines.ts applies it) */
  required: string;
  /** the line's effectivity (serial range, dates) and the order's quantity, to count the units it applies to */
  serialFrom: string | null;
  serialTo: string | null;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  orderQuantity: number;
  /** installed into this order's units at this operation (open genealogy edges) */
  installed: string;
  /** usable on hand at the point-of-use locations of the stations where this operation is performed */
  atPointOfUse: string;
  /** usable on hand in kitting areas and on kit carts */
  inKitting: string;
  /** usable on hand in stores */
  inStores: string;
};

/**
 * Usable on hand of the line's component at locations of the given kinds: material on hold, expired (against `now`),
 * not accepted at inspection, or from a manufacturer not approved on the part's AML cannot be installed, so it does
 * not count. (The station enforces these rules when consuming; this is the read-side picture.)
 */
const usableOnHandIn = (kinds: SQL, now: Date, extra: SQL = sql``) =>
  sql<string>`coalesce((
    select sum(b.on_hand) from stock_balances b
    join storage_locations l on l.site_id = b.site_id and l.id = b.location_id
    join part_revisions bpr on bpr.id = b.part_revision_id
    left join lots blo on blo.site_id = b.site_id and blo.id = b.lot_id
    left join serial_items bsi on bsi.site_id = b.site_id and bsi.id = b.serial_item_id
    where b.site_id = ${workOrderBomLines.siteId} and b.part_revision_id = ${workOrderBomLines.componentRevisionId}
      and b.on_hand > 0 and l.kind in ${kinds} ${extra}
      and coalesce(blo.inspection_status, bsi.inspection_status, 'accepted') = 'accepted'
      and coalesce(blo.expires_at, bsi.expires_at, 'infinity'::timestamptz) > ${now.toISOString()}::timestamptz
      and (coalesce(blo.manufacturer_id, bsi.manufacturer_id) is null
        or not exists (select 1 from approved_manufacturers am where am.part_id = bpr.part_id)
        or exists (select 1 from approved_manufacturers am where am.part_id = bpr.part_id
                   and am.manufacturer_id = coalesce(blo.manufacturer_id, bsi.manufacturer_id) and am.status = 'approved'))
      and not ${activeHoldExists({
        siteId: sql`b.site_id`,
        partRevisionId: sql`b.part_revision_id`,
        lotId: sql`b.lot_id`,
        serialItemId: sql`b.serial_item_id`,
        manufacturerId: sql`coalesce(blo.manufacturer_id, bsi.manufacturer_id)`,
        supplierId: sql`coalesce(blo.supplier_id, bsi.supplier_id)`,
      })}
  ), 0)::text`;

/**
 * The frozen BOM lines of the open work orders (or one work order), each with what is required, what is already
 * installed, and what usable stock is at the operation's stations, in kitting and in stores (as of `now`).
 */
export async function listKitLines(db: DbOrTx, siteId: string, now: Date, opts: { workOrderId?: string } = {}): Promise<KitLineRow[]> {
  return db
    .select({
      workOrderId: workOrderBomLines.workOrderId,
      bomLineId: workOrderBomLines.id,
      findNumber: workOrderBomLines.findNumber,
      componentRevisionId: workOrderBomLines.componentRevisionId,
      partNumber: parts.partNumber,
      description: parts.description,
      revision: partRevisions.revision,
      uom: parts.uom,
      tracking: parts.tracking,
      operationSeq: workOrderBomLines.operationSeq,
      operationCode: workOrderOperations.code,
      workCenterCode: workCenters.code,
      backflush: workOrderBomLines.backflush,
      quantityPerUnit: workOrderBomLines.quantityPerUnit,
      required: sql<string>`(${workOrderBomLines.quantityPerUnit} * ${workOrders.quantity})::text`,
      serialFrom: workOrderBomLines.serialFrom,
      serialTo: workOrderBomLines.serialTo,
      effectiveFrom: workOrderBomLines.effectiveFrom,
      effectiveTo: workOrderBomLines.effectiveTo,
      orderQuantity: workOrders.quantity,
      installed: sql<string>`coalesce((
        select sum(e.quantity) from genealogy_edges e
        join units u on u.site_id = e.site_id and u.id = e.parent_unit_id
        where e.site_id = ${workOrderBomLines.siteId} and u.work_order_id = ${workOrderBomLines.workOrderId}
          and e.child_part_revision_id = ${workOrderBomLines.componentRevisionId}
          and e.operation_seq = ${workOrderBomLines.operationSeq} and e.removed_at is null
      ), 0)::text`,
      atPointOfUse: usableOnHandIn(
        sql`('point_of_use')`,
        now,
        sql`and exists (select 1 from stations s where s.site_id = l.site_id and s.id = l.station_id
              and s.work_center_id = ${workOrderOperations.workCenterId})`,
      ),
      inKitting: usableOnHandIn(sql`('kitting', 'kit_cart')`, now),
      inStores: usableOnHandIn(sql`('stores')`, now),
    })
    .from(workOrderBomLines)
    .innerJoin(workOrders, and(eq(workOrders.siteId, workOrderBomLines.siteId), eq(workOrders.id, workOrderBomLines.workOrderId)))
    .innerJoin(partRevisions, eq(partRevisions.id, workOrderBomLines.componentRevisionId))
    .innerJoin(parts, eq(parts.id, partRevisions.partId))
    .leftJoin(
      workOrderOperations,
      and(
        eq(workOrderOperations.siteId, workOrderBomLines.siteId),
        eq(workOrderOperations.workOrderId, workOrderBomLines.workOrderId),
        eq(workOrderOperations.seq, workOrderBomLines.operationSeq),
      ),
    )
    .leftJoin(workCenters, and(eq(workCenters.siteId, workOrderOperations.siteId), eq(workCenters.id, workOrderOperations.workCenterId)))
    .where(
      and(
        eq(workOrderBomLines.siteId, siteId),
        opts.workOrderId ? eq(workOrderBomLines.workOrderId, opts.workOrderId) : inArray(workOrders.status, [...OPEN_WORK_ORDER]),
      ),
    )
    .orderBy(asc(workOrders.dueDate), asc(workOrders.number), asc(workOrderBomLines.operationSeq), asc(workOrderBomLines.findNumber));
}

export type StorageLocationView = {
  id: string;
  code: string;
  name: string;
  kind: (typeof storageLocations.$inferSelect)["kind"];
  isPhysical: boolean;
  stationCode: string | null;
  /** balances with a non-zero quantity */
  lines: number;
  /** on-hand per unit of measure (quantities of different units are never added together) */
  totals: { uom: string; quantity: string }[];
};

/** Storage locations of the site with their on-hand totals per unit of measure. */
export async function listStorageLocations(db: DbOrTx, siteId: string): Promise<StorageLocationView[]> {
  const rows = await db
    .select({
      id: storageLocations.id,
      code: storageLocations.code,
      name: storageLocations.name,
      kind: storageLocations.kind,
      isPhysical: storageLocations.isPhysical,
      stationCode: stations.code,
      uom: parts.uom,
      lines: sql<number>`count(${stockBalances.id})::int`,
      quantity: sql<string | null>`sum(${stockBalances.onHand})::text`,
    })
    .from(storageLocations)
    .leftJoin(stations, and(eq(stations.siteId, storageLocations.siteId), eq(stations.id, storageLocations.stationId)))
    .leftJoin(
      stockBalances,
      and(eq(stockBalances.siteId, storageLocations.siteId), eq(stockBalances.locationId, storageLocations.id), ne(stockBalances.onHand, "0")),
    )
    .leftJoin(partRevisions, eq(partRevisions.id, stockBalances.partRevisionId))
    .leftJoin(parts, eq(parts.id, partRevisions.partId))
    .where(eq(storageLocations.siteId, siteId))
    .groupBy(storageLocations.siteId, storageLocations.id, stations.siteId, stations.id, parts.uom)
    .orderBy(asc(storageLocations.code), asc(parts.uom));
  const byId = new Map<string, StorageLocationView>();
  for (const r of rows) {
    let loc = byId.get(r.id);
    if (!loc) {
      loc = { id: r.id, code: r.code, name: r.name, kind: r.kind, isPhysical: r.isPhysical, stationCode: r.stationCode, lines: 0, totals: [] };
      byId.set(r.id, loc);
    }
    loc.lines += r.lines;
    if (r.uom !== null && r.quantity !== null) loc.totals.push({ uom: r.uom, quantity: r.quantity });
  }
  return [...byId.values()];
}

/** The unit serials of these work orders (every status), by work order. */
export async function listUnitSerials(db: DbOrTx, siteId: string, workOrderIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (workOrderIds.length === 0) return out;
  const rows = await db
    .select({ workOrderId: units.workOrderId, serial: units.serial })
    .from(units)
    .where(and(eq(units.siteId, siteId), inArray(units.workOrderId, workOrderIds)));
  for (const r of rows) out.set(r.workOrderId, [...(out.get(r.workOrderId) ?? []), r.serial]);
  return out;
}
