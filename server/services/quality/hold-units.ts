import "server-only";
import { randomUUID } from "node:crypto";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { holdSignedContent } from "@/server/domain/quality/signature";
import { writeAudit } from "@/server/repos/audit";
import { insertHold, serialHoldTargets } from "@/server/repos/quality-holds";
import { idempotent } from "@/server/services/shared/idempotent";
import { confirmHoldStatus } from "./hold-status";
import { holdReason, requireQualityEngineer } from "./place-hold";
import { reauthenticateSigner, writeSignatures, type SignatureMethod, type SigningContext } from "./sign-record";

export type HoldUnitsCommand = {
  requestId: string;
  /** the serials of the units selected on where-used */
  serialItemIds: string[];
  reason: string;
  signature: { method: SignatureMethod; secret: string; meaning: string };
};

export type HoldUnitsOutcome = {
  /** one hold per unit, in the order of the serial numbers */
  holds: { holdId: string; signatureId: string; serialItemId: string; targetLabel: string }[];
  /** units that were already on a hold of their own serial: left as they are */
  alreadyHeld: string[];
};

export const MAX_BULK_UNITS = 500;

/**
 * Bulk hold from where-used: every selected unit (its serial) is put on hold for one reason, signed once (one
 * re-authentication, meaning "hold") and recorded as one hold per unit, each with its own signature bound to its own
 * content, audit row and (when the registry sends hold status to ERP) confirmation, all in one transaction. A unit
 * already held by a hold on its own serial is skipped and reported. Unknown serials (or another site's) refuse the
 * whole command; nothing is written.
 */
export async function holdUnits(db: DbOrTx, actor: Actor, cmd: HoldUnitsCommand, ctx: SigningContext): Promise<HoldUnitsOutcome> {
  requireQualityEngineer(actor);
  const reason = holdReason(cmd.reason, "hold");
  if (cmd.signature.meaning !== "hold") {
    throw new DomainError("VALIDATION_FAILED", 'Placing a hold is signed with the meaning "hold".', { meaning: cmd.signature.meaning });
  }
  const ids = [...new Set(cmd.serialItemIds)];
  if (ids.length === 0) throw new DomainError("VALIDATION_FAILED", "Select the units to hold.");
  if (ids.length > MAX_BULK_UNITS) throw new DomainError("VALIDATION_FAILED", `Hold at most ${MAX_BULK_UNITS} units at once.`, { selected: ids.length });
  await resolveUnits(db, actor, ids);
  const signer = await reauthenticateSigner(db, actor, { ...cmd.signature, meaning: "hold" }, { recordType: "hold", recordId: null }, ctx);
  const now = ctx.now;
  return db.transaction(async (tx) =>
    idempotent(
      tx,
      { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "quality.holdUnits", payload: { serialItemIds: [...ids].sort(), reason }, now },
      async (): Promise<HoldUnitsOutcome> => {
        const units = await resolveUnits(tx, actor, ids);
        const toHold = units.filter((u) => !u.alreadyHeld);
        const holds = toHold.map((u) => ({
          siteId: actor.siteId,
          id: randomUUID(),
          targetType: "serial" as const,
          targetId: u.serialItemId,
          reason,
          placedBy: actor.userId,
          placedAt: now,
          releasedBy: null,
          releasedAt: null,
          releaseReason: null,
        }));
        const signatures = await writeSignatures(
          tx,
          actor,
          signer,
          holds.map((h) => ({ recordType: "hold", recordId: h.id, content: holdSignedContent(h, "hold") })),
          now,
        );
        const out: HoldUnitsOutcome["holds"] = [];
        for (const [i, hold] of holds.entries()) {
          const signature = signatures[i]!;
          const unit = toHold[i]!;
          await insertHold(tx, { ...hold, placedSignatureId: signature.id });
          await writeAudit(tx, {
            siteId: actor.siteId,
            actorUserId: actor.userId,
            actorName: actor.displayName,
            action: "place_hold",
            entity: "hold",
            entityId: hold.id,
            newValue: { targetType: "serial", targetId: hold.targetId, target: unit.label, reason, signatureId: signature.id, bulk: true },
            reason,
            requestId: cmd.requestId,
            occurredAt: now,
          });
          await confirmHoldStatus(tx, actor, { action: "placed", holdId: hold.id, targetType: "serial", targetId: hold.targetId, reason }, `${cmd.requestId}:${i}`, now);
          out.push({ holdId: hold.id, signatureId: signature.id, serialItemId: unit.serialItemId, targetLabel: unit.label });
        }
        return { holds: out, alreadyHeld: units.filter((u) => u.alreadyHeld).map((u) => u.label) };
      },
    ),
  );
}

async function resolveUnits(db: DbOrTx, actor: Actor, ids: string[]) {
  const found = await serialHoldTargets(db, actor.siteId, ids);
  const missing = ids.filter((id) => !found.some((f) => f.serialItemId === id));
  if (missing.length > 0) {
    throw new DomainError("NOT_FOUND", `${missing.length === 1 ? "One selected unit does" : `${missing.length} selected units do`} not exist at ${actor.siteName}. Reload where-used and select again.`, {
      missing,
    });
  }
  return found;
}
