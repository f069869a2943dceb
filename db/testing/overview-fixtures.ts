import { and, eq, isNull } from "drizzle-orm";
import type { Tx } from "../client";
import { erpInbox, erpOutbox, genealogyEdges } from "../schema";
import { postMovement } from "@/server/repos/ledger";

/*
 * Small fixtures for the read-side (router) tests: a component removed in rework, and ERP messages. Kept here so the
 * tests under server/api hold no queries themselves.
 */

/**
 * Take an installed lot out of a unit in rework, as a removal service will: a compensating "remove" movement from the
 * consumed location to `toLocationId`, and the genealogy edge closed with who, when, why. Returns the edge id.
 */
export async function removeInstalledLot(
  tx: Tx,
  r: { siteId: string; unitId: string; lotId: string; consumedLocationId: string; toLocationId: string; byUserId: string; reason: string; at: Date },
): Promise<string> {
  const [edge] = await tx
    .select()
    .from(genealogyEdges)
    .where(
      and(
        eq(genealogyEdges.siteId, r.siteId),
        eq(genealogyEdges.parentUnitId, r.unitId),
        eq(genealogyEdges.childLotId, r.lotId),
        isNull(genealogyEdges.removedAt),
      ),
    )
    .limit(1);
  if (!edge) throw new Error("removeInstalledLot: that lot is not installed in that unit");
  const item = { partRevisionId: edge.childPartRevisionId, lotId: r.lotId, serialItemId: null };
  const { movementId } = await postMovement(tx, {
    siteId: r.siteId,
    kind: "remove",
    actorUserId: r.byUserId,
    occurredAt: r.at,
    reason: r.reason,
    legs: [
      { ...item, locationId: r.consumedLocationId, quantity: `-${edge.quantity}` },
      { ...item, locationId: r.toLocationId, quantity: edge.quantity },
    ],
  });
  await tx
    .update(genealogyEdges)
    .set({ removedAt: r.at, removedBy: r.byUserId, removalReason: r.reason, removalMovementId: movementId })
    .where(and(eq(genealogyEdges.siteId, r.siteId), eq(genealogyEdges.id, edge.id)));
  return edge.id;
}

export type InboxFixture = {
  messageId: string;
  siteId: string | null;
  plant: string;
  status: (typeof erpInbox.$inferInsert)["status"];
  error?: unknown;
};

export async function insertInboxMessages(tx: Tx, rows: InboxFixture[]): Promise<void> {
  await tx.insert(erpInbox).values(
    rows.map((r, i) => ({
      source: "SAP-TEST",
      messageId: r.messageId,
      type: r.siteId ? "production_order" : "part",
      objectKey: `OBJ-${r.messageId}`,
      version: i + 1,
      plant: r.plant,
      siteId: r.siteId,
      occurredAt: new Date(),
      payload: {},
      payloadHash: `hash-${r.messageId}`,
      status: r.status,
      error: r.error ?? null,
    })),
  );
}

export type OutboxFixture = { siteId: string; status: (typeof erpOutbox.$inferInsert)["status"]; lastError?: string };

export async function insertOutboxMessages(tx: Tx, rows: OutboxFixture[]): Promise<void> {
  await tx.insert(erpOutbox).values(
    rows.map((r) => ({
      siteId: r.siteId,
      type: "consumption",
      payload: {},
      status: r.status,
      lastError: r.lastError ?? null,
      deliveredAt: r.status === "delivered" ? new Date() : null,
    })),
  );
}
