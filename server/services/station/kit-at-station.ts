import "server-only";
import Decimal from "decimal.js";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { materialExclusions } from "@/server/domain/material-eligibility/material-eligibility";
import { leftOn, linesAt } from "@/server/domain/station/station-rules";
import { materialStatus, type MaterialStatus, type NotUsableCode } from "@/server/domain/vocabulary/material-status";
import { findKit, loadKitLines, loadKitPicks } from "@/server/repos/kitting";
import { findKitIdByNumber, stationName } from "@/server/repos/station-kit";
import { findStationWithPointOfUse, installedPerLine, itemFactsAt, loadFrozenBom, loadUnitContext, openEdgesOfUnit, whereInstalled } from "@/server/repos/station-work";
import { postingDate } from "./station-shared";

/** One lot, serial or untracked quantity the kit brought, as it stands at the station now. */
export type KitItemAtStation = {
  key: string;
  partRevisionId: string;
  lotId: string | null;
  serialItemId: string | null;
  lotNumber: string | null;
  serialNumber: string | null;
  /** picked into the kit */
  picked: string;
  /** free at this station's point of use now */
  here: string;
  status: MaterialStatus;
  /** the unit a serial is installed in, if it is */
  installedIn: string | null;
  /** what one tap installs into this unit at this operation (null: nothing to install from it here) */
  installQuantity: string | null;
};

export type KitLineAtStation = {
  kitLineId: string;
  findNumber: number;
  operationSeq: number;
  partNumber: string;
  revision: string;
  description: string;
  uom: string;
  tracking: "serial" | "lot" | "untracked";
  required: string;
  picked: string;
  shortQty: string;
  shortReason: string | null;
  /** the line is installed into this unit at this operation (frozen BOM, effectivity) */
  atThisOperation: boolean;
  /** what this unit still needs on the line (null when the line is not at this operation for this unit) */
  leftForUnit: string | null;
  items: KitItemAtStation[];
};

export type KitAtStation = {
  kit: { id: string; number: string; status: string; workOrderNumber: string; scope: string; destination: string | null };
  /** issued to this station, for this unit's order (and unit): its content can be installed from here */
  loadable: boolean;
  /** why it cannot, in words (null when it can) */
  notice: string | null;
  lines: KitLineAtStation[];
};

/** The kit of a scanned kit label, or null when the text is not a kit number of this site. */
export async function findKitByLabel(db: DbOrTx, actor: Actor, text: string): Promise<{ id: string; number: string } | null> {
  const t = text.trim();
  return t === "" || t.length > 200 ? null : findKitIdByNumber(db, actor.siteId, t);
}

/**
 * A kit as the operator sees it at a station, for one unit at one operation: each line with what the unit still needs
 * at this operation, each lot or serial the kit brought with where it stands now (free here, usable or not and why,
 * installed elsewhere) and what one tap installs. Read-only; the installs go through consumeComponent.
 */
