import "server-only";
import type { Tx } from "@/db/client";
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
