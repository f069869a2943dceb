import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type Tx } from "@/db/client";
import type { BomLine } from "@/server/domain/station/station-rules";
import { findScannedItems, listAllowedLots, type AllowedLotRow, type ScannedItem } from "./kitting";
import { findRequest, type RequestRecord } from "./request-log";
import {
  findStationWithPointOfUse,
  installedAtOperation,
  itemFactsAt,
  loadFrozenBomAt,
  loadUnitOperations,
  loadUnitRow,
  lockUnitOperationAndRequest,
  unitContextOf,
  whereInstalled,
  type InstalledSum,
  type ItemFacts,
  type StationRow,
  type UnitContext,
} from "./station-work";

/** What the operator installs, as the reads need it: an item by id, or the identifiers of a scan. */
export type ItemRef =
  | { lotId: string }
  | { serialItemId: string }
  | { partRevisionId: string }
  | { scan: { lot?: string; serial?: string; partNumber?: string; text?: string } };

export type ConsumeReads = {
  /** the unit operation row and the request id are locked (false: no such unit operation at this site) */
  locked: boolean;
  station: StationRow | null;
  prior: RequestRecord | null;
  ctx: UnitContext | null;
  /** the frozen BOM lines at this operation */
  bomAtOperation: BomLine[];
  installedAtOperation: InstalledSum[];
  allowedLots: AllowedLotRow[];
  /** an item given by id: its facts at the station's point of use (null when not of this site) */
  facts: ItemFacts | null;
  /** a serial given by id: the unit it is installed in now */
  installedIn: { unitId: string; serial: string } | null;
  /** a scan: the lots, serials and parts it may name */
  scanned: ScannedItem[];
};

/**
 * Everything an install at a station is judged on, in two round trips: first lock the unit operation, then the request
 * id (installs at one unit operation queue here); then every read, sent together on the transaction's connection. Each
 * read takes its snapshot after the locks (READ COMMITTED: one per statement), so it sees every install committed before.
 */
export async function readForConsume(tx: Tx, siteId: string, a: { stationId: string; unitId: string; seq: number; requestId: string; item: ItemRef }): Promise<ConsumeReads> {
  const { item } = a;
  const byId = "scan" in item ? null : { partRevisionId: "partRevisionId" in item ? item.partRevisionId : null, lotId: "lotId" in item ? item.lotId : null, serialItemId: "serialItemId" in item ? item.serialItemId : null };
  const locked = await lockUnitOperationAndRequest(tx, siteId, a.unitId, a.seq, a.requestId);
  const [station, prior, unit, operations, bomAtOperation, installed, allowedLots, facts, installedIn, scanned] = await Promise.all([
    findStationWithPointOfUse(tx, siteId, a.stationId),
    findRequest(tx, siteId, a.requestId),
    loadUnitRow(tx, siteId, a.unitId),
    loadUnitOperations(tx, siteId, a.unitId),
    loadFrozenBomAt(tx, siteId, a.unitId, a.seq),
    installedAtOperation(tx, siteId, a.unitId, a.seq),
    listAllowedLots(tx, siteId, { ofUnit: a.unitId }),
    byId ? itemFactsAt(tx, siteId, byId, { pointOfUseOf: a.stationId }) : null,
    byId?.serialItemId ? whereInstalled(tx, siteId, byId.serialItemId) : null,
    "scan" in item ? findScannedItems(tx, siteId, item.scan) : [],
  ]);
  return { locked, station, prior, ctx: unitContextOf(unit, operations), bomAtOperation, installedAtOperation: installed, allowedLots, facts, installedIn, scanned };
}

export type InstallRecord = {
  siteId: string;
  edge: {
    id: string;
    parentSerialItemId: string;
    parentUnitId: string;
    childPartRevisionId: string;
    childSerialItemId: string | null;
    childLotId: string | null;
    quantity: string;
    findNumber: number;
    operationSeq: number;
    operatorUserId: string;
    stationId: string;
    installedAt: Date;
    parameters: Record<string, string>;
    movementId: string;
  };
  /** the operation is marked under way at this station (with the parameters merged in) when set */
  startOperation: { unitOperationId: string } | null;
  /** the unit and its order move from planned / released to in progress when set */
  startUnit: boolean;
  startWorkOrder: { workOrderId: string } | null;
  audit: { actorName: string; action: string; newValue: unknown; requestId: string };
  confirmation: { messageId: string; type: string; payload: unknown };
  request: { requestId: string; actorUserId: string; command: string; payloadHash: string; outcome: unknown };
};

/**
 * The rest of an install after its ledger movement, in one statement: the genealogy edge (its unique
 * serial-installed-once index is what a lost race on a serial hits), the operation, unit and order under way, the audit
 * row, the ERP confirmation in the outbox and the request's outcome. All or nothing with the caller's transaction.
 */
export async function recordInstall(tx: Tx, r: InstallRecord): Promise<void> {
  const e = r.edge;
  const at = sql`${e.installedAt.toISOString()}::timestamptz`;
  const site = sql`${r.siteId}::uuid`;
  await queryRows(
    tx,
    sql`with edge as (
          insert into genealogy_edges (id, site_id, parent_serial_item_id, parent_unit_id, child_part_revision_id, child_serial_item_id, child_lot_id,
                                       quantity, find_number, operation_seq, operator_user_id, station_id, installed_at, parameters, movement_id)
          values (${e.id}::uuid, ${site}, ${e.parentSerialItemId}::uuid, ${e.parentUnitId}::uuid, ${e.childPartRevisionId}::uuid, ${e.childSerialItemId}::uuid,
                  ${e.childLotId}::uuid, ${e.quantity}::numeric, ${e.findNumber}::int, ${e.operationSeq}::int, ${e.operatorUserId}::uuid, ${e.stationId}::uuid,
                  ${at}, ${JSON.stringify(e.parameters)}::jsonb, ${e.movementId}::uuid)
          returning id),
        op as (
          update unit_operations set status = 'in_progress', station_id = ${e.stationId}::uuid, started_at = coalesce(started_at, ${at}),
                 parameters = parameters || ${JSON.stringify(e.parameters)}::jsonb
          where site_id = ${site} and id = ${r.startOperation?.unitOperationId ?? null}::uuid),
        unit as (update units set status = 'in_progress' where ${r.startUnit}::boolean and site_id = ${site} and id = ${e.parentUnitId}::uuid),
        wo as (update work_orders set status = 'in_progress' where site_id = ${site} and id = ${r.startWorkOrder?.workOrderId ?? null}::uuid),
        audit as (
          insert into audit_log (site_id, occurred_at, actor_user_id, actor_name, action, entity, entity_id, new_value, request_id)
          values (${site}, ${at}, ${e.operatorUserId}::uuid, ${r.audit.actorName}, ${r.audit.action}, 'genealogy_edge', ${e.id}, ${JSON.stringify(r.audit.newValue)}::jsonb, ${r.audit.requestId}::uuid)),
        outbox as (
          insert into erp_outbox (site_id, message_id, type, payload, next_attempt_at, created_at)
          values (${site}, ${r.confirmation.messageId}::uuid, ${r.confirmation.type}, ${JSON.stringify(r.confirmation.payload)}::jsonb, ${at}, ${at})),
        req as (
          insert into request_log (site_id, request_id, actor_user_id, command, payload_hash, outcome, created_at)
          values (${site}, ${r.request.requestId}::uuid, ${r.request.actorUserId}::uuid, ${r.request.command}, ${r.request.payloadHash}, ${JSON.stringify(r.request.outcome)}::jsonb, ${at}))
        select id from edge`,
  );
}
