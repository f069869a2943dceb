import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { movementLegs, movements, stockBalances, storageLocations } from "@/db/schema";
import type { Tx } from "@/db/client";
import { DomainError } from "@/server/domain/shared/errors";
import { validateLegs, type Leg } from "@/server/domain/stock/movement";

export type MovementKind = (typeof movements.$inferInsert)["kind"];

export type PostMovement = {
  siteId: string;
  kind: MovementKind;
  requestId?: string | null;
  actorUserId?: string | null;
  occurredAt: Date;
  reason?: string | null;
  reference?: Record<string, string>;
  legs: Leg[];
};

/**
 * Post one movement to the double-entry ledger and project it onto balances, inside the caller's transaction.
 * Balances are created if missing, then changed by a guarded UPDATE in a fixed key order (invariant 6), so two
 * movements over the same balances never deadlock and a physical on-hand never goes below zero (invariant 4;
 * the CHECK constraint is the backstop).
 */
export async function postMovement(outer: Tx, m: PostMovement): Promise<{ movementId: string }> {
  const legs = validateLegs(m.legs);
  // A savepoint: a refused leg undoes the legs already projected, even if the caller catches the error and goes on.
  return outer.transaction((tx) => postLegs(tx, m, legs));
}

async function postLegs(tx: Tx, m: PostMovement, legs: Leg[]): Promise<{ movementId: string }> {
  const locationIds = [...new Set(legs.map((l) => l.locationId))];
  const locs = await tx
    .select({ id: storageLocations.id, isPhysical: storageLocations.isPhysical })
    .from(storageLocations)
    .where(and(eq(storageLocations.siteId, m.siteId), inArray(storageLocations.id, locationIds)));
  const physical = new Map(locs.map((l) => [l.id, l.isPhysical]));
  for (const id of locationIds) {
    if (!physical.has(id)) throw new DomainError("NOT_FOUND", "That location does not exist at this site.", { locationId: id });
  }

  for (const leg of legs) {
    const isPhysical = physical.get(leg.locationId)!;
    await tx
      .insert(stockBalances)
      .values({
        siteId: m.siteId,
        locationId: leg.locationId,
        isPhysical,
        partRevisionId: leg.partRevisionId,
        lotId: leg.lotId,
        serialItemId: leg.serialItemId,
        onHand: "0",
      })
      .onConflictDoNothing();
  }
  for (const leg of legs) {
    const keyMatch = and(
      eq(stockBalances.siteId, m.siteId),
      eq(stockBalances.locationId, leg.locationId),
      eq(stockBalances.partRevisionId, leg.partRevisionId),
      leg.lotId ? eq(stockBalances.lotId, leg.lotId) : sql`${stockBalances.lotId} is null`,
      leg.serialItemId ? eq(stockBalances.serialItemId, leg.serialItemId) : sql`${stockBalances.serialItemId} is null`,
    );
    let updated: { onHand: string }[];
    try {
      updated = await tx
        .update(stockBalances)
        .set({ onHand: sql`${stockBalances.onHand} + ${leg.quantity}::numeric`, updatedAt: sql`now()` })
        .where(and(keyMatch, sql`(not ${stockBalances.isPhysical} or ${stockBalances.onHand} + ${leg.quantity}::numeric >= ${stockBalances.reserved})`))
        .returning({ onHand: stockBalances.onHand });
    } catch (e) {
      if (isUniqueViolation(e, "stock_balances_serial_one_place") || isCheckViolation(e, "stock_balances_serial_at_most_one")) {
        throw new DomainError("SERIAL_ALREADY_PLACED", "That serial is already somewhere else.", { serialItemId: leg.serialItemId });
      }
      if (isCheckViolation(e, "stock_balances_on_hand_non_negative") || isCheckViolation(e, "stock_balances_reserved_within_on_hand")) {
        throw new DomainError("INSUFFICIENT_STOCK", "Not enough stock at that location.", { locationId: leg.locationId });
      }
      throw e;
    }
    if (updated.length === 0) {
      throw new DomainError("INSUFFICIENT_STOCK", "Not enough stock at that location.", {
        locationId: leg.locationId,
        partRevisionId: leg.partRevisionId,
        lotId: leg.lotId,
        serialItemId: leg.serialItemId,
        requested: leg.quantity.replace("-", ""),
      });
    }
  }

  const [movement] = await tx
    .insert(movements)
    .values({
      siteId: m.siteId,
      kind: m.kind,
      requestId: m.requestId ?? null,
      actorUserId: m.actorUserId ?? null,
      occurredAt: m.occurredAt,
      reason: m.reason ?? null,
      reference: m.reference ?? {},
    })
    .returning({ id: movements.id });
  await tx.insert(movementLegs).values(
    legs.map((l) => ({
      siteId: m.siteId,
      movementId: movement!.id,
      locationId: l.locationId,
      partRevisionId: l.partRevisionId,
      lotId: l.lotId,
      serialItemId: l.serialItemId,
      quantity: l.quantity,
    })),
  );
  return { movementId: movement!.id };
}

function pgError(e: unknown): { code?: string; constraint?: string } {
  const err = ((e as { cause?: unknown })?.cause ?? e) as { code?: string; constraint_name?: string; constraint?: string };
  return { code: err?.code, constraint: err?.constraint_name ?? err?.constraint };
}

export function isCheckViolation(e: unknown, constraint: string): boolean {
  const { code, constraint: name } = pgError(e);
  return code === "23514" && name === constraint;
}

/** True when a driver error is a unique violation of the named constraint (postgres-js and PGlite both carry these fields). */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const { code, constraint: name } = pgError(e);
  return code === "23505" && (!constraint || name === constraint);
}
