import "server-only";
import type { Db, DbOrTx } from "@/db/client";
import * as repo from "@/server/repos/ownership";
import { DomainError } from "@/server/domain/shared/errors";
import type { Actor } from "@/server/auth/types";
import { STORAGE_CLASSES, type StorageClass } from "@/server/domain/material-clock/material-clock";
import { requireRole } from "@/server/services/shared/require-role";
import { partPolicyChangeContent } from "@/server/domain/quality/rule-signatures";
import { insertAuditRow, partPolicyChanges, signaturesOfAnySite } from "@/server/repos/rule-signatures";
import { reauthenticateSigner, verifySignature, writeSignature, type SignatureMethod, type SignatureView, type SigningContext } from "@/server/services/quality/sign-record";

/** Part attributes a screen may offer to edit; each edit is allowed only if the registry names Traceline the owner. */
export const PART_POLICY_ATTRIBUTES = {
  shelf_life_days: "shelfLifeDays",
  min_remaining_shelf_life_days: "minRemainingShelfLifeDays",
  out_time_minutes: "outTimeMinutes",
  min_thaw_minutes: "minThawMinutes",
  pot_life_minutes: "potLifeMinutes",
  storage_class: "storageClass",
} as const;
export type PartPolicyAttribute = keyof typeof PART_POLICY_ATTRIBUTES;

export type EditPartPolicyCommand = {
  partNumber: string;
  attribute: PartPolicyAttribute;
  value: number | StorageClass | null;
  reason: string;
  /** a rule change is signed (issue 19, Must 5): meaning "approval", bound to the change's record (its audit row) */
  signature: { method: SignatureMethod; secret: string; meaning: string };
};

/**
 * Edit a shelf-life / out-time policy value of a part from a screen. Refused, naming the owner, when the ownership
 * registry says ERP owns that attribute. Audited with old and new value and the reason; the audit row is the change's
 * record, and the editor's signature (re-authenticated) is bound to it.
 */
export async function editPartPolicy(db: Db, actor: Actor, cmd: EditPartPolicyCommand, ctx: SigningContext): Promise<{ changeId: number; signatureId: string }> {
  requireRole(actor, ["admin"], "change part policies");
  if (cmd.attribute === "storage_class") {
    if (cmd.value !== null && !(STORAGE_CLASSES as readonly unknown[]).includes(cmd.value)) {
      throw new DomainError("VALIDATION_FAILED", "Choose a storage class (freezer, refrigerated, ambient, humidity-controlled), or clear the value.", { field: "value" });
    }
  } else if (cmd.value !== null && (typeof cmd.value !== "number" || !Number.isInteger(cmd.value) || cmd.value <= 0 || cmd.value > 100_000)) {
    throw new DomainError("VALIDATION_FAILED", "Enter a whole number greater than zero, or clear the value.", { field: "value" });
  }
  if (cmd.reason.trim().length < 5) throw new DomainError("VALIDATION_FAILED", "Give a reason: it goes into the audit trail.", { field: "reason" });
  if (cmd.signature.meaning !== "approval") throw new DomainError("VALIDATION_FAILED", 'A rule change is signed with the meaning "approval".', { meaning: cmd.signature.meaning });
  // refusals that need no signature first (owner, part), then re-authentication, then the change
  await db.transaction((tx) => lockPolicyTarget(tx, cmd));
  const signer = await reauthenticateSigner(db, actor, { ...cmd.signature, meaning: "approval" }, { recordType: "part_policy_change", recordId: null }, ctx);
  const now = ctx.now;
  return db.transaction(async (tx) => {
    const part = await lockPolicyTarget(tx, cmd);
    const column = PART_POLICY_ATTRIBUTES[cmd.attribute];
    const old = part[column];
    await repo.updatePartColumns(tx, part.id, { [column]: cmd.value, updatedAt: now });
    const row = {
      siteId: null,
      actorUserId: actor.userId,
      actorName: actor.displayName,
      action: "part_policy_edited",
      entity: "part",
      entityId: part.partNumber,
      oldValue: { [cmd.attribute]: old },
      newValue: { [cmd.attribute]: cmd.value },
      reason: cmd.reason.trim(),
      occurredAt: now,
    };
    const changeId = await insertAuditRow(tx, row);
    const content = partPolicyChangeContent({ id: String(changeId), partNumber: row.entityId, oldValue: row.oldValue, newValue: row.newValue, reason: row.reason, actorUserId: row.actorUserId, occurredAt: now });
    const signature = await writeSignature(tx, actor, signer, { recordType: "part_policy_change", recordId: String(changeId), content }, now);
    return { changeId, signatureId: signature.id };
  });
}

async function lockPolicyTarget(tx: DbOrTx, cmd: { partNumber: string; attribute: PartPolicyAttribute }) {
  const owner = await repo.lockOwnershipRow(tx, "part", cmd.attribute);
  if (!owner || owner.owner !== "traceline") {
    throw new DomainError(
      "OWNED_BY_OTHER_SYSTEM",
      owner ? `part.${cmd.attribute} is owned by ERP: change it in ERP, it reaches Traceline through the interface.` : `part.${cmd.attribute} is not in the ownership registry.`,
      { owner: owner?.owner ?? null, attribute: `part.${cmd.attribute}` },
    );
  }
  const part = await repo.lockPart(tx, cmd.partNumber);
  if (!part) throw new DomainError("NOT_FOUND", `Part ${cmd.partNumber} does not exist.`);
  return part;
}

export type PartPolicyChangeView = {
  id: number;
  partNumber: string;
  attribute: string;
  oldValue: string | number | null;
  newValue: string | number | null;
  reason: string | null;
  changedByName: string;
  changedAt: Date;
  signature: SignatureView | null;
};

/** The latest part policy changes with their signatures, verified against the change records as they are now. */
export async function listPartPolicyChanges(db: DbOrTx, limit = 20): Promise<PartPolicyChangeView[]> {
  const rows = await partPolicyChanges(db, limit);
  const sigs = await signaturesOfAnySite(db, "part_policy_change", rows.map((r) => String(r.id)));
  return rows.map((r) => {
    const sig = sigs.filter((g) => g.recordId === String(r.id)).at(-1);
    const [attribute, newValue] = Object.entries((r.newValue ?? {}) as Record<string, string | number | null>)[0] ?? ["", null];
    const oldValue = ((r.oldValue ?? {}) as Record<string, string | number | null>)[attribute] ?? null;
    const content = partPolicyChangeContent({ id: String(r.id), partNumber: r.partNumber, oldValue: r.oldValue, newValue: r.newValue, reason: r.reason, actorUserId: r.actorUserId, occurredAt: r.occurredAt });
    return { id: r.id, partNumber: r.partNumber, attribute, oldValue, newValue, reason: r.reason, changedByName: r.actorName, changedAt: r.occurredAt, signature: sig ? verifySignature(sig, content) : null };
  });
}
