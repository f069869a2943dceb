import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import type { KitScope } from "@/server/domain/kitting/pick-list";
import { writeAudit } from "@/server/repos/audit";
import { findStation } from "@/server/repos/floor-overview";
import { countKits, findUnitOfOrder, insertKit, insertKitLines, lockWorkOrder } from "@/server/repos/kitting";
import { idempotent } from "@/server/services/shared/idempotent";
import { computePickList } from "./pick-list-data";

export type CreateKitCommand = {
  requestId: string;
  workOrderId: string;
  scope: KitScope;
  /** The station whose point of use the kit goes to. */
  stationId: string;
};
export type CreateKitOutcome = { kitId: string; kitNumber: string; lines: number };

/**
 * A kit for a whole work order, one operation or one unit: its lines are the pick list of that scope (revision
 * effective per unit, quantity per unit x units, less what is already kitted or installed). The work order row is
 * locked, so two kits of one order never count the same need twice.
 */
export async function createKit(db: DbOrTx, actor: Actor, cmd: CreateKitCommand, now: Date): Promise<CreateKitOutcome> {
  return db.transaction(async (tx) => {
    const siteId = actor.siteId;
    const wo = await lockWorkOrder(tx, siteId, cmd.workOrderId);
    if (!wo) throw new DomainError("NOT_FOUND", "That work order does not exist at this site.", { workOrderId: cmd.workOrderId });
    return idempotent(tx, { siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "kitting.createKit", payload: cmd, now }, async () => {
      if (wo.status !== "released" && wo.status !== "in_progress") {
        throw new DomainError("WORK_ORDER_NOT_OPEN", `Work order ${wo.number} is ${wo.status}: it needs no more kits.`, { status: wo.status });
      }
      const station = await findStation(tx, siteId, cmd.stationId);
      if (!station) throw new DomainError("NOT_FOUND", "That station does not exist at this site.", { stationId: cmd.stationId });
      if (cmd.scope.kind === "unit") {
        const unit = await findUnitOfOrder(tx, siteId, wo.id, cmd.scope.unitId);
        if (!unit) throw new DomainError("NOT_FOUND", `That unit is not on work order ${wo.number}.`, { unitId: cmd.scope.unitId });
      }
      const lines = (await computePickList(tx, siteId, wo, cmd.scope, actor, now)).filter((l) => l.required !== "0");
      if (lines.length === 0) {
        throw new DomainError("NOTHING_TO_KIT", `Everything work order ${wo.number} needs for this ${scopeWords(cmd.scope)} is already kitted or installed.`, {});
      }
      const n = (await countKits(tx, siteId, wo.id)) + 1;
      const kitNumber = `K-${wo.number}-${String(n).padStart(2, "0")}`;
      const kitId = await insertKit(tx, {
        siteId,
        number: kitNumber,
        workOrderId: wo.id,
        scope: cmd.scope.kind,
        operationSeq: cmd.scope.kind === "operation" ? cmd.scope.operationSeq : null,
        unitId: cmd.scope.kind === "unit" ? cmd.scope.unitId : null,
        stationId: station.id,
        status: "planned",
        createdBy: actor.userId,
        createdAt: now,
      });
      await insertKitLines(
        tx,
        lines.map((l) => ({ siteId, kitId, workOrderBomLineId: l.bomLineId, partRevisionId: l.partRevisionId, requiredQty: l.required })),
      );
      await writeAudit(tx, {
        siteId,
        actorUserId: actor.userId,
        actorName: actor.displayName,
        action: "kit.create",
        entity: "kit",
        entityId: kitId,
        newValue: { number: kitNumber, workOrder: wo.number, scope: cmd.scope, station: station.code, lines: lines.map((l) => ({ bomLineId: l.bomLineId, required: l.required })) },
        requestId: cmd.requestId,
        occurredAt: now,
      });
      return { kitId, kitNumber, lines: lines.length };
    });
  });
}

function scopeWords(scope: KitScope): string {
  return scope.kind === "work_order" ? "order" : scope.kind === "operation" ? `operation ${scope.operationSeq}` : "unit";
}
