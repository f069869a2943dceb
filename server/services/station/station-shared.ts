import "server-only";
import type { Tx } from "@/db/client";
import type { Actor, Role } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { localDate } from "@/server/domain/kitting/dates";
import { findStationWithPointOfUse, loadUnitContext, lockUnitOperation, type StationRow, type UnitContext } from "@/server/repos/station-work";

/** Who may work at a station: operators (and supervisors standing in for one). */
export const STATION_ROLES: Role[] = ["operator", "supervisor"];
/** Who may take components out in rework or scrap material: the station roles and quality. */
export const REWORK_ROLES: Role[] = ["operator", "supervisor", "quality_engineer"];

export { requireRole } from "@/server/services/shared/require-role";

export type Station = StationRow & { pointOfUseId: string };

export async function stationOf(tx: Tx, actor: Actor, stationId: string): Promise<Station> {
  return stationFrom(await findStationWithPointOfUse(tx, actor.siteId, stationId), stationId);
}

/** The station as read (null: not of this site); refused when it has no point of use to stage or consume at. */
export function stationFrom(station: StationRow | null, stationId: string): Station {
  if (!station) throw new DomainError("NOT_FOUND", "That station does not exist at this site.", { stationId });
  if (!station.pointOfUseId) throw new DomainError("NOT_FOUND", `Station ${station.code} has no point-of-use location: material cannot be staged or consumed there.`, { stationId });
  return { ...station, pointOfUseId: station.pointOfUseId };
}

/** Lock the unit's operation row (installs and completion of one unit operation queue behind it). */
export async function lockOperation(tx: Tx, actor: Actor, unitId: string, seq: number): Promise<void> {
  const locked = await lockUnitOperation(tx, actor.siteId, unitId, seq);
  if (!locked) throw new DomainError("NOT_FOUND", "That unit or operation does not exist at this site.", { unitId, operationSeq: seq });
}

/**
 * The unit and operation as the station sees them: the unit open on a released order, the operation open (earlier ones
 * complete) and routed to this station's work center.
 */
export async function openUnitOperation(tx: Tx, actor: Actor, unitId: string, seq: number, station: StationRow) {
  return unitOperationAt(await loadUnitContext(tx, actor.siteId, unitId), unitId, seq, station);
}

/** The same judgement on a unit context already read (null: not of this site). */
export function unitOperationAt(ctx: UnitContext | null, unitId: string, seq: number, station: StationRow) {
  if (!ctx) throw new DomainError("NOT_FOUND", "That unit does not exist at this site.", { unitId });
  assertUnitOpen(ctx);
  const op = ctx.operations.find((o) => o.seq === seq);
  if (!op) throw new DomainError("NOT_FOUND", `Unit ${ctx.unit.serial} has no operation ${seq}.`, { operationSeq: seq });
  if (op.workCenterId !== station.workCenterId) {
    throw new DomainError("WRONG_STATION", `Operation ${seq} of unit ${ctx.unit.serial} is not routed to station ${station.code}.`, {
      operationSeq: seq,
      stationCode: station.code,
    });
  }
  return { ctx, op };
}

export function assertUnitOpen(ctx: UnitContext): void {
  if (ctx.unit.status !== "planned" && ctx.unit.status !== "in_progress") {
    throw new DomainError("UNIT_NOT_OPEN", `Unit ${ctx.unit.serial} is ${ctx.unit.status.replace("_", " ")}: nothing can be installed in it.`, { unitSerial: ctx.unit.serial, status: ctx.unit.status });
  }
  if (ctx.workOrder.status !== "released" && ctx.workOrder.status !== "in_progress") {
    throw new DomainError("WORK_ORDER_NOT_OPEN", `Work order ${ctx.workOrder.number} is ${ctx.workOrder.status.replace("_", " ")}: nothing can be installed on it.`, {
      workOrderNumber: ctx.workOrder.number,
      status: ctx.workOrder.status,
    });
  }
}

export const postingDate = (actor: Actor, now: Date) => localDate(now, actor.timeZone);