export async function kitAtStation(db: DbOrTx, actor: Actor, input: { stationId: string; unitId: string; seq: number; kitId: string }, now: Date): Promise<KitAtStation> {
  const siteId = actor.siteId;
  const [station, kit, ctx] = [
    await findStationWithPointOfUse(db, siteId, input.stationId),
    await findKit(db, siteId, input.kitId),
    await loadUnitContext(db, siteId, input.unitId),
  ];
  if (!station) throw new DomainError("NOT_FOUND", "That station does not exist at this site.", { stationId: input.stationId });
  if (!kit) throw new DomainError("NOT_FOUND", "That kit does not exist at this site.", { kitId: input.kitId });
  if (!ctx) throw new DomainError("NOT_FOUND", "That unit does not exist at this site.", { unitId: input.unitId });
  const destination = kit.stationId ? await stationName(db, siteId, kit.stationId) : null;
  const destinationWords = destination ? `${destination.name} (${destination.code})` : null;

  const notice =
    kit.workOrderId !== ctx.workOrder.id
      ? `Kit ${kit.number} is for work order ${kit.workOrderNumber}; unit ${ctx.unit.serial} is on ${ctx.workOrder.number}.`
      : kit.scope === "unit" && kit.unitId !== ctx.unit.id
        ? `Kit ${kit.number} was picked for another unit of ${kit.workOrderNumber}.`
        : kit.status !== "issued"
          ? `Kit ${kit.number} is ${kit.status === "closed" || kit.status === "cancelled" ? kit.status : "not issued yet"}: its material ${kit.status === "closed" ? "has been used or returned" : "is still in kitting"}.`
          : kit.stationId !== station.id
            ? `Kit ${kit.number} was issued to ${destinationWords ?? "another station"}, not to ${station.name} (${station.code}).`
            : null;
  const loadable = notice === null;

  const [lines, picks, bom] = [await loadKitLines(db, siteId, kit.id), await loadKitPicks(db, siteId, kit.id), await loadFrozenBom(db, siteId, ctx.workOrder.id)];
  const applying = linesAt(bom, ctx.unit.serial, input.seq, postingDate(actor, now));
  const installed = installedPerLine(bom, await openEdgesOfUnit(db, siteId, ctx.unit));

  const out: KitLineAtStation[] = [];
  for (const line of lines) {
    const bomLine = applying.find((b) => b.id === line.bomLineId) ?? null;
    const left = bomLine ? leftOn(bomLine, installed) : null;
    const byItem = new Map<string, { partRevisionId: string; lotId: string | null; serialItemId: string | null; lotNumber: string | null; serialNumber: string | null; picked: Decimal }>();
    for (const p of picks.filter((x) => x.kitLineId === line.id)) {
      const key = `${p.partRevisionId}/${p.lotId ?? ""}/${p.serialItemId ?? ""}`;
      const prev = byItem.get(key);
      if (prev) prev.picked = prev.picked.plus(p.quantity);
      else byItem.set(key, { partRevisionId: p.partRevisionId, lotId: p.lotId, serialItemId: p.serialItemId, lotNumber: p.lotNumber, serialNumber: p.serialNumber, picked: new Decimal(p.quantity) });
    }
    const items: KitItemAtStation[] = [];
    for (const [key, it] of byItem) {
      const facts = await itemFactsAt(db, siteId, it, { pointOfUseOf: station.id });
      const inUnit = it.serialItemId ? await whereInstalled(db, siteId, it.serialItemId) : null;
      const free = facts ? Decimal.max(new Decimal(facts.onHand).minus(facts.reserved), 0) : new Decimal(0);
      const reasons: { code: NotUsableCode; rejected?: boolean }[] = facts
        ? materialExclusions(facts, { plannedUseAt: now, now, thawRequired: true, minRemainingShelfLifeDays: facts.minRemainingShelfLifeDays, allowedLotIds: null, timeZone: actor.timeZone })
        : [];
      const status = materialStatus(reasons);
      const take = left && left.gt(0) && free.gt(0) && status.usable && !inUnit && loadable ? (it.serialItemId ? new Decimal(1) : Decimal.min(left, free)) : null;
      items.push({
        key,
        partRevisionId: it.partRevisionId,
        lotId: it.lotId,
        serialItemId: it.serialItemId,
        lotNumber: it.lotNumber,
        serialNumber: it.serialNumber,
        picked: it.picked.toFixed(),
        here: free.toFixed(),
        status,
        installedIn: inUnit?.serial ?? null,
        installQuantity: take ? take.toFixed() : null,
      });
    }
    out.push({
      kitLineId: line.id,
      findNumber: line.findNumber,
      operationSeq: line.operationSeq,
      partNumber: line.partNumber,
      revision: line.revision,
      description: line.description,
      uom: line.uom,
      tracking: line.tracking,
      required: line.required,
      picked: line.picked,
      shortQty: line.shortQty,
      shortReason: line.shortReason,
      atThisOperation: bomLine !== null,
      leftForUnit: left ? left.toFixed() : null,
      items,
    });
  }
  const scope = kit.scope === "work_order" ? "whole order" : kit.scope === "operation" ? `operation ${kit.operationSeq}` : "one unit";
  return { kit: { id: kit.id, number: kit.number, status: kit.status, workOrderNumber: kit.workOrderNumber, scope, destination: destinationWords }, loadable, notice, lines: out };
}
