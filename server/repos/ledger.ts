import "server-only";
import { randomUUID } from "node:crypto";
import Decimal from "decimal.js";
import { sql, type SQL } from "drizzle-orm";
import type { movements } from "@/db/schema";
import { queryRows, type Tx } from "@/db/client";
import { DomainError } from "@/server/domain/shared/errors";
import { balanceKey, validateLegs, type Leg } from "@/server/domain/stock/movement";

export type MovementKind = (typeof movements.$inferInsert)["kind"];

export type PostMovement = {
  /** the movement's id when the caller needs it before the movement is written (default: a new one) */
  id?: string;
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
 * Post one movement to the double-entry ledger and project it onto balances, inside the caller's transaction, in one
 * statement (three the first time a balance key is used): lock the movement's balance rows in one fixed global order
 * (invariant 6: two movements over the same balances queue, never deadlock), apply the takes under a guard that keeps a
 * physical on-hand at or above its reservation (invariant 4; the CHECK constraint is the backstop), then the puts (a
 * serial leaves its old place before it arrives in the new one), then insert the movement and its legs. A short take
 * changes nothing and is answered INSUFFICIENT_STOCK; the caller's transaction stays usable. A constraint violation
 * (e.g. a serial already placed) aborts the caller's transaction: callers that want to go on use their own savepoint.
 * `andThen`: more data-modifying CTEs for the same statement, written only with the movement: they select from `mv`
 * (the movement's id: one row, or none when the movement was not written), e.g. an install's edge and audit row.
 */
export async function postMovement(tx: Tx, m: PostMovement, opts: { andThen?: SQL } = {}): Promise<{ movementId: string }> {
  const legs = validateLegs(m.legs);
  const movementId = m.id ?? randomUUID();
  let result = await applyLegs(tx, m, legs, movementId, opts.andThen);
  if (result.locked < legs.length) {
    // A balance key seen for the first time. The statement above locked nothing (it locks only when every key exists):
    // holding some rows while waiting to create another, which a concurrent movement may have created and be holding,
    // is the deadlock of invariant 6. So: create the missing keys at zero (only at this site's locations), in one fixed
    // key order and with no balance row of this movement locked, then lock them all in id order and post.
    const created = await createMissingBalances(tx, m.siteId, legs);
    if (created < legs.length) throw new DomainError("NOT_FOUND", "That location does not exist at this site.", {});
    result = await applyLegs(tx, m, legs, movementId, opts.andThen);
  }
  const takes = legs.filter((l) => l.quantity.startsWith("-")).length;
  if (result.took < takes || result.put < legs.length - takes || !result.movementId) throw await shortLeg(tx, m.siteId, legs);
  return { movementId };
}

type Applied = { locked: number; took: number; put: number; movementId: string | null };

/** The balance rows (alias `b`) of these legs: one predicate per key (index lookups), a null lot or serial matched as null. */
function legKeys(siteId: string, legs: Leg[]) {
  return sql`b.site_id = ${siteId}::uuid and (${sql.join(
    legs.map(
      (l) =>
        sql`(b.location_id = ${l.locationId}::uuid and b.part_revision_id = ${l.partRevisionId}::uuid and ${l.lotId ? sql`b.lot_id = ${l.lotId}::uuid` : sql`b.lot_id is null`} and ${
          l.serialItemId ? sql`b.serial_item_id = ${l.serialItemId}::uuid` : sql`b.serial_item_id is null`
        })`,
    ),
    sql` or `,
  )})`;
}

function legValues(legs: Leg[]) {
  return sql.join(
    legs.map(
      (l) =>
        sql`(${l.locationId}::uuid, ${l.partRevisionId}::uuid, ${l.lotId}::uuid, ${l.serialItemId}::uuid, ${l.quantity}::numeric, ${l.releaseReserved ?? "0"}::numeric, ${l.quantity.startsWith("-")}::boolean)`,
    ),
    sql`, `,
  );
}

async function applyLegs(tx: Tx, m: PostMovement, legs: Leg[], movementId: string, andThen: SQL | undefined): Promise<Applied> {
  const takes = legs.filter((l) => l.quantity.startsWith("-")).length;
  const puts = legs.length - takes;
  try {
    const [row] = await queryRows<{ locked: number; took: number; put: number; movement_id: string | null }>(
      tx,
      sql`with v (location_id, part_revision_id, lot_id, serial_item_id, qty, release, take) as (values ${legValues(legs)}),
          present as materialized (select count(*) as n from stock_balances b where ${legKeys(m.siteId, legs)}),
          locked as materialized (
            select b.id, b.location_id, b.part_revision_id, b.lot_id, b.serial_item_id from stock_balances b
            where ${legKeys(m.siteId, legs)} and (select n from present) = ${legs.length} order by b.id for update),
          keyed as materialized (
            select l.id, v.qty, v.release, v.take from locked l join v on v.location_id = l.location_id and v.part_revision_id = l.part_revision_id
              and v.lot_id is not distinct from l.lot_id and v.serial_item_id is not distinct from l.serial_item_id),
          took as (
            update stock_balances b set on_hand = b.on_hand + k.qty, reserved = b.reserved - k.release, updated_at = now()
            from keyed k
            where (select count(*) from locked) = ${legs.length} and k.take and b.site_id = ${m.siteId}::uuid and b.id = k.id
              and b.reserved >= k.release and (not b.is_physical or b.on_hand + k.qty >= b.reserved - k.release)
            returning b.id),
          put as (
            update stock_balances b set on_hand = b.on_hand + k.qty, updated_at = now()
            from keyed k
            where (select count(*) from took) = ${takes} and not k.take and b.site_id = ${m.siteId}::uuid and b.id = k.id
            returning b.id),
          mv as (
            insert into movements (id, site_id, kind, request_id, actor_user_id, occurred_at, reason, reference)
            select ${movementId}::uuid, ${m.siteId}::uuid, ${m.kind}::movement_kind, ${m.requestId ?? null}::uuid, ${m.actorUserId ?? null}::uuid,
                   ${m.occurredAt.toISOString()}::timestamptz, ${m.reason ?? null}, ${JSON.stringify(m.reference ?? {})}::jsonb
            where (select count(*) from put) = ${puts}
            returning id),
          legs as (
            insert into movement_legs (site_id, movement_id, location_id, part_revision_id, lot_id, serial_item_id, quantity)
            select ${m.siteId}::uuid, mv.id, v.location_id, v.part_revision_id, v.lot_id, v.serial_item_id, v.qty from mv cross join v)
          ${andThen ? sql`, ${andThen}` : sql``}
          select (select count(*) from locked)::int as locked, (select count(*) from took)::int as took,
                 (select count(*) from put)::int as put, (select id from mv) as movement_id`,
    );
    return { locked: row!.locked, took: row!.took, put: row!.put, movementId: row!.movement_id };
  } catch (e) {
    if (isUniqueViolation(e, "stock_balances_serial_one_place") || isCheckViolation(e, "stock_balances_serial_at_most_one")) {
      throw new DomainError("SERIAL_ALREADY_PLACED", "That serial is already somewhere else.", { serialItemId: legs.find((l) => l.serialItemId)?.serialItemId ?? null });
    }
    if (isCheckViolation(e, "stock_balances_on_hand_non_negative") || isCheckViolation(e, "stock_balances_reserved_within_on_hand")) {
      throw new DomainError("INSUFFICIENT_STOCK", "Not enough stock at that location.", {});
    }
    throw e;
  }
}

/** Create the legs' missing balance rows at zero, at this site's locations only; how many of the keys exist now. */
async function createMissingBalances(tx: Tx, siteId: string, legs: Leg[]): Promise<number> {
  await queryRows(
    tx,
    sql`insert into stock_balances (site_id, location_id, is_physical, part_revision_id, lot_id, serial_item_id, on_hand)
        select ${siteId}::uuid, v.location_id, l.is_physical, v.part_revision_id, v.lot_id, v.serial_item_id, 0
        from (values ${legValues(legs)}) as v (location_id, part_revision_id, lot_id, serial_item_id, qty, release, take)
        join storage_locations l on l.site_id = ${siteId}::uuid and l.id = v.location_id
        order by v.location_id, v.part_revision_id, v.lot_id nulls first, v.serial_item_id nulls first
        on conflict do nothing`,
  );
  const [row] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from stock_balances b where ${legKeys(siteId, legs)}`);
  return row?.n ?? 0;
}

/** The take that found too little (read after the guarded update changed nothing), as the refusal's details. */
async function shortLeg(tx: Tx, siteId: string, legs: Leg[]): Promise<DomainError> {
  const takes = legs.filter((l) => l.quantity.startsWith("-"));
  const rows = await queryRows<{ location_id: string; part_revision_id: string; lot_id: string | null; serial_item_id: string | null; on_hand: string; reserved: string; is_physical: boolean }>(
    tx,
    sql`select location_id, part_revision_id, lot_id, serial_item_id, on_hand::text, reserved::text, is_physical from stock_balances b where ${legKeys(siteId, takes)}`,
  );
  const byKey = new Map(rows.map((r) => [balanceKey({ locationId: r.location_id, partRevisionId: r.part_revision_id, lotId: r.lot_id, serialItemId: r.serial_item_id, quantity: "0" }), r]));
  const short =
    takes.find((l) => {
      const b = byKey.get(balanceKey(l));
      if (!b) return true;
      const release = new Decimal(l.releaseReserved ?? 0);
      const reserved = new Decimal(b.reserved);
      return reserved.lt(release) || (b.is_physical && new Decimal(b.on_hand).plus(l.quantity).lt(reserved.minus(release)));
    }) ?? takes[0]!;
  return new DomainError("INSUFFICIENT_STOCK", "Not enough stock at that location.", {
    locationId: short.locationId,
    partRevisionId: short.partRevisionId,
    lotId: short.lotId,
    serialItemId: short.serialItemId,
    requested: short.quantity.replace("-", ""),
  });
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
