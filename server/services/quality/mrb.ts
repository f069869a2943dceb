import "server-only";
import { randomUUID } from "node:crypto";
import type { DbOrTx, Tx } from "@/db/client";
import type { Actor, Role } from "@/server/auth/types";
import { ROLES } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { formatQuantity } from "@/server/domain/shared/quantity";
import { goodsMovement } from "@/server/domain/station/station-rules";
import { holdSignedContent } from "@/server/domain/quality/signature";
import {
  DISPOSITION_WORDS,
  assertDisposition,
  ncrDispositionContent,
  ncrNumber,
  rolesToSign,
  signingRole,
  type Disposition,
  type NcrTarget,
} from "@/server/domain/quality/nonconformance";
import { requireReasonText } from "@/server/domain/station/station-rules";
import { localDate } from "@/server/domain/kitting/dates";
import { writeAudit } from "@/server/repos/audit";
import { postMovement } from "@/server/repos/ledger";
import { lockHold, markHoldReleased } from "@/server/repos/quality-holds";
import { enqueueConfirmation, findLocationOfSite, firstLocationOfKind, siteErpPlant, stableMessageId } from "@/server/repos/station-work";
import {
  closeNcr,
  findNcrRow,
  insertSignoff,
  lockNcr,
  materialFacts,
  serialLocation,
  setNcrDisposition,
  setSiteMrbRoles,
  signoffsOf,
  siteMrbRoles,
  type NcrRow,
} from "@/server/repos/nonconformance";
import { idempotent } from "@/server/services/shared/idempotent";
import { findRequest } from "@/server/repos/request-log";
import { commitSideTime } from "@/server/repos/hold-locks";
import { requireRole } from "@/server/services/shared/require-role";
import { scrapUnit } from "@/server/services/production/scrap-unit";
import { confirmHoldStatus } from "./hold-status";
import { reauthenticateSigner, writeSignatures, type SignatureMethod, type SigningContext } from "./sign-record";

/*
 * Material Review Board dispositions (issue 19, Must 2). The first MRB member proposes the disposition (use as is,
 * repair, rework, scrap, return to supplier) with a reason and signs it; each further role the site configures
 * (sites.mrb_signer_roles, e.g. quality engineer + supervisor) signs the same content, each a different person (unique
 * keys on mrb_signoffs). Every signature re-authenticates (meaning "approval") and is bound to the NCR's content: the
 * report and the decision. When the last role signs, in the same transaction, the disposition is carried out:
 *   use as is, repair, rework  the NCR hold is released (the material or unit may go on)
 *   scrap                      the material goes to scrap (movement "scrap") and ERP gets a 551; a unit is scrapped as a
 *                              whole (production/scrap-unit); material already scrapped at its removal moves no more
 *   return to supplier         the material leaves to the returned-to-ERP location (movement "return_to_erp") and ERP
 *                              gets a 311 into blocked stock with the NCR as the reason (ERP books the vendor return)
 * and the hold's release is signed by the last signer (bound to the hold's whole record). Confirmation message ids
 * derive from the NCR, not the request, so a disposition is confirmed to ERP exactly once.
 */

export type SignDispositionCommand = {
  requestId: string;
  ncrId: string;
  /** Required from the first signer (the proposal); later signers sign what was proposed (if given, it must match). */
  disposition?: Disposition | null;
  reason?: string | null;
  /** Where the material to scrap or return lies, when the NCR does not say (a lot's quantity). */
  locationId?: string | null;
  /** The MRB role the signer signs as (default: the one open MRB role they hold). */
  role?: Role | null;
  signature: { method: SignatureMethod; secret: string; meaning: string };
};

export type SignDispositionOutcome = {
  ncrId: string;
  number: string;
  disposition: Disposition;
  signedAs: Role;
  signatureId: string;
  /** roles still to sign; empty when the disposition was carried out */
  missing: Role[];
  closed: boolean;
  movementId: string | null;
};

const notFound = (ncrId: string) => new DomainError("NOT_FOUND", "That nonconformance report does not exist at this site.", { ncrId });

