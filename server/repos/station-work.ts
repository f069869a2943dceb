import "server-only";
import { createHash } from "node:crypto";
import Decimal from "decimal.js";
import { and, asc, eq, isNull, sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx, type Tx } from "@/db/client";
import {
  erpOutbox,
  genealogyEdges,
  partRevisions,
  parts,
  sites,
  storageLocations,
  unitOperations,
  units,
  workOrderBomLines,
  workOrderOperations,
  workOrders,
} from "@/db/schema";
import type { Candidate } from "@/server/domain/kitting/lot-rules";
import type { BomLine, ConfirmationPayload, InstalledQty, ParameterSpec } from "@/server/domain/station/station-rules";
import { confirmationOrderingKey } from "@/server/domain/erp/outbound";
import { activeHoldSources, isoUtc, toDate, unauthorisedSources } from "./hold-flags";
import { clockColumnsSql, clockFromRow, type ClockColumns } from "./material-clock";
import { requestLockKey } from "./request-log";
import { clockAfterLocks, lockHoldKeysSharedSql, type MaterialRef } from "./hold-locks";
import { soleScannedItemSql, type ScanIdentifiers } from "./kitting";

/* The operator station's reads and writes: units, operations, the frozen BOM, item facts, edges, outbox. Site-scoped. */

export type UnitContext = {
  unit: { id: string; serial: string; serialItemId: string; status: string; workOrderId: string };
  workOrder: { id: string; number: string; status: string; partRevisionId: string; dueDate: string; partNumber: string; revision: string; uom: string };
  operations: {
    id: string;
    seq: number;
    status: "pending" | "in_progress" | "completed";
    parameters: Record<string, string>;
    workCenterId: string;
    code: string;
    description: string;
    specs: ParameterSpec[];
    startedAt: Date | null;
    stationId: string | null;
    /** skill codes the operator must hold, current (frozen with the order) */
    requiredSkills: string[];
    /** tool classes the operator must scan a usable tool of */
    requiredToolClasses: string[];
    /** the tools recorded at this unit's operation so far */
    toolIds: string[];
  }[];
};

/**
 * Lock one operation row of a unit, then the request id (the order lockOperation + idempotent take), then the shared
 * keys of the hold targets of the item installed (server/repos/hold-locks.ts), in one statement: an item known by id,
 * or the one lot or serial a scan names (soleScannedItemSql: no keys when the scan finds none or several). Null when the
 * unit or operation is not of this site (then nothing is locked), else the database's clock read after the locks and
 * the item whose keys were taken. For the rest of the transaction the statements run on their cached generic plans
 * (SET LOCAL plan_cache_mode).
 */
export async function lockUnitOperationAndRequest(
  tx: Tx,
  siteId: string,
  unitId: string,
  seq: number,
  actorUserId: string,
  requestId: string,
  item: MaterialRef | { scan: ScanIdentifiers } | null = null,
): Promise<{ at: Date; item: MaterialRef | null } | null> {
  const source = !item ? null : "scan" in item ? soleScannedItemSql(siteId, item.scan) : lockItemSql(item);
  const rows = await queryRows<{ id: string; at: string; lot: string | null; serial: string | null; rev: string | null }>(
    tx,
    sql`with op as materialized (
          select uo.id from unit_operations uo where uo.site_id = ${siteId}::uuid and uo.unit_id = ${unitId}::uuid and uo.seq = ${seq} for update),
        req as materialized (
          select op.id, pg_advisory_xact_lock(hashtextextended(${requestLockKey(siteId, actorUserId, requestId)}, 0))::text as locked,
                 -- the install's read and write statements are the same shape on every scan: plan them once per connection
                 -- (left to itself PostgreSQL re-planned the read on every call, at ~1 ms each)
                 set_config('plan_cache_mode', 'force_generic_plan', true) as plans
          from op),
        item as materialized (${source ?? sql`select null::uuid as lot, null::uuid as serial, null::uuid as rev where false`}),
        held as materialized (select req.id, ${source ? lockHoldKeysSharedSql(siteId, sql`select item.lot, item.serial, item.rev from item`) : sql`0`} as held from req)
        select held.id, ${clockAfterLocks} as at, (select item.lot from item) as lot, (select item.serial from item) as serial, (select item.rev from item) as rev from held`,
  );
  const row = rows[0];
  if (!row) return null;
  return { at: new Date(row.at), item: row.lot || row.serial || row.rev ? { partRevisionId: row.rev, lotId: row.lot, serialItemId: row.serial } : null };
}

