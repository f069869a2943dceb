import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Tx } from "@/db/client";
import type { BomLine, GoodsMovementPayload } from "@/server/domain/station/station-rules";
import { confirmationOrderingKey } from "@/server/domain/erp/outbound";
import { findScannedItems, soleScannedItemSql, type AllowedLotRow, type ScanIdentifiers, type ScannedItem } from "./kitting";
import type { RequestRecord } from "./request-log";
import type { HeldQualification } from "@/server/domain/qualification/operator-qualification";
import type { ToolFacts } from "@/server/domain/tools/tool-rules";
import {
  factsFromRow,
  itemFactsSql,
  lockUnitOperationAndRequest,
  type FactsRow,
  type InstalledSum,
  type ItemExpressions,
  type ItemFacts,
  type StationRow,
  type UnitContext,
} from "./station-work";

/** What the operator installs, as the reads need it: an item by id, or the identifiers of a scan. */
export type ItemRef =
  | { lotId: string }
  | { serialItemId: string }
  | { partRevisionId: string }
  | { scan: { lot?: string; serial?: string; partNumber?: string; text?: string; uii?: string; gtin?: string } };

export type ConsumeReads = {
  /** the unit operation row and the request id are locked (false: no such unit operation at this site) */
  locked: boolean;
  /**
   * the database's clock after the locks (the hold keys of keyedItem included); null when nothing was locked. A scan
   * that resolves to another item than keyedItem takes that item's hold keys then (lockHoldKeysShared), and its time.
   */
  lockedAt: Date | null;
  station: StationRow | null;
  prior: RequestRecord | null;
  ctx: UnitContext | null;
  /** the frozen BOM lines at this operation */
  bomAtOperation: BomLine[];
  installedAtOperation: InstalledSum[];
  allowedLots: AllowedLotRow[];
  /** the item whose hold keys the first statement took: given by id, or the one lot or serial a scan names (else null) */
  keyedItem: { partRevisionId: string | null; lotId: string | null; serialItemId: string | null } | null;
  /** keyedItem's facts at the station's point of use (null when not of this site) */
  facts: ItemFacts | null;
  /** keyedItem, a serial: the unit it is installed in now */
  installedIn: { unitId: string; serial: string } | null;
  /** a scan: the lots, serials and parts it may name */
  scanned: ScannedItem[];
  /** the operator's qualifications at this site (the operation's required skills are checked against them) */
  qualifications: HeldQualification[];
  /** the tools the operator scanned for this action, as the register knows them */
  tools: ToolFacts[];
};

/**
 * Everything an install at a station is judged on, in ONE round trip of three statements (four with a scan) sent
 * together and run in this order: lock the unit operation, then the request id (installs at one unit operation queue
 * here), then the item's hold keys (a hold placed on it meanwhile waits, or is seen): an item by id, or the one lot or
 * serial a scan names; a scan's candidates are looked up; then every read in ONE statement, the item's facts included.
 * The read takes its snapshot when it starts, after the locks (READ COMMITTED: one per statement), so it sees every
 * install committed before it.
 */
