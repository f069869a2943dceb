import "server-only";
import { randomUUID } from "node:crypto";
import type { DbOrTx, Tx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { parseQuantity } from "@/server/domain/shared/quantity";
import { startOfLocalDay } from "@/server/domain/kitting/dates";
import { deviationContent, deviationNumber, type DeviationRecord } from "@/server/domain/quality/nonconformance";
import { requireReasonText } from "@/server/domain/station/station-rules";
import { writeAudit } from "@/server/repos/audit";
import {
  deviationRows,
  findNcrRow,
  insertDeviation,
  listDeviations,
  lotOfRevision,
  manufacturerByCode,
  nextDeviationNumber,
  ordersTakingRevision,
  partRevisionByNumber,
  unitsBySerial,
  workOrderByNumber,
  type DeviationListFilters,
  type DeviationListRow,
} from "@/server/repos/nonconformance";
import { signaturesOf } from "@/server/repos/quality-holds";
import { idempotent } from "@/server/services/shared/idempotent";
import { requireRole } from "@/server/services/shared/require-role";
import { fileStamp, formatZonedTime, toCsv } from "@/server/services/genealogy/export-format";
import { contentHash } from "./hash";
import { reauthenticateSigner, verifySignature, writeSignature, type SignatureMethod, type SignatureView, type SigningContext } from "./sign-record";
import { deviationRevocationContent } from "@/server/domain/quality/rule-signatures";
import { lockDeviation, markDeviationRevoked } from "@/server/repos/rule-signatures";
import { findRequest } from "@/server/repos/request-log";
import { commitSideTime } from "@/server/repos/hold-locks";

/*
 * Deviations (concessions), issue 19 Must 3: a quality engineer approves, and signs (meaning "approval", bound to the
 * deviation's content), the use of a named substitute instead of a designed part revision: another part or revision,
 * a manufacturer off the AML, or a lot off the allowed-lot list; for named units or one work order; until the end of
 * a site day; up to a quantity. The station installs the substitute only under it (server/services/station/
 * deviation-check.ts).
 */

export type CreateDeviationCommand = {
  requestId: string;
  designed: { partNumber: string; revision: string };
  substitute: { kind: "part" | "revision"; partNumber: string; revision: string } | { kind: "manufacturer"; code: string } | { kind: "lot"; lotNumber: string };
  scope: { workOrderNumber: string } | { unitSerials: string[] };
  reason: string;
  /** the last site day the deviation is valid (YYYY-MM-DD): it expires at the start of the next day */
  validThrough: string;
  quantityLimit: string;
  ncrId?: string | null;
  signature: { method: SignatureMethod; secret: string; meaning: string };
};

export type CreateDeviationOutcome = { deviationId: string; number: string; signatureId: string; expiresAt: string };

type Resolved = Omit<DeviationRecord, "siteId" | "id" | "number" | "approvedBy" | "approvedAt"> & { words: string };

async function resolve(db: DbOrTx, actor: Actor, cmd: CreateDeviationCommand, now: Date): Promise<Resolved> {
  const siteId = actor.siteId;
  const designed = await partRevisionByNumber(db, cmd.designed.partNumber.trim(), cmd.designed.revision.trim());
  if (!designed) throw new DomainError("NOT_FOUND", `${cmd.designed.partNumber} rev ${cmd.designed.revision} does not exist.`, { field: "designed" });
  let substitutePartRevisionId: string | null = null;
  let substituteManufacturerId: string | null = null;
  let substituteLotId: string | null = null;
  const sub = cmd.substitute;
  if (sub.kind === "part" || sub.kind === "revision") {
    const r = await partRevisionByNumber(db, sub.partNumber.trim(), sub.revision.trim());
    if (!r) throw new DomainError("NOT_FOUND", `${sub.partNumber} rev ${sub.revision} does not exist.`, { field: "substitute" });
    if (r.id === designed.id) throw new DomainError("VALIDATION_FAILED", "The substitute is the designed revision itself: no deviation is needed.", { field: "substitute" });
    if (sub.kind === "revision" && r.part_id !== designed.part_id) throw new DomainError("VALIDATION_FAILED", "Another revision must be of the same part; choose \"another part\" instead.", { field: "substitute" });
    if (sub.kind === "part" && r.part_id === designed.part_id) throw new DomainError("VALIDATION_FAILED", "That is another revision of the same part; choose \"another revision\" instead.", { field: "substitute" });
    substitutePartRevisionId = r.id;
  } else if (sub.kind === "manufacturer") {
    const m = await manufacturerByCode(db, sub.code.trim());
    if (!m) throw new DomainError("NOT_FOUND", `Manufacturer ${sub.code} does not exist.`, { field: "substitute" });
    substituteManufacturerId = m.id;
  } else if (sub.kind === "lot") {
    const l = await lotOfRevision(db, siteId, sub.lotNumber.trim(), designed.id);
    if (!l) throw new DomainError("NOT_FOUND", `Lot ${sub.lotNumber} of ${cmd.designed.partNumber} rev ${cmd.designed.revision} does not exist at ${actor.siteName}.`, { field: "substitute" });
    substituteLotId = l.id;
  } else {
    throw new DomainError("VALIDATION_FAILED", "Say what the substitute is: another part, another revision, a manufacturer or a lot.", { field: "substitute" });
  }
  let workOrderId: string | null = null;
  let unitIds: string[] = [];
  let orders: string[];
  if ("workOrderNumber" in cmd.scope) {
    const w = await workOrderByNumber(db, siteId, cmd.scope.workOrderNumber.trim());
    if (!w) throw new DomainError("NOT_FOUND", `Work order ${cmd.scope.workOrderNumber} does not exist at ${actor.siteName}.`, { field: "scope" });
    workOrderId = w.id;
    orders = [w.id];
  } else {
    const serials = [...new Set(cmd.scope.unitSerials.map((x) => x.trim()).filter(Boolean))];
    if (serials.length === 0 || serials.length > 200) throw new DomainError("VALIDATION_FAILED", "Name the units (1 to 200 serials) or a work order.", { field: "scope" });
    const rows = await unitsBySerial(db, siteId, serials);
    const missing = serials.filter((x) => !rows.some((r) => r.serial === x));
    if (missing.length > 0) throw new DomainError("NOT_FOUND", `No unit ${missing.join(", ")} at ${actor.siteName}.`, { field: "scope" });
    unitIds = rows.map((r) => r.id);
    orders = [...new Set(rows.map((r) => r.work_order_id))];
  }
  if ((await ordersTakingRevision(db, siteId, designed.id, orders)) < orders.length) {
    throw new DomainError("VALIDATION_FAILED", `${cmd.designed.partNumber} rev ${cmd.designed.revision} is not on the bill of materials of ${"workOrderNumber" in cmd.scope ? "that work order" : "every unit named"}.`, { field: "designed" });
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(cmd.validThrough)) throw new DomainError("VALIDATION_FAILED", "Give the last day the deviation is valid (YYYY-MM-DD).", { field: "validThrough" });
  const next = new Date(`${cmd.validThrough}T12:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  const expiresAt = startOfLocalDay(next.toISOString().slice(0, 10), actor.timeZone);
  if (expiresAt.getTime() <= now.getTime()) throw new DomainError("VALIDATION_FAILED", "The deviation would already have expired: give a later day.", { field: "validThrough" });
  const limit = parseQuantity(cmd.quantityLimit);
  if (limit.lte(0)) throw new DomainError("VALIDATION_FAILED", "The quantity limit must be more than zero.", { field: "quantityLimit" });
  const reason = requireReasonText(cmd.reason, "the substitute may be used");
  let ncrId: string | null = null;
  if (cmd.ncrId) {
    const n = await findNcrRow(db, siteId, cmd.ncrId);
    if (!n) throw new DomainError("NOT_FOUND", "That nonconformance report does not exist at this site.", { field: "ncrId" });
    ncrId = n.id;
  }
  const subWords = sub.kind === "manufacturer" ? `manufacturer ${sub.code}` : sub.kind === "lot" ? `lot ${sub.lotNumber}` : `${sub.partNumber} rev ${sub.revision}`;
  return {
    designedPartRevisionId: designed.id,
    substituteKind: sub.kind,
    substitutePartRevisionId,
    substituteManufacturerId,
    substituteLotId,
    workOrderId,
    unitIds,
    reason,
    expiresAt,
    quantityLimit: limit.toFixed(),
    ncrId,
    words: `${subWords} for ${cmd.designed.partNumber} rev ${cmd.designed.revision}`,
  };
}

export async function createDeviation(db: DbOrTx, actor: Actor, cmd: CreateDeviationCommand, ctx: SigningContext): Promise<CreateDeviationOutcome> {
  requireRole(actor, ["quality_engineer"], "approve deviations");
  if (cmd.signature.meaning !== "approval") throw new DomainError("VALIDATION_FAILED", 'A deviation is signed with the meaning "approval".', { meaning: cmd.signature.meaning });
  await resolve(db, actor, cmd, ctx.now);
  const signer = await reauthenticateSigner(db, actor, { ...cmd.signature, meaning: "approval" }, { recordType: "deviation", recordId: null }, ctx);
  return db.transaction(async (tx: Tx) =>
    idempotent(tx, { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "quality.createDeviation", payload: { ...cmd, signature: { method: cmd.signature.method } }, now: ctx.now }, async () => {
      const r = await resolve(tx, actor, cmd, ctx.now);
      const number = await nextDeviationNumber(tx, actor.siteId);
      const id = randomUUID();
      const signatureId = randomUUID();
      const record: DeviationRecord = { ...r, siteId: actor.siteId, id, number, approvedBy: actor.userId, approvedAt: ctx.now };
      await writeSignature(tx, actor, signer, { recordType: "deviation", recordId: id, content: deviationContent(record) }, ctx.now, signatureId);
      await insertDeviation(tx, {
        siteId: actor.siteId,
        id,
        number,
        designedPartRevisionId: r.designedPartRevisionId,
        substituteKind: r.substituteKind,
        substitutePartRevisionId: r.substitutePartRevisionId,
        substituteManufacturerId: r.substituteManufacturerId,
        substituteLotId: r.substituteLotId,
        workOrderId: r.workOrderId,
        unitIds: [...r.unitIds],
        reason: r.reason,
        expiresAt: r.expiresAt,
        quantityLimit: r.quantityLimit,
        quantityUsed: "0",
        status: "approved",
        approvedBy: actor.userId,
        approvedAt: ctx.now,
        approvalSignatureId: signatureId,
        ncrId: r.ncrId,
      });
      await writeAudit(tx, {
        siteId: actor.siteId,
        actorUserId: actor.userId,
        actorName: actor.displayName,
        action: "deviation_approved",
        entity: "deviation",
        entityId: id,
        newValue: { number: deviationNumber(number), what: r.words, expiresAt: r.expiresAt.toISOString(), quantityLimit: r.quantityLimit, signatureId },
        reason: r.reason,
        requestId: cmd.requestId,
        occurredAt: ctx.now,
      });
      return { deviationId: id, number: deviationNumber(number), signatureId, expiresAt: r.expiresAt.toISOString() };
    }),
  );
}

export type DeviationView = DeviationListRow & { numberText: string; state: "valid" | "expired" | "used up" | "revoked"; signature: "valid" | "invalid" };

export async function listDeviationViews(db: DbOrTx, actor: Actor, f: DeviationListFilters, now: Date): Promise<DeviationView[]> {
  requireRole(actor, ["quality_engineer", "supervisor"], "read deviations");
  const rows = await listDeviations(db, actor.siteId, f, now, 500);
  const sigs = await signaturesOf(db, actor.siteId, "deviation", rows.map((r) => r.id));
  const records = await deviationRows(db, actor.siteId, rows.map((r) => r.id));
  return rows.map((r) => {
    const rec = records.find((x) => x.id === r.id)!;
    const sig = sigs.find((g) => g.id === rec.approvalSignatureId);
    const content = deviationContent(rec);
    const state: DeviationView["state"] =
      r.status === "revoked" ? "revoked" : r.expiresAt.getTime() <= now.getTime() ? "expired" : parseQuantity(r.quantityUsed).gte(r.quantityLimit) ? "used up" : "valid";
    return { ...r, numberText: deviationNumber(r.number), state, signature: sig && sig.contentHash === contentHash(content) ? "valid" : "invalid" };
  });
}

export async function deviationsCsv(db: DbOrTx, actor: Actor, f: DeviationListFilters, now: Date): Promise<{ filename: string; contentType: string; body: string }> {
  const rows = await listDeviationViews(db, actor, f, now);
  const body = toCsv([
    ["Deviation", "State", "Designed", "Substitute", "For", "Reason", "Valid until", "Limit", "Used", "Installs", "Approved by", "Approved at", "Signature"],
    ...rows.map((r) => [
      r.numberText,
      r.state,
      `${r.designedPart} rev ${r.designedRevision}`,
      r.substitute,
      r.scope,
      r.reason,
      formatZonedTime(r.expiresAt, actor.timeZone),
      r.quantityLimit,
      r.quantityUsed,
      r.installs,
      r.approvedByName,
      formatZonedTime(r.approvedAt, actor.timeZone),
      r.signature,
    ]),
  ]);
  return { filename: `deviations-${actor.siteCode}-${fileStamp(now, actor.timeZone)}.csv`, contentType: "text/csv; charset=utf-8", body };
}

// ---- revocation ------------------------------------------------------------------------------------------------------

export type RevokeDeviationCommand = { requestId: string; deviationId: string; reason: string; signature: { method: SignatureMethod; secret: string; meaning: string } };

/**
 * A quality engineer revokes a deviation (issue 19, Must 3): signed (meaning "approval", bound to the deviation as
 * approved and its revocation), with a reason, audited. From its commit the station refuses the substitute under it
 * (the install reads the deviation's status under the deviation's row lock, which the revocation holds).
 */
export async function revokeDeviation(db: DbOrTx, actor: Actor, cmd: RevokeDeviationCommand, ctx: SigningContext): Promise<{ deviationId: string; number: string; signatureId: string }> {
  requireRole(actor, ["quality_engineer"], "revoke deviations");
  if (cmd.signature.meaning !== "approval") throw new DomainError("VALIDATION_FAILED", 'A revocation is signed with the meaning "approval".', { meaning: cmd.signature.meaning });
  const reason = requireReasonText(cmd.reason, "the deviation is revoked");
  const judge = (d: Awaited<ReturnType<typeof lockDeviation>>) => {
    if (!d) throw new DomainError("NOT_FOUND", "That deviation does not exist at this site.", { field: "deviationId" });
    if (d.status === "revoked") throw new DomainError("VALIDATION_FAILED", `${deviationNumber(d.number)} is already revoked.`, { field: "deviationId" });
    return d;
  };
  const retry = await db.transaction((tx) => findRequest(tx, actor.siteId, actor.userId, cmd.requestId));
  if (!retry) judge(await db.transaction((tx) => lockDeviation(tx, actor.siteId, cmd.deviationId)));
  const signer = await reauthenticateSigner(db, actor, { ...cmd.signature, meaning: "approval" }, { recordType: "deviation_revocation", recordId: cmd.deviationId }, ctx);
  return db.transaction(async (tx: Tx) => {
    const locked = await lockDeviation(tx, actor.siteId, cmd.deviationId);
    return idempotent(tx, { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "quality.revokeDeviation", payload: { ...cmd, signature: { method: cmd.signature.method } }, now: ctx.now }, async () => {
      const d = judge(locked);
      const now = ctx.recordAt === "commit" ? await commitSideTime(tx) : ctx.now;
      const signatureId = randomUUID();
      const content = deviationRevocationContent({ ...d, revokedBy: actor.userId, revokedAt: now, revokeReason: reason });
      await writeSignature(tx, actor, signer, { recordType: "deviation_revocation", recordId: d.id, content }, now, signatureId);
      if (!(await markDeviationRevoked(tx, actor.siteId, d.id, { by: actor.userId, at: now, reason, signatureId }))) {
        throw new DomainError("VALIDATION_FAILED", `${deviationNumber(d.number)} was revoked meanwhile.`, { field: "deviationId" });
      }
      await writeAudit(tx, {
        siteId: actor.siteId,
        actorUserId: actor.userId,
        actorName: actor.displayName,
        action: "deviation_revoked",
        entity: "deviation",
        entityId: d.id,
        oldValue: { status: d.status },
        newValue: { number: deviationNumber(d.number), status: "revoked", signatureId },
        reason,
        requestId: cmd.requestId,
        occurredAt: now,
      });
      return { deviationId: d.id, number: deviationNumber(d.number), signatureId };
    });
  });
}

/** The revocation signature of a deviation, verified against the deviation as it is now (null: not revoked, or not signed). */
export async function deviationRevocationSignature(db: DbOrTx, actor: Actor, deviationId: string): Promise<SignatureView | null> {
  const [d] = await deviationRows(db, actor.siteId, [deviationId]);
  if (!d || !d.revokeSignatureId) return null;
  const [sig] = (await signaturesOf(db, actor.siteId, "deviation_revocation", [d.id])).filter((g) => g.id === d.revokeSignatureId);
  return sig ? verifySignature(sig, deviationRevocationContent(d)) : null;
}