/** An item given by id as the lock statement's item row (the hold keys read its revision from its lot or serial). */
function lockItemSql(item: MaterialRef): SQL {
  return sql`select ${item.lotId}::uuid as lot, ${item.serialItemId}::uuid as serial, ${item.partRevisionId}::uuid as rev`;
}

/** Lock one operation row of a unit (the unit's installs at that operation queue behind it); null when not found. */
export async function lockUnitOperation(tx: Tx, siteId: string, unitId: string, seq: number): Promise<{ id: string } | null> {
  const [row] = await tx
    .select({ id: unitOperations.id })
    .from(unitOperations)
    .where(and(eq(unitOperations.siteId, siteId), eq(unitOperations.unitId, unitId), eq(unitOperations.seq, seq)))
    .for("update");
  return row ?? null;
}

export async function loadUnitContext(db: DbOrTx, siteId: string, unitId: string): Promise<UnitContext | null> {
  const [row, ops] = await Promise.all([loadUnitRow(db, siteId, unitId), loadUnitOperations(db, siteId, unitId)]);
  return unitContextOf(row, ops);
}

type UnitRow = Awaited<ReturnType<typeof loadUnitRow>>;
type UnitOperationRow = UnitContext["operations"][number];

/** The unit with its work order and the order's part (null when not of this site). */
async function loadUnitRow(db: DbOrTx, siteId: string, unitId: string) {
  const [row] = await db
    .select({
      id: units.id,
      serial: units.serial,
      serialItemId: units.serialItemId,
      status: units.status,
      workOrderId: units.workOrderId,
      woNumber: workOrders.number,
      woStatus: workOrders.status,
      woRev: workOrders.partRevisionId,
      dueDate: workOrders.dueDate,
      partNumber: parts.partNumber,
      revision: partRevisions.revision,
      uom: parts.uom,
    })
    .from(units)
    .innerJoin(workOrders, and(eq(workOrders.siteId, units.siteId), eq(workOrders.id, units.workOrderId)))
    .innerJoin(partRevisions, eq(partRevisions.id, workOrders.partRevisionId))
    .innerJoin(parts, eq(parts.id, partRevisions.partId))
    .where(and(eq(units.siteId, siteId), eq(units.id, unitId)));
  return row ?? null;
}

/** The unit's operations in sequence, with their routing (work center, parameter specs). */
async function loadUnitOperations(db: DbOrTx, siteId: string, unitId: string): Promise<UnitOperationRow[]> {
  return db
    .select({
      id: unitOperations.id,
      seq: unitOperations.seq,
      status: unitOperations.status,
      parameters: unitOperations.parameters,
      startedAt: unitOperations.startedAt,
      stationId: unitOperations.stationId,
      workCenterId: workOrderOperations.workCenterId,
      code: workOrderOperations.code,
      description: workOrderOperations.description,
      specs: workOrderOperations.parameters,
      requiredSkills: workOrderOperations.requiredSkills,
      requiredToolClasses: workOrderOperations.requiredToolClasses,
      toolIds: unitOperations.toolIds,
    })
    .from(unitOperations)
    .innerJoin(workOrderOperations, and(eq(workOrderOperations.siteId, unitOperations.siteId), eq(workOrderOperations.id, unitOperations.workOrderOperationId)))
    .where(and(eq(unitOperations.siteId, siteId), eq(unitOperations.unitId, unitId)))
    .orderBy(asc(unitOperations.seq));
}

