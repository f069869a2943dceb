import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { allowedLotContent } from "@/server/domain/quality/rule-signatures";
import { writeAudit } from "@/server/repos/audit";
import { listAllowedLots, lockAllowedLot, markAllowedLotRemoved } from "@/server/repos/kitting";
import { signaturesOf } from "@/server/repos/quality-holds";
import { allowedLotRows } from "@/server/repos/rule-signatures";
import { findRequest } from "@/server/repos/request-log";
import { idempotent } from "@/server/services/shared/idempotent";
import { requireRole } from "@/server/services/shared/require-role";
import { reauthenticateSigner, verifySignature, writeSignature, type SignatureMethod, type SignatureView, type SigningContext } from "@/server/services/quality/sign-record";

export type RemoveAllowedLotCommand = {
  requestId: string;
  allowedLotId: string;
  reason: string;
  /** a rule change is signed (issue 19, Must 5): meaning "approval", bound to the whole entry, its lifting included */
  signature: { method: SignatureMethod; secret: string; meaning: string };
};

type Row = NonNullable<Awaited<ReturnType<typeof lockAllowedLot>>>;

function judge(row: Row | null, cmd: RemoveAllowedLotCommand): { row: Row; reason: string } {
  if (!row) throw new DomainError("NOT_FOUND", "That allowed-lot entry does not exist at this site.", { allowedLotId: cmd.allowedLotId });
  const reason = cmd.reason.trim();
  if (reason.length < 3) throw new DomainError("VALIDATION_FAILED", "Say why the restriction is lifted.", { field: "reason" });
  if (row.removedAt) throw new DomainError("VALIDATION_FAILED", "That allowed-lot entry was already removed.", { allowedLotId: row.id });
  return { row, reason };
}

/** Quality lifts one entry of an allowed-lot list (kept, marked removed, audited), signed. */
export async function removeAllowedLot(db: DbOrTx, actor: Actor, cmd: RemoveAllowedLotCommand, ctx: SigningContext): Promise<{ allowedLotId: string; signatureId: string }> {
  requireRole(actor, ["quality_engineer"], "change allowed-lot lists");
  if (cmd.signature.meaning !== "approval") throw new DomainError("VALIDATION_FAILED", 'A rule change is signed with the meaning "approval".', { meaning: cmd.signature.meaning });
  const now = ctx.now;
  const retry = await db.transaction((tx) => findRequest(tx, actor.siteId, actor.userId, cmd.requestId));
  if (!retry) await db.transaction(async (tx) => judge(await lockAllowedLot(tx, actor.siteId, cmd.allowedLotId), cmd));
  const signer = await reauthenticateSigner(db, actor, { ...cmd.signature, meaning: "approval" }, { recordType: "allowed_lot", recordId: cmd.allowedLotId }, ctx);
  return db.transaction(async (tx) => {
    const siteId = actor.siteId;
    const locked = await lockAllowedLot(tx, siteId, cmd.allowedLotId);
    if (!locked) throw new DomainError("NOT_FOUND", "That allowed-lot entry does not exist at this site.", { allowedLotId: cmd.allowedLotId });
    return idempotent(tx, { siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "kitting.removeAllowedLot", payload: { ...cmd, signature: { method: cmd.signature.method } }, now }, async () => {
      const { row, reason } = judge(locked, cmd);
      await markAllowedLotRemoved(tx, siteId, row.id, actor.userId, now);
      const record = { ...row, siteId, removedBy: actor.userId, removedAt: now };
      const signature = await writeSignature(tx, actor, signer, { recordType: "allowed_lot_removal", recordId: row.id, content: allowedLotContent(record, "removed") }, now);
      await writeAudit(tx, {
        siteId,
        actorUserId: actor.userId,
        actorName: actor.displayName,
        action: "allowed_lot.remove",
        entity: "work_order",
        entityId: row.workOrderId,
        oldValue: { allowedLotId: row.id, lotId: row.lotId },
        newValue: { signatureId: signature.id },
        reason,
        requestId: cmd.requestId,
        occurredAt: now,
      });
      return { allowedLotId: row.id, signatureId: signature.id };
    });
  });
}

/** The signature of each allowed-lot entry in force on the work order, verified against the entry as it is now. */
export async function allowedLotSignatures(db: DbOrTx, actor: Actor, workOrderId: string): Promise<{ allowedLotId: string; signature: SignatureView | null }[]> {
  const entries = await listAllowedLots(db, actor.siteId, workOrderId);
  const ids = entries.map((e) => e.id);
  const [rows, sigs] = await Promise.all([allowedLotRows(db, actor.siteId, ids), signaturesOf(db, actor.siteId, "allowed_lot", ids)]);
  return ids.map((id) => {
    const row = rows.find((r) => r.id === id);
    const sig = sigs.filter((g) => g.recordId === id).at(-1);
    return { allowedLotId: id, signature: row && sig ? verifySignature(sig, allowedLotContent(row, "added")) : null };
  });
}
