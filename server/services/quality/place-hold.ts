import "server-only";
import { randomUUID } from "node:crypto";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { holdSignedContent } from "@/server/domain/quality/signature";
import { writeAudit } from "@/server/repos/audit";
import { findHoldTargets, insertHold, type HoldTargetQuery, type ResolvedTarget } from "@/server/repos/quality-holds";
import { lockHoldTarget } from "@/server/repos/hold-locks";
import { idempotent } from "@/server/services/shared/idempotent";
import { timeRecorded } from "@/server/services/shared/recorded-time";
import { confirmHoldStatus } from "./hold-status";
import { reauthenticateSigner, writeSignature, type SignatureMethod, type SigningContext } from "./sign-record";

export type PlaceHoldCommand = {
  requestId: string;
  target: HoldTargetQuery;
  reason: string;
  /** The signer's password or PIN, and the meaning chosen (must be "hold"). */
  signature: { method: SignatureMethod; secret: string; meaning: string };
};

export type PlaceHoldOutcome = { holdId: string; signatureId: string; targetType: string; targetLabel: string };

export const MAX_REASON = 1000;

const TARGET_WORDS: Record<HoldTargetQuery["kind"], (q: HoldTargetQuery) => string> = {
  lot: (q) => `Lot ${"lotNumber" in q ? q.lotNumber : ""}`,
  serial: (q) => `Serial ${"serialNumber" in q ? q.serialNumber : ""}`,
  part_revision: (q) => ("revision" in q ? `Part ${q.partNumber} rev ${q.revision}` : "That part revision"),
  manufacturer: (q) => `Manufacturer ${"code" in q ? q.code : ""}`,
  supplier: (q) => `Supplier ${"code" in q ? q.code : ""}`,
};

export function requireQualityEngineer(actor: Actor): void {
  if (!actor.roles.includes("quality_engineer")) {
    throw new DomainError("FORBIDDEN", "Only a quality engineer of this site may place or release holds.");
  }
}

/** The reason, trimmed; refused when empty or too long. */
export function holdReason(reason: string, what: "hold" | "release"): string {
  const r = reason.trim();
  if (!r) throw new DomainError("VALIDATION_FAILED", what === "hold" ? "Say why the material is held." : "Say why the hold is released.");
  if (r.length > MAX_REASON) throw new DomainError("VALIDATION_FAILED", `The reason is too long (at most ${MAX_REASON} characters).`);
  return r;
}

async function resolveTarget(db: DbOrTx, actor: Actor, q: HoldTargetQuery): Promise<ResolvedTarget> {
  const found = await findHoldTargets(db, actor.siteId, q);
  const words = TARGET_WORDS[q.kind](q).trim();
  const first = found[0];
  if (!first) {
    const where = q.kind === "lot" || q.kind === "serial" ? ` at ${actor.siteName}` : "";
    throw new DomainError("NOT_FOUND", `${words} does not exist${where}.`, { target: q });
  }
  if (found.length > 1) {
    throw new DomainError("VALIDATION_FAILED", `${words} exists for several parts (${found.map((f) => f.label).join("; ")}): give the part number too.`, {
      candidates: found.map((f) => f.label),
    });
  }
  return first;
}

/**
 * Place a quality hold on a lot, serial, part revision, manufacturer or supplier, signed (meaning "hold") in the same
 * transaction as the hold and its audit row (and, when the ownership registry sends hold status to ERP, its
 * confirmation). From the commit on, kitting and consumption refuse the material (server/repos/hold-flags.ts).
 * Refusals change nothing (a wrong password is only counted and audited).
 */
export async function placeHold(db: DbOrTx, actor: Actor, cmd: PlaceHoldCommand, ctx: SigningContext): Promise<PlaceHoldOutcome> {
  requireQualityEngineer(actor);
  const reason = holdReason(cmd.reason, "hold");
  if (cmd.signature.meaning !== "hold") {
    throw new DomainError("VALIDATION_FAILED", 'Placing a hold is signed with the meaning "hold".', { meaning: cmd.signature.meaning });
  }
  // Bad input first, so a typo in the lot number does not count as a signing attempt.
  await resolveTarget(db, actor, cmd.target);
  const signer = await reauthenticateSigner(db, actor, { ...cmd.signature, meaning: "hold" }, { recordType: "hold", recordId: null }, ctx);
  return db.transaction(async (tx) =>
    idempotent(
      tx,
      { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "quality.placeHold", payload: { target: cmd.target, reason }, now: ctx.now },
      async (): Promise<PlaceHoldOutcome> => {
        const target = await resolveTarget(tx, actor, cmd.target);
        // Installs of the material hold its key shared until they commit: the hold waits for them, then its time is read
        // (server/repos/hold-locks.ts). An install that starts later sees the hold.
        const lockedAt = await lockHoldTarget(tx, actor.siteId, target.targetType, target.targetId);
        const now = timeRecorded(ctx.recordAt ?? ctx.now, lockedAt);
        const hold = {
          siteId: actor.siteId,
          id: randomUUID(),
          targetType: target.targetType,
          targetId: target.targetId,
          reason,
          placedBy: actor.userId,
          placedAt: now,
          releasedBy: null,
          releasedAt: null,
          releaseReason: null,
        };
        const signature = await writeSignature(tx, actor, signer, { recordType: "hold", recordId: hold.id, content: holdSignedContent(hold, "hold") }, now);
        await insertHold(tx, { ...hold, placedSignatureId: signature.id });
        await writeAudit(tx, {
          siteId: actor.siteId,
          actorUserId: actor.userId,
          actorName: actor.displayName,
          action: "place_hold",
          entity: "hold",
          entityId: hold.id,
          newValue: { targetType: hold.targetType, targetId: hold.targetId, target: target.label, reason, signatureId: signature.id },
          reason,
          requestId: cmd.requestId,
          occurredAt: now,
        });
        await confirmHoldStatus(tx, actor, { action: "placed", holdId: hold.id, targetType: hold.targetType, targetId: hold.targetId, reason }, cmd.requestId, now);
        return { holdId: hold.id, signatureId: signature.id, targetType: target.targetType, targetLabel: target.label };
      },
    ),
  );
}