function unitContextOf(row: UnitRow, ops: UnitOperationRow[]): UnitContext | null {
  if (!row) return null;
  return {
    unit: { id: row.id, serial: row.serial, serialItemId: row.serialItemId, status: row.status, workOrderId: row.workOrderId },
    workOrder: { id: row.workOrderId, number: row.woNumber, status: row.woStatus, partRevisionId: row.woRev, dueDate: row.dueDate, partNumber: row.partNumber, revision: row.revision, uom: row.uom },
    operations: ops,
  };
}

export type StationRow = {
  id: string;
  code: string;
  name: string;
  workCenterId: string;
  pointOfUseId: string | null;
  /** the site's consumed-into-unit location and ERP plant, read with the station (one round trip per scan) */
  consumedId: string | null;
  erpPlant: string;
};

export async function findStationWithPointOfUse(db: DbOrTx, siteId: string, stationId: string): Promise<StationRow | null> {
  const rows = await queryRows<{ id: string; code: string; name: string; work_center_id: string; pou: string | null; consumed: string | null; erp_plant: string }>(
    db,
    sql`select st.id, st.code, st.name, st.work_center_id,
               (select l.id from storage_locations l where l.site_id = st.site_id and l.kind = 'point_of_use' and l.station_id = st.id order by l.code limit 1) as pou,
               (select l.id from storage_locations l where l.site_id = st.site_id and l.kind = 'consumed' order by l.code limit 1) as consumed,
               s.erp_plant
        from stations st join sites s on s.id = st.site_id
        where st.site_id = ${siteId} and st.id = ${stationId}::uuid`,
  );
  const r = rows[0];
  return r ? { id: r.id, code: r.code, name: r.name, workCenterId: r.work_center_id, pointOfUseId: r.pou, consumedId: r.consumed, erpPlant: r.erp_plant } : null;
}

/** The site's first location of a kind (by code), e.g. the consumed, scrap or stores location. */
export async function firstLocationOfKind(db: DbOrTx, siteId: string, kind: (typeof storageLocations.$inferSelect)["kind"]): Promise<{ id: string; code: string; name: string } | null> {
  const [row] = await db
    .select({ id: storageLocations.id, code: storageLocations.code, name: storageLocations.name })
    .from(storageLocations)
    .where(and(eq(storageLocations.siteId, siteId), eq(storageLocations.kind, kind)))
    .orderBy(asc(storageLocations.code))
    .limit(1);
  return row ?? null;
}

export async function findLocationOfSite(db: DbOrTx, siteId: string, locationId: string) {
  const [row] = await db
    .select({ id: storageLocations.id, code: storageLocations.code, name: storageLocations.name, kind: storageLocations.kind, stationId: storageLocations.stationId })
    .from(storageLocations)
    .where(and(eq(storageLocations.siteId, siteId), eq(storageLocations.id, locationId)));
  return row ?? null;
}

export async function siteErpPlant(db: DbOrTx, siteId: string): Promise<string> {
  const [row] = await db.select({ erpPlant: sites.erpPlant }).from(sites).where(eq(sites.id, siteId));
  return row?.erpPlant ?? "";
}

/** The order's frozen BOM with the component part facts the station rules need. */
export async function loadFrozenBom(db: DbOrTx, siteId: string, workOrderId: string): Promise<BomLine[]> {
  return frozenBom(db, and(eq(workOrderBomLines.siteId, siteId), eq(workOrderBomLines.workOrderId, workOrderId))!);
}

async function frozenBom(db: DbOrTx, where: SQL): Promise<BomLine[]> {
  return db
    .select({
      id: workOrderBomLines.id,
      findNumber: workOrderBomLines.findNumber,
      componentRevisionId: workOrderBomLines.componentRevisionId,
      partId: parts.id,
      partNumber: parts.partNumber,
      revision: partRevisions.revision,
      uom: parts.uom,
      tracking: parts.tracking,
      quantityPerUnit: workOrderBomLines.quantityPerUnit,
      operationSeq: workOrderBomLines.operationSeq,
      serialFrom: workOrderBomLines.serialFrom,
      serialTo: workOrderBomLines.serialTo,
      effectiveFrom: workOrderBomLines.effectiveFrom,
      effectiveTo: workOrderBomLines.effectiveTo,
      backflush: workOrderBomLines.backflush,
      shelfLifeDays: parts.shelfLifeDays,
      outTimeMinutes: parts.outTimeMinutes,
    })
    .from(workOrderBomLines)
    .innerJoin(partRevisions, eq(partRevisions.id, workOrderBomLines.componentRevisionId))
    .innerJoin(parts, eq(parts.id, partRevisions.partId))
    .where(where)
    .orderBy(asc(workOrderBomLines.operationSeq), asc(workOrderBomLines.findNumber));
}