export async function signDisposition(db: DbOrTx, actor: Actor, cmd: SignDispositionCommand, ctx: SigningContext): Promise<SignDispositionOutcome> {
  if (cmd.signature.meaning !== "approval") {
    throw new DomainError("VALIDATION_FAILED", 'An MRB disposition is signed with the meaning "approval".', { meaning: cmd.signature.meaning });
  }
  // bad input first (nothing counts as a signing attempt)
  const seen = await findNcrRow(db, actor.siteId, cmd.ncrId);
  if (!seen) throw notFound(cmd.ncrId);
  const required = await siteMrbRoles(db, actor.siteId);
  const signed = await signoffsOf(db, actor.siteId, seen.id, seen.mrbRound);
  // a retry of a signature that went through answers its outcome (after re-authentication), not "already signed"
  const retry = await db.transaction((tx) => findRequest(tx, actor.siteId, actor.userId, cmd.requestId));
  if (!retry) {
    const plan = judge(actor, seen, required, signed, cmd);
    if (plan.completes) await materialPlan(db, actor, { ...seen, disposition: plan.disposition }, cmd.locationId ?? null);
  }
  const signer = await reauthenticateSigner(db, actor, { ...cmd.signature, meaning: "approval" }, { recordType: "ncr", recordId: seen.id }, ctx);
  return db.transaction(async (tx) => {
    const locked = await lockNcr(tx, actor.siteId, cmd.ncrId);
    if (!locked) throw notFound(cmd.ncrId);
    return idempotent(
      tx,
      { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "quality.signDisposition", payload: { ...cmd, signature: { method: cmd.signature.method } }, now: ctx.now },
      async (): Promise<SignDispositionOutcome> => {
        const now = ctx.recordAt === "commit" ? await commitSideTime(tx) : ctx.now;
        const signedNow = await signoffsOf(tx, actor.siteId, locked.id, locked.mrbRound);
        const p = judge(actor, locked, required, signedNow, cmd);
        let ncr = locked;
        if (locked.status === "open") {
          const ok = await setNcrDisposition(tx, actor.siteId, locked.id, { disposition: p.disposition, reason: p.reason!, by: actor.userId, at: now });
          if (!ok) throw new DomainError("NCR_NOT_OPEN", `${ncrNumber(locked.number)} changed meanwhile: reload it.`, {});
          ncr = { ...locked, status: "pending_signoff", disposition: p.disposition, dispositionReason: p.reason!, dispositionBy: actor.userId, dispositionAt: now };
        }
        const signatureId = randomUUID();
        const records: Parameters<typeof writeSignatures>[3] = [{ id: signatureId, recordType: "ncr", recordId: ncr.id, content: ncrDispositionContent(ncr) }];
        let movementId: string | null = null;
        let releasedHold: { id: string; signatureId: string; content: ReturnType<typeof holdSignedContent>; row: NonNullable<Awaited<ReturnType<typeof lockHold>>> } | null = null;
        const releaseReason = `${ncrNumber(ncr.number)}: ${DISPOSITION_WORDS[p.disposition]}: ${ncr.dispositionReason ?? ""}`.slice(0, 1000);
        if (p.completes && ncr.holdId) {
          const hold = await lockHold(tx, actor.siteId, ncr.holdId);
          if (hold && !hold.releasedAt) {
            const released = { ...hold, releasedBy: actor.userId, releasedAt: now, releaseReason };
            const hid = randomUUID();
            releasedHold = { id: hold.id, signatureId: hid, content: holdSignedContent(released, "release"), row: hold };
            records.push({ id: hid, recordType: "hold", recordId: hold.id, content: releasedHold.content });
          }
        }
        await writeSignatures(tx, actor, signer, records, now);
        await insertSignoff(tx, { siteId: actor.siteId, id: randomUUID(), ncrId: ncr.id, role: p.role, signerUserId: actor.userId, signatureId, signedAt: now, round: ncr.mrbRound });
        await writeAudit(tx, {
          siteId: actor.siteId,
          actorUserId: actor.userId,
          actorName: actor.displayName,
          action: locked.status === "open" ? "mrb_disposition_proposed" : "mrb_disposition_signed",
          entity: "ncr",
          entityId: ncr.id,
          newValue: { number: ncrNumber(ncr.number), disposition: p.disposition, role: p.role, signatureId },
          reason: ncr.dispositionReason,
          requestId: cmd.requestId,
          occurredAt: now,
        });
        if (releasedHold) {
          const ok = await markHoldReleased(tx, actor.siteId, releasedHold.id, { releasedBy: actor.userId, releasedAt: now, releaseReason, releasedSignatureId: releasedHold.signatureId });
          if (ok) {
            await writeAudit(tx, {
              siteId: actor.siteId,
              actorUserId: actor.userId,
              actorName: actor.displayName,
              action: "release_hold",
              entity: "hold",
              entityId: releasedHold.id,
              oldValue: { releasedAt: null },
              newValue: { releasedAt: now.toISOString(), releaseReason, signatureId: releasedHold.signatureId, ncrId: ncr.id },
              reason: releaseReason,
              requestId: cmd.requestId,
              occurredAt: now,
            });
            await confirmHoldStatus(
              tx,
              actor,
              { action: "released", holdId: releasedHold.id, targetType: releasedHold.row.targetType, targetId: releasedHold.row.targetId, reason: releasedHold.row.reason, releaseReason },
              cmd.requestId,
              now,
            );
          }
        }
        if (p.completes) {
          movementId = await carryOut(tx, actor, ncr, p.disposition, cmd, now);
          if (!(await closeNcr(tx, actor.siteId, ncr.id, { closedAt: now, movementId }))) throw new DomainError("NCR_NOT_OPEN", `${ncrNumber(ncr.number)} was closed meanwhile.`, {});
          await writeAudit(tx, {
            siteId: actor.siteId,
            actorUserId: actor.userId,
            actorName: actor.displayName,
            action: "ncr_closed",
            entity: "ncr",
            entityId: ncr.id,
            newValue: { number: ncrNumber(ncr.number), disposition: p.disposition, movementId },
            reason: ncr.dispositionReason,
            requestId: cmd.requestId,
            occurredAt: now,
          });
        }
        return { ncrId: ncr.id, number: ncrNumber(ncr.number), disposition: p.disposition, signedAs: p.role, signatureId, missing: p.missing, closed: p.completes, movementId };
      },
    );
  });
}

