import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { readScan } from "@/server/domain/kitting/kit-rules";
import { consistentWithLabel, recordName } from "@/server/domain/label-check/label-vs-record";
import { findStation, listPointOfUseStock, type PointOfUseStockRow } from "@/server/repos/floor-overview";
import { findScannedItems } from "@/server/repos/kitting";

export type FindStationItemCommand = { stationId: string; scan: string };

/**
 * The material a scan names among what is at a station's point of use: the scan goes through the one parser, then the
 * lot, serial or (untracked) part it names is looked up in that station's stock. Several balances (e.g. one part in two
 * lots) come back as a list for the clerk to choose from; none is a clear refusal.
 */
export async function findStationItem(db: DbOrTx, actor: Actor, cmd: FindStationItemCommand, now: Date): Promise<PointOfUseStockRow[]> {
  const siteId = actor.siteId;
  const station = await findStation(db, siteId, cmd.stationId);
  if (!station) throw new DomainError("NOT_FOUND", "That station does not exist at this site.", { stationId: cmd.stationId });
  const lookup = readScan(cmd.scan, now);
  const shown = lookup.lot ?? lookup.serial ?? lookup.partNumber ?? lookup.text ?? lookup.uii ?? cmd.scan.trim();
  const found = await findScannedItems(db, siteId, lookup);
  if (found.length === 0) {
    throw new DomainError("SCAN_NOT_RECOGNISED", `No lot, serial or part "${shown}" is known at ${actor.siteName}.`, { scanned: shown });
  }
  // a stock move starts from the scan: its label must not contradict the record of what it names
  const items = consistentWithLabel(found, lookup, actor.timeZone, recordName);
  const stock = await listPointOfUseStock(db, siteId, now, { stationId: station.id });
  const matches = stock.filter((row) =>
    items.some((i) =>
      i.lotId ? row.lotId === i.lotId : i.serialItemId ? row.serialItemId === i.serialItemId : row.lotId === null && row.serialItemId === null && row.partNumber === i.partNumber,
    ),
  );
  if (matches.length === 0) {
    throw new DomainError("INSUFFICIENT_STOCK", `${shown} is not at station ${station.code}: nothing of it is on hand at its point of use.`, { scanned: shown, stationId: station.id });
  }
  return matches;
}