export type OpenEdge = {
  id: string;
  childPartRevisionId: string;
  childLotId: string | null;
  childSerialItemId: string | null;
  quantity: string;
  findNumber: number | null;
  operationSeq: number;
  installedAt: Date;
  /** the BOM revision the install counts on: the designed one for a substitute under a deviation, else its own */
  countsAsRevisionId?: string;
};

/** The unit's installed (not removed) components, by the unit's serial item (the indexed parent key). */
export async function openEdgesOfUnit(db: DbOrTx, siteId: string, unit: { id: string; serialItemId: string }): Promise<OpenEdge[]> {
  return db
    .select({
      id: genealogyEdges.id,
      childPartRevisionId: genealogyEdges.childPartRevisionId,
      childLotId: genealogyEdges.childLotId,
      childSerialItemId: genealogyEdges.childSerialItemId,
      quantity: genealogyEdges.quantity,
      findNumber: genealogyEdges.findNumber,
      operationSeq: genealogyEdges.operationSeq,
      installedAt: genealogyEdges.installedAt,
      countsAsRevisionId: sql<string>`coalesce((select d.designed_part_revision_id from deviations d
        where d.site_id = ${genealogyEdges.siteId} and d.id = ${genealogyEdges.deviationId} and d.substitute_kind in ('part', 'revision')), ${genealogyEdges.childPartRevisionId})`,
    })
    .from(genealogyEdges)
    .where(
      and(
        eq(genealogyEdges.siteId, siteId),
        eq(genealogyEdges.parentSerialItemId, unit.serialItemId),
        eq(genealogyEdges.parentUnitId, unit.id),
        isNull(genealogyEdges.removedAt),
      ),
    )
    .orderBy(asc(genealogyEdges.installedAt));
}

/** What is installed in a unit at one operation, summed per find number and revision (read with an install). */
export type InstalledSum = Pick<OpenEdge, "childPartRevisionId" | "findNumber" | "operationSeq" | "quantity" | "countsAsRevisionId">;

/** Installed quantity per BOM line id (an edge counts on the line with its find number, operation and revision). */
export function installedPerLine(lines: BomLine[], edges: InstalledSum[]): InstalledQty {
  const out: Record<string, string> = {};
  for (const line of lines) {
    let sum = 0n;
    const scale = 1_000_000n;
    for (const e of edges) {
      if (e.findNumber === line.findNumber && e.operationSeq === line.operationSeq && (e.countsAsRevisionId ?? e.childPartRevisionId) === line.componentRevisionId) {
        const [w, f = ""] = e.quantity.split(".");
        sum += BigInt(w!) * scale + BigInt((f + "000000").slice(0, 6));
      }
    }
    const whole = sum / scale;
    const frac = (sum % scale).toString().padStart(6, "0").replace(/0+$/, "");
    out[line.id] = frac ? `${whole}.${frac}` : `${whole}`;
  }
  return out;
}

/** The unit a serial is installed in now (an open edge), or null. */
export async function whereInstalled(db: DbOrTx, siteId: string, serialItemId: string): Promise<{ unitId: string; serial: string } | null> {
  const [row] = await db
    .select({ unitId: units.id, serial: units.serial })
    .from(genealogyEdges)
    .innerJoin(units, and(eq(units.siteId, genealogyEdges.siteId), eq(units.id, genealogyEdges.parentUnitId)))
    .where(and(eq(genealogyEdges.siteId, siteId), eq(genealogyEdges.childSerialItemId, serialItemId), isNull(genealogyEdges.removedAt)))
    .limit(1);
  return row ?? null;
}