export async function readForConsume(
  tx: Tx,
  siteId: string,
  a: { stationId: string; unitId: string; seq: number; requestId: string; actorUserId: string; item: ItemRef; toolCodes: string[] },
): Promise<ConsumeReads> {
  const { item } = a;
  const byId = "scan" in item ? null : { partRevisionId: "partRevisionId" in item ? item.partRevisionId : null, lotId: "lotId" in item ? item.lotId : null, serialItemId: "serialItemId" in item ? item.serialItemId : null };
  const scan = "scan" in item ? item.scan : null;
  const [locked, scanned, rows] = await allInOrder([
    lockUnitOperationAndRequest(tx, siteId, a.unitId, a.seq, a.actorUserId, a.requestId, scan ? { scan } : byId),
    scan ? findScannedItems(tx, siteId, scan) : Promise.resolve([]),
    queryRows<ReadRow>(tx, readSql(siteId, a, byId ?? (scan ? { scan } : null))),
  ] as const);
  const r = rows[0]!;
  // the item whose keys are held: given by id, or the scan's only lot or serial, when the read found the same one
  const sole = locked?.item ?? null;
  const keyed = byId ?? (sole && r.sole && r.sole.lot === sole.lotId && r.sole.serial === sole.serialItemId && r.sole.rev === sole.partRevisionId ? sole : null);
  const unit: UnitContext["unit"] | null = r.unit ? { id: r.unit.id, serial: r.unit.serial, serialItemId: r.unit.serialItemId, status: r.unit.status, workOrderId: r.unit.workOrderId } : null;
  return {
    locked: locked !== null,
    lockedAt: locked?.at ?? null,
    station: r.station,
    prior: r.prior,
    ctx:
      r.unit && unit
        ? {
            unit,
            workOrder: { id: r.unit.workOrderId, number: r.unit.woNumber, status: r.unit.woStatus, partRevisionId: r.unit.woRev, dueDate: r.unit.dueDate, partNumber: r.unit.partNumber, revision: r.unit.revision, uom: r.unit.uom },
            operations: r.operations.map((o) => ({ ...o, startedAt: o.startedAt ? new Date(o.startedAt) : null })),
          }
        : null,
    bomAtOperation: r.bom,
    installedAtOperation: r.installed,
    allowedLots: r.allowed.map((l) => ({ ...l, addedAt: new Date(l.addedAt) })),
    keyedItem: keyed,
    facts: r.facts && keyed ? factsFromRow(r.facts, keyed, { pointOfUseOf: a.stationId }) : null,
    installedIn: keyed ? r.installed_in : null,
    scanned,
    qualifications: r.quals.map((q) => ({ ...q, qualifiedAt: new Date(q.qualifiedAt), expiresAt: q.expiresAt ? new Date(q.expiresAt) : null, revokedAt: q.revokedAt ? new Date(q.revokedAt) : null })),
    tools: r.tools.map((t) => ({ ...t, calibrationDueAt: t.calibrationDueAt ? new Date(t.calibrationDueAt) : null })),
  };
}

/**
 * Await statements sent together on the transaction's connection: when one fails the ones after it fail too ("current
 * transaction is aborted"), so the first failure in their order is the cause.
 */
