import "server-only";
import { randomUUID } from "node:crypto";
import type { DbOrTx, Tx } from "@/db/client";
import type { Actor, Role } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { parseQuantity, formatQuantity } from "@/server/domain/shared/quantity";
import { readScan } from "@/server/domain/kitting/kit-rules";
import { consistentWithLabel, recordName } from "@/server/domain/label-check/label-vs-record";
import {
  MAX_ATTACHMENTS,
  NCR_DEFECTS,
  NCR_SOURCES,
  checkAttachment,
  ncrNumber,
  requireDescription,
  type NcrDefect,
  type NcrSource,
  type NcrTarget,
} from "@/server/domain/quality/nonconformance";
import { writeAudit } from "@/server/repos/audit";
import { findScannedItems } from "@/server/repos/kitting";
import { lockHoldTarget } from "@/server/repos/hold-locks";
import { insertHold, type HoldTargetType } from "@/server/repos/quality-holds";
import { findLocationOfSite } from "@/server/repos/station-work";
import {
  countAttachments,
  readAttachment,
  insertAttachment,
  insertNcr,
  lockNcr,
  materialFacts,
  nextNcrNumber,
  serialLocation,
  unitOfSite,
} from "@/server/repos/nonconformance";
import { idempotent } from "@/server/services/shared/idempotent";
import { requireRole } from "@/server/services/shared/require-role";
import { confirmHoldStatus } from "./hold-status";

/*
 * Raising a nonconformance report (issue 19, Must 1): at the station (a refused or removed component, a failed
 * parameter, a damaged part), in kitting, or by a quality engineer; on a lot (a quantity of it), a serial, a unit or an
 * operation of a unit. In the same transaction the item is held (an NCR hold, through the hold mechanism: from the
 * commit kitting and the station refuse it, a held unit does not ship), with an audit row and, when the registry sends
 * hold status to ERP, its confirmation. Photos and documents are added afterwards (addNcrAttachment).
 */

/** Who raises an NCR from where. */
export const RAISE_ROLES: Record<NcrSource, Role[]> = {
  station: ["operator", "supervisor", "quality_engineer"],
  kitting: ["kitting_clerk", "supervisor", "quality_engineer"],
  quality: ["quality_engineer"],
};

export type NcrTargetInput =
  | { kind: "lot"; lotId: string }
  | { kind: "serial"; serialItemId: string }
  | { kind: "scan"; scan: string }
  | { kind: "unit"; unitId: string }
  | { kind: "operation"; unitId: string; operationSeq: number };

export type RaiseNcrCommand = {
  requestId: string;
  source: NcrSource;
  defect: NcrDefect;
  target: NcrTargetInput;
  /** Decimal text, in the part's unit; a serial, unit or operation is 1. */
  quantity?: string | null;
  /** Where the material lies (a lot's quantity): a physical location of this site. */
  locationId?: string | null;
  stationId?: string | null;
  description: string;
};

export type RaiseNcrOutcome = { ncrId: string; number: string; holdId: string | null; held: string | null };

/** What an NCR is about, resolved at the actor's site. */
export type ResolvedNcrTarget = {
  targetType: NcrTarget;
  partRevisionId: string | null;
  lotId: string | null;
  serialItemId: string | null;
  unitId: string | null;
  operationSeq: number | null;
  quantity: string;
  locationId: string | null;
  /** what is held: a lot, a serial (a component's or a unit's own), or nothing */
  hold: { targetType: HoldTargetType; targetId: string; label: string } | null;
  label: string;
};

export async function raiseNcr(db: DbOrTx, actor: Actor, cmd: RaiseNcrCommand, now: Date): Promise<RaiseNcrOutcome> {
  if (!(NCR_SOURCES as readonly string[]).includes(cmd.source)) throw new DomainError("VALIDATION_FAILED", "Say where the nonconformance was found.", { field: "source" });
  requireRole(actor, RAISE_ROLES[cmd.source], cmd.source === "quality" ? "raise nonconformance reports as quality" : `raise nonconformance reports from ${cmd.source}`);
  if (!(NCR_DEFECTS as readonly string[]).includes(cmd.defect)) throw new DomainError("VALIDATION_FAILED", "Choose what is wrong.", { field: "defect" });
  const description = requireDescription(cmd.description);
  return db.transaction(async (tx) =>
    idempotent(tx, { siteId: actor.siteId, actorUserId: actor.userId, requestId: cmd.requestId, command: "quality.raiseNcr", payload: cmd, now }, async () => {
      const target = await resolveNcrTarget(tx, actor, cmd, now);
      return raiseNcrInTx(tx, actor, { source: cmd.source, defect: cmd.defect, description, target, stationId: cmd.stationId ?? null, edgeId: null, requestId: cmd.requestId }, now);
    }),
  );
}