type Plan = { disposition: Disposition; reason: string | null; role: Role; missing: Role[]; completes: boolean };

function judge(actor: Actor, ncr: NcrRow, required: Role[], signed: { role: Role; signerUserId: string }[], cmd: SignDispositionCommand): Plan {
  if (ncr.status === "closed") throw new DomainError("NCR_NOT_OPEN", `${ncrNumber(ncr.number)} is closed: its disposition was carried out.`, {});
  const role = signingRole(
    required,
    signed.map((s) => s.role),
    actor.roles,
    cmd.role ?? null,
    signed.some((s) => s.signerUserId === actor.userId),
  ) as Role;
  let disposition: Disposition;
  let reason: string | null = null;
  if (ncr.status === "open") {
    if (!cmd.disposition) throw new DomainError("VALIDATION_FAILED", "Choose the disposition.", { field: "disposition" });
    disposition = assertDisposition(ncr.targetType as NcrTarget, cmd.disposition);
    reason = requireReasonText(cmd.reason, "the board decides this");
  } else {
    disposition = ncr.disposition as Disposition;
    if (cmd.disposition && cmd.disposition !== disposition) {
      throw new DomainError("VALIDATION_FAILED", `The disposition proposed is "${DISPOSITION_WORDS[disposition]}": you sign that decision, or ask quality to raise a new report.`, { field: "disposition" });
    }
  }
  const missing = rolesToSign(required, [...signed.map((s) => s.role), role]) as Role[];
  return { disposition, reason, role, missing, completes: missing.length === 0 };
}

type MaterialPlan = { from: { id: string; code: string; kind: string }; quantity: string } | null;

/** Where the material of a scrap or return lies, and how much moves (null: nothing moves). */
async function materialPlan(db: DbOrTx, actor: Actor, ncr: NcrRow & { disposition: Disposition }, locationId: string | null): Promise<MaterialPlan> {
  if (ncr.disposition !== "scrap" && ncr.disposition !== "return_to_supplier") return null;
  if (ncr.targetType === "unit" || ncr.targetType === "operation") return null;
  const siteId = actor.siteId;
  let from: { id: string; code: string; kind: string } | null = null;
  const chosen = locationId ?? ncr.locationId;
  if (chosen) {
    const l = await findLocationOfSite(db, siteId, chosen);
    if (!l) throw new DomainError("NOT_FOUND", "That location does not exist at this site.", { field: "locationId" });
    from = { id: l.id, code: l.code, kind: l.kind };
  } else if (ncr.serialItemId) {
    from = await serialLocation(db, siteId, ncr.serialItemId);
  }
  if (!from) {
    throw new DomainError("VALIDATION_FAILED", `Say where the material of ${ncrNumber(ncr.number)} is (its location), so it can be ${ncr.disposition === "scrap" ? "scrapped" : "returned"}.`, { field: "locationId" });
  }
  if (from.kind === "scrap") {
    if (ncr.disposition === "scrap") return null; // scrapped at its removal already: the 551 went then
    throw new DomainError("VALIDATION_FAILED", "The material was scrapped at its removal: it cannot be returned to the supplier.", { field: "disposition" });
  }
  if (!["stores", "quarantine", "point_of_use", "kitting", "kit_cart"].includes(from.kind)) {
    throw new DomainError("VALIDATION_FAILED", `${from.code} is not a place material is scrapped or returned from.`, { field: "locationId" });
  }
  return { from, quantity: formatQuantity(ncr.quantity) };
}

