import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { isBackflushable, leftOn, linesAt, SCRAP_REASONS, type ScrapReason } from "@/server/domain/station/station-rules";
import { listPointOfUseStock } from "@/server/repos/floor-overview";
import { findStationWithPointOfUse, installedDetails, installedPerLine, loadFrozenBom, loadUnitContext, openEdgesOfUnit } from "@/server/repos/station-work";
import { postingDate } from "./station-shared";
import { buyOffFacts } from "@/server/repos/rule-signatures";
import { operationStamp } from "@/server/services/quality/operation-buy-off";

/**
 * One unit at one operation, as the operator's screen shows it: what the frozen BOM requires here for this unit
 * (effectivity), what is installed and left, the parameters to record, and the material staged at this station.
 */
export async function getOperationView(db: DbOrTx, actor: Actor, input: { stationId: string; unitId: string; seq: number }, now: Date) {
  const siteId = actor.siteId;
  const station = await findStationWithPointOfUse(db, siteId, input.stationId);
  if (!station) throw new DomainError("NOT_FOUND", "That station does not exist at this site.", { stationId: input.stationId });
  const ctx = await loadUnitContext(db, siteId, input.unitId);
  if (!ctx) throw new DomainError("NOT_FOUND", "That unit does not exist at this site.", { unitId: input.unitId });
  const op = ctx.operations.find((o) => o.seq === input.seq);
  if (!op) throw new DomainError("NOT_FOUND", `Unit ${ctx.unit.serial} has no operation ${input.seq}.`, { operationSeq: input.seq });
  const bom = await loadFrozenBom(db, siteId, ctx.workOrder.id);
  const applying = linesAt(bom, ctx.unit.serial, input.seq, postingDate(actor, now));
  const installed = installedPerLine(bom, await openEdgesOfUnit(db, siteId, ctx.unit));
  const lines = applying.map((l) => ({
    bomLineId: l.id,
    findNumber: l.findNumber,
    partNumber: l.partNumber,
    revision: l.revision,
    uom: l.uom,
    tracking: l.tracking,
    required: l.quantityPerUnit,
    installed: installed[l.id] ?? "0",
    left: leftOn(l, installed).toFixed(),
    backflush: isBackflushable(l),
  }));
  const revisions = new Set(applying.map((l) => l.componentRevisionId));
  const parts = new Set(applying.map((l) => l.partNumber));
  const staged = (await listPointOfUseStock(db, siteId, now, { stationId: station.id })).filter((s) => revisions.has(s.partRevisionId) || parts.has(s.partNumber));
  const previousOpen = ctx.operations.filter((o) => o.seq < input.seq && o.status !== "completed").map((o) => o.seq)[0] ?? null;
  const stampFacts = await buyOffFacts(db, siteId, ctx.unit.id, input.seq);
  const inspection = stampFacts?.inspectionRequired
    ? { required: true, awaiting: stampFacts.workDoneAt !== null && stampFacts.status !== "completed", stamp: (await operationStamp(db, actor, ctx.unit.id, input.seq))?.signature ?? null }
    : { required: false, awaiting: false, stamp: null };
  return {
    station: { id: station.id, code: station.code, name: station.name, pointOfUseId: station.pointOfUseId },
    unit: { id: ctx.unit.id, serial: ctx.unit.serial, status: ctx.unit.status },
    workOrder: { number: ctx.workOrder.number, status: ctx.workOrder.status, partNumber: ctx.workOrder.partNumber, revision: ctx.workOrder.revision },
    operation: {
      seq: op.seq,
      code: op.code,
      description: op.description,
      status: op.status,
      specs: op.specs,
      recorded: op.parameters,
      routedHere: op.workCenterId === station.workCenterId,
      requiredSkills: op.requiredSkills,
      requiredToolClasses: op.requiredToolClasses,
      previousOpen,
      /** the routing asks an inspector's stamp: whether the work waits for it, and the stamp once bought off */
      inspection,
    },
    operations: ctx.operations.map((o) => ({ seq: o.seq, code: o.code, status: o.status })),
    lines,
    installed: (await installedDetails(db, siteId, ctx.unit)).filter((i) => i.operationSeq === input.seq),
    staged,
    scrapReasons: (Object.keys(SCRAP_REASONS) as ScrapReason[]).map((code) => ({ code, label: SCRAP_REASONS[code] })),
  };
}
