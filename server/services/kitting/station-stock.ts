import "server-only";
import type { Tx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { parseQuantity } from "@/server/domain/shared/quantity";
import { writeAudit } from "@/server/repos/audit";
import { postMovement, type MovementKind } from "@/server/repos/ledger";
import { findPointOfUse } from "@/server/repos/kitting";

export type StockItem = { partRevisionId: string; lotId: string | null; serialItemId: string | null };

/** The quantity of a move of station stock: one for a serial, else a positive decimal of at most 6 places. */
export function moveQuantity(item: StockItem, text: string): string {
  const q = parseQuantity(text);
  if (item.serialItemId && !q.eq(1)) throw new DomainError("VALIDATION_FAILED", "A serial moves one piece at a time.", { field: "quantity" });
  if (item.lotId && item.serialItemId) throw new DomainError("VALIDATION_FAILED", "An item is a lot or a serial, not both.", {});
  return q.toFixed();
}

export async function stationPointOfUse(tx: Tx, siteId: string, stationId: string) {
  const pou = await findPointOfUse(tx, siteId, stationId);
  if (!pou) throw new DomainError("NOT_FOUND", "That station does not exist at this site, or has no point-of-use location.", { stationId });
  return pou;
}

/** One two-leg movement of station stock with its audit row. */
export async function moveStock(
  tx: Tx,
  actor: Actor,
  m: { kind: MovementKind; requestId: string; from: string; to: string; item: StockItem; quantity: string; reason: string; reference: Record<string, string>; now: Date; action: string },
): Promise<string> {
  const { movementId } = await postMovement(tx, {
    siteId: actor.siteId,
    kind: m.kind,
    requestId: m.requestId,
    actorUserId: actor.userId,
    occurredAt: m.now,
    reason: m.reason,
    reference: m.reference,
    legs: [
      { ...m.item, locationId: m.from, quantity: `-${m.quantity}` },
      { ...m.item, locationId: m.to, quantity: m.quantity },
    ],
  });
  await writeAudit(tx, {
    siteId: actor.siteId,
    actorUserId: actor.userId,
    actorName: actor.displayName,
    action: m.action,
    entity: "movement",
    entityId: movementId,
    newValue: { ...m.reference, ...m.item, quantity: m.quantity },
    reason: m.reason,
    requestId: m.requestId,
    occurredAt: m.now,
  });
  return movementId;
}

export function requireReason(reason: string): string {
  const r = reason.trim();
  if (r.length < 3) throw new DomainError("VALIDATION_FAILED", "Say why the material moves (at least a few words).", { field: "reason" });
  return r;
}