export type ItemFacts = Candidate & {
  partId: string;
  partNumber: string;
  revision: string;
  uom: string;
  tracking: "serial" | "lot" | "untracked";
  minRemainingShelfLifeDays: number | null;
  outTimeMinutes: number | null;
  outTimeStartedAt: Date | null;
  /** the item has (or had) a balance at the location */
  hasBalance: boolean;
};

export type FactsRow = ClockColumns & {
  part_revision_id: string;
  location_id: string | null;
  part_id: string;
  part_number: string;
  revision: string;
  uom: string;
  tracking: "serial" | "lot" | "untracked";
  min_days: number | null;
  out_time_minutes: number | null;
  out_time_started_at: string | null;
  lot_number: string | null;
  serial_number: string | null;
  expires_at: string | null;
  inspection_status: "pending" | "accepted" | "rejected" | null;
  manufacturer_code: string | null;
  manufacturer_name: string | null;
  aml: "approved" | "disqualified" | "not_listed" | "no_aml";
  /** the active holds covering the item, oldest first; via: the lot it was mixed from that the hold covers (null: its own) */
  hold_sources: { reason: string; via: string | null }[] | null;
  unauthorised_sources: string[];
  location_code: string | null;
  on_hand: string | null;
  reserved: string | null;
  has_balance: boolean;
};

/**
 * The facts the material rules judge for one item (lot, serial, or untracked revision), with its balance at one
 * location (on hand 0 when it has none there). Null when the item is not of this site.
 */
export async function itemFactsAt(
  db: DbOrTx,
  siteId: string,
  item: { partRevisionId: string | null; lotId: string | null; serialItemId: string | null },
  at: string | { pointOfUseOf: string },
): Promise<ItemFacts | null> {
  const rows = await queryRows<FactsRow>(db, itemFactsSql(siteId, item, at));
  return rows[0] ? factsFromRow(rows[0], item, at) : null;
}

/** An item as expressions of a statement (e.g. read from a CTE), for itemFactsSql. */
export type ItemExpressions = { rev: SQL; lot: SQL; serial: SQL };

/**
 * The facts query of itemFactsAt, to read within a larger statement (one row, or none). The item is given by its ids,
 * or as expressions of the statement (then its revision is `rev`).
 */
