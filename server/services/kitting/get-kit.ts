import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { outstanding } from "@/server/domain/kitting/kit-rules";
import type { Excluded, Suggestion } from "@/server/domain/kitting/lot-rules";
import { findStation } from "@/server/repos/floor-overview";
import { findKit, loadKitLines, loadKitPicks, type KitHead, type KitLineDetail, type KitPickRow } from "@/server/repos/kitting";
import { sourcesForLines } from "./pick-list-data";

export type KitLineView = KitLineDetail & { outstanding: string; suggested: Suggestion[]; excluded: Excluded[]; moreNotShown: boolean };
export type KitView = { kit: KitHead & { stationCode: string | null }; lines: KitLineView[]; picks: KitPickRow[] };

/** A kit of this site with its lines (picked, short, still to pick), suggested and excluded sources, and its picks. */
export async function getKit(db: DbOrTx, actor: Actor, kitId: string, now: Date): Promise<KitView> {
  const siteId = actor.siteId;
  const kit = await findKit(db, siteId, kitId);
  if (!kit) throw new DomainError("NOT_FOUND", "That kit does not exist at this site.", { kitId });
  const [lines, picks, station] = await Promise.all([
    loadKitLines(db, siteId, kit.id),
    loadKitPicks(db, siteId, kit.id),
    kit.stationId ? findStation(db, siteId, kit.stationId) : Promise.resolve(null),
  ]);
  const open = kit.status !== "issued" && kit.status !== "closed" && kit.status !== "cancelled";
  const sources = open
    ? await sourcesForLines(db, siteId, { id: kit.workOrderId, dueDate: kit.dueDate }, lines.map((l) => ({ bomLineId: l.bomLineId, partRevisionId: l.partRevisionId, minRemainingShelfLifeDays: l.minRemainingShelfLifeDays })), actor, now)
    : new Map();
  return {
    kit: { ...kit, stationCode: station?.code ?? null },
    lines: lines.map((l) => {
      const s = sources.get(l.bomLineId);
      return { ...l, outstanding: outstanding(l).toFixed(), suggested: s?.suggested ?? [], excluded: s?.excluded ?? [], moreNotShown: s?.moreNotShown ?? false };
    }),
    picks,
  };
}

/** What the kit label lists: every pick (part, lot/serial, quantity) and every recorded shortage. */
export function kitLabelContent(view: KitView): import("@/server/domain/kitting/kit-label").KitLabelContent {
  const k = view.kit;
  return {
    kitNumber: k.number,
    workOrderNumber: k.workOrderNumber,
    stationCode: k.stationCode,
    scope: k.scope === "work_order" ? "whole order" : k.scope === "operation" ? `operation ${k.operationSeq}` : "one unit",
    lines: view.picks.map((p) => ({
      partNumber: p.partNumber,
      revision: p.revision,
      item: p.lotNumber ? `Lot ${p.lotNumber}` : p.serialNumber ? `SN ${p.serialNumber}` : "untracked",
      quantity: p.quantity,
      uom: p.uom,
    })),
    shortages: view.lines
      .filter((l) => l.shortQty !== "0")
      .map((l) => ({ partNumber: l.partNumber, revision: l.revision, quantity: l.shortQty, uom: l.uom, reason: l.shortReason ?? "" })),
  };
}
