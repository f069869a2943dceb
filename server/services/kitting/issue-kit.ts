import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { assertReadyToIssue } from "@/server/domain/kitting/kit-rules";
import { allowedLotsFor } from "@/server/domain/kitting/lot-rules";
import { assertMaterialEligible } from "@/server/domain/material-eligibility/material-eligibility";
import { plannedUseAt } from "@/server/domain/kitting/dates";
import type { Leg } from "@/server/domain/stock/movement";
import { writeAudit } from "@/server/repos/audit";
import { postMovement } from "@/server/repos/ledger";
import { findPointOfUse, listAllowedLots, loadCandidates, loadKitLines, loadKitPicks, lockKit, markKitIssued } from "@/server/repos/kitting";
import { idempotent } from "@/server/services/shared/idempotent";
import { checkOut, isInStorage } from "@/server/domain/material-clock/material-clock";
import type { Candidate } from "@/server/domain/kitting/lot-rules";
import { locationsByIds } from "@/server/repos/material-clock";
import { applyClockMoves } from "@/server/services/material-clock/clock-moves";

/** The candidate's clock as the issue leaves it: a lot taken out of its storage starts its out-time now. */
function issuedClock(c: Candidate, now: Date): Candidate {
  if (!c.clock || c.clock.clock.startedAt !== null) return c;
  const from = { code: c.locationCode, kind: c.locationKind ?? "", storageClass: c.locationStorageClass ?? null };
  if (!isInStorage(c.clock.policy.storageClass, from)) return c;
  return { ...c, clock: { ...c.clock, clock: checkOut(c.clock.clock, now, { fromFreezer: false }) } };
}

export type IssueKitCommand = {
  requestId: string;
  kitId: string;
  /** Deliver to this station's point of use; by default the station named when the kit was created. */
  stationId?: string | null;
};
export type IssueKitOutcome = { kitId: string; kitNumber: string; movementId: string; stationId: string; stationCode: string; locationCode: string; picks: number };

/**
 * Issue a kit to a station: ONE movement whose legs take each pick from its source (consuming its reservation in the
 * same guarded update) and put it at the station's point of use; all legs or none, balances locked in a fixed order.
 * Every pick is judged again (a hold placed or a shelf life run out since it was picked stops the issue).
 */
export async function issueKit(db: DbOrTx, actor: Actor, cmd: IssueKitCommand, now: Date): Promise<IssueKitOutcome> {
  return db.transaction(async (tx) => {
    const siteId = actor.siteId;
    const kit = await lockKit(tx, siteId, cmd.kitId);
    if (!kit) throw new DomainError("NOT_FOUND", "That kit does not exist at this site.", { kitId: cmd.kitId });
    return idempotent(tx, { siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "kitting.issueKit", payload: cmd, now }, async () => {
      const stationId = cmd.stationId ?? kit.stationId;
      if (!stationId) throw new DomainError("VALIDATION_FAILED", "Choose the station the kit goes to.", { field: "stationId" });
      const pou = await findPointOfUse(tx, siteId, stationId);
      if (!pou) throw new DomainError("NOT_FOUND", "That station does not exist at this site, or has no point-of-use location.", { stationId });
      const lines = await loadKitLines(tx, siteId, kit.id);
      assertReadyToIssue(kit, lines);
      const picks = await loadKitPicks(tx, siteId, kit.id);

      const { candidates } = await loadCandidates(tx, siteId, { partRevisionIds: [...new Set(picks.map((p) => p.partRevisionId))] });
      const allowed = await listAllowedLots(tx, siteId, kit.workOrderId);
      const useAt = plannedUseAt(kit.dueDate, actor.timeZone, now);
      for (const p of picks) {
        const line = lines.find((l) => l.id === p.kitLineId)!;
        const c = candidates.find((x) => x.locationId === p.locationId && x.partRevisionId === p.partRevisionId && x.lotId === p.lotId && x.serialItemId === p.serialItemId);
        if (!c) throw new DomainError("INSUFFICIENT_STOCK", `The picked ${p.lotNumber ? `lot ${p.lotNumber}` : p.serialNumber ? `serial ${p.serialNumber}` : p.partNumber} is no longer at ${p.locationCode}.`, { pickId: p.id });
        // the issue takes a lot out of its storage: its out-time runs from now until the planned use
        assertMaterialEligible(issuedClock(c, now), {
          plannedUseAt: useAt,
          now,
          minRemainingShelfLifeDays: line.minRemainingShelfLifeDays,
          timeZone: actor.timeZone,
          allowedLotIds: allowedLotsFor({ bomLineId: line.bomLineId, partRevisionId: line.partRevisionId }, allowed),
        });
      }

      const legs: Leg[] = picks.flatMap((p) => {
        const item = { partRevisionId: p.partRevisionId, lotId: p.lotId, serialItemId: p.serialItemId };
        return [
          { ...item, locationId: p.locationId, quantity: `-${p.quantity}`, releaseReserved: p.quantity },
          { ...item, locationId: pou.locationId, quantity: p.quantity },
        ];
      });
      const { movementId } = await postMovement(tx, {
        siteId,
        kind: "kit_issue",
        requestId: cmd.requestId,
        actorUserId: actor.userId,
        occurredAt: now,
        reason: `Kit ${kit.number} issued to ${pou.stationCode}`,
        reference: { kitId: kit.id, kitNumber: kit.number, workOrderId: kit.workOrderId, workOrderNumber: kit.workOrderNumber, stationId },
        legs,
      });
      await markKitIssued(tx, siteId, kit.id, { stationId, issuedBy: actor.userId, issuedAt: now, movementId });
      // lots leaving their storage start their out-time clock (thawing, from a freezer)
      const places = await locationsByIds(tx, siteId, [...picks.map((p) => p.locationId), pou.locationId]);
      await applyClockMoves(tx, actor, {
        movementId,
        now,
        moves: picks.map((p) => ({ lotId: p.lotId, from: places.get(p.locationId)!, to: places.get(pou.locationId)! })),
      });
      await writeAudit(tx, {
        siteId,
        actorUserId: actor.userId,
        actorName: actor.displayName,
        action: "kit.issue",
        entity: "kit",
        entityId: kit.id,
        oldValue: { status: kit.status },
        newValue: { status: "issued", station: pou.stationCode, location: pou.locationCode, movementId, picks: picks.length },
        requestId: cmd.requestId,
        occurredAt: now,
      });
      return { kitId: kit.id, kitNumber: kit.number, movementId, stationId, stationCode: pou.stationCode, locationCode: pou.locationCode, picks: picks.length };
    });
  });
}
