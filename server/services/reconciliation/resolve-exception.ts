import "server-only";
import Decimal from "decimal.js";
import type { DbOrTx, Tx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { exceptionLabel, reasonProblem, resolutionsFor, type StockCorrectionPayload } from "@/server/domain/reconciliation/categories";
import type { Signable } from "@/server/domain/quality/signature";
import { writeAudit } from "@/server/repos/audit";
import { postMovement } from "@/server/repos/ledger";
import { changeException, findException, freeStockOf, lockException, type ExceptionRow } from "@/server/repos/recon-exceptions";
import { enqueueConfirmation, findLocationOfSite, firstLocationOfKind, siteErpPlant, stableMessageId } from "@/server/repos/station-work";
import { idempotent } from "@/server/services/shared/idempotent";
import { postingDate } from "@/server/services/station/station-shared";
import { reauthenticateSigner, writeSignature, type SignatureMethod, type SigningContext } from "@/server/services/quality/sign-record";

/*
 * Resolving a reconciliation exception, each in one transaction with its request id, the exception row locked, and an
 * audit row: mark it under investigation; accept it with a reason; ask ERP to correct its figure (a `stock_correction`
 * message in the outbox, delivered by the confirmation worker; the exception waits under investigation until a run
 * finds the difference gone); or post a signed adjustment (meaning "approval", re-authentication, bound to the
 * adjustment's content) through the ledger's one posting path, bringing the floor to ERP's figure: the virtual
 * erp_supply location is the other leg, so every invariant and checker holds.
 */

export const RESOLVE_ROLES = ["supervisor", "quality_engineer", "kitting_clerk", "admin"] as const;

function requireResolver(actor: Actor): void {
  if (!actor.roles.some((r) => (RESOLVE_ROLES as readonly string[]).includes(r))) {
    throw new DomainError("FORBIDDEN", "Only a supervisor, quality engineer, kitting clerk or administrator of this site may work on reconciliation exceptions.");
  }
}

function requireReason(reason: string): string {
  const problem = reasonProblem(reason);
  if (problem) throw new DomainError("VALIDATION_FAILED", problem, { field: "reason" });
  return reason.trim();
}

async function lockLive(tx: Tx, actor: Actor, exceptionId: string): Promise<ExceptionRow> {
  const x = await lockException(tx, actor.siteId, exceptionId);
  if (!x) throw new DomainError("NOT_FOUND", "That reconciliation exception does not exist at this site.");
  if (x.status === "resolved" || x.status === "accepted") {
    throw new DomainError("RECON_EXCEPTION_CLOSED", `${exceptionLabel(x.number)} is already ${x.status}.`, { status: x.status });
  }
  return x;
}

function audit(tx: Tx, actor: Actor, x: ExceptionRow, action: string, newValue: Record<string, unknown>, reason: string, requestId: string, now: Date) {
  return writeAudit(tx, {
    siteId: actor.siteId,
    actorUserId: actor.userId,
    actorName: actor.displayName,
    action,
    entity: "recon_exception",
    entityId: x.id,
    oldValue: { status: x.status, resolution: x.resolution },
    newValue,
    reason,
    requestId,
    occurredAt: now,
  });
}

export type ResolveCommand = { requestId: string; exceptionId: string; reason: string };
export type ResolveOutcome = { exceptionId: string; number: number; status: string; resolution: string | null; movementId?: string; signatureId?: string; messageId?: string };

/** Someone is working on it: open -> investigating, with a note. */
export async function investigateException(db: DbOrTx, actor: Actor, cmd: ResolveCommand, now: Date): Promise<ResolveOutcome> {
  requireResolver(actor);
  const reason = requireReason(cmd.reason);
  return db.transaction(async (tx) => {
    const x = await lockLive(tx, actor, cmd.exceptionId);
    return idempotent(tx, { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "recon.investigate", payload: { id: x.id, reason }, now }, async () => {
      await changeException(tx, actor.siteId, x.id, { status: "investigating", resolution: x.resolution as "correction_requested" | null, reason, userId: actor.userId, at: now });
      await audit(tx, actor, x, "investigate_recon_exception", { status: "investigating" }, reason, cmd.requestId, now);
      return { exceptionId: x.id, number: x.number, status: "investigating", resolution: x.resolution };
    });
  });
}

/** Accept the difference as it is, with a reason (closed as accepted; the same difference is not raised again). */
export async function acceptException(db: DbOrTx, actor: Actor, cmd: ResolveCommand, now: Date): Promise<ResolveOutcome> {
  requireResolver(actor);
  const reason = requireReason(cmd.reason);
  return db.transaction(async (tx) => {
    const x = await lockLive(tx, actor, cmd.exceptionId);
    return idempotent(tx, { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "recon.accept", payload: { id: x.id, reason }, now }, async () => {
      await changeException(tx, actor.siteId, x.id, { status: "accepted", resolution: "accepted", reason, userId: actor.userId, at: now });
      await audit(tx, actor, x, "accept_recon_exception", { status: "accepted", resolution: "accepted" }, reason, cmd.requestId, now);
      return { exceptionId: x.id, number: x.number, status: "accepted", resolution: "accepted" };
    });
  });
}

/** Ask ERP to correct its figure: a stock_correction message in the outbox; the exception is under investigation. */
export async function requestErpCorrection(db: DbOrTx, actor: Actor, cmd: ResolveCommand, now: Date): Promise<ResolveOutcome> {
  requireResolver(actor);
  const reason = requireReason(cmd.reason);
  return db.transaction(async (tx) => {
    const x = await lockLive(tx, actor, cmd.exceptionId);
    return idempotent(tx, { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "recon.requestCorrection", payload: { id: x.id, reason }, now }, async () => {
      if (!resolutionsFor(x.category).requestCorrection || !x.partNumber || !x.revision) {
        throw new DomainError("RECON_RESOLUTION_NOT_ALLOWED", `ERP cannot be asked to correct a difference of this kind (${x.category.replaceAll("_", " ")}).`, { category: x.category });
      }
      const payload: StockCorrectionPayload = {
        plant: await siteErpPlant(tx, actor.siteId),
        exception: exceptionLabel(x.number),
        category: x.category,
        material: x.partNumber,
        revision: x.revision,
        batch: x.lotNumber,
        serial: x.serialNumber,
        location: x.locationCode,
        uom: x.uom ?? "EA",
        erpQuantity: x.erpQuantity ?? "0",
        tracelineQuantity: x.tracelineQuantity ?? "0",
        erpRevision: x.erpRevision,
        erpUnit: x.erpUnit,
        snapshot: x.snapshotKey,
        reason,
        postingDate: postingDate(actor, now),
      };
      const messageId = stableMessageId(actor.siteId, actor.userId, cmd.requestId, "stock-correction");
      await enqueueConfirmation(tx, actor.siteId, { messageId, type: "stock_correction", payload, at: now });
      await changeException(tx, actor.siteId, x.id, { status: "investigating", resolution: "correction_requested", reason, userId: actor.userId, at: now, correctionMessageId: messageId });
      await audit(tx, actor, x, "request_erp_correction", { status: "investigating", resolution: "correction_requested", messageId }, reason, cmd.requestId, now);
      return { exceptionId: x.id, number: x.number, status: "investigating", resolution: "correction_requested", messageId };
    });
  });
}

export type AdjustCommand = ResolveCommand & {
  /** Where to book it when the difference was compared over the whole floor (the exception names no location). */
  locationId?: string | null;
  signature: { method: SignatureMethod; secret: string; meaning: string };
};

/** The signed content of an adjustment: which exception, which item where, by how much, why. */
export function adjustmentSignedContent(a: { siteId: string; exceptionId: string; itemKey: string; locationId: string; quantity: string; erpQuantity: string; tracelineQuantity: string; reason: string; movementId: string }): Signable {
  return { recordType: "recon_adjustment", ...a };
}

/**
 * Post a signed adjustment: the floor is brought to ERP's figure by the exception's difference (Traceline minus ERP),
 * at its location (or the one chosen), against erp_supply. Only for differences of quantity (not in flight, master
 * data, unit or ledger). Refusals write nothing (a wrong password is counted and audited by the signing step).
 */
export async function adjustLedger(db: DbOrTx, actor: Actor, cmd: AdjustCommand, ctx: SigningContext): Promise<ResolveOutcome> {
  requireResolver(actor);
  const reason = requireReason(cmd.reason);
  if (cmd.signature.meaning !== "approval") throw new DomainError("VALIDATION_FAILED", 'An adjustment is signed with the meaning "approval".', { meaning: cmd.signature.meaning });
  const now = ctx.now;
  // Input first, so a typo does not count as a signing attempt.
  await prepareAdjustment(db, actor, cmd);
  const signer = await reauthenticateSigner(db, actor, { ...cmd.signature, meaning: "approval" }, { recordType: "recon_adjustment", recordId: cmd.exceptionId }, ctx);
  return db.transaction(async (tx) => {
    const x = await lockLive(tx, actor, cmd.exceptionId);
    return idempotent(
      tx,
      { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "recon.adjust", payload: { id: x.id, reason, locationId: cmd.locationId ?? null }, now },
      async () => {
        const plan = await prepareAdjustment(tx, actor, cmd);
        const supply = await firstLocationOfKind(tx, actor.siteId, "erp_supply");
        if (!supply) throw new DomainError("NOT_FOUND", "This site has no ERP supply location.");
        const item = { partRevisionId: plan.x.partRevisionId!, lotId: plan.x.lotId, serialItemId: plan.x.serialItemId };
        const delta = plan.delta; // what the floor location changes by: ERP minus Traceline
        const q = delta.abs().toFixed();
        const legs = delta.isNegative()
          ? [{ ...item, locationId: plan.locationId, quantity: `-${q}` }, { ...item, locationId: supply.id, quantity: q }]
          : [{ ...item, locationId: supply.id, quantity: `-${q}` }, { ...item, locationId: plan.locationId, quantity: q }];
        const { movementId } = await postMovement(tx, {
          siteId: actor.siteId,
          kind: "recon_adjustment",
          requestId: cmd.requestId,
          actorUserId: actor.userId,
          occurredAt: now,
          reason,
          reference: { exception: exceptionLabel(x.number), exceptionId: x.id },
          legs,
        });
        const content = adjustmentSignedContent({
          siteId: actor.siteId,
          exceptionId: x.id,
          itemKey: x.itemKey,
          locationId: plan.locationId,
          quantity: delta.toFixed(),
          erpQuantity: x.erpQuantity ?? "0",
          tracelineQuantity: x.tracelineQuantity ?? "0",
          reason,
          movementId,
        });
        const signature = await writeSignature(tx, actor, signer, { recordType: "recon_adjustment", recordId: x.id, content }, now);
        await changeException(tx, actor.siteId, x.id, { status: "resolved", resolution: "adjusted", reason, userId: actor.userId, at: now, signatureId: signature.id, adjustmentMovementId: movementId });
        await audit(tx, actor, x, "adjust_for_recon_exception", { status: "resolved", resolution: "adjusted", movementId, signatureId: signature.id, quantity: delta.toFixed(), locationId: plan.locationId }, reason, cmd.requestId, now);
        return { exceptionId: x.id, number: x.number, status: "resolved", resolution: "adjusted", movementId, signatureId: signature.id };
      },
    );
  });
}

async function prepareAdjustment(db: DbOrTx, actor: Actor, cmd: AdjustCommand): Promise<{ x: ExceptionRow; delta: Decimal; locationId: string }> {
  const x = await findException(db, actor.siteId, cmd.exceptionId);
  if (!x) throw new DomainError("NOT_FOUND", "That reconciliation exception does not exist at this site.");
  if (x.status === "resolved" || x.status === "accepted") throw new DomainError("RECON_EXCEPTION_CLOSED", `${exceptionLabel(x.number)} is already ${x.status}.`, { status: x.status });
  if (!resolutionsFor(x.category).adjust || !x.partRevisionId || (x.lotNumber && !x.lotId) || (x.serialNumber && !x.serialItemId)) {
    throw new DomainError("RECON_RESOLUTION_NOT_ALLOWED", `A ledger adjustment does not resolve a difference of this kind (${x.category.replaceAll("_", " ")}).`, { category: x.category });
  }
  const delta = new Decimal(x.erpQuantity ?? "0").minus(x.tracelineQuantity ?? "0");
  if (delta.isZero()) throw new DomainError("RECON_RESOLUTION_NOT_ALLOWED", "The quantities agree: there is nothing to adjust.");
  let locationId = x.locationId;
  if (!locationId) {
    if (!cmd.locationId) {
      const where = await freeStockOf(db, actor.siteId, { partRevisionId: x.partRevisionId, lotId: x.lotId, serialItemId: x.serialItemId });
      throw new DomainError("VALIDATION_FAILED", "Choose the location to book the adjustment at (the difference was compared over the whole floor).", {
        field: "locationId",
        candidates: where.map((w) => w.code),
      });
    }
    locationId = cmd.locationId;
  } else if (cmd.locationId && cmd.locationId !== x.locationId) {
    throw new DomainError("VALIDATION_FAILED", `This difference is at ${x.locationCode}: the adjustment is booked there.`, { field: "locationId" });
  }
  const loc = await findLocationOfSite(db, actor.siteId, locationId);
  if (!loc || !["stores", "kitting", "kit_cart", "point_of_use", "quarantine"].includes(loc.kind)) {
    throw new DomainError("NOT_FOUND", "That storage location does not exist at this site (or is not a floor location).", { field: "locationId" });
  }
  return { x, delta, locationId };
}