/** Carry the disposition out (movement + ERP confirmation); returns the movement, if any. */
async function carryOut(tx: Tx, actor: Actor, ncr: NcrRow, disposition: Disposition, cmd: SignDispositionCommand, now: Date): Promise<string | null> {
  const siteId = actor.siteId;
  const number = ncrNumber(ncr.number);
  const reason = `${number}: ${DISPOSITION_WORDS[disposition]}: ${ncr.dispositionReason ?? ""}`.slice(0, 500);
  if (disposition === "use_as_is" || disposition === "repair" || disposition === "rework") return null;
  if (ncr.targetType === "unit" || ncr.targetType === "operation") {
    // a unit is scrapped as a whole, with its own rules (in work: order confirmation with scrap 1; completed: 551)
    const out = await scrapUnit(tx, actor, { requestId: stableMessageId(siteId, ncr.id, "mrb", "scrap-unit"), unitId: ncr.unitId!, reason }, now);
    return out.movementId;
  }
  const plan = await materialPlan(tx, actor, { ...ncr, disposition }, cmd.locationId ?? null);
  if (!plan) return null;
  const facts = await materialFacts(tx, siteId, { lotId: ncr.lotId, serialItemId: ncr.serialItemId, partRevisionId: ncr.partRevisionId });
  if (!facts) throw new DomainError("NOT_FOUND", "That material does not exist at this site.", {});
  const item = { partRevisionId: facts.partRevisionId, lotId: ncr.lotId, serialItemId: ncr.serialItemId };
  const toKind = disposition === "scrap" ? "scrap" : "returned_to_erp";
  const to = await firstLocationOfKind(tx, siteId, toKind);
  if (!to) throw new DomainError("NOT_FOUND", `This site has no ${toKind === "scrap" ? "scrap" : "returned-to-ERP"} location; ask an administrator to set up the site.`, {});
  const { movementId } = await postMovement(tx, {
    siteId,
    kind: disposition === "scrap" ? "scrap" : "return_to_erp",
    requestId: cmd.requestId,
    actorUserId: actor.userId,
    occurredAt: now,
    reason,
    reference: { ncr: number, from: plan.from.code },
    legs: [
      { ...item, locationId: plan.from.id, quantity: `-${plan.quantity}` },
      { ...item, locationId: to.id, quantity: plan.quantity },
    ],
  }).catch((e: unknown) => {
    if (e instanceof DomainError && e.code === "INSUFFICIENT_STOCK") {
      const name = facts.lotNumber ? `lot ${facts.lotNumber}` : facts.serialNumber ? `serial ${facts.serialNumber}` : facts.partNumber;
      throw new DomainError("INSUFFICIENT_STOCK", `There is not ${plan.quantity} ${facts.uom} of ${name} at ${plan.from.code}: say where the material of ${number} is.`, { ...e.details, field: "locationId" });
    }
    throw e;
  });
  const plant = await siteErpPlant(tx, siteId);
  const postingDate = localDate(now, actor.timeZone);
  // derived from the NCR: one disposition, one confirmation, whatever request carried it out
  const messageId = stableMessageId(siteId, ncr.id, "mrb", disposition);
  if (disposition === "scrap") {
    const payload = goodsMovement("551", facts, { plant, order: null, quantity: plan.quantity, postingDate, reference: movementId, reason, fromLocation: plan.from.code });
    await enqueueConfirmation(tx, siteId, { messageId, type: "scrap", payload, at: now });
  } else {
    const payload = goodsMovement("311", facts, { plant, order: null, quantity: plan.quantity, postingDate, reference: movementId, reason, fromLocation: plan.from.code, stockType: "blocked", holdReasons: [reason] });
    await enqueueConfirmation(tx, siteId, { messageId, type: "return", payload, at: now });
  }
  return movementId;
}

// ---- the site's MRB roles --------------------------------------------------------------------------------------------

/** An administrator sets which roles sign MRB dispositions at the site (1 to 5 distinct roles), audited. */
export async function setMrbRoles(db: DbOrTx, actor: Actor, cmd: { requestId: string; roles: string[] }, now: Date): Promise<{ roles: Role[] }> {
  requireRole(actor, ["admin"], "set who signs review board dispositions");
  const roles = [...new Set(cmd.roles)];
  if (roles.length === 0 || roles.length > 5) throw new DomainError("VALIDATION_FAILED", "Choose at least one role to sign review board dispositions.", { field: "roles" });
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length > 0) throw new DomainError("VALIDATION_FAILED", `Unknown role: ${unknown.join(", ")}.`, { field: "roles" });
  return db.transaction(async (tx) =>
    idempotent(tx, { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "admin.setMrbRoles", payload: { roles }, now }, async () => {
      const old = await setSiteMrbRoles(tx, actor.siteId, roles as Role[]);
      if (!old) throw new DomainError("NOT_FOUND", "This site does not exist.", {});
      await writeAudit(tx, {
        siteId: actor.siteId,
        actorUserId: actor.userId,
        actorName: actor.displayName,
        action: "mrb_roles_set",
        entity: "site",
        entityId: actor.siteId,
        oldValue: { roles: old },
        newValue: { roles },
        occurredAt: now,
      });
      return { roles: roles as Role[] };
    }),
  );
}