export function itemFactsSql(siteId: string, item: { partRevisionId: string | null; lotId: string | null; serialItemId: string | null } | ItemExpressions, at: string | { pointOfUseOf: string }): SQL {
  // a lot or serial names its revision; a station names its point of use (so a scan's reads go out in one round trip)
  const given = "lot" in item ? null : item;
  const revision = !given
    ? (item as ItemExpressions).rev
    : given.partRevisionId
      ? sql`${given.partRevisionId}::uuid`
      : given.lotId
        ? sql`(select x.part_revision_id from lots x where x.site_id = ${siteId}::uuid and x.id = ${given.lotId}::uuid)`
        : sql`(select x.part_revision_id from serial_items x where x.site_id = ${siteId}::uuid and x.id = ${given.serialItemId}::uuid)`;
  const lotId = given ? sql`${given.lotId}::uuid` : (item as ItemExpressions).lot;
  const serialItemId = given ? sql`${given.serialItemId}::uuid` : (item as ItemExpressions).serial;
  const location =
    typeof at === "string"
      ? sql`${at}::uuid`
      : sql`(select x.id from storage_locations x where x.site_id = ${siteId}::uuid and x.kind = 'point_of_use' and x.station_id = ${at.pointOfUseOf}::uuid order by x.code limit 1)`;
  const manufacturer = sql`coalesce(lo.manufacturer_id, si.manufacturer_id)`;
  const holdSources = activeHoldSources({
    siteId: sql`${siteId}::uuid`,
    partRevisionId: sql`pr.id`,
    lotId: sql`lo.id`,
    serialItemId: sql`si.id`,
    manufacturerId: manufacturer,
    supplierId: sql`coalesce(lo.supplier_id, si.supplier_id)`,
  });
  return sql`select pr.id as part_revision_id, l.id as location_id, p.id as part_id, p.part_number, pr.revision, p.uom, p.tracking::text as tracking,
               p.min_remaining_shelf_life_days as min_days, p.out_time_minutes,
               ${isoUtc(sql`lo.out_time_started_at`)} as out_time_started_at, ${clockColumnsSql()},
               lo.lot_number, si.serial_number,
               ${isoUtc(sql`coalesce(lo.expires_at, si.expires_at)`)} as expires_at,
               case when lo.id is null and si.id is null then null else coalesce(lo.inspection_status, si.inspection_status)::text end as inspection_status,
               m.code as manufacturer_code, m.name as manufacturer_name,
               case when ${manufacturer} is null or not exists (select 1 from approved_manufacturers am where am.part_id = p.id) then 'no_aml'
                    else coalesce((select am.status::text from approved_manufacturers am where am.part_id = p.id and am.manufacturer_id = ${manufacturer}), 'not_listed')
               end as aml,
               ${holdSources} as hold_sources,
               ${unauthorisedSources({ manufacturerId: manufacturer, supplierId: sql`coalesce(lo.supplier_id, si.supplier_id)` })} as unauthorised_sources,
               l.code as location_code, b.on_hand::text as on_hand, b.reserved::text as reserved, b.id is not null as has_balance
        from part_revisions pr
        join parts p on p.id = pr.part_id
        left join lots lo on lo.site_id = ${siteId} and lo.id = ${lotId}
        left join serial_items si on si.site_id = ${siteId} and si.id = ${serialItemId}
        left join lateral (select mm.code, mm.name from manufacturers mm where mm.id = ${manufacturer}) m on true
        left join storage_locations l on l.site_id = ${siteId} and l.id = ${location}
        left join stock_balances b on b.site_id = ${siteId} and b.location_id = l.id and b.part_revision_id = pr.id
             and b.lot_id is not distinct from ${lotId} and b.serial_item_id is not distinct from ${serialItemId}
        where pr.id = ${revision}
          and (${lotId} is null or lo.id is not null)
          and (${serialItemId} is null or si.id is not null)`;
}

/** The input lots a mixed lot is held through, when every hold covering it comes through them (else none: held itself). */
function heldThroughInputs(holds: { via: string | null }[]): string[] {
  if (holds.length === 0 || holds.some((h) => h.via === null)) return [];
  return [...new Set(holds.map((h) => h.via!))].sort();
}

export function factsFromRow(r: FactsRow, item: { lotId: string | null; serialItemId: string | null }, at: string | { pointOfUseOf: string }): ItemFacts {
  return {
    locationId: r.location_id ?? (typeof at === "string" ? at : ""),
    locationCode: r.location_code ?? "",
    partRevisionId: r.part_revision_id,
    lotId: item.lotId,
    lotNumber: r.lot_number,
    serialItemId: item.serialItemId,
    serialNumber: r.serial_number,
    expiresAt: toDate(r.expires_at),
    inspectionStatus: r.inspection_status,
    manufacturerCode: r.manufacturer_code,
    manufacturerName: r.manufacturer_name,
    aml: r.aml,
    holdReasons: (r.hold_sources ?? []).map((h) => h.reason),
    holdInputLots: heldThroughInputs(r.hold_sources ?? []),
    unauthorisedSources: r.unauthorised_sources ?? [],
    onHand: r.on_hand ?? "0",
    reserved: r.reserved ?? "0",
    partId: r.part_id,
    partNumber: r.part_number,
    revision: r.revision,
    uom: r.uom,
    tracking: r.tracking,
    minRemainingShelfLifeDays: r.min_days,
    outTimeMinutes: r.out_time_minutes,
    outTimeStartedAt: toDate(r.out_time_started_at),
    clock: clockFromRow(r, toDate(r.expires_at), item.lotId !== null),
    hasBalance: r.has_balance === true,
  };
}

