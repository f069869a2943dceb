import "server-only";
import { and, asc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { movementLegs, movements, stockBalances, storageLocations } from "@/db/schema";
import { queryRows, type Tx } from "@/db/client";
import { DomainError } from "@/server/domain/shared/errors";
import { balanceKey, validateLegs, type Leg } from "@/server/domain/stock/movement";

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

  // 1. make sure every balance row exists (new keys start at zero)
  await tx
    .insert(stockBalances)
    .values(
      legs.map((leg) => ({
        siteId: m.siteId,
        locationId: leg.locationId,
        isPhysical: physical.get(leg.locationId)!,
        partRevisionId: leg.partRevisionId,
        lotId: leg.lotId,
        serialItemId: leg.serialItemId,
        onHand: "0",
      })),
    )
    .onConflictDoNothing();
  // 2. lock them all in one fixed global order (invariant 6): concurrent movements over the same rows queue, never deadlock
  const locked = await tx
    .select({ id: stockBalances.id, locationId: stockBalances.locationId, partRevisionId: stockBalances.partRevisionId, lotId: stockBalances.lotId, serialItemId: stockBalances.serialItemId })
    .from(stockBalances)
    .where(
      and(
        eq(stockBalances.siteId, m.siteId),
        or(
          ...legs.map((leg) =>
            and(
              eq(stockBalances.locationId, leg.locationId),
              eq(stockBalances.partRevisionId, leg.partRevisionId),
              leg.lotId ? eq(stockBalances.lotId, leg.lotId) : isNull(stockBalances.lotId),
              leg.serialItemId ? eq(stockBalances.serialItemId, leg.serialItemId) : isNull(stockBalances.serialItemId),
            ),
          ),
        ),
      ),
    )
    .orderBy(asc(stockBalances.id))
    .for("update");
  const idOf = new Map(locked.map((b) => [balanceKey({ ...b, quantity: "0" }), b.id]));
  // 3. takes before puts: a serial leaves its old place before it arrives in the new one (one place at a time)
  const takes = legs.filter((l) => l.quantity.startsWith("-"));
  const puts = legs.filter((l) => !l.quantity.startsWith("-"));
  for (const group of [takes, puts]) {
    if (group.length === 0) continue;
    const values = group.map((l) => sql`(${idOf.get(balanceKey(l))!}::uuid, ${l.quantity}::numeric, ${l.releaseReserved ?? "0"}::numeric)`);
    let updated: { id: string }[];
    try {
      updated = await queryRows<{ id: string }>(
        tx,
        sql`update stock_balances b set on_hand = b.on_hand + v.qty, reserved = b.reserved - v.release, updated_at = now()
            from (values ${sql.join(values, sql`, `)}) as v(id, qty, release)
            where b.site_id = ${m.siteId} and b.id = v.id and b.reserved >= v.release
              and (not b.is_physical or b.on_hand + v.qty >= b.reserved - v.release)
            returning b.id`,
      );
    } catch (e) {
      if (isUniqueViolation(e, "stock_balances_serial_one_place") || isCheckViolation(e, "stock_balances_serial_at_most_one")) {
        throw new DomainError("SERIAL_ALREADY_PLACED", "That serial is already somewhere else.", { serialItemId: group.find((l) => l.serialItemId)?.serialItemId ?? null });
      }
      if (isCheckViolation(e, "stock_balances_on_hand_non_negative") || isCheckViolation(e, "stock_balances_reserved_within_on_hand")) {
        throw new DomainError("INSUFFICIENT_STOCK", "Not enough stock at that location.", {});
      }
      throw e;
    }
    if (updated.length < group.length) {
      const done = new Set(updated.map((u) => u.id));
      const short = group.find((l) => !done.has(idOf.get(balanceKey(l))!))!;
      throw new DomainError("INSUFFICIENT_STOCK", "Not enough stock at that location.", {
        locationId: short.locationId,
        partRevisionId: short.partRevisionId,
        lotId: short.lotId,
        serialItemId: short.serialItemId,
        requested: short.quantity.replace("-", ""),
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

/**
 * Reserve (positive) or release (negative) a quantity of one balance, under its row lock. A reservation never exceeds
 * what is on hand (the guard, and the CHECK behind it): two clerks cannot allocate the same quantity.
 */
export async function changeReservation(
  tx: Tx,
  siteId: string,
  key: { locationId: string; partRevisionId: string; lotId: string | null; serialItemId: string | null },
  delta: string,
): Promise<{ onHand: string; reserved: string }> {
  const rows = await queryRows<{ on_hand: string; reserved: string }>(
    tx,
    sql`update stock_balances set reserved = reserved + ${delta}::numeric, updated_at = now()
        where site_id = ${siteId} and location_id = ${key.locationId} and part_revision_id = ${key.partRevisionId}
          and lot_id is not distinct from ${key.lotId}::uuid and serial_item_id is not distinct from ${key.serialItemId}::uuid
          and reserved + ${delta}::numeric >= 0 and on_hand >= reserved + ${delta}::numeric
        returning on_hand::text, reserved::text`,
  );
  if (rows.length === 0) {
    throw new DomainError(delta.startsWith("-") ? "UNBALANCED_MOVEMENT" : "INSUFFICIENT_STOCK", delta.startsWith("-") ? "That quantity is not reserved there." : "Not enough unreserved stock at that location.", { ...key, requested: delta.replace("-", "") });
  }
  return { onHand: rows[0]!.on_hand, reserved: rows[0]!.reserved };
}
