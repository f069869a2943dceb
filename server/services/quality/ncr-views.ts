import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor, Role } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import {
  DEFECT_WORDS,
  DISPOSITION_WORDS,
  STATUS_WORDS,
  dispositionsFor,
  ncrDispositionContent,
  ncrNumber,
  rolesToSign,
  type Disposition,
  type NcrDefect,
  type NcrStatus,
  type NcrTarget,
} from "@/server/domain/quality/nonconformance";
import { signaturesOf } from "@/server/repos/quality-holds";
import { attachmentsOf, findNcrRow, listNcrs, ncrListRow, signoffsOf, siteMrbRoles, type AttachmentMeta, type NcrListFilters, type NcrListRow } from "@/server/repos/nonconformance";
import { requireRole } from "@/server/services/shared/require-role";
import { fileStamp, formatZonedTime, toCsv } from "@/server/services/genealogy/export-format";
import { verifySignature, type SignatureView } from "./sign-record";

/** Who reads NCRs: quality, supervisors, and the floor (operators and kitting see the reports they work with). */
export const NCR_READ_ROLES: Role[] = ["quality_engineer", "supervisor", "operator", "kitting_clerk"];

export type NcrListView = NcrListRow & { numberText: string; statusText: string; defectText: string; dispositionText: string | null; what: string };

const what = (r: NcrListRow): string => {
  const part = r.partNumber ? `${r.partNumber} rev ${r.revision}` : "";
  if (r.targetType === "lot") return `${part}, lot ${r.lotNumber}`;
  if (r.targetType === "serial") return `${part}, serial ${r.serialNumber}`;
  if (r.targetType === "part_revision") return part;
  if (r.targetType === "operation") return `Unit ${r.unitSerial}, operation ${r.operationSeq}`;
  return `Unit ${r.unitSerial}`;
};

function view(r: NcrListRow): NcrListView {
  return {
    ...r,
    numberText: ncrNumber(r.number),
    statusText: STATUS_WORDS[r.status as NcrStatus] ?? r.status,
    defectText: DEFECT_WORDS[r.defect as NcrDefect] ?? r.defect,
    dispositionText: r.disposition ? (DISPOSITION_WORDS[r.disposition as Disposition] ?? r.disposition) : null,
    what: what(r),
  };
}

export const NCR_PAGE = 100;

export async function listNcrViews(db: DbOrTx, actor: Actor, f: NcrListFilters, page = 0): Promise<{ rows: NcrListView[]; hasMore: boolean }> {
  requireRole(actor, NCR_READ_ROLES, "read nonconformance reports");
  const rows = await listNcrs(db, actor.siteId, f, NCR_PAGE + 1, Math.max(0, page) * NCR_PAGE);
  return { rows: rows.slice(0, NCR_PAGE).map(view), hasMore: rows.length > NCR_PAGE };
}

export type MrbSignoffView = { role: Role; signerUserId: string; signature: SignatureView | null };

export type NcrDetail = NcrListView & {
  description: string;
  dispositionReason: string | null;
  attachments: AttachmentMeta[];
  requiredRoles: Role[];
  missingRoles: Role[];
  signoffs: MrbSignoffView[];
  /** true when a signature no longer matches the record */
  tampered: boolean;
  dispositions: { value: Disposition; label: string }[];
};

export async function getNcrDetail(db: DbOrTx, actor: Actor, ncrId: string): Promise<NcrDetail> {
  requireRole(actor, NCR_READ_ROLES, "read nonconformance reports");
  const [row, raw] = await Promise.all([ncrListRow(db, actor.siteId, ncrId), findNcrRow(db, actor.siteId, ncrId)]);
  if (!row || !raw) throw new DomainError("NOT_FOUND", "That nonconformance report does not exist at this site.", { ncrId });
  const [attachments, signoffs, required, sigs] = await Promise.all([
    attachmentsOf(db, actor.siteId, ncrId),
    signoffsOf(db, actor.siteId, ncrId, raw.mrbRound),
    siteMrbRoles(db, actor.siteId),
    signaturesOf(db, actor.siteId, "ncr", [ncrId]),
  ]);
  const content = ncrDispositionContent(raw);
  // in signing order; signatures of the same instant in the order of the site's roles
  const rank = (r: Role) => (required.indexOf(r) === -1 ? required.length : required.indexOf(r));
  signoffs.sort((a, b) => a.signedAt.getTime() - b.signedAt.getTime() || rank(a.role) - rank(b.role));
  const signoffViews: MrbSignoffView[] = signoffs.map((s) => {
    const sig = sigs.find((g) => g.id === s.signatureId);
    return { role: s.role, signerUserId: s.signerUserId, signature: sig ? verifySignature(sig, content) : null };
  });
  return {
    ...view(row),
    description: raw.description,
    dispositionReason: raw.dispositionReason,
    attachments,
    requiredRoles: required,
    missingRoles: raw.status === "closed" ? [] : (rolesToSign(required, signoffs.map((s) => s.role)) as Role[]),
    signoffs: signoffViews,
    tampered: signoffViews.some((s) => s.signature?.status === "invalid"),
    dispositions: dispositionsFor(raw.targetType as NcrTarget).map((d) => ({ value: d, label: DISPOSITION_WORDS[d] })),
  };
}

/** Every NCR the filters select (up to 10,000), as CSV for a spreadsheet. */
export async function ncrsCsv(db: DbOrTx, actor: Actor, f: NcrListFilters, now: Date): Promise<{ filename: string; contentType: string; body: string }> {
  requireRole(actor, ["quality_engineer", "supervisor"], "export nonconformance reports");
  const rows = (await listNcrs(db, actor.siteId, f, 10_000)).map(view);
  const header = ["NCR", "Status", "Raised at", "Raised by", "Source", "What is wrong", "Item", "Work order", "Quantity", "Unit of measure", "Location", "Description", "Disposition", "Closed at", "On hold"];
  const body = toCsv([
    header,
    ...rows.map((r) => [
      r.numberText,
      r.statusText,
      formatZonedTime(r.raisedAt, actor.timeZone),
      r.raisedByName,
      r.source,
      r.defectText,
      r.what,
      r.workOrderNumber,
      r.quantity,
      r.uom,
      r.locationCode,
      r.description,
      r.dispositionText,
      r.closedAt ? formatZonedTime(r.closedAt, actor.timeZone) : "",
      r.holdActive ? "yes" : "no",
    ]),
  ]);
  return { filename: `ncrs-${actor.siteCode}-${fileStamp(now, actor.timeZone)}.csv`, contentType: "text/csv; charset=utf-8", body };
}