/** Physical locations (other than `exceptLocationId`) holding the item, by code and name: where to fetch it from. */
export async function otherPlacesOf(
  db: DbOrTx,
  siteId: string,
  item: { partRevisionId: string; lotId: string | null; serialItemId: string | null },
  exceptLocationId: string,
): Promise<{ code: string; name: string; onHand: string }[]> {
  const rows = await queryRows<{ code: string; name: string; on_hand: string }>(
    db,
    sql`select l.code, l.name, b.on_hand::text as on_hand from stock_balances b join storage_locations l on l.site_id = b.site_id and l.id = b.location_id
        where b.site_id = ${siteId} and b.is_physical and b.on_hand > 0 and b.location_id <> ${exceptLocationId}::uuid
          and b.part_revision_id = ${item.partRevisionId}::uuid and b.lot_id is not distinct from ${item.lotId}::uuid
          and b.serial_item_id is not distinct from ${item.serialItemId}::uuid
        order by l.code limit 5`,
  );
  return rows.map((r) => ({ code: r.code, name: r.name, onHand: r.on_hand }));
}

/** Point-of-use stock of some revisions (lots and untracked only), with the facts the rules judge, for backflush. */
export async function bulkStockAt(db: DbOrTx, siteId: string, locationId: string, partRevisionIds: string[]): Promise<Candidate[]> {
  if (partRevisionIds.length === 0) return [];
  const out: Candidate[] = [];
  const rows = await queryRows<{ part_revision_id: string; lot_id: string | null }>(
    db,
    sql`select part_revision_id, lot_id from stock_balances
        where site_id = ${siteId} and location_id = ${locationId}::uuid and serial_item_id is null and on_hand > 0
          and part_revision_id in (${sql.join(partRevisionIds.map((id) => sql`${id}::uuid`), sql`, `)})`,
  );
  for (const r of rows) {
    const f = await itemFactsAt(db, siteId, { partRevisionId: r.part_revision_id, lotId: r.lot_id, serialItemId: null }, locationId);
    if (f) out.push(f);
  }
  return out;
}

export async function insertEdge(tx: Tx, e: typeof genealogyEdges.$inferInsert): Promise<string> {
  const [row] = await tx.insert(genealogyEdges).values(e).returning({ id: genealogyEdges.id });
  return row!.id;
}

export async function lockEdge(tx: Tx, siteId: string, edgeId: string) {
  const [row] = await tx
    .select()
    .from(genealogyEdges)
    .where(and(eq(genealogyEdges.siteId, siteId), eq(genealogyEdges.id, edgeId)))
    .for("update");
  return row ?? null;
}

export async function closeEdge(tx: Tx, siteId: string, edgeId: string, v: { removedAt: Date; removedBy: string; removalReason: string; removalMovementId: string }): Promise<void> {
  await tx.update(genealogyEdges).set(v).where(and(eq(genealogyEdges.siteId, siteId), eq(genealogyEdges.id, edgeId)));
}

export async function markOperationCompleted(tx: Tx, siteId: string, unitOperationId: string, v: { stationId: string; at: Date; by: string; parameters: Record<string, string> }): Promise<void> {
  await tx
    .update(unitOperations)
    .set({
      status: "completed",
      stationId: v.stationId,
      startedAt: sql`coalesce(${unitOperations.startedAt}, ${v.at.toISOString()}::timestamptz)`,
      completedAt: v.at,
      completedBy: v.by,
      parameters: v.parameters,
    })
    .where(and(eq(unitOperations.siteId, siteId), eq(unitOperations.id, unitOperationId)));
}

export async function setUnitStatus(tx: Tx, siteId: string, unitId: string, status: "in_progress" | "completed", at: Date | null): Promise<void> {
  await tx
    .update(units)
    .set(status === "completed" ? { status, completedAt: at } : { status })
    .where(and(eq(units.siteId, siteId), eq(units.id, unitId)));
}

export async function setWorkOrderStatus(tx: Tx, siteId: string, workOrderId: string, status: "in_progress" | "completed"): Promise<void> {
  await tx.update(workOrders).set({ status }).where(and(eq(workOrders.siteId, siteId), eq(workOrders.id, workOrderId)));
}

