import "server-only";
import type { Db, DbOrTx } from "@/db/client";
import * as repo from "@/server/repos/ownership";
import { writeAudit } from "@/server/repos/audit";
import { DomainError } from "@/server/domain/shared/errors";
import type { Actor } from "@/server/auth/types";
import type { Ownership } from "@/server/domain/erp/versioning";
import { requireRole } from "@/server/services/shared/require-role";
import { ownershipDecisionContent } from "@/server/domain/quality/rule-signatures";
import { ownershipChangeRows, signaturesOfAnySite } from "@/server/repos/rule-signatures";
import { reauthenticateSigner, verifySignature, writeSignature, type SignatureMethod, type SignatureView, type SigningContext } from "@/server/services/quality/sign-record";

type Who = Pick<Actor, "userId" | "displayName">;
export type ProposeOwnershipChange = { entity: string; attribute: string; owner: Ownership["owner"]; direction: Ownership["direction"]; reason: string };

/** Step 1 of the change control: an admin proposes a new owner/direction for one registry row, with a reason. */
export async function proposeOwnershipChange(db: Db, actor: Who, cmd: ProposeOwnershipChange, now: Date) {
  const reason = cmd.reason.trim();
  if (reason.length < 10) throw new DomainError("VALIDATION_FAILED", "Give a reason of at least 10 characters: it goes into the audit trail.", { field: "reason" });
  if (cmd.owner === "erp" && cmd.direction === "traceline_to_erp") {
    throw new DomainError("VALIDATION_FAILED", "An attribute owned by ERP cannot flow from Traceline to ERP.", { field: "direction" });
  }
  return db.transaction(async (tx) => {
    const row = await repo.lockOwnershipRow(tx, cmd.entity, cmd.attribute);
    if (!row) throw new DomainError("NOT_FOUND", `${cmd.entity}.${cmd.attribute} is not in the ownership registry.`);
    if (row.owner === cmd.owner && row.direction === cmd.direction) {
      throw new DomainError("VALIDATION_FAILED", `${cmd.entity}.${cmd.attribute} already has that owner and direction.`, { field: "owner" });
    }
    if (await repo.openChangeFor(tx, cmd.entity, cmd.attribute)) {
      throw new DomainError("REQUEST_CONFLICT", `A change to ${cmd.entity}.${cmd.attribute} is already waiting for approval.`);
    }
    const change = await repo.insertChange(tx, {
      entity: cmd.entity,
      attribute: cmd.attribute,
      proposedOwner: cmd.owner,
      proposedDirection: cmd.direction,
      reason,
      proposedBy: actor.userId,
      proposedAt: now,
    });
    await writeAudit(tx, {
      siteId: null,
      actorUserId: actor.userId,
      actorName: actor.displayName,
      action: "ownership_change_proposed",
      entity: "ownership_registry",
      entityId: `${cmd.entity}.${cmd.attribute}`,
      oldValue: { owner: row.owner, direction: row.direction },
      newValue: { owner: cmd.owner, direction: cmd.direction },
      reason,
      occurredAt: now,
    });
    return change;
  });
}

export type DecideOwnershipChange = {
  changeId: string;
  approve: boolean;
  reason?: string;
  /** the decision is signed (issue 19, Must 5): "approval" to approve, "review" to reject */
  signature: { method: SignatureMethod; secret: string; meaning: string };
};

/**
 * Step 2: a second admin approves (the registry row changes) or rejects, and signs the decision: re-authenticated,
 * bound to the change record as decided (what was proposed, by whom, why, and the decision). The proposer cannot
 * decide their own change.
 */
export async function decideOwnershipChange(db: Db, actor: Actor, cmd: DecideOwnershipChange, ctx: SigningContext) {
  requireRole(actor, ["admin"], "decide ownership-registry changes");
  const meaning = cmd.approve ? "approval" : "review";
  if (cmd.signature.meaning !== meaning) {
    throw new DomainError("VALIDATION_FAILED", `${cmd.approve ? "An approval" : "A rejection"} is signed with the meaning "${meaning}".`, { meaning: cmd.signature.meaning });
  }
  const seen = await db.transaction((tx) => repo.lockChange(tx, cmd.changeId));
  if (!seen) throw new DomainError("NOT_FOUND", "That change request does not exist.");
  assertDecidable(seen, actor);
  const signer = await reauthenticateSigner(db, actor, { ...cmd.signature, meaning }, { recordType: "ownership_change", recordId: seen.id }, ctx);
  const now = ctx.now;
  return db.transaction(async (tx) => {
    const change = await repo.lockChange(tx, cmd.changeId);
    if (!change) throw new DomainError("NOT_FOUND", "That change request does not exist.");
    assertDecidable(change, actor);
    const row = await repo.lockOwnershipRow(tx, change.entity, change.attribute);
    if (!row) throw new DomainError("NOT_FOUND", `${change.entity}.${change.attribute} is no longer in the registry.`);
    const status = cmd.approve ? ("approved" as const) : ("rejected" as const);
    await repo.decideChange(tx, change.id, { status, decidedBy: actor.userId, decidedAt: now });
    if (cmd.approve) await repo.setOwnership(tx, change.entity, change.attribute, { owner: change.proposedOwner, direction: change.proposedDirection }, now);
    const signature = await writeSignature(tx, actor, signer, { recordType: "ownership_change", recordId: change.id, content: ownershipDecisionContent({ ...change, status, decidedBy: actor.userId, decidedAt: now }) }, now);
    await writeAudit(tx, {
      siteId: null,
      actorUserId: actor.userId,
      actorName: actor.displayName,
      action: cmd.approve ? "ownership_change_approved" : "ownership_change_rejected",
      entity: "ownership_registry",
      entityId: `${change.entity}.${change.attribute}`,
      oldValue: { owner: row.owner, direction: row.direction },
      newValue: { ...(cmd.approve ? { owner: change.proposedOwner, direction: change.proposedDirection } : { owner: row.owner, direction: row.direction }), signatureId: signature.id },
      reason: cmd.reason?.trim() || change.reason,
      occurredAt: now,
    });
    return { status, signatureId: signature.id };
  });
}

function assertDecidable(change: { status: string; proposedBy: string }, actor: Who): void {
  if (change.status !== "proposed") throw new DomainError("REQUEST_CONFLICT", `That change was already ${change.status}.`);
  if (change.proposedBy === actor.userId) {
    throw new DomainError("FORBIDDEN", "A second person must approve or reject a change you proposed.");
  }
}

/** Decided changes with their decision's signature, verified against the change record as it is now. */
export async function withDecisionSignatures<T extends { id: string }>(db: DbOrTx, rows: T[]): Promise<(T & { signature: SignatureView | null })[]> {
  const ids = rows.map((r) => r.id);
  const [records, sigs] = await Promise.all([ownershipChangeRows(db, ids), signaturesOfAnySite(db, "ownership_change", ids)]);
  return rows.map((r) => {
    const rec = records.find((x) => x.id === r.id);
    const sig = sigs.filter((g) => g.recordId === r.id).at(-1);
    return { ...r, signature: rec && sig ? verifySignature(sig, ownershipDecisionContent(rec)) : null };
  });
}
