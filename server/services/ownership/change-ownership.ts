import "server-only";
import type { Db } from "@/db/client";
import * as repo from "@/server/repos/ownership";
import { writeAudit } from "@/server/repos/audit";
import { DomainError } from "@/server/domain/shared/errors";
import type { Actor } from "@/server/auth/types";
import type { Ownership } from "@/server/domain/erp/versioning";

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

/** Step 2: a second admin approves (the registry row changes) or rejects. The proposer cannot decide their own change. */
export async function decideOwnershipChange(db: Db, actor: Who, cmd: { changeId: string; approve: boolean; reason?: string }, now: Date) {
  return db.transaction(async (tx) => {
    const change = await repo.lockChange(tx, cmd.changeId);
    if (!change) throw new DomainError("NOT_FOUND", "That change request does not exist.");
    if (change.status !== "proposed") throw new DomainError("REQUEST_CONFLICT", `That change was already ${change.status}.`);
    if (change.proposedBy === actor.userId) {
      throw new DomainError("FORBIDDEN", "A second person must approve or reject a change you proposed.");
    }
    const row = await repo.lockOwnershipRow(tx, change.entity, change.attribute);
    if (!row) throw new DomainError("NOT_FOUND", `${change.entity}.${change.attribute} is no longer in the registry.`);
    await repo.decideChange(tx, change.id, { status: cmd.approve ? "approved" : "rejected", decidedBy: actor.userId, decidedAt: now });
    if (cmd.approve) await repo.setOwnership(tx, change.entity, change.attribute, { owner: change.proposedOwner, direction: change.proposedDirection }, now);
    await writeAudit(tx, {
      siteId: null,
      actorUserId: actor.userId,
      actorName: actor.displayName,
      action: cmd.approve ? "ownership_change_approved" : "ownership_change_rejected",
      entity: "ownership_registry",
      entityId: `${change.entity}.${change.attribute}`,
      oldValue: { owner: row.owner, direction: row.direction },
      newValue: cmd.approve ? { owner: change.proposedOwner, direction: change.proposedDirection } : { owner: row.owner, direction: row.direction },
      reason: cmd.reason?.trim() || change.reason,
      occurredAt: now,
    });
    return { status: cmd.approve ? ("approved" as const) : ("rejected" as const) };
  });
}
