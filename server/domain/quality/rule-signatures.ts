/**
 * The signed content of the records issue 19 (Must 5) puts under electronic signature beside holds, NCR dispositions
 * and deviations: an ownership-registry decision, a rule change (an allowed-lot entry added or lifted, a part policy
 * edited) and an operation's inspector buy-off. A signature is bound to the SHA-256 of this content
 * (server/services/quality/hash.ts); verification recomputes it from the record as it is now, so any later alteration
 * of a covered field shows the signature INVALID. Pure: no database, no clock.
 */
import type { Signable } from "./signature";
import { deviationContent, type DeviationRecord } from "./nonconformance";

/** An ownership-registry change as decided: what was proposed, by whom and why, and the decision. */
export type OwnershipChangeRecord = {
  id: string;
  entity: string;
  attribute: string;
  proposedOwner: string;
  proposedDirection: string;
  reason: string;
  proposedBy: string;
  proposedAt: Date;
  status: string;
  decidedBy: string | null;
  decidedAt: Date | null;
};

export function ownershipDecisionContent(c: OwnershipChangeRecord): Signable {
  return {
    recordType: "ownership_change",
    id: c.id,
    entity: c.entity,
    attribute: c.attribute,
    proposedOwner: c.proposedOwner,
    proposedDirection: c.proposedDirection,
    reason: c.reason,
    proposedBy: c.proposedBy,
    proposedAt: c.proposedAt,
    status: c.status,
    decidedBy: c.decidedBy,
    decidedAt: c.decidedAt,
  };
}

/** An entry of a work order's allowed-lot list. */
export type AllowedLotRecord = {
  siteId: string;
  id: string;
  workOrderId: string;
  workOrderBomLineId: string | null;
  partRevisionId: string;
  lotId: string;
  reason: string;
  addedBy: string;
  addedAt: Date;
  removedBy: string | null;
  removedAt: Date | null;
};

/**
 * "added" covers the entry as placed (lifting it later does not invalidate it); "removed" covers the whole entry, its
 * lifting included (as a hold's placing and release).
 */
export function allowedLotContent(a: AllowedLotRecord, what: "added" | "removed"): Signable {
  const added = {
    recordType: "allowed_lot",
    siteId: a.siteId,
    id: a.id,
    workOrderId: a.workOrderId,
    workOrderBomLineId: a.workOrderBomLineId,
    partRevisionId: a.partRevisionId,
    lotId: a.lotId,
    reason: a.reason,
    addedBy: a.addedBy,
    addedAt: a.addedAt,
  };
  if (what === "added") return added;
  return { ...added, removedBy: a.removedBy, removedAt: a.removedAt };
}

/** A part policy edit as its audit row records it (the audit row is the change's record). */
export type PartPolicyChangeRecord = {
  id: string;
  partNumber: string;
  oldValue: unknown;
  newValue: unknown;
  reason: string | null;
  actorUserId: string | null;
  occurredAt: Date;
};

export function partPolicyChangeContent(c: PartPolicyChangeRecord): Signable {
  return {
    recordType: "part_policy_change",
    id: c.id,
    partNumber: c.partNumber,
    oldValue: toSignable(c.oldValue),
    newValue: toSignable(c.newValue),
    reason: c.reason,
    changedBy: c.actorUserId,
    changedAt: c.occurredAt,
  };
}

/** An operation of a unit as bought off: the work recorded, what is installed at it, who did it and who inspected. */
export type OperationBuyOffRecord = {
  siteId: string;
  unitOperationId: string;
  unitId: string;
  unitSerial: string;
  seq: number;
  code: string;
  parameters: Record<string, string>;
  toolIds: readonly string[];
  stationId: string | null;
  workDoneBy: string | null;
  workDoneAt: Date | null;
  /** the components installed at the operation when it was bought off (edge id, child, quantity) */
  installed: readonly { edgeId: string; partRevisionId: string; lotId: string | null; serialItemId: string | null; quantity: string }[];
  inspectedBy: string;
  inspectedAt: Date;
};

export function operationBuyOffContent(o: OperationBuyOffRecord): Signable {
  return {
    recordType: "operation_buy_off",
    siteId: o.siteId,
    id: o.unitOperationId,
    unitId: o.unitId,
    unitSerial: o.unitSerial,
    seq: o.seq,
    code: o.code,
    parameters: Object.fromEntries(Object.entries(o.parameters).sort(([a], [b]) => a.localeCompare(b))),
    toolIds: [...o.toolIds].sort(),
    stationId: o.stationId,
    workDoneBy: o.workDoneBy,
    workDoneAt: o.workDoneAt,
    installed: [...o.installed]
      .sort((a, b) => a.edgeId.localeCompare(b.edgeId))
      .map((i) => ({ edgeId: i.edgeId, partRevisionId: i.partRevisionId, lotId: i.lotId, serialItemId: i.serialItemId, quantity: trimQty(i.quantity) })),
    inspectedBy: o.inspectedBy,
    inspectedAt: o.inspectedAt,
  };
}

/** numeric(18,6) as read ("2.000000") and as written ("2") hash alike. */
function trimQty(q: string): string {
  return q.includes(".") ? q.replace(/0+$/, "").replace(/\.$/, "") : q;
}

function toSignable(v: unknown): Signable {
  if (v === undefined) return null;
  if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v instanceof Date) return v;
  if (Array.isArray(v)) return v.map(toSignable);
  if (typeof v === "object") return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, toSignable(x)]));
  return String(v);
}

/** A deviation's revocation: the approved deviation as signed, and who revoked it, when and why. */
export function deviationRevocationContent(d: DeviationRecord & { revokedBy: string | null; revokedAt: Date | null; revokeReason: string | null }): Signable {
  return { approved: deviationContent(d), revokedBy: d.revokedBy, revokedAt: d.revokedAt, revokeReason: d.revokeReason };
}

/** A withdrawn MRB proposal: which report and round, what was proposed, by whom, and who withdrew it, when and why. */
export type NcrWithdrawalRecord = {
  siteId: string;
  id: string;
  ncrId: string;
  round: number;
  disposition: string;
  dispositionReason: string | null;
  dispositionBy: string | null;
  dispositionAt: Date;
  reason: string;
  withdrawnBy: string;
  withdrawnAt: Date;
};

export function ncrWithdrawalContent(w: NcrWithdrawalRecord): Signable {
  return {
    recordType: "ncr_withdrawal",
    siteId: w.siteId,
    id: w.id,
    ncrId: w.ncrId,
    round: w.round,
    disposition: w.disposition,
    dispositionReason: w.dispositionReason,
    dispositionBy: w.dispositionBy,
    dispositionAt: w.dispositionAt,
    reason: w.reason,
    withdrawnBy: w.withdrawnBy,
    withdrawnAt: w.withdrawnAt,
  };
}
