import "server-only";
import type { Tx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import {
  checkIn,
  checkOut,
  clockTransition,
  clockSummary,
  clockView,
  isInStorage,
  providedClass,
  type ClockSummary,
  type LocationForStorage,
} from "@/server/domain/material-clock/material-clock";
import { lockLotClocks, recordClockEvent } from "@/server/repos/material-clock";

export type ClockChange = { lotId: string; lotNumber: string; event: "check_out" | "check_in"; clock: ClockSummary };

/**
 * After a movement of lots between physical locations (in the same transaction, after postMovement): each lot that
 * left its storage starts its out-time clock (and thawing, from a freezer); a lot whose stock on the floor is all back
 * in storage stops it. The lot rows are locked last (after the balances), in id order. Returns what changed.
 */
export async function applyClockMoves(
  tx: Tx,
  actor: Pick<Actor, "siteId" | "userId">,
  m: { movementId: string; now: Date; moves: { lotId: string | null; from: LocationForStorage & { id: string }; to: LocationForStorage & { id: string } }[] },
): Promise<ClockChange[]> {
  const moves = m.moves.filter((x): x is typeof x & { lotId: string } => x.lotId !== null);
  if (moves.length === 0) return [];
  const lots = await lockLotClocks(tx, actor.siteId, moves.map((x) => x.lotId));
  const changes: ClockChange[] = [];
  const done = new Set<string>();
  for (const move of moves) {
    const lot = lots.get(move.lotId);
    if (!lot || done.has(lot.lotId)) continue;
    done.add(lot.lotId);
    const cls = lot.policy.storageClass;
    const places = lot.places.map((p) => ({ code: p.code, kind: p.kind, storageClass: p.storageClass }));
    const transition = clockTransition(cls, {
      running: lot.clock.startedAt !== null,
      fromInStorage: isInStorage(cls, move.from),
      allInStorageAfter: places.length > 0 && places.every((p) => isInStorage(cls, p)),
    });
    if (!transition) continue;
    const fromFreezer = providedClass(move.from) === "freezer";
    const clock = transition === "check_out" ? checkOut(lot.clock, m.now, { fromFreezer }) : checkIn(lot.clock, m.now);
    await recordClockEvent(tx, {
      siteId: actor.siteId,
      lotId: lot.lotId,
      kind: transition,
      occurredAt: m.now,
      clock,
      fromLocationId: move.from.id,
      toLocationId: move.to.id,
      movementId: m.movementId,
      actorUserId: actor.userId,
      thawStarted: transition === "check_out" && fromFreezer,
    });
    changes.push({ lotId: lot.lotId, lotNumber: lot.lotNumber, event: transition, clock: clockSummary(clockView(clock, lot.policy, m.now)) });
  }
  return changes;
}
