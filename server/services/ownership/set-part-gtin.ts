import "server-only";
import type { Db } from "@/db/client";
import * as repo from "@/server/repos/ownership";
import { writeAudit } from "@/server/repos/audit";
import { DomainError } from "@/server/domain/shared/errors";
import { gs1CheckDigit, hasValidCheckDigit } from "@/server/domain/scan/gs1-linters";
import type { Actor } from "@/server/auth/types";

/**
 * Set (or clear) the GTIN of a part from a screen, which labels are then checked against (server/domain/label-check).
 * Allowed only when the ownership registry gives `part.gtin` to Traceline; refused naming the owner otherwise. The
 * GTIN is stored as GTIN-14; a GTIN another part carries is refused naming that part. Audited with the reason.
 */
export async function setPartGtin(db: Db, actor: Pick<Actor, "userId" | "displayName">, cmd: { partNumber: string; gtin: string | null; reason: string }, now: Date) {
  const text = cmd.gtin?.trim() ?? "";
  let gtin: string | null = null;
  if (text !== "") {
    if (!/^(\d{8}|\d{12,14})$/.test(text)) throw new DomainError("VALIDATION_FAILED", "A GTIN is 8, 12, 13 or 14 digits.", { field: "gtin" });
    if (!hasValidCheckDigit(text)) {
      throw new DomainError("VALIDATION_FAILED", `The check digit of ${text} should be ${gs1CheckDigit(text.slice(0, -1))}: check the number.`, { field: "gtin" });
    }
    gtin = text.padStart(14, "0");
  }
  if (cmd.reason.trim().length < 5) throw new DomainError("VALIDATION_FAILED", "Give a reason: it goes into the audit trail.", { field: "reason" });
  return db.transaction(async (tx) => {
    const owner = await repo.lockOwnershipRow(tx, "part", "gtin");
    if (!owner || owner.owner !== "traceline") {
      throw new DomainError(
        "OWNED_BY_OTHER_SYSTEM",
        owner ? "part.gtin is owned by ERP: change it in ERP, it reaches Traceline through the interface." : "part.gtin is not in the ownership registry.",
        { owner: owner?.owner ?? null, attribute: "part.gtin" },
      );
    }
    const part = await repo.lockPart(tx, cmd.partNumber);
    if (!part) throw new DomainError("NOT_FOUND", `Part ${cmd.partNumber} does not exist.`);
    if (gtin) {
      const holder = await repo.partByGtin(tx, gtin);
      if (holder && holder.id !== part.id) throw new DomainError("VALIDATION_FAILED", `GTIN ${gtin} is already the GTIN of part ${holder.partNumber}.`, { field: "gtin" });
    }
    await repo.updatePartColumns(tx, part.id, { gtin, updatedAt: now });
    await writeAudit(tx, {
      siteId: null,
      actorUserId: actor.userId,
      actorName: actor.displayName,
      action: "part_gtin_set",
      entity: "part",
      entityId: part.partNumber,
      oldValue: { gtin: part.gtin },
      newValue: { gtin },
      reason: cmd.reason.trim(),
      occurredAt: now,
    });
    return { partNumber: part.partNumber, gtin };
  });
}
