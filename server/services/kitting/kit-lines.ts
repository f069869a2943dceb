import "server-only";
import type { DbOrTx } from "@/db/client";
import { localDate } from "@/server/domain/kitting/dates";
import { orderRequirement } from "@/server/domain/kitting/pick-list";
import { listKitLines, listUnitSerials, type KitLineRow } from "@/server/repos/floor-overview";

/**
 * The kitting view of work orders' BOM lines with what each really requires: quantity per unit x the units the line
 * applies to by effectivity (serial range, dates as of today in the site's zone), as the pick list counts it, so a
 * revision no unit needs shows nothing required and nothing short.
 */
export async function listKitLinesByUnit(db: DbOrTx, siteId: string, now: Date, timeZone: string, opts: { workOrderId?: string } = {}): Promise<KitLineRow[]> {
  const lines = await listKitLines(db, siteId, now, opts);
  const serials = await listUnitSerials(db, siteId, [...new Set(lines.map((l) => l.workOrderId))]);
  const today = localDate(now, timeZone);
  return lines.map((l) => ({ ...l, required: orderRequirement(l, serials.get(l.workOrderId) ?? [], l.orderQuantity, today) }));
}
