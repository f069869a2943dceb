import "server-only";
import type { Db } from "@/db/client";
import * as issues from "@/server/repos/erp-goods-issues";
import { writeAudit } from "@/server/repos/audit";
import type { Actor } from "@/server/auth/types";

/**
 * A site's rule for ERP goods issues of material from a manufacturer that the part's AML disqualifies, or that is not on
 * it: `warn` (applied with a warning: kitting and the station refuse the material anyway) or `refuse` (the issue is
 * rejected on payload.manufacturer). Changed by an administrator with a reason, audited.
 */
export async function setUnapprovedMaterialPolicy(db: Db, actor: Pick<Actor, "userId" | "displayName" | "siteId">, policy: "warn" | "refuse", reason: string, now: Date): Promise<{ policy: "warn" | "refuse" }> {
  return db.transaction(async (tx) => {
    const before = await issues.unapprovedMaterialPolicy(tx, actor.siteId);
    if (before === policy) return { policy };
    await issues.setUnapprovedMaterialPolicy(tx, actor.siteId, policy);
    await writeAudit(tx, {
      siteId: actor.siteId,
      actorUserId: actor.userId,
      actorName: actor.displayName,
      action: "erp_unapproved_material_policy_changed",
      entity: "site",
      entityId: actor.siteId,
      oldValue: { policy: before },
      newValue: { policy },
      reason: reason.trim(),
      occurredAt: now,
    });
    return { policy };
  });
}
