import "server-only";
import type { DbOrTx } from "@/db/client";
import {
  minutesBetween,
  shiftEndsAt,
  siteDate,
  unitBlockers,
  type Blocker,
  type InstalledHeld,
  type LineAtOperation,
  type ShortKit,
  type StagedMaterial,
  type ToolHoldRef,
  type UsualTime,
} from "@/server/domain/wip/blockers";
import { isEffective } from "@/server/domain/effectivity/effectivity";
import { upcomingBlockers, type UpcomingMaterial } from "@/server/domain/wip/upcoming";
import Decimal from "decimal.js";
import {
  readAlertContext,
  readInstalled,
  readInstalledHeld,
  readOpenBomLines,
  readOperationTimes,
  readShortKits,
  readStaged,
  readStations,
  readToolHolds,
  readWipUnits,
  type OperationTimeRow,
} from "@/server/repos/wip-board";
import type { WipBoard, WipCell, WipFilters, WipLine, WipTile } from "@/server/domain/wip/board";

export type { WipBoard, WipCell, WipFilters, WipLine, WipTile };

/*
 * The WIP board of one site: every unit in work at its current operation, grouped by line (area) and operation (work
 * center + operation code), each with its status, time at the operation and blockers (server/domain/wip/blockers.ts).
 * Filters narrow the units; the counts of every cell are exact, and each cell lists at most TILES_PER_CELL units
 * (blocked first, then the longest at the operation) so that the board stays small at any plant size.
 */

export const TILES_PER_CELL = 12;
/** When the filters leave at most this many units, every one is shown. */
export const SHOW_ALL_UNDER = 300;
/** The window of completions that says what time at an operation is usual. */
export const USUAL_WINDOW_DAYS = 14;
const USUAL_CACHE_MS = 5 * 60_000;

const usualCache = new Map<string, { at: number; rows: OperationTimeRow[] }>();

/** Time at each operation over the recent window; cached a few minutes per site (it moves slowly and reads history). */
export async function operationTimes(db: DbOrTx, siteId: string, now: Date): Promise<OperationTimeRow[]> {
  const hit = usualCache.get(siteId);
  if (hit && Math.abs(now.getTime() - hit.at) < USUAL_CACHE_MS) return hit.rows;
  const rows = await readOperationTimes(db, siteId, new Date(now.getTime() - USUAL_WINDOW_DAYS * 86_400_000));
  usualCache.set(siteId, { at: now.getTime(), rows });
  return rows;
}

const cellKey = (workCenterCode: string, opCode: string) => `${workCenterCode}/${opCode}`;
const lineKey = (workOrderId: string, seq: number) => `${workOrderId}:${seq}`;