async function allInOrder<T extends readonly unknown[]>(work: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(work);
  const failed = settled.find((x) => x.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return settled.map((x) => (x as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

type Json<T, Dates extends keyof T> = Omit<T, Dates> & { [K in Dates]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

type ReadRow = {
  /** a scan: the one lot or serial it names, as the read found it (null: none, or several) */
  sole: { lot: string | null; serial: string | null; rev: string } | null;
  station: StationRow | null;
  prior: RequestRecord | null;
  unit: {
    id: string;
    serial: string;
    serialItemId: string;
    status: UnitContext["unit"]["status"];
    workOrderId: string;
    woNumber: string;
    woStatus: string;
    woRev: string;
    dueDate: string;
    partNumber: string;
    revision: string;
    uom: string;
  } | null;
  operations: Json<UnitContext["operations"][number], "startedAt">[];
  bom: BomLine[];
  installed: InstalledSum[];
  allowed: Json<AllowedLotRow, "addedAt">[];
  facts: FactsRow | null;
  installed_in: { unitId: string; serial: string } | null;
  quals: Json<HeldQualification, "qualifiedAt" | "expiresAt" | "revokedAt">[];
  tools: Json<ToolFacts, "calibrationDueAt">[];
};

/** The reads of an install as one statement: one JSON value per part, keys as the TypeScript types name them. */
function readSql(
  siteId: string,
  a: { stationId: string; unitId: string; seq: number; requestId: string; actorUserId: string; toolCodes: string[] },
  item: { partRevisionId: string | null; lotId: string | null; serialItemId: string | null } | { scan: ScanIdentifiers } | null,
): SQL {
  const byId = item && !("scan" in item) ? item : null;
  // a scan: the one lot or serial it names (the same query as the lock statement's, whose keys it took)
  const soleSql = item && "scan" in item ? soleScannedItemSql(siteId, item.scan) : null;
  const sole: ItemExpressions = { rev: sql`(select sole.rev from sole)`, lot: sql`(select sole.lot from sole)`, serial: sql`(select sole.serial from sole)` };
  const site = sql`${siteId}::uuid`;
  const unitId = sql`${a.unitId}::uuid`;
  const order = sql`(select u.work_order_id from units u where u.site_id = ${site} and u.id = ${unitId})`;
  return sql`${soleSql ? sql`with sole as materialized (${soleSql}) ` : sql``}select
    ${soleSql ? sql`(select json_build_object('lot', sole.lot, 'serial', sole.serial, 'rev', sole.rev) from sole)` : sql`null::json`} as sole,
    (select json_build_object('id', st.id, 'code', st.code, 'name', st.name, 'workCenterId', st.work_center_id, 'erpPlant', s.erp_plant,
              'pointOfUseId', (select l.id from storage_locations l where l.site_id = st.site_id and l.kind = 'point_of_use' and l.station_id = st.id order by l.code limit 1),
              'consumedId', (select l.id from storage_locations l where l.site_id = st.site_id and l.kind = 'consumed' order by l.code limit 1))
       from stations st join sites s on s.id = st.site_id where st.site_id = ${site} and st.id = ${a.stationId}::uuid) as station,
    (select json_build_object('command', q.command, 'payloadHash', q.payload_hash, 'outcome', q.outcome, 'actorUserId', q.actor_user_id)
       from request_log q where q.site_id = ${site} and q.actor_user_id = ${a.actorUserId}::uuid and q.request_id = ${a.requestId}::uuid) as prior,
    (select json_build_object('id', u.id, 'serial', u.serial, 'serialItemId', u.serial_item_id, 'status', u.status, 'workOrderId', u.work_order_id,
              'woNumber', wo.number, 'woStatus', wo.status, 'woRev', wo.part_revision_id, 'dueDate', wo.due_date, 'partNumber', p.part_number, 'revision', pr.revision, 'uom', p.uom)
       from units u join work_orders wo on wo.site_id = u.site_id and wo.id = u.work_order_id
       join part_revisions pr on pr.id = wo.part_revision_id join parts p on p.id = pr.part_id
       where u.site_id = ${site} and u.id = ${unitId}) as unit,
    (select coalesce(json_agg(json_build_object('id', uo.id, 'seq', uo.seq, 'status', uo.status, 'parameters', uo.parameters, 'startedAt', uo.started_at,
              'stationId', uo.station_id, 'workCenterId', woo.work_center_id, 'code', woo.code, 'description', woo.description, 'specs', woo.parameters,
              'requiredSkills', woo.required_skills, 'requiredToolClasses', woo.required_tool_classes, 'toolIds', uo.tool_ids) order by uo.seq), '[]')
       from unit_operations uo join work_order_operations woo on woo.site_id = uo.site_id and woo.id = uo.work_order_operation_id
       where uo.site_id = ${site} and uo.unit_id = ${unitId}) as operations,
    (select coalesce(json_agg(json_build_object('id', l.id, 'findNumber', l.find_number, 'componentRevisionId', l.component_revision_id,
              'quantityPerUnit', l.quantity_per_unit::text, 'operationSeq', l.operation_seq, 'serialFrom', l.serial_from, 'serialTo', l.serial_to,
              'effectiveFrom', l.effective_from, 'effectiveTo', l.effective_to, 'backflush', l.backflush)::jsonb
              || (select jsonb_build_object('partId', p.id, 'partNumber', p.part_number, 'revision', pr.revision, 'uom', p.uom, 'tracking', p.tracking,
                    'shelfLifeDays', p.shelf_life_days, 'outTimeMinutes', p.out_time_minutes)
                  from part_revisions pr join parts p on p.id = pr.part_id where pr.id = l.component_revision_id)
              order by l.operation_seq, l.find_number), '[]')
       from work_order_bom_lines l
       where l.site_id = ${site} and l.work_order_id = ${order} and l.operation_seq = ${a.seq}::int) as bom,
    (select coalesce(json_agg(json_build_object('childPartRevisionId', x.rev, 'findNumber', x.find, 'operationSeq', x.seq, 'quantity', x.qty)), '[]')
       from (select e.child_part_revision_id as rev, e.find_number as find, e.operation_seq as seq, sum(e.quantity)::text as qty
             from genealogy_edges e
             where e.site_id = ${site} and e.parent_unit_id = ${unitId} and e.operation_seq = ${a.seq}::int and e.removed_at is null
               and e.parent_serial_item_id = (select u.serial_item_id from units u where u.site_id = ${site} and u.id = ${unitId})
             group by e.child_part_revision_id, e.find_number, e.operation_seq) x) as installed,
    (select coalesce(json_agg(json_build_object('id', al.id, 'workOrderBomLineId', al.work_order_bom_line_id, 'partRevisionId', al.part_revision_id, 'lotId', al.lot_id,
              'lotNumber', lo.lot_number, 'reason', al.reason, 'addedAt', al.added_at) order by al.added_at), '[]')
       from allowed_lots al join lots lo on lo.site_id = al.site_id and lo.id = al.lot_id
       where al.site_id = ${site} and al.work_order_id = ${order} and al.removed_at is null) as allowed,
    ${byId || soleSql ? sql`(select row_to_json(f) from (${itemFactsSql(siteId, byId ?? sole, { pointOfUseOf: a.stationId })}) f)` : sql`null::json`} as facts,
    ${
      byId?.serialItemId || soleSql
        ? sql`(select json_build_object('unitId', u.id, 'serial', u.serial) from genealogy_edges e join units u on u.site_id = e.site_id and u.id = e.parent_unit_id
                where e.site_id = ${site} and e.child_serial_item_id = ${byId ? sql`${byId.serialItemId}::uuid` : sole.serial} and e.removed_at is null limit 1)`
        : sql`null::json`
    } as installed_in,
    (select coalesce(json_agg(json_build_object('skillCode', k.code, 'skillName', k.name, 'qualifiedAt', q.qualified_at, 'expiresAt', q.expires_at, 'revokedAt', q.revoked_at)), '[]')
       from operator_qualifications q join skills k on k.site_id = q.site_id and k.id = q.skill_id
       where q.site_id = ${site} and q.user_id = ${a.actorUserId}::uuid) as quals,
    (select coalesce(json_agg(json_build_object('id', t.id, 'code', t.code, 'toolClass', t.tool_class, 'description', t.description, 'status', t.status,
              'calibrationDueAt', t.calibration_due_at, 'holdReason', t.hold_reason)), '[]')
       from tools t where t.site_id = ${site} and upper(t.code) in (select upper(c) from jsonb_array_elements_text(${JSON.stringify(a.toolCodes)}::jsonb) c)) as tools`;
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
    /** the tools scanned for the install (tools.id) */
    toolIds: string[];
  };
  /** the operation is marked under way at this station (with the parameters merged in) when set */
  startOperation: { unitOperationId: string } | null;
  /** the unit and its order move from planned / released to in progress when set */
  startUnit: boolean;
  startWorkOrder: { workOrderId: string } | null;
  /** a UII read from the component's label, stored on its serial item at its first accepted scan */
  recordUii?: { serialItemId: string; uii: string } | null;
  audit: { actorName: string; action: string; newValue: unknown };
  confirmation: { messageId: string; type: string; payload: GoodsMovementPayload };
  request: { requestId: string; actorUserId: string; command: string; payloadHash: string; outcome: unknown };
};

/**
 * The rest of an install, as steps of its ledger movement's statement (postMovement's `andThen`: written only with the
 * movement, from `mv`): the genealogy edge (its unique serial-installed-once index is what a lost race on a serial
 * hits), the operation, unit and order under way, the audit row, the ERP confirmation in the outbox and the request's
 * outcome. One statement for the whole install's writes.
 */
export function installSteps(r: InstallRecord): SQL {
  const e = r.edge;
  // the values used by several steps are bound once (ins) and read from there
  return sql`ins as (
          select ${r.siteId}::uuid as site_id, ${e.installedAt.toISOString()}::timestamptz as at, ${e.operatorUserId}::uuid as operator_id,
                 ${e.stationId}::uuid as station_id, ${e.id}::uuid as edge_id, ${e.parentUnitId}::uuid as unit_id,
                 ${JSON.stringify(e.parameters)}::jsonb as parameters, ${r.request.requestId}::uuid as request_id,
                 array(select x::uuid from jsonb_array_elements_text(${JSON.stringify(e.toolIds)}::jsonb) x) as tool_ids),
        edge as (
          insert into genealogy_edges (id, site_id, parent_serial_item_id, parent_unit_id, child_part_revision_id, child_serial_item_id, child_lot_id,
                                       quantity, find_number, operation_seq, operator_user_id, station_id, installed_at, parameters, movement_id, tool_ids)
          select ins.edge_id, ins.site_id, ${e.parentSerialItemId}::uuid, ins.unit_id, ${e.childPartRevisionId}::uuid, ${e.childSerialItemId}::uuid,
                 ${e.childLotId}::uuid, ${e.quantity}::numeric, ${e.findNumber}::int, ${e.operationSeq}::int, ins.operator_id, ins.station_id,
                 ins.at, ins.parameters, mv.id, ins.tool_ids
          from mv cross join ins),
        op as (
          update unit_operations uo set status = 'in_progress', station_id = ins.station_id, started_at = coalesce(uo.started_at, ins.at),
                 parameters = uo.parameters || ins.parameters,
                 tool_ids = array(select distinct x from unnest(uo.tool_ids || ins.tool_ids) x order by x)
          from ins
          where uo.site_id = ins.site_id and uo.id = ${r.startOperation?.unitOperationId ?? null}::uuid and exists (select 1 from mv)),
        unit as (
          update units u set status = 'in_progress' from ins
          where ${r.startUnit}::boolean and u.site_id = ins.site_id and u.id = ins.unit_id and exists (select 1 from mv)),
        wo as (
          update work_orders w set status = 'in_progress' from ins
          where w.site_id = ins.site_id and w.id = ${r.startWorkOrder?.workOrderId ?? null}::uuid and exists (select 1 from mv)),
        uii as (
          update serial_items si set uii = ${r.recordUii?.uii ?? null}::text from ins
          where si.site_id = ins.site_id and si.id = ${r.recordUii?.serialItemId ?? null}::uuid and si.uii is null and exists (select 1 from mv)),
        audit as (
          insert into audit_log (site_id, occurred_at, actor_user_id, actor_name, action, entity, entity_id, new_value, request_id)
          select ins.site_id, ins.at, ins.operator_id, ${r.audit.actorName}, ${r.audit.action}, 'genealogy_edge', ins.edge_id::text,
                 ${JSON.stringify(r.audit.newValue)}::jsonb, ins.request_id
          from mv cross join ins),
        outbox as (
          insert into erp_outbox (site_id, message_id, type, payload, ordering_key, next_attempt_at, created_at)
          select ins.site_id, ${r.confirmation.messageId}::uuid, ${r.confirmation.type}, ${JSON.stringify(r.confirmation.payload)}::jsonb,
                 ${confirmationOrderingKey(r.confirmation.payload)}, ins.at, ins.at
          from mv cross join ins),
        req as (
          insert into request_log (site_id, request_id, actor_user_id, command, payload_hash, outcome, created_at)
          select ins.site_id, ins.request_id, ${r.request.actorUserId}::uuid, ${r.request.command}, ${r.request.payloadHash}, ${JSON.stringify(r.request.outcome)}::jsonb, ins.at
          from mv cross join ins)`;
}