/** Resolve the command's target at the actor's site (another site's lot, serial or unit is not found). */
export async function resolveNcrTarget(tx: Tx, actor: Actor, cmd: Pick<RaiseNcrCommand, "target" | "quantity" | "locationId">, now: Date): Promise<ResolvedNcrTarget> {
  const siteId = actor.siteId;
  let t = cmd.target;
  if (t.kind === "scan") {
    const lookup = readScan(t.scan, now);
    const found = consistentWithLabel((await findScannedItems(tx, siteId, lookup)).filter((i) => i.kind !== "part"), lookup, actor.timeZone, recordName);
    if (found.length === 0) throw new DomainError("SCAN_NOT_RECOGNISED", "No lot or serial with that label is known at this site.", { field: "target" });
    if (found.length > 1) throw new DomainError("SCAN_NOT_RECOGNISED", "That number names more than one lot or serial here: scan the full label (with the part number).", { field: "target" });
    t = found[0]!.serialItemId ? { kind: "serial", serialItemId: found[0]!.serialItemId } : { kind: "lot", lotId: found[0]!.lotId! };
  }
  const location = cmd.locationId ? await findLocationOfSite(tx, siteId, cmd.locationId) : null;
  if (cmd.locationId && !location) throw new DomainError("NOT_FOUND", "That location does not exist at this site.", { field: "locationId" });
  switch (t.kind) {
    case "lot": {
      const f = await materialFacts(tx, siteId, { lotId: t.lotId });
      if (!f) throw new DomainError("NOT_FOUND", "That lot does not exist at this site.", { field: "target" });
      if (cmd.quantity == null || cmd.quantity.trim() === "") throw new DomainError("VALIDATION_FAILED", `Enter the nonconforming quantity of lot ${f.lotNumber} (${f.uom}).`, { field: "quantity" });
      const q = parseQuantity(cmd.quantity);
      const label = `${f.partNumber} rev ${f.revision}, lot ${f.lotNumber}`;
      return { targetType: "lot", partRevisionId: f.partRevisionId, lotId: t.lotId, serialItemId: null, unitId: null, operationSeq: null, quantity: q.toFixed(), locationId: location?.id ?? null, hold: { targetType: "lot", targetId: t.lotId, label }, label };
    }
    case "serial": {
      const f = await materialFacts(tx, siteId, { serialItemId: t.serialItemId });
      if (!f) throw new DomainError("NOT_FOUND", "That serial does not exist at this site.", { field: "target" });
      if (cmd.quantity != null && cmd.quantity.trim() !== "" && !parseQuantity(cmd.quantity).eq(1)) throw new DomainError("VALIDATION_FAILED", "A serial is one piece.", { field: "quantity" });
      const at = location ?? (await serialLocation(tx, siteId, t.serialItemId));
      const label = `${f.partNumber} rev ${f.revision}, serial ${f.serialNumber}`;
      return { targetType: "serial", partRevisionId: f.partRevisionId, lotId: null, serialItemId: t.serialItemId, unitId: null, operationSeq: null, quantity: "1", locationId: at?.id ?? null, hold: { targetType: "serial", targetId: t.serialItemId, label }, label };
    }
    case "unit":
    case "operation": {
      const u = await unitOfSite(tx, siteId, t.unitId);
      if (!u) throw new DomainError("NOT_FOUND", "That unit does not exist at this site.", { field: "target" });
      if (u.status === "shipped" || u.status === "scrapped") throw new DomainError("UNIT_NOT_OPEN", `Unit ${u.serial} is ${u.status}: raise the report with the customer or on its material instead.`, { field: "target" });
      const seq = t.kind === "operation" ? t.operationSeq : null;
      if (seq !== null && !u.operations.includes(seq)) throw new DomainError("NOT_FOUND", `Unit ${u.serial} has no operation ${seq}.`, { field: "operationSeq" });
      const label = seq !== null ? `Unit ${u.serial}, operation ${seq}` : `Unit ${u.serial}`;
      return { targetType: t.kind, partRevisionId: null, lotId: null, serialItemId: null, unitId: u.id, operationSeq: seq, quantity: "1", locationId: null, hold: { targetType: "serial", targetId: u.serialItemId, label: `Unit ${u.serial}` }, label };
    }
    default:
      throw new DomainError("VALIDATION_FAILED", "Say what is nonconforming: a lot, a serial, a unit or an operation.", { field: "target" });
  }
}

export type RaiseInTx = {
  source: NcrSource;
  defect: NcrDefect;
  description: string;
  target: ResolvedNcrTarget;
  stationId: string | null;
  edgeId: string | null;
  requestId: string;
  /** false: the material is not held (a component already moved to scrap at its removal) */
  hold?: boolean;
};

