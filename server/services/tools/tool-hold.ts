import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { toolHoldSignedContent, toolReleaseSignedContent, type ToolHoldRecord } from "@/server/domain/tools/tool-hold";
import { writeAudit } from "@/server/repos/audit";
import { commitSideTime } from "@/server/repos/hold-locks";
import { signaturesOf } from "@/server/repos/quality-holds";
import * as repo from "@/server/repos/tools";
import { idempotent } from "@/server/services/shared/idempotent";
import { timeRecorded } from "@/server/services/shared/recorded-time";
import { holdReason, requireQualityEngineer } from "@/server/services/quality/place-hold";
import { reauthenticateSigner, verifySignature, writeSignature, type SignatureMethod, type SignatureView, type SigningContext } from "@/server/services/quality/sign-record";

/*
 * A tool found out of calibration: quality puts it on hold with an electronic signature (re-authentication, meaning
 * "hold", bound to the hold's content). From the commit on the station refuses the tool (server/domain/tools), and the
 * WIP board marks every unit in work with an install or a reading made with it, since its last good calibration when
 * asked (else ever). Releasing is signed too (meaning "release"). Refusals write nothing.
 */

type Signature = { method: SignatureMethod; secret: string; meaning: string };

export type ToolHoldOutcome = { code: string; signatureId: string; heldAt: Date; affectsSince: Date | null };

export async function holdTool(
  db: DbOrTx,
  actor: Actor,
  cmd: { requestId: string; code: string; reason: string; sinceLastCalibration: boolean; signature: Signature },
  ctx: SigningContext,
): Promise<ToolHoldOutcome> {
  requireQualityEngineer(actor);
  const reason = holdReason(cmd.reason, "hold");
  if (cmd.signature.meaning !== "hold") throw new DomainError("VALIDATION_FAILED", 'Holding a tool is signed with the meaning "hold".', { meaning: cmd.signature.meaning });
  const code = cmd.code.trim().toUpperCase();
  const known = await repo.toolByCode(db, actor.siteId, code);
  if (!known) throw new DomainError("NOT_FOUND", `Tool ${code} is not in the register of ${actor.siteName}.`, { field: "code" });
  if (known.holdReason !== null) throw new DomainError("VALIDATION_FAILED", `Tool ${code} is already on hold: ${known.holdReason}`, { field: "code" });
  const signer = await reauthenticateSigner(db, actor, { ...cmd.signature, meaning: "hold" }, { recordType: "tool_hold", recordId: known.id }, ctx);
  return db.transaction(async (tx) =>
    idempotent(
      tx,
      { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "tools.holdTool", payload: { code, reason, sinceLastCalibration: cmd.sinceLastCalibration }, now: ctx.now },
      async (): Promise<ToolHoldOutcome> => {
        const tool = await repo.lockTool(tx, actor.siteId, code);
        if (!tool) throw new DomainError("NOT_FOUND", `Tool ${code} is not in the register of ${actor.siteName}.`, { field: "code" });
        if (tool.holdReason !== null) throw new DomainError("VALIDATION_FAILED", `Tool ${code} is already on hold: ${tool.holdReason}`, { field: "code" });
        const now = timeRecorded(ctx.recordAt ?? ctx.now, await commitSideTime(tx));
        const record: ToolHoldRecord = { siteId: actor.siteId, toolId: tool.id, code: tool.code, reason, heldBy: actor.userId, heldAt: now, affectsSince: cmd.sinceLastCalibration ? tool.calibratedAt : null };
        const signature = await writeSignature(tx, actor, signer, { recordType: "tool_hold", recordId: tool.id, content: toolHoldSignedContent(record) }, now);
        await repo.updateTool(tx, actor.siteId, tool.id, { holdReason: reason, heldAt: now, heldBy: actor.userId, holdSignatureId: signature.id, holdAffectsSince: record.affectsSince, updatedAt: now });
        await writeAudit(tx, {
          siteId: actor.siteId,
          actorUserId: actor.userId,
          actorName: actor.displayName,
          action: "tool_held",
          entity: "tool",
          entityId: tool.code,
          newValue: { reason, affectsSince: record.affectsSince, signatureId: signature.id },
          reason,
          requestId: cmd.requestId,
          occurredAt: now,
        });
        return { code: tool.code, signatureId: signature.id, heldAt: now, affectsSince: record.affectsSince };
      },
    ),
  );
}

