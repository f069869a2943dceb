import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { assertOpenForPicking, decideShort, statusAfterChange } from "@/server/domain/kitting/kit-rules";
import { writeAudit } from "@/server/repos/audit";
import { loadKitLines, lockKit, setKitStatus, setLineShort } from "@/server/repos/kitting";
import { idempotent } from "@/server/services/shared/idempotent";

export type ShortPickCommand = { requestId: string; kitId: string; kitLineId: string; quantity: string; reason: string };
export type ShortPickOutcome = { kitId: string; kitLineId: string; shortQty: string; kitStatus: string };

/** Record that a line cannot be picked in full: how much is missing and why. It shows as a shortage at the station. */
export async function recordShortPick(db: DbOrTx, actor: Actor, cmd: ShortPickCommand, now: Date): Promise<ShortPickOutcome> {
  return db.transaction(async (tx) => {
    const siteId = actor.siteId;
    const kit = await lockKit(tx, siteId, cmd.kitId);
    if (!kit) throw new DomainError("NOT_FOUND", "That kit does not exist at this site.", { kitId: cmd.kitId });
    return idempotent(tx, { siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "kitting.recordShortPick", payload: cmd, now }, async () => {
      assertOpenForPicking(kit);
      const lines = await loadKitLines(tx, siteId, kit.id);
      const line = lines.find((l) => l.id === cmd.kitLineId);
      if (!line) throw new DomainError("NOT_FOUND", `That line is not on kit ${kit.number}.`, { kitLineId: cmd.kitLineId });
      const q = decideShort({ ...line, label: `${line.partNumber} rev ${line.revision}` }, cmd.quantity, cmd.reason).toFixed();
      const reason = cmd.reason.trim();
      await setLineShort(tx, siteId, line.id, q, q === "0" ? null : reason);
      const status = statusAfterChange(lines.map((l) => (l.id === line.id ? { ...l, shortQty: q } : l)));
      if (status !== kit.status) await setKitStatus(tx, siteId, kit.id, status);
      await writeAudit(tx, {
        siteId,
        actorUserId: actor.userId,
        actorName: actor.displayName,
        action: "kit.short_pick",
        entity: "kit",
        entityId: kit.id,
        oldValue: { line: `${line.partNumber} rev ${line.revision}`, shortQty: line.shortQty, reason: line.shortReason },
        newValue: { line: `${line.partNumber} rev ${line.revision}`, shortQty: q },
        reason,
        requestId: cmd.requestId,
        occurredAt: now,
      });
      return { kitId: kit.id, kitLineId: line.id, shortQty: q, kitStatus: status };
    });
  });
}
