import "server-only";
import type { Tx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { localDate } from "@/server/domain/kitting/dates";
import { holdStatusPayload, sendsHoldStatus } from "@/server/domain/quality/hold-status";
import { ownershipRow } from "@/server/repos/ownership";
import { holdTargetFacts, type HoldTargetType } from "@/server/repos/quality-holds";
import { enqueueConfirmation, siteErpPlant, stableMessageId } from "@/server/repos/station-work";

/**
 * Tell ERP a hold was placed or released, in the caller's transaction, when the ownership registry says hold status
 * flows Traceline -> ERP (read now, so a registry change under change control takes effect at the next hold). The
 * message id is derived from the request id: a retried request names the same message. Returns whether it wrote one.
 */
export async function confirmHoldStatus(
  tx: Tx,
  actor: Actor,
  h: { action: "placed" | "released"; holdId: string; targetType: HoldTargetType; targetId: string; reason: string; releaseReason?: string },
  requestId: string,
  now: Date,
): Promise<boolean> {
  if (!sendsHoldStatus(await ownershipRow(tx, "hold", "status"))) return false;
  const target = { type: h.targetType, ...(await holdTargetFacts(tx, actor.siteId, h.targetType, h.targetId)) };
  const payload = holdStatusPayload(h.action, { id: h.holdId, reason: h.reason }, target, {
    plant: await siteErpPlant(tx, actor.siteId),
    postingDate: localDate(now, actor.timeZone),
    ...(h.releaseReason !== undefined ? { releaseReason: h.releaseReason } : {}),
  });
  await enqueueConfirmation(tx, actor.siteId, { messageId: stableMessageId(actor.siteId, actor.userId, requestId, `hold-${h.action}`), type: "hold_status", payload, at: now });
  return true;
}
