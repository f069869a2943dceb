/**
 * Nonconformance reports, Material Review Board dispositions and deviations (issue 19), the pure part: the words, the
 * signed content (what the MRB's and a deviation's signatures are bound to), which dispositions fit which NCR, which
 * MRB roles are still to sign, attachment limits, and whether a deviation authorises a substitute now.
 */
import Decimal from "decimal.js";
import { DomainError } from "@/server/domain/shared/errors";
import type { Signable } from "./signature";

export const NCR_SOURCES = ["station", "kitting", "quality"] as const;
export type NcrSource = (typeof NCR_SOURCES)[number];

export const NCR_DEFECTS = ["removed", "refused", "failed_parameter", "damaged", "other"] as const;
export type NcrDefect = (typeof NCR_DEFECTS)[number];
export const DEFECT_WORDS: Record<NcrDefect, string> = {
  removed: "Removed from a unit",
  refused: "Refused at the station",
  failed_parameter: "Failed parameter",
  damaged: "Damaged",
  other: "Other nonconformance",
};

export const NCR_TARGETS = ["lot", "serial", "part_revision", "unit", "operation"] as const;
export type NcrTarget = (typeof NCR_TARGETS)[number];

export const NCR_STATUSES = ["open", "pending_signoff", "closed"] as const;
export type NcrStatus = (typeof NCR_STATUSES)[number];
export const STATUS_WORDS: Record<NcrStatus, string> = { open: "Open", pending_signoff: "Awaiting MRB signatures", closed: "Closed" };

export const DISPOSITIONS = ["use_as_is", "repair", "rework", "scrap", "return_to_supplier"] as const;
export type Disposition = (typeof DISPOSITIONS)[number];
export const DISPOSITION_WORDS: Record<Disposition, string> = {
  use_as_is: "Use as is",
  repair: "Repair",
  rework: "Rework",
  scrap: "Scrap",
  return_to_supplier: "Return to supplier",
};

export const MAX_DESCRIPTION = 2000;

export const ncrNumber = (n: number) => `NCR-${String(n).padStart(6, "0")}`;
export const deviationNumber = (n: number) => `DEV-${String(n).padStart(6, "0")}`;

/** Dispositions that fit the NCR's target: a unit or an operation is not returned to a supplier. */
export function dispositionsFor(target: NcrTarget): Disposition[] {
  return target === "unit" || target === "operation" ? ["use_as_is", "repair", "rework", "scrap"] : [...DISPOSITIONS];
}

export function assertDisposition(target: NcrTarget, disposition: string): Disposition {
  const allowed = dispositionsFor(target);
  if (!(allowed as string[]).includes(disposition)) {
    throw new DomainError("VALIDATION_FAILED", `Choose a disposition: ${allowed.map((d) => DISPOSITION_WORDS[d]).join(", ")}.`, { field: "disposition" });
  }
  return disposition as Disposition;
}

export function requireDescription(text: string | null | undefined): string {
  const d = (text ?? "").trim();
  if (d.length < 3) throw new DomainError("VALIDATION_FAILED", "Describe the nonconformance (at least a few words).", { field: "description" });
  if (d.length > MAX_DESCRIPTION) throw new DomainError("VALIDATION_FAILED", `The description is too long (at most ${MAX_DESCRIPTION} characters).`, { field: "description" });
  return d;
}

/** The fields of an NCR its MRB signatures cover: what is nonconforming, the report, and the disposition decided. */
export type NcrRecord = {
  siteId: string;
  id: string;
  number: number;
  source: string;
  defect: string;
  targetType: string;
  partRevisionId: string | null;
  lotId: string | null;
  serialItemId: string | null;
  unitId: string | null;
  operationSeq: number | null;
  edgeId: string | null;
  locationId: string | null;
  quantity: string;
  description: string;
  raisedBy: string;
  raisedAt: Date;
  disposition: string | null;
  dispositionReason: string | null;
  dispositionBy: string | null;
  dispositionAt: Date | null;
};

