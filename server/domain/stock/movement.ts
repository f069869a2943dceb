import Decimal from "decimal.js";
import { DomainError } from "../shared/errors";

export type ItemKey = { partRevisionId: string; lotId: string | null; serialItemId: string | null };
/**
 * One side of a movement at one balance. `releaseReserved` (a take only) consumes that much of the balance's reservation
 * in the same update, e.g. when a kit's picks are issued.
 */
export type Leg = ItemKey & { locationId: string; quantity: string; releaseReserved?: string };

export function itemKey(k: ItemKey): string {
  return `${k.partRevisionId}|${k.lotId ?? ""}|${k.serialItemId ?? ""}`;
}

export function balanceKey(l: Leg): string {
  return `${l.locationId}|${itemKey(l)}`;
}

/**
 * Invariant 2 (double entry): for every item, a movement's legs sum to zero, and it has a source and a destination.
 * Serial legs move exactly one piece. Returns the legs in the fixed lock order (balance key), merged per key.
 */
export function validateLegs(legs: Leg[]): Leg[] {
  if (legs.length < 2) throw new DomainError("UNBALANCED_MOVEMENT", "A movement needs a source and a destination.");
  const perItem = new Map<string, Decimal>();
  const merged = new Map<string, Leg & { q: Decimal; r: Decimal }>();
  for (const leg of legs) {
    const q = new Decimal(leg.quantity);
    if (q.isZero()) throw new DomainError("UNBALANCED_MOVEMENT", "A movement leg cannot move zero.");
    if (leg.lotId && leg.serialItemId) throw new DomainError("UNBALANCED_MOVEMENT", "A leg is a lot or a serial, not both.");
    if (leg.serialItemId && !q.abs().eq(1)) throw new DomainError("UNBALANCED_MOVEMENT", "A serial moves one piece at a time.");
    const ik = itemKey(leg);
    perItem.set(ik, (perItem.get(ik) ?? new Decimal(0)).plus(q));
    const r = new Decimal(leg.releaseReserved ?? 0);
    if (r.isNegative() || (!r.isZero() && !q.isNegative())) throw new DomainError("UNBALANCED_MOVEMENT", "Only a take can release a reservation.");
    const bk = balanceKey(leg);
    const prev = merged.get(bk);
    merged.set(bk, { ...leg, q: prev ? prev.q.plus(q) : q, r: prev ? prev.r.plus(r) : r });
  }
  for (const [ik, sum] of perItem) {
    if (!sum.isZero()) throw new DomainError("UNBALANCED_MOVEMENT", `Movement legs do not balance for item ${ik}.`, { item: ik });
  }
  const out = [...merged.values()]
    .filter((l) => !l.q.isZero())
    .sort((a, b) => (balanceKey(a) < balanceKey(b) ? -1 : balanceKey(a) > balanceKey(b) ? 1 : 0))
    .map(({ q, r, ...l }) => ({ ...l, quantity: q.toFixed(), ...(r.isZero() ? {} : { releaseReserved: r.toFixed() }) }));
  if (!out.some((l) => l.quantity.startsWith("-")) || !out.some((l) => !l.quantity.startsWith("-"))) {
    throw new DomainError("UNBALANCED_MOVEMENT", "A movement needs a source and a destination.");
  }
  return out;
}