export async function openUnitsOfOrder(db: DbOrTx, siteId: string, workOrderId: string): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from units where site_id = ${siteId} and work_order_id = ${workOrderId}::uuid and status in ('planned', 'in_progress')`,
  );
  return rows[0]?.n ?? 0;
}

/**
 * A stable outbox message id: the same request and the same confirmation always name the same message, so a
 * delivery retried after a crash is recognised by ERP (invariant 9).
 */
export function stableMessageId(siteId: string, actorUserId: string, requestId: string, part: string): string {
  const h = createHash("sha256").update(`${siteId}|${actorUserId}|${requestId}|${part}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

export async function enqueueConfirmation(tx: Tx, siteId: string, m: { messageId: string; type: string; payload: ConfirmationPayload; at: Date }): Promise<void> {
  await tx
    .insert(erpOutbox)
    .values({ siteId, messageId: m.messageId, type: m.type, payload: m.payload, orderingKey: confirmationOrderingKey(m.payload), nextAttemptAt: m.at, createdAt: m.at });
}

/** The part revision of a lot or a serial of this site (null when it is not of this site). */
export async function identifyItem(
  db: DbOrTx,
  siteId: string,
  ids: { lotId?: string | null; serialItemId?: string | null },
): Promise<{ partRevisionId: string; lotId: string | null; serialItemId: string | null } | null> {
  if (ids.lotId) {
    const rows = await queryRows<{ part_revision_id: string }>(db, sql`select part_revision_id from lots where site_id = ${siteId} and id = ${ids.lotId}::uuid`);
    return rows[0] ? { partRevisionId: rows[0].part_revision_id, lotId: ids.lotId, serialItemId: null } : null;
  }
  if (ids.serialItemId) {
    const rows = await queryRows<{ part_revision_id: string }>(db, sql`select part_revision_id from serial_items where site_id = ${siteId} and id = ${ids.serialItemId}::uuid`);
    return rows[0] ? { partRevisionId: rows[0].part_revision_id, lotId: null, serialItemId: ids.serialItemId } : null;
  }
  return null;
}

export type InstalledRow = {
  edgeId: string;
  findNumber: number | null;
  operationSeq: number;
  partNumber: string;
  revision: string;
  uom: string;
  lotNumber: string | null;
  serialNumber: string | null;
  quantity: string;
  installedAt: Date;
  operatorName: string;
};

/** The unit's installed (open) components with what the screen shows, oldest first. */
export async function installedDetails(db: DbOrTx, siteId: string, unit: { id: string; serialItemId: string }): Promise<InstalledRow[]> {
  const rows = await queryRows<{
    edge_id: string;
    find_number: number | null;
    operation_seq: number;
    part_number: string;
    revision: string;
    uom: string;
    lot_number: string | null;
    serial_number: string | null;
    quantity: string;
    installed_at: string;
    operator_name: string;
  }>(
    db,
    sql`select e.id as edge_id, e.find_number, e.operation_seq, p.part_number, pr.revision, p.uom, lo.lot_number, si.serial_number,
               e.quantity::text as quantity, ${isoUtc(sql`e.installed_at`)} as installed_at, u.display_name as operator_name
        from genealogy_edges e
        join part_revisions pr on pr.id = e.child_part_revision_id
        join parts p on p.id = pr.part_id
        join users u on u.id = e.operator_user_id
        left join lots lo on lo.site_id = e.site_id and lo.id = e.child_lot_id
        left join serial_items si on si.site_id = e.site_id and si.id = e.child_serial_item_id
        where e.site_id = ${siteId} and e.parent_serial_item_id = ${unit.serialItemId}::uuid and e.parent_unit_id = ${unit.id}::uuid and e.removed_at is null
        order by e.installed_at, e.id`,
  );
  return rows.map((r) => ({
    edgeId: r.edge_id,
    findNumber: r.find_number,
    operationSeq: r.operation_seq,
    partNumber: r.part_number,
    revision: r.revision,
    uom: r.uom,
    lotNumber: r.lot_number,
    serialNumber: r.serial_number,
    quantity: new Decimal(r.quantity).toFixed(),
    installedAt: new Date(r.installed_at),
    operatorName: r.operator_name,
  }));
}
