import "server-only";
import { and, asc, count, desc, eq, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { containsPattern } from "./search-pattern";
import {
  approvedManufacturers,
  bomLines,
  boms,
  manufacturers,
  partRevisions,
  parts,
  routingOperations,
  routings,
  units,
  workCenters,
  workOrderOperations,
  workOrders,
} from "@/db/schema";
import type { ParameterSpec } from "@/db/schema/master";
import type { BomEdge } from "@/server/domain/erp/bom-tree";

/*
 * The master-data browser's reads: ERP's data as mirrored, read-only. Parts, revisions, BOMs and the AML are
 * enterprise-wide; routings and work orders belong to one site and are always read with the actor's site id.
 */

export type Paging = { page: number; pageSize: number };
export type Page<T> = { rows: T[]; total: number; page: number; pageSize: number; pageCount: number };

function pageOf<T>(rows: T[], total: number, paging: Paging): Page<T> {
  return { rows, total, page: paging.page, pageSize: paging.pageSize, pageCount: Math.max(1, Math.ceil(total / paging.pageSize)) };
}

export type RevisionSummary = { id: string; revision: string; status: string; erpVersion: number; hasBom: boolean };

export type PartRow = {
  id: string;
  partNumber: string;
  description: string;
  uom: string;
  tracking: "serial" | "lot" | "untracked";
  shelfLifeDays: number | null;
  minRemainingShelfLifeDays: number | null;
  outTimeMinutes: number | null;
  minThawMinutes: number | null;
  storageClass: "freezer" | "refrigerated" | "ambient" | "humidity_controlled" | null;
  potLifeMinutes: number | null;
  erpVersion: number;
  updatedAt: Date;
  revisions: RevisionSummary[];
};

const partColumns = {
  id: parts.id,
  partNumber: parts.partNumber,
  description: parts.description,
  uom: parts.uom,
  tracking: parts.tracking,
  shelfLifeDays: parts.shelfLifeDays,
  minRemainingShelfLifeDays: parts.minRemainingShelfLifeDays,
  outTimeMinutes: parts.outTimeMinutes,
  minThawMinutes: parts.minThawMinutes,
  storageClass: parts.storageClass,
  potLifeMinutes: parts.potLifeMinutes,
  erpVersion: parts.erpVersion,
  updatedAt: parts.updatedAt,
};

async function revisionsOf(db: DbOrTx, partIds: string[]): Promise<Map<string, RevisionSummary[]>> {
  const out = new Map<string, RevisionSummary[]>();
  if (partIds.length === 0) return out;
  const rows = await db
    .select({
      partId: partRevisions.partId,
      id: partRevisions.id,
      revision: partRevisions.revision,
      status: partRevisions.status,
      erpVersion: partRevisions.erpVersion,
      hasBom: sql<boolean>`(${boms.id} is not null)`,
    })
    .from(partRevisions)
    .leftJoin(boms, eq(boms.parentRevisionId, partRevisions.id))
    .where(inArray(partRevisions.partId, partIds))
    .orderBy(asc(partRevisions.revision));
  for (const { partId, ...r } of rows) {
    const list = out.get(partId);
    if (list) list.push(r);
    else out.set(partId, [r]);
  }
  return out;
}

/** Parts whose number or description contains `search` (any case), by part number, with their revisions. */
export async function searchParts(db: DbOrTx, search: string | undefined, paging: Paging): Promise<Page<PartRow>> {
  const where: SQL | undefined = search ? or(ilike(parts.partNumber, containsPattern(search)), ilike(parts.description, containsPattern(search))) : undefined;
  const [totalRow] = await db.select({ n: count() }).from(parts).where(where);
  const rows = await db
    .select(partColumns)
    .from(parts)
    .where(where)
    .orderBy(asc(parts.partNumber))
    .limit(paging.pageSize)
    .offset((paging.page - 1) * paging.pageSize);
  const revisions = await revisionsOf(db, rows.map((r) => r.id));
  return pageOf(
    rows.map((r) => ({ ...r, revisions: revisions.get(r.id) ?? [] })),
    Number(totalRow?.n ?? 0),
    paging,
  );
}

export type AmlEntry = { manufacturerCode: string; manufacturerName: string; status: "approved" | "disqualified"; erpVersion: number };

export async function findPart(db: DbOrTx, partId: string): Promise<(PartRow & { aml: AmlEntry[] }) | null> {
  const [row] = await db.select(partColumns).from(parts).where(eq(parts.id, partId));
  if (!row) return null;
  const revisions = await revisionsOf(db, [row.id]);
  const aml = await db
    .select({
      manufacturerCode: manufacturers.code,
      manufacturerName: manufacturers.name,
      status: approvedManufacturers.status,
      erpVersion: approvedManufacturers.erpVersion,
    })
    .from(approvedManufacturers)
    .innerJoin(manufacturers, eq(manufacturers.id, approvedManufacturers.manufacturerId))
    .where(eq(approvedManufacturers.partId, row.id))
    .orderBy(asc(approvedManufacturers.status), asc(manufacturers.code));
  return { ...row, revisions: revisions.get(row.id) ?? [], aml };
}

export type BomLineView = {
  findNumber: number;
  componentPartId: string;
  partNumber: string;
  revision: string;
  revisionStatus: string;
  description: string;
  uom: string;
  tracking: "serial" | "lot" | "untracked";
  quantity: string;
  operationSeq: number;
  serialFrom: string | null;
  serialTo: string | null;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  backflush: boolean;
};

/**
 * Every BOM line reachable from a revision (its BOM, its components' BOMs, and so on), one query per level. Each
 * revision's BOM is read once, so a loop in the data ends too.
 */
export async function bomEdgesFrom(db: DbOrTx, rootRevisionId: string): Promise<BomEdge<BomLineView>[]> {
  const edges: BomEdge<BomLineView>[] = [];
  const read = new Set<string>();
  let frontier = [rootRevisionId];
  while (frontier.length > 0) {
    for (const id of frontier) read.add(id);
    const rows = await db
      .select({
        parentRevisionId: boms.parentRevisionId,
        componentRevisionId: bomLines.componentRevisionId,
        findNumber: bomLines.findNumber,
        componentPartId: parts.id,
        partNumber: parts.partNumber,
        revision: partRevisions.revision,
        revisionStatus: partRevisions.status,
        description: parts.description,
        uom: parts.uom,
        tracking: parts.tracking,
        quantity: bomLines.quantity,
        operationSeq: bomLines.operationSeq,
        serialFrom: bomLines.serialFrom,
        serialTo: bomLines.serialTo,
        effectiveFrom: bomLines.effectiveFrom,
        effectiveTo: bomLines.effectiveTo,
        backflush: bomLines.backflush,
      })
      .from(bomLines)
      .innerJoin(boms, eq(boms.id, bomLines.bomId))
      .innerJoin(partRevisions, eq(partRevisions.id, bomLines.componentRevisionId))
      .innerJoin(parts, eq(parts.id, partRevisions.partId))
      .where(inArray(boms.parentRevisionId, frontier))
      .orderBy(asc(boms.parentRevisionId), asc(bomLines.findNumber), asc(bomLines.serialFrom), asc(bomLines.effectiveFrom), asc(parts.partNumber));
    const next = new Set<string>();
    for (const { parentRevisionId, componentRevisionId, ...line } of rows) {
      edges.push({ parentRevisionId, componentRevisionId, line });
      if (!read.has(componentRevisionId)) next.add(componentRevisionId);
    }
    frontier = [...next];
  }
  return edges;
}

export type WhereUsedRow = {
  parentPartId: string;
  parentPartNumber: string;
  parentRevision: string;
  parentDescription: string;
  findNumber: number;
  quantity: string;
  operationSeq: number;
  serialFrom: string | null;
  serialTo: string | null;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  backflush: boolean;
};

/** The BOMs (parent revisions) that name this revision as a component, one row per line. */
export async function whereUsed(db: DbOrTx, revisionId: string): Promise<WhereUsedRow[]> {
  return db
    .select({
      parentPartId: parts.id,
      parentPartNumber: parts.partNumber,
      parentRevision: partRevisions.revision,
      parentDescription: parts.description,
      findNumber: bomLines.findNumber,
      quantity: bomLines.quantity,
      operationSeq: bomLines.operationSeq,
      serialFrom: bomLines.serialFrom,
      serialTo: bomLines.serialTo,
      effectiveFrom: bomLines.effectiveFrom,
      effectiveTo: bomLines.effectiveTo,
      backflush: bomLines.backflush,
    })
    .from(bomLines)
    .innerJoin(boms, eq(boms.id, bomLines.bomId))
    .innerJoin(partRevisions, eq(partRevisions.id, boms.parentRevisionId))
    .innerJoin(parts, eq(parts.id, partRevisions.partId))
    .where(eq(bomLines.componentRevisionId, revisionId))
    .orderBy(asc(parts.partNumber), asc(partRevisions.revision), asc(bomLines.findNumber));
}

export type RoutingRow = {
  id: string;
  code: string;
  partId: string;
  partNumber: string;
  revision: string;
  description: string;
  operations: number;
  erpVersion: number;
};

function routingsQuery(db: DbOrTx, where: SQL | undefined) {
  return db
    .select({
      id: routings.id,
      code: routings.code,
      partId: parts.id,
      partNumber: parts.partNumber,
      revision: partRevisions.revision,
      description: parts.description,
      operations: sql<number>`(select count(*)::int from ${routingOperations} where ${routingOperations.siteId} = ${routings.siteId} and ${routingOperations.routingId} = ${routings.id})`,
      erpVersion: routings.erpVersion,
    })
    .from(routings)
    .innerJoin(partRevisions, eq(partRevisions.id, routings.partRevisionId))
    .innerJoin(parts, eq(parts.id, partRevisions.partId))
    .where(where)
    .orderBy(asc(routings.code));
}

/** The site's routings whose code or part number contains `search`. */
export async function searchRoutings(db: DbOrTx, siteId: string, search: string | undefined, paging: Paging): Promise<Page<RoutingRow>> {
  const where = and(
    eq(routings.siteId, siteId),
    search ? or(ilike(routings.code, containsPattern(search)), ilike(parts.partNumber, containsPattern(search))) : undefined,
  );
  const [totalRow] = await db
    .select({ n: count() })
    .from(routings)
    .innerJoin(partRevisions, eq(partRevisions.id, routings.partRevisionId))
    .innerJoin(parts, eq(parts.id, partRevisions.partId))
    .where(where);
  const rows = await routingsQuery(db, where)
    .limit(paging.pageSize)
    .offset((paging.page - 1) * paging.pageSize);
  return pageOf(rows, Number(totalRow?.n ?? 0), paging);
}

/** The site's routings for the revisions of one part. */
export async function routingsOfPart(db: DbOrTx, siteId: string, partId: string): Promise<RoutingRow[]> {
  return routingsQuery(db, and(eq(routings.siteId, siteId), eq(parts.id, partId)));
}

export type RoutingOperationView = {
  seq: number;
  code: string;
  description: string;
  workCenterCode: string;
  workCenterName: string;
  parameters: ParameterSpec[];
};

/** A routing of this site with its operations, or null (one of another site is not found). */
export async function findRouting(db: DbOrTx, siteId: string, routingId: string): Promise<(RoutingRow & { operationList: RoutingOperationView[] }) | null> {
  const [row] = await routingsQuery(db, and(eq(routings.siteId, siteId), eq(routings.id, routingId)));
  if (!row) return null;
  const operationList = await db
    .select({
      seq: routingOperations.seq,
      code: routingOperations.code,
      description: routingOperations.description,
      workCenterCode: workCenters.code,
      workCenterName: workCenters.name,
      parameters: routingOperations.parameters,
    })
    .from(routingOperations)
    .innerJoin(workCenters, and(eq(workCenters.siteId, routingOperations.siteId), eq(workCenters.id, routingOperations.workCenterId)))
    .where(and(eq(routingOperations.siteId, siteId), eq(routingOperations.routingId, routingId)))
    .orderBy(asc(routingOperations.seq));
  return { ...row, operationList };
}

type WorkOrderStatus = (typeof workOrders.$inferSelect)["status"];
type UnitStatus = (typeof units.$inferSelect)["status"];

export type WorkOrderRow = {
  id: string;
  number: string;
  status: WorkOrderStatus;
  quantity: number;
  dueDate: string;
  releasedAt: Date;
  partId: string;
  partNumber: string;
  revision: string;
  description: string;
  erpVersion: number;
  units: number;
  unitsCompleted: number;
};

function workOrderRows(db: DbOrTx, where: SQL | undefined) {
  return db
    .select({
      id: workOrders.id,
      number: workOrders.number,
      status: workOrders.status,
      quantity: workOrders.quantity,
      dueDate: workOrders.dueDate,
      releasedAt: workOrders.releasedAt,
      partId: parts.id,
      partNumber: parts.partNumber,
      revision: partRevisions.revision,
      description: parts.description,
      erpVersion: workOrders.erpVersion,
      units: sql<number>`(select count(*)::int from ${units} where ${units.siteId} = ${workOrders.siteId} and ${units.workOrderId} = ${workOrders.id})`,
      unitsCompleted: sql<number>`(select count(*)::int from ${units} where ${units.siteId} = ${workOrders.siteId} and ${units.workOrderId} = ${workOrders.id} and ${units.status} in ('completed', 'shipped'))`,
    })
    .from(workOrders)
    .innerJoin(partRevisions, eq(partRevisions.id, workOrders.partRevisionId))
    .innerJoin(parts, eq(parts.id, partRevisions.partId))
    .where(where);
}

/** The site's work orders (newest release first), by order or part number and status. */
export async function searchWorkOrders(
  db: DbOrTx,
  siteId: string,
  filter: { search?: string; status?: WorkOrderStatus },
  paging: Paging,
): Promise<Page<WorkOrderRow>> {
  const where = and(
    eq(workOrders.siteId, siteId),
    filter.status ? eq(workOrders.status, filter.status) : undefined,
    filter.search ? or(ilike(workOrders.number, containsPattern(filter.search)), ilike(parts.partNumber, containsPattern(filter.search))) : undefined,
  );
  const [totalRow] = await db
    .select({ n: count() })
    .from(workOrders)
    .innerJoin(partRevisions, eq(partRevisions.id, workOrders.partRevisionId))
    .innerJoin(parts, eq(parts.id, partRevisions.partId))
    .where(where);
  const rows = await workOrderRows(db, where)
    .orderBy(desc(workOrders.releasedAt), asc(workOrders.number))
    .limit(paging.pageSize)
    .offset((paging.page - 1) * paging.pageSize);
  return pageOf(rows, Number(totalRow?.n ?? 0), paging);
}

export type WorkOrderDetail = WorkOrderRow & {
  unitList: { id: string; serial: string; status: UnitStatus; completedAt: Date | null }[];
  operations: { seq: number; code: string; description: string; workCenterCode: string }[];
};

/** A work order of this site with its units and (frozen) operations, or null (another site's is not found). */
export async function findWorkOrderDetail(db: DbOrTx, siteId: string, workOrderId: string): Promise<WorkOrderDetail | null> {
  const [row] = await workOrderRows(db, and(eq(workOrders.siteId, siteId), eq(workOrders.id, workOrderId)));
  if (!row) return null;
  const unitList = await db
    .select({ id: units.id, serial: units.serial, status: units.status, completedAt: units.completedAt })
    .from(units)
    .where(and(eq(units.siteId, siteId), eq(units.workOrderId, workOrderId)))
    .orderBy(asc(units.serial));
  const operations = await db
    .select({
      seq: workOrderOperations.seq,
      code: workOrderOperations.code,
      description: workOrderOperations.description,
      workCenterCode: workCenters.code,
    })
    .from(workOrderOperations)
    .innerJoin(workCenters, and(eq(workCenters.siteId, workOrderOperations.siteId), eq(workCenters.id, workOrderOperations.workCenterId)))
    .where(and(eq(workOrderOperations.siteId, siteId), eq(workOrderOperations.workOrderId, workOrderId)))
    .orderBy(asc(workOrderOperations.seq));
  return { ...row, unitList, operations };
}
