import "server-only";
import type { Db } from "@/db/client";
import * as repo from "@/server/repos/ownership";
import { writeAudit } from "@/server/repos/audit";
import { DomainError } from "@/server/domain/shared/errors";
import type { Actor } from "@/server/auth/types";
import { STORAGE_CLASSES, type StorageClass } from "@/server/domain/material-clock/material-clock";

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

/**
 * Edit a shelf-life / out-time policy value of a part from a screen. Refused, naming the owner, when the ownership
 * registry says ERP owns that attribute. Audited with old and new value and the reason.
 */
export async function editPartPolicy(
  db: Db,
  actor: Pick<Actor, "userId" | "displayName">,
  cmd: { partNumber: string; attribute: PartPolicyAttribute; value: number | StorageClass | null; reason: string },
  now: Date,
) {
  if (cmd.attribute === "storage_class") {
    if (cmd.value !== null && !(STORAGE_CLASSES as readonly unknown[]).includes(cmd.value)) {
      throw new DomainError("VALIDATION_FAILED", "Choose a storage class (freezer, refrigerated, ambient, humidity-controlled), or clear the value.", { field: "value" });
    }
  } else if (cmd.value !== null && (typeof cmd.value !== "number" || !Number.isInteger(cmd.value) || cmd.value <= 0 || cmd.value > 100_000)) {
    throw new DomainError("VALIDATION_FAILED", "Enter a whole number greater than zero, or clear the value.", { field: "value" });
  }
  if (cmd.reason.trim().length < 5) throw new DomainError("VALIDATION_FAILED", "Give a reason: it goes into the audit trail.", { field: "reason" });
  return db.transaction(async (tx) => {
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
    const column = PART_POLICY_ATTRIBUTES[cmd.attribute];
    const old = part[column];
    await repo.updatePartColumns(tx, part.id, { [column]: cmd.value, updatedAt: now });
    await writeAudit(tx, {
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
    });
  });
}
