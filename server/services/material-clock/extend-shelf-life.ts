import "server-only";
import type { DbOrTx, Tx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { decideShelfLifeExtension, shelfLifeSignedContent } from "@/server/domain/material-clock/shelf-life";
import { writeAudit } from "@/server/repos/audit";
import { findLots } from "@/server/repos/lot-history";
import { findRequest } from "@/server/repos/request-log";
import { lockLotClocks, recordClockEvent } from "@/server/repos/material-clock";
import { idempotent } from "@/server/services/shared/idempotent";
import { reauthenticateSigner, writeSignature, type SignatureMethod, type SigningContext } from "@/server/services/quality/sign-record";
import { tellErpLotExpiry } from "./lot-expiry-erp";

export type ExtendShelfLifeCommand = {
  requestId: string;
  lotId: string;
  /** the new expiry, a calendar date in the site's time zone (the lot is usable through that day) */
  newExpiryDate: string;
  reason: string;
  testReference: string;
  /** the quality engineer's password or PIN, and the meaning chosen (must be "approval") */
  signature: { method: SignatureMethod; secret: string; meaning: string };
};

export type ExtendShelfLifeOutcome = { lotNumber: string; previousExpiresAt: string; newExpiresAt: string; signatureId: string; erpTold: boolean };

export const SHELF_LIFE_ROLES = ["quality_engineer"] as const;

/**
 * Extend a lot's shelf life after a passed re-test: a quality engineer's signed action (re-authentication, meaning
 * "approval", bound to the extension's content) with the reason and the test report's reference. In one transaction,
 * with the lot's clock row locked (FOR NO KEY UPDATE, as every clock change): the new expiry on the lot, a
 * 'shelf_life_extended' event in its clock history (before and after, the test reference, the signature), the audit
 * row, and ERP's message when the ownership registry says ERP owns lot expiry or must be told. Bad input is refused
 * before the signature is asked for; refusals write nothing.
 */
export async function extendShelfLife(db: DbOrTx, actor: Actor, cmd: ExtendShelfLifeCommand, ctx: SigningContext): Promise<ExtendShelfLifeOutcome> {
  if (!actor.roles.includes("quality_engineer")) throw new DomainError("FORBIDDEN", "Only a quality engineer of this site may extend a shelf life.");
  if (cmd.signature.meaning !== "approval") {
    throw new DomainError("VALIDATION_FAILED", 'A shelf-life extension is signed with the meaning "approval".', { meaning: cmd.signature.meaning });
  }
  const [lot] = await findLots(db, actor.siteId, { lotId: cmd.lotId });
  if (!lot) throw new DomainError("NOT_FOUND", `That lot does not exist at ${actor.siteName}.`, { lotId: cmd.lotId });
  const facts = { lotNumber: lot.lotNumber, newExpiryDate: cmd.newExpiryDate, reason: cmd.reason, testReference: cmd.testReference, now: ctx.now, timeZone: actor.timeZone };
  // bad input first, so a typo does not count as a signing attempt (a retried request is judged by its first outcome)
  if (!(await findRequest(db as Tx, actor.siteId, actor.userId, cmd.requestId))) decideShelfLifeExtension({ ...facts, currentExpiresAt: lot.expiresAt });
  const signer = await reauthenticateSigner(db, actor, { ...cmd.signature, meaning: "approval" }, { recordType: "shelf_life_extension", recordId: cmd.lotId }, ctx);
  const now = ctx.now;
  const { signature: _secret, ...payload } = cmd;
  return db.transaction(async (tx) =>
    idempotent(tx, { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "quality.extendShelfLife", payload, now }, async () => {
      const locked = (await lockLotClocks(tx, actor.siteId, [cmd.lotId])).get(cmd.lotId);
      if (!locked) throw new DomainError("NOT_FOUND", `That lot does not exist at ${actor.siteName}.`, { lotId: cmd.lotId });
      const previousExpiresAt = locked.clock.expiresAt;
      const d = decideShelfLifeExtension({ ...facts, currentExpiresAt: previousExpiresAt });
      const content = shelfLifeSignedContent({
        siteId: actor.siteId,
        lotId: cmd.lotId,
        lotNumber: locked.lotNumber,
        previousExpiresAt: previousExpiresAt!,
        newExpiresAt: d.newExpiresAt,
        reason: d.reason,
        testReference: d.testReference,
        extendedBy: actor.userId,
        extendedAt: now,
      });
      const signature = await writeSignature(tx, actor, signer, { recordType: "shelf_life_extension", recordId: cmd.lotId, content }, now);
      await recordClockEvent(tx, {
        siteId: actor.siteId,
        lotId: cmd.lotId,
        kind: "shelf_life_extended",
        occurredAt: now,
        clock: { ...locked.clock, expiresAt: d.newExpiresAt },
        actorUserId: actor.userId,
        detail: { previousExpiresAt: previousExpiresAt!.toISOString(), newExpiresAt: d.newExpiresAt.toISOString(), testReference: d.testReference, signatureId: signature.id },
        reason: d.reason,
      });
      await writeAudit(tx, {
        siteId: actor.siteId,
        actorUserId: actor.userId,
        actorName: actor.displayName,
        action: "extend_shelf_life",
        entity: "lot",
        entityId: cmd.lotId,
        oldValue: { expiresAt: previousExpiresAt!.toISOString() },
        newValue: { expiresAt: d.newExpiresAt.toISOString(), testReference: d.testReference, signatureId: signature.id },
        reason: d.reason,
        requestId: cmd.requestId,
        occurredAt: now,
      });
      const erpTold = await tellErpLotExpiry(
        tx,
        actor,
        { lotId: cmd.lotId, previousExpiresAt: previousExpiresAt!, newExpiresAt: d.newExpiresAt, reason: d.reason, testReference: d.testReference },
        cmd.requestId,
        now,
      );
      return { lotNumber: locked.lotNumber, previousExpiresAt: previousExpiresAt!.toISOString(), newExpiresAt: d.newExpiresAt.toISOString(), signatureId: signature.id, erpTold };
    }),
  );
}