/** The signed content of an NCR's disposition: every MRB signer signs the same content (report + decision). */
export function ncrDispositionContent(n: NcrRecord): Signable {
  return {
    recordType: "ncr",
    siteId: n.siteId,
    id: n.id,
    number: n.number,
    source: n.source,
    defect: n.defect,
    targetType: n.targetType,
    partRevisionId: n.partRevisionId,
    lotId: n.lotId,
    serialItemId: n.serialItemId,
    unitId: n.unitId,
    operationSeq: n.operationSeq,
    edgeId: n.edgeId,
    locationId: n.locationId,
    quantity: new Decimal(n.quantity).toFixed(),
    description: n.description,
    raisedBy: n.raisedBy,
    raisedAt: n.raisedAt,
    disposition: n.disposition,
    dispositionReason: n.dispositionReason,
    dispositionBy: n.dispositionBy,
    dispositionAt: n.dispositionAt,
  };
}

/** The MRB roles still to sign, in the site's order. */
export function rolesToSign(required: readonly string[], signed: readonly string[]): string[] {
  return required.filter((r) => !signed.includes(r));
}

/** Which of the actor's roles signs next: the one asked for, or the only MRB role still open that they hold. */
export function signingRole(required: readonly string[], signed: readonly string[], actorRoles: readonly string[], asked: string | null | undefined, signerAlreadySigned: boolean): string {
  if (signerAlreadySigned) {
    throw new DomainError("MRB_SIGNER_ALREADY_SIGNED", "You already signed this disposition: another person must sign for the other role.", {});
  }
  const open = rolesToSign(required, signed);
  if (open.length === 0) throw new DomainError("NCR_NOT_OPEN", "Every role of the review board has signed this disposition.", {});
  const mine = open.filter((r) => actorRoles.includes(r));
  if (asked) {
    if (!required.includes(asked)) throw new DomainError("VALIDATION_FAILED", `The review board of this site does not sign as ${asked}.`, { field: "role" });
    if (!open.includes(asked)) throw new DomainError("VALIDATION_FAILED", `The ${asked.replace("_", " ")} has already signed this disposition.`, { field: "role" });
    if (!actorRoles.includes(asked)) throw new DomainError("FORBIDDEN", `You do not hold the role ${asked.replace("_", " ")} at this site.`, {});
    return asked;
  }
  if (mine.length === 0) {
    throw new DomainError("FORBIDDEN", `This disposition still needs the signature of: ${open.map((r) => r.replace("_", " ")).join(", ")}. You hold none of these roles here.`, { missing: open });
  }
  return mine[0]!;
}

// ---- attachments -----------------------------------------------------------------------------------------------------

export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
export const MAX_ATTACHMENTS = 10;
export const ATTACHMENT_TYPES = ["image/jpeg", "image/png", "image/webp", "image/heic", "application/pdf"] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/** The file's type from its first bytes (the declared type is not trusted): JPEG, PNG, WebP, HEIC or PDF, else null. */
export function sniffAttachmentType(bytes: Uint8Array): AttachmentType | null {
  const at = (i: number, ...b: number[]) => b.every((v, k) => bytes[i + k] === v);
  if (at(0, 0xff, 0xd8, 0xff)) return "image/jpeg";
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return "image/webp";
  if (at(4, 0x66, 0x74, 0x79, 0x70) && ["heic", "heix", "mif1", "msf1", "hevc"].includes(String.fromCharCode(...bytes.slice(8, 12)))) return "image/heic";
  if (at(0, 0x25, 0x50, 0x44, 0x46, 0x2d)) return "application/pdf";
  return null;
}

export function checkAttachment(fileName: string, bytes: Uint8Array): { fileName: string; contentType: AttachmentType } {
  const name = fileName.trim().replace(/[\\/]/g, "_").slice(0, 200) || "attachment";
  if (bytes.length === 0) throw new DomainError("VALIDATION_FAILED", `${name} is empty.`, { field: "attachments" });
  if (bytes.length > MAX_ATTACHMENT_BYTES) {
    throw new DomainError("VALIDATION_FAILED", `${name} is too large (${(bytes.length / 1048576).toFixed(1)} MB; at most 5 MB per file).`, { field: "attachments" });
  }
  const contentType = sniffAttachmentType(bytes);
  if (!contentType) throw new DomainError("VALIDATION_FAILED", `${name} is not a photo (JPEG, PNG, WebP, HEIC) or a PDF.`, { field: "attachments" });
  return { fileName: name, contentType };
}