export async function releaseToolHold(db: DbOrTx, actor: Actor, cmd: { requestId: string; code: string; reason: string; signature: Signature }, ctx: SigningContext) {
  requireQualityEngineer(actor);
  const reason = holdReason(cmd.reason, "release");
  if (cmd.signature.meaning !== "release") throw new DomainError("VALIDATION_FAILED", 'Releasing a tool is signed with the meaning "release".', { meaning: cmd.signature.meaning });
  const code = cmd.code.trim().toUpperCase();
  const known = await repo.toolByCode(db, actor.siteId, code);
  if (!known) throw new DomainError("NOT_FOUND", `Tool ${code} is not in the register of ${actor.siteName}.`, { field: "code" });
  if (known.holdReason === null) throw new DomainError("HOLD_NOT_ACTIVE", `Tool ${code} is not on hold.`, { field: "code" });
  const signer = await reauthenticateSigner(db, actor, { ...cmd.signature, meaning: "release" }, { recordType: "tool_hold_release", recordId: known.id }, ctx);
  return db.transaction(async (tx) =>
    idempotent(tx, { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "tools.releaseToolHold", payload: { code, reason }, now: ctx.now }, async () => {
      const tool = await repo.lockTool(tx, actor.siteId, code);
      if (!tool || tool.holdReason === null || tool.heldAt === null || tool.heldBy === null) throw new DomainError("HOLD_NOT_ACTIVE", `Tool ${code} is not on hold.`, { field: "code" });
      const now = timeRecorded(ctx.recordAt ?? ctx.now, await commitSideTime(tx));
      const held: ToolHoldRecord = { siteId: actor.siteId, toolId: tool.id, code: tool.code, reason: tool.holdReason, heldBy: tool.heldBy, heldAt: tool.heldAt, affectsSince: tool.holdAffectsSince };
      const signature = await writeSignature(tx, actor, signer, { recordType: "tool_hold_release", recordId: tool.id, content: toolReleaseSignedContent(held, { releasedBy: actor.userId, releasedAt: now, releaseReason: reason }) }, now);
      await repo.updateTool(tx, actor.siteId, tool.id, { holdReason: null, heldAt: null, heldBy: null, holdSignatureId: null, holdAffectsSince: null, updatedAt: now });
      await writeAudit(tx, {
        siteId: actor.siteId,
        actorUserId: actor.userId,
        actorName: actor.displayName,
        action: "tool_hold_released",
        entity: "tool",
        entityId: tool.code,
        oldValue: { reason: held.reason, heldAt: held.heldAt, affectsSince: held.affectsSince, holdSignatureId: tool.holdSignatureId },
        newValue: { signatureId: signature.id },
        reason,
        requestId: cmd.requestId,
        occurredAt: now,
      });
      return { code: tool.code, signatureId: signature.id };
    }),
  );
}

/** The signature of a tool's current hold, checked against the tool's hold as it is now (null: not held). */
export async function toolHoldSignature(db: DbOrTx, actor: Actor, code: string): Promise<SignatureView | null> {
  const tool = await repo.toolByCode(db, actor.siteId, code.trim().toUpperCase());
  if (!tool || tool.holdReason === null || tool.heldAt === null || tool.heldBy === null || tool.holdSignatureId === null) return null;
  const sig = (await signaturesOf(db, actor.siteId, "tool_hold", [tool.id])).find((s) => s.id === tool.holdSignatureId);
  if (!sig) return null;
  return verifySignature(sig, toolHoldSignedContent({ siteId: actor.siteId, toolId: tool.id, code: tool.code, reason: tool.holdReason, heldBy: tool.heldBy, heldAt: tool.heldAt, affectsSince: tool.holdAffectsSince }));
}
