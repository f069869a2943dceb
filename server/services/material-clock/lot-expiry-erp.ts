import "server-only";
import type { Tx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { localDate } from "@/server/domain/kitting/dates";
import { sendsLotExpiry } from "@/server/domain/material-clock/shelf-life";
import { ownershipRow } from "@/server/repos/ownership";
import { partOfLot } from "@/server/repos/lot-history";
import { enqueueConfirmation, siteErpPlant, stableMessageId } from "@/server/repos/station-work";

/**
 * Tell ERP a lot's expiry changed (a shelf-life extension), in the caller's transaction, when the ownership registry
 * says ERP owns lot expiry or that it flows Traceline -> ERP (read now: a registry change under change control takes
 * effect at the next extension). The message id is derived from the request id. Returns whether it wrote one.
 */
export async function tellErpLotExpiry(
  tx: Tx,
  actor: Actor,
  e: { lotId: string; previousExpiresAt: Date; newExpiresAt: Date; reason: string; testReference: string },
  requestId: string,
  now: Date,
): Promise<boolean> {
  if (!sendsLotExpiry(await ownershipRow(tx, "lot", "expires_at"))) return false;
  const lot = await partOfLot(tx, actor.siteId, e.lotId);
  if (!lot) return false;
  await enqueueConfirmation(tx, actor.siteId, {
    messageId: stableMessageId(actor.siteId, actor.userId, requestId, "lot-expiry"),
    type: "lot_expiry",
    payload: {
      plant: await siteErpPlant(tx, actor.siteId),
      material: lot.partNumber,
      revision: lot.revision,
      batch: lot.lotNumber,
      previousExpiry: localDate(e.previousExpiresAt, actor.timeZone),
      expiry: localDate(e.newExpiresAt, actor.timeZone),
      reason: e.reason,
      testReference: e.testReference,
      postingDate: localDate(now, actor.timeZone),
    },
    at: now,
  });
  return true;
}
