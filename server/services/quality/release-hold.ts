import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { holdSignedContent } from "@/server/domain/quality/signature";
import { writeAudit } from "@/server/repos/audit";
import { siteHoldReleaseRule } from "@/server/repos/admin-users";
import { findHold, lockHold, markHoldReleased } from "@/server/repos/quality-holds";
import { findRequest } from "@/server/repos/request-log";
import { commitSideTime } from "@/server/repos/hold-locks";
import { idempotent } from "@/server/services/shared/idempotent";
import { confirmHoldStatus } from "./hold-status";
import { holdReason, requireQualityEngineer } from "./place-hold";
import { reauthenticateSigner, writeSignature, type SignatureMethod, type SigningContext } from "./sign-record";

export type ReleaseHoldCommand = {
  requestId: string;
  holdId: string;
  reason: string;
  signature: { method: SignatureMethod; secret: string; meaning: string };
};

export type ReleaseHoldOutcome = { holdId: string; signatureId: string };

const notFound = (holdId: string) => new DomainError("NOT_FOUND", "That hold does not exist at this site.", { holdId });

function alreadyReleased(holdId: string, releasedAt: Date | null) {
  return new DomainError("HOLD_NOT_ACTIVE", "This hold was already released.", { holdId, releasedAt: releasedAt?.toISOString() ?? null });
}

function twoPersonRule(actor: Actor) {
  return new DomainError("TWO_PERSON_RULE", `You placed this hold: at ${actor.siteName} another quality engineer must release it (two-person rule).`, {});
}

/**
 * Release an active hold (under the site's two-person rule, not by the person who placed it) with a signature (meaning "release") bound to the whole record, placing and release, written
 * in the same transaction as the release and its audit row (and its confirmation to ERP when the registry sends hold
 * status). From the commit on the material may be kitted and consumed
 * again (unless another hold covers it).
 */
export async function releaseHold(db: DbOrTx, actor: Actor, cmd: ReleaseHoldCommand, ctx: SigningContext): Promise<ReleaseHoldOutcome> {
  requireQualityEngineer(actor);
  const reason = holdReason(cmd.reason, "release");
  if (cmd.signature.meaning !== "release") {
    throw new DomainError("VALIDATION_FAILED", 'Releasing a hold is signed with the meaning "release".', { meaning: cmd.signature.meaning });
  }
  const seen = await findHold(db, actor.siteId, cmd.holdId);
  if (!seen) throw notFound(cmd.holdId);
  // Already released: say so before asking for a password, unless this is a retry of the release that did it.
  if (seen.releasedAt && !(await db.transaction((tx) => findRequest(tx, actor.siteId, actor.userId, cmd.requestId)))) throw alreadyReleased(seen.id, seen.releasedAt);
  const twoPerson = (await siteHoldReleaseRule(db, actor.siteId))?.twoPerson ?? false;
  if (twoPerson && seen.placedBy === actor.userId) throw twoPersonRule(actor);
  const signer = await reauthenticateSigner(db, actor, { ...cmd.signature, meaning: "release" }, { recordType: "hold", recordId: cmd.holdId }, ctx);
  return db.transaction(async (tx) => {
    const hold = await lockHold(tx, actor.siteId, cmd.holdId);
    if (!hold) throw notFound(cmd.holdId);
    return idempotent(
      tx,
      { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "quality.releaseHold", payload: { holdId: cmd.holdId, reason }, now: ctx.now },
      async (): Promise<ReleaseHoldOutcome> => {
        if (hold.releasedAt) throw alreadyReleased(hold.id, hold.releasedAt);
        if (twoPerson && hold.placedBy === actor.userId) throw twoPersonRule(actor);
        // the release's time is read after its locks and the re-authentication (the commit side)
        const now = ctx.recordAt === "commit" ? await commitSideTime(tx) : ctx.now;
        const released = { ...hold, releasedBy: actor.userId, releasedAt: now, releaseReason: reason };
        const signature = await writeSignature(tx, actor, signer, { recordType: "hold", recordId: hold.id, content: holdSignedContent(released, "release") }, now);
        const ok = await markHoldReleased(tx, actor.siteId, hold.id, { releasedBy: actor.userId, releasedAt: now, releaseReason: reason, releasedSignatureId: signature.id });
        if (!ok) throw alreadyReleased(hold.id, hold.releasedAt);
        await writeAudit(tx, {
          siteId: actor.siteId,
          actorUserId: actor.userId,
          actorName: actor.displayName,
          action: "release_hold",
          entity: "hold",
          entityId: hold.id,
          oldValue: { releasedAt: null },
          newValue: { releasedAt: now.toISOString(), releaseReason: reason, signatureId: signature.id },
          reason,
          requestId: cmd.requestId,
          occurredAt: now,
        });
        await confirmHoldStatus(
          tx,
          actor,
          { action: "released", holdId: hold.id, targetType: hold.targetType, targetId: hold.targetId, reason: hold.reason, releaseReason: reason },
          cmd.requestId,
          now,
        );
        return { holdId: hold.id, signatureId: signature.id };
      },
    );
  });
}
