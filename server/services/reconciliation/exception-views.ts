import "server-only";
import Decimal from "decimal.js";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { signaturesOf } from "@/server/repos/quality-holds";
import { adjustmentLeg, type ExceptionRow } from "@/server/repos/recon-exceptions";
import { verifySignature, type SignatureView } from "@/server/services/quality/sign-record";
import { adjustmentSignedContent } from "./resolve-exception";

/** An adjusted exception's signature, checked against the adjustment as it stands (invalid if anything changed since). */
export async function exceptionSignature(db: DbOrTx, actor: Actor, x: ExceptionRow): Promise<(SignatureView & { location: string; quantity: string }) | null> {
  if (!x.signatureId || !x.adjustmentMovementId) return null;
  const [sig] = (await signaturesOf(db, actor.siteId, "recon_adjustment", [x.id])).filter((s) => s.id === x.signatureId);
  const leg = await adjustmentLeg(db, actor.siteId, x.adjustmentMovementId);
  if (!sig || !leg) return null;
  const quantity = new Decimal(leg.quantity).toFixed();
  const content = adjustmentSignedContent({
    siteId: x.siteId,
    exceptionId: x.id,
    itemKey: x.itemKey,
    locationId: leg.locationId,
    quantity,
    erpQuantity: x.erpQuantity ?? "0",
    tracelineQuantity: x.tracelineQuantity ?? "0",
    reason: x.resolutionReason ?? "",
    movementId: x.adjustmentMovementId,
  });
  return { ...verifySignature(sig, content), location: leg.locationCode, quantity };
}