// ---- deviations ------------------------------------------------------------------------------------------------------

export const SUBSTITUTE_KINDS = ["part", "revision", "manufacturer", "lot"] as const;
export type SubstituteKind = (typeof SUBSTITUTE_KINDS)[number];

export type DeviationRecord = {
  siteId: string;
  id: string;
  number: number;
  designedPartRevisionId: string;
  substituteKind: string;
  substitutePartRevisionId: string | null;
  substituteManufacturerId: string | null;
  substituteLotId: string | null;
  workOrderId: string | null;
  unitIds: readonly string[];
  reason: string;
  expiresAt: Date;
  quantityLimit: string;
  approvedBy: string;
  approvedAt: Date;
  ncrId: string | null;
};

/** The signed content of a deviation's approval (its use, quantity_used, is not part of it: installs do not invalidate it). */
export function deviationContent(d: DeviationRecord): Signable {
  return {
    recordType: "deviation",
    siteId: d.siteId,
    id: d.id,
    number: d.number,
    designedPartRevisionId: d.designedPartRevisionId,
    substituteKind: d.substituteKind,
    substitutePartRevisionId: d.substitutePartRevisionId,
    substituteManufacturerId: d.substituteManufacturerId,
    substituteLotId: d.substituteLotId,
    workOrderId: d.workOrderId,
    unitIds: [...d.unitIds].sort(),
    reason: d.reason,
    expiresAt: d.expiresAt,
    quantityLimit: new Decimal(d.quantityLimit).toFixed(),
    approvedBy: d.approvedBy,
    approvedAt: d.approvedAt,
    ncrId: d.ncrId,
  };
}

/** A deviation as the station weighs it, with the words that name it. */
export type DeviationCandidate = {
  id: string;
  number: number;
  status: string;
  workOrderId: string | null;
  unitIds: readonly string[];
  expiresAt: Date;
  quantityLimit: string;
  quantityUsed: string;
  /** false: the approval signature no longer matches the record */
  signatureValid: boolean;
};

export type DeviationJudgement = { ok: true; deviation: DeviationCandidate } | { ok: false; nearest: DeviationCandidate | null; why: string };

/**
 * Whether one of the deviations naming this substitute authorises installing `quantity` into the unit now: approved,
 * signature intact, for this unit or its order, not expired, with quantity left. The first valid one is chosen (the
 * one expiring first); otherwise the nearest miss and why it does not apply.
 */
export function judgeDeviations(candidates: readonly DeviationCandidate[], use: { unitId: string; workOrderId: string; quantity: string; now: Date }): DeviationJudgement {
  const why = (d: DeviationCandidate): string | null => {
    const n = deviationNumber(d.number);
    if (d.status !== "approved") return `deviation ${n} was revoked`;
    if (!d.signatureValid) return `deviation ${n} was changed after it was signed`;
    if (d.workOrderId ? d.workOrderId !== use.workOrderId : !d.unitIds.includes(use.unitId)) return `deviation ${n} is for other units`;
    if (d.expiresAt.getTime() <= use.now.getTime()) return `deviation ${n} expired on ${d.expiresAt.toISOString().slice(0, 10)}`;
    const left = new Decimal(d.quantityLimit).minus(d.quantityUsed);
    if (left.lt(use.quantity)) return left.lte(0) ? `deviation ${n} is used up (${new Decimal(d.quantityLimit).toFixed()} installed)` : `deviation ${n} has only ${left.toFixed()} left`;
    return null;
  };
  const sorted = [...candidates].sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime() || a.number - b.number);
  const valid = sorted.find((d) => why(d) === null);
  if (valid) return { ok: true, deviation: valid };
  const nearest = sorted[0] ?? null;
  return { ok: false, nearest, why: nearest ? why(nearest)! : "no deviation authorises it" };
}

/** The substitution reason written on the genealogy edge of an install under a deviation. */
export function substitutionReason(d: { number: number; reason: string }): string {
  return `${deviationNumber(d.number)}: ${d.reason}`;
}