export async function readWipBoard(db: DbOrTx, site: { siteId: string; timeZone: string }, filters: WipFilters, now: Date): Promise<WipBoard> {
  const { siteId, timeZone } = site;
  const [units, stations, bomLines, installed, staged, installedHeld, shortKits, times, toolHolds, alertContext] = await Promise.all([
    readWipUnits(db, siteId),
    readStations(db, siteId),
    readOpenBomLines(db, siteId),
    readInstalled(db, siteId),
    readStaged(db, siteId),
    readInstalledHeld(db, siteId),
    readShortKits(db, siteId),
    operationTimes(db, siteId, now),
    readToolHolds(db, siteId),
    readAlertContext(db, siteId),
  ]);
  const shiftEnd = shiftEndsAt(now, timeZone);
  const today = siteDate(now, timeZone);

  const linesAt = new Map<string, typeof bomLines>();
  for (const l of bomLines) {
    const k = lineKey(l.work_order_id, l.operation_seq);
    (linesAt.get(k) ?? linesAt.set(k, []).get(k)!).push(l);
  }
  const installedOf = new Map<string, string>();
  for (const r of installed) installedOf.set(`${r.unit_id}:${r.part_revision_id}:${r.operation_seq}`, r.quantity);
  const stagedAt = new Map<string, StagedMaterial[]>();
  for (const m of staged) {
    const list = stagedAt.get(m.work_center_id) ?? stagedAt.set(m.work_center_id, []).get(m.work_center_id)!;
    list.push({
      partRevisionId: m.part_revision_id,
      lotId: m.lot_id,
      serialItemId: m.serial_item_id,
      item: m.item,
      available: m.available,
      expiresAt: m.expires_ms === null ? null : new Date(m.expires_ms),
      outTimeEndsAt: m.out_time_ends_ms === null ? null : new Date(m.out_time_ends_ms),
      accepted: m.accepted,
      holds: m.holds,
    });
  }
  // upcoming blockers: what is at the work center's points of use and in open kits for its stations
  const upcomingAt = new Map<string, UpcomingMaterial[]>();
  const addUpcoming = (wc: string, m: UpcomingMaterial) => (upcomingAt.get(wc) ?? upcomingAt.set(wc, []).get(wc)!).push(m);
  for (const m of staged) {
    if (m.expires_ms === null && m.out_time_ends_ms === null) continue;
    addUpcoming(m.work_center_id, {
      partRevisionId: m.part_revision_id, partNumber: m.part_number, item: m.item, lotId: m.lot_id, serialItemId: m.serial_item_id, stationCode: m.station_code,
      kitId: null, kitNumber: null, expiresAt: m.expires_ms === null ? null : new Date(m.expires_ms), outTimeEndsAt: m.out_time_ends_ms === null ? null : new Date(m.out_time_ends_ms),
    });
  }
  for (const k of alertContext.kitPicks) {
    addUpcoming(k.work_center_id, {
      partRevisionId: k.part_revision_id, partNumber: k.part_number, item: k.item, lotId: k.lot_id, serialItemId: k.serial_item_id, stationCode: k.station_code,
      kitId: k.kit_id, kitNumber: k.kit_number, expiresAt: k.expires_ms === null ? null : new Date(k.expires_ms), outTimeEndsAt: k.out_time_ends_ms === null ? null : new Date(k.out_time_ends_ms),
    });
  }
  const horizons = { outTimeMinutes: alertContext.outTimeMinutes, shelfLifeDays: alertContext.shelfLifeDays };
  const heldIn = new Map<string, InstalledHeld[]>();
  for (const h of installedHeld) {
    const list = heldIn.get(h.unit_id) ?? heldIn.set(h.unit_id, []).get(h.unit_id)!;
    if (!list.some((x) => x.holdId === h.hold_id && x.lotId === h.lot_id && x.serialItemId === h.serial_item_id)) {
      list.push({ holdId: h.hold_id, reason: h.reason, item: h.item, lotId: h.lot_id, serialItemId: h.serial_item_id });
    }
  }
  const toolsIn = new Map<string, ToolHoldRef[]>();
  for (const t of toolHolds) (toolsIn.get(t.unit_id) ?? toolsIn.set(t.unit_id, []).get(t.unit_id)!).push({ toolCode: t.tool_code, reason: t.reason, installs: Number(t.installs) });
  const kitsOf = new Map<string, typeof shortKits>();
  for (const k of shortKits) (kitsOf.get(k.work_order_id) ?? kitsOf.set(k.work_order_id, []).get(k.work_order_id)!).push(k);
  const usualOf = new Map<string, UsualTime>();
  for (const t of times) usualOf.set(`${t.work_center_id}/${t.op_code}`, { medianMinutes: t.median_minutes, samples: t.samples });
  const stationsOf = new Map<string, string[]>();
  for (const s of stations) (stationsOf.get(s.work_center_id) ?? stationsOf.set(s.work_center_id, []).get(s.work_center_id)!).push(s.code);
  const lineOfStation = new Map(stations.map((s) => [s.code, s]));

  // every unit's situation and blockers
  const evaluated = units.map((u) => {
    const lines: LineAtOperation[] = (linesAt.get(lineKey(u.work_order_id, u.seq)) ?? []).map((l) => ({
      bomLineId: l.bom_line_id,
      partRevisionId: l.part_revision_id,
      partNumber: l.part_number,
      revision: l.revision,
      quantityPerUnit: l.quantity_per_unit,
      backflush: l.backflush,
      installed: installedOf.get(`${u.unit_id}:${l.part_revision_id}:${u.seq}`) ?? "0",
      serialFrom: l.serial_from,
      serialTo: l.serial_to,
      effectiveFrom: l.effective_from,
      effectiveTo: l.effective_to,
    }));
    const kits: ShortKit[] = (kitsOf.get(u.work_order_id) ?? [])
      .filter((k) => k.scope === "work_order" || (k.scope === "operation" && k.operation_seq === u.seq) || (k.scope === "unit" && k.unit_id === u.unit_id))
      .map((k) => ({ kitId: k.kit_id, kitNumber: k.kit_number, parts: k.parts }));
    const minutesAtOperation = minutesBetween(new Date(u.arrived_ms), now);
    const blockers = unitBlockers(
      {
        serial: u.serial,
        today,
        lines,
        staged: stagedAt.get(u.work_center_id) ?? [],
        installedHeld: heldIn.get(u.unit_id) ?? [],
        toolHolds: toolsIn.get(u.unit_id) ?? [],
        shortKits: kits,
        limits: u.op_parameters ?? [],
        recorded: u.recorded ?? {},
        minutesAtOperation,
        usual: usualOf.get(`${u.work_center_id}/${u.op_code}`) ?? null,
      },
      now,
      shiftEnd,
    );
    const needs = lines.filter((l) => isEffective(l, u.serial, today) && new Decimal(l.quantityPerUnit).gt(l.installed)).map((l) => l.partRevisionId);
    return { u, blockers, minutesAtOperation, needs };
  });

  const matches = (e: (typeof evaluated)[number]) => {
    const { u } = e;
    if (filters.line && u.area_code !== filters.line) return false;
    if (filters.station) {
      const st = lineOfStation.get(filters.station);
      // at the station, or waiting at its work center
      if (!st || (u.station_code !== filters.station && !(u.station_code === null && u.work_center_id === st.work_center_id))) return false;
    }
    if (filters.workOrder && u.work_order_number !== filters.workOrder) return false;
    if (filters.part && u.part_number !== filters.part) return false;
    if (filters.status && u.op_status !== filters.status) return false;
    if (filters.blockedOnly && e.blockers.length === 0) return false;
    if (filters.operation && cellKey(u.work_center_code, u.op_code) !== filters.operation) return false;
    return true;
  };
  const shown = evaluated.filter(matches);
  const showAll = shown.length <= SHOW_ALL_UNDER;

  const byLine = new Map<string, WipLine & { cellMap: Map<string, WipCell & { workCenterId: string; all: typeof shown }> }>();
  for (const e of shown) {
    const { u } = e;
    let line = byLine.get(u.area_code);
    if (!line) {
      line = { code: u.area_code, name: u.area_name, units: 0, blocked: 0, cells: [], cellMap: new Map() };
      byLine.set(u.area_code, line);
    }
    const key = cellKey(u.work_center_code, u.op_code);
    let cell = line.cellMap.get(key);
    if (!cell) {
      const usual = usualOf.get(`${u.work_center_id}/${u.op_code}`);
      cell = {
        key,
        workCenterCode: u.work_center_code,
        opCode: u.op_code,
        description: u.op_description,
        stations: stationsOf.get(u.work_center_id) ?? [],
        units: 0,
        inProgress: 0,
        waiting: 0,
        blocked: 0,
        longestMinutes: 0,
        usualMinutes: usual && usual.samples > 0 ? Math.round(usual.medianMinutes) : null,
        tiles: [],
        more: 0,
        upcoming: [],
        upcomingTotal: 0,
        workCenterId: u.work_center_id,
        all: [],
      };
      line.cellMap.set(key, cell);
    }
    line.units++;
    cell.units++;
    if (u.op_status === "in_progress") cell.inProgress++;
    else cell.waiting++;
    if (e.blockers.length > 0) {
      cell.blocked++;
      line.blocked++;
    }
    cell.longestMinutes = Math.max(cell.longestMinutes, Math.floor(e.minutesAtOperation));
    cell.all.push(e);
  }

  const lines: WipLine[] = [...byLine.values()]
    .sort((a, b) => a.code.localeCompare(b.code))
    .map(({ cellMap, ...line }) => ({
      ...line,
      cells: [...cellMap.values()]
        .sort((a, b) => a.workCenterCode.localeCompare(b.workCenterCode) || a.opCode.localeCompare(b.opCode))
        .map(({ all, workCenterId, ...cell }) => {
          const upcoming = upcomingBlockers(new Set(all.flatMap((e) => e.needs)), upcomingAt.get(workCenterId) ?? [], horizons, now);
          const ordered = all.sort(
            (a, b) => Number(b.blockers.length > 0) - Number(a.blockers.length > 0) || b.minutesAtOperation - a.minutesAtOperation || a.u.serial.localeCompare(b.u.serial),
          );
          const limit = showAll ? ordered.length : TILES_PER_CELL;
          return {
            ...cell,
            tiles: ordered.slice(0, limit).map(({ u, blockers, minutesAtOperation }) => ({
              unitId: u.unit_id,
              serialItemId: u.serial_item_id,
              serial: u.serial,
              workOrderId: u.work_order_id,
              workOrderNumber: u.work_order_number,
              partNumber: u.part_number,
              revision: u.revision,
              seq: u.seq,
              status: u.op_status,
              stationCode: u.station_code,
              minutesAtOperation: Math.floor(minutesAtOperation),
              blockers,
            })),
            more: Math.max(0, ordered.length - limit),
            upcoming: upcoming.shown,
            upcomingTotal: upcoming.total,
          };
        }),
    }));

  const blockedBy: Partial<Record<Blocker["kind"], number>> = {};
  for (const e of shown) for (const kind of new Set(e.blockers.map((b) => b.kind))) blockedBy[kind] = (blockedBy[kind] ?? 0) + 1;
  const areaNames = new Map(evaluated.map((e) => [e.u.area_code, e.u.area_name]));
  return {
    asOf: now,
    shiftEndsAt: shiftEnd,
    totals: {
      units: shown.length,
      inProgress: shown.filter((e) => e.u.op_status === "in_progress").length,
      waiting: shown.filter((e) => e.u.op_status === "pending").length,
      blocked: shown.filter((e) => e.blockers.length > 0).length,
      blockedBy,
      upcoming: lines.reduce((n, l) => n + l.cells.reduce((c, cell) => c + cell.upcomingTotal, 0), 0),
    },
    options: {
      lines: [...areaNames.entries()].map(([code, name]) => ({ code, name })).sort((a, b) => a.code.localeCompare(b.code)),
      stations: stations.map((s) => ({ code: s.code, line: s.area_code })),
      workOrders: [...new Set(evaluated.map((e) => e.u.work_order_number))].sort(),
      parts: [...new Set(evaluated.map((e) => e.u.part_number))].sort(),
    },
    lines,
    wipByOperation: lines.flatMap((l) => l.cells.map((c) => ({ key: `${l.code} ${c.key}`, units: c.units, blocked: c.blocked }))),
  };
}