/** Write the NCR, its hold (the item held from the commit on) and its audit row, in the caller's transaction. */
export async function raiseNcrInTx(tx: Tx, actor: Actor, r: RaiseInTx, now: Date): Promise<RaiseNcrOutcome> {
  const siteId = actor.siteId;
  const number = await nextNcrNumber(tx, siteId);
  const id = randomUUID();
  const words = ncrNumber(number);
  let holdId: string | null = null;
  const hold = r.hold === false ? null : r.target.hold;
  if (hold) {
    holdId = randomUUID();
    // installs of the material hold its key shared until they commit: the hold waits for them (server/repos/hold-locks.ts)
    await lockHoldTarget(tx, siteId, hold.targetType, hold.targetId);
    const reason = `${words}: ${r.description}`.slice(0, 1000);
    await insertHold(tx, { siteId, id: holdId, targetType: hold.targetType, targetId: hold.targetId, reason, placedBy: actor.userId, placedAt: now, placedSignatureId: null });
    await writeAudit(tx, {
      siteId,
      actorUserId: actor.userId,
      actorName: actor.displayName,
      action: "place_hold",
      entity: "hold",
      entityId: holdId,
      newValue: { targetType: hold.targetType, targetId: hold.targetId, target: hold.label, reason, ncrId: id },
      reason,
      requestId: r.requestId,
      occurredAt: now,
    });
    await confirmHoldStatus(tx, actor, { action: "placed", holdId, targetType: hold.targetType, targetId: hold.targetId, reason }, r.requestId, now);
  }
  const t = r.target;
  await insertNcr(tx, {
    siteId,
    id,
    number,
    source: r.source,
    defect: r.defect,
    targetType: t.targetType,
    partRevisionId: t.partRevisionId,
    lotId: t.lotId,
    serialItemId: t.serialItemId,
    unitId: t.unitId,
    operationSeq: t.operationSeq,
    edgeId: r.edgeId,
    stationId: r.stationId,
    locationId: t.locationId,
    quantity: t.quantity,
    description: r.description,
    raisedBy: actor.userId,
    raisedAt: now,
    holdId,
    status: "open",
  });
  await writeAudit(tx, {
    siteId,
    actorUserId: actor.userId,
    actorName: actor.displayName,
    action: "ncr_raised",
    entity: "ncr",
    entityId: id,
    newValue: { number: words, source: r.source, defect: r.defect, target: t.label, quantity: formatQuantity(t.quantity), holdId, edgeId: r.edgeId },
    reason: r.description,
    requestId: r.requestId,
    occurredAt: now,
  });
  return { ncrId: id, number: words, holdId, held: hold?.label ?? null };
}

// ---- attachments -----------------------------------------------------------------------------------------------------

export type AttachmentOutcome = { attachmentId: string; fileName: string; contentType: string; sizeBytes: number };

/**
 * Add a photo or document to an NCR (the raiser, quality, or a supervisor), checked by its content (JPEG, PNG, WebP,
 * HEIC or PDF, at most 5 MB, at most 10 per report). Refused on a closed NCR.
 */
export async function addNcrAttachment(db: DbOrTx, actor: Actor, a: { ncrId: string; fileName: string; data: Uint8Array }, now: Date): Promise<AttachmentOutcome> {
  requireRole(actor, ["operator", "kitting_clerk", "supervisor", "quality_engineer"], "add photos to nonconformance reports");
  const checked = checkAttachment(a.fileName, a.data);
  return db.transaction(async (tx) => {
    const ncr = await lockNcr(tx, actor.siteId, a.ncrId);
    if (!ncr) throw new DomainError("NOT_FOUND", "That nonconformance report does not exist at this site.", { ncrId: a.ncrId });
    if (ncr.status === "closed") throw new DomainError("NCR_NOT_OPEN", `${ncrNumber(ncr.number)} is closed: nothing can be added to it.`, {});
    const mayAdd = ncr.raisedBy === actor.userId || actor.roles.includes("quality_engineer") || actor.roles.includes("supervisor");
    if (!mayAdd) throw new DomainError("FORBIDDEN", "Only the person who raised the report, quality or a supervisor may add photos to it.", {});
    if ((await countAttachments(tx, actor.siteId, ncr.id)) >= MAX_ATTACHMENTS) {
      throw new DomainError("VALIDATION_FAILED", `${ncrNumber(ncr.number)} already has ${MAX_ATTACHMENTS} attachments.`, { field: "attachments" });
    }
    const id = randomUUID();
    await insertAttachment(tx, { siteId: actor.siteId, id, ncrId: ncr.id, fileName: checked.fileName, contentType: checked.contentType, sizeBytes: a.data.length, data: Buffer.from(a.data), uploadedBy: actor.userId, uploadedAt: now });
    await writeAudit(tx, {
      siteId: actor.siteId,
      actorUserId: actor.userId,
      actorName: actor.displayName,
      action: "ncr_attachment_added",
      entity: "ncr",
      entityId: ncr.id,
      newValue: { attachmentId: id, fileName: checked.fileName, contentType: checked.contentType, sizeBytes: a.data.length },
      occurredAt: now,
    });
    return { attachmentId: id, fileName: checked.fileName, contentType: checked.contentType, sizeBytes: a.data.length };
  });
}

/** One attachment of an NCR of the actor's site, for the roles that read NCRs (null: not found here). */
export async function readNcrAttachment(db: DbOrTx, actor: Actor, attachmentId: string): Promise<{ fileName: string; contentType: string; data: Buffer } | null> {
  requireRole(actor, ["quality_engineer", "supervisor", "operator", "kitting_clerk"], "see nonconformance attachments");
  return readAttachment(db, actor.siteId, attachmentId);
}
