import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { writeAudit } from "@/server/repos/audit";
import { lockAllowedLot, markAllowedLotRemoved } from "@/server/repos/kitting";
import { idempotent } from "@/server/services/shared/idempotent";

export type RemoveAllowedLotCommand = { requestId: string; allowedLotId: string; reason: string };

/** Quality lifts one entry of an allowed-lot list (kept, marked removed, audited). */
export async function removeAllowedLot(db: DbOrTx, actor: Actor, cmd: RemoveAllowedLotCommand, now: Date): Promise<{ allowedLotId: string }> {
  return db.transaction(async (tx) => {
    const siteId = actor.siteId;
    const row = await lockAllowedLot(tx, siteId, cmd.allowedLotId);
    if (!row) throw new DomainError("NOT_FOUND", "That allowed-lot entry does not exist at this site.", { allowedLotId: cmd.allowedLotId });
    return idempotent(tx, { siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "kitting.removeAllowedLot", payload: cmd, now }, async () => {
      const reason = cmd.reason.trim();
      if (reason.length < 3) throw new DomainError("VALIDATION_FAILED", "Say why the restriction is lifted.", { field: "reason" });
      if (row.removedAt) throw new DomainError("VALIDATION_FAILED", "That allowed-lot entry was already removed.", { allowedLotId: row.id });
      await markAllowedLotRemoved(tx, siteId, row.id, actor.userId, now);
      await writeAudit(tx, {
        siteId,
        actorUserId: actor.userId,
        actorName: actor.displayName,
        action: "allowed_lot.remove",
        entity: "work_order",
        entityId: row.workOrderId,
        oldValue: { allowedLotId: row.id, lotId: row.lotId },
        reason,
        requestId: cmd.requestId,
        occurredAt: now,
      });
      return { allowedLotId: row.id };
    });
  });
}
