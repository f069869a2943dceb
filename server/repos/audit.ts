import "server-only";
import { auditLog } from "@/db/schema";
import type { DbOrTx } from "@/db/client";

export type AuditEntry = {
  siteId: string | null;
  actorUserId: string | null;
  actorName: string;
  action: string;
  entity: string;
  entityId: string;
  oldValue?: unknown;
  newValue?: unknown;
  reason?: string | null;
  requestId?: string | null;
  occurredAt?: Date;
};

/** Invariant 11: call inside the transaction that makes the change, so the audit row commits with it or not at all. */
export async function writeAudit(db: DbOrTx, e: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    siteId: e.siteId,
    actorUserId: e.actorUserId,
    actorName: e.actorName,
    action: e.action,
    entity: e.entity,
    entityId: e.entityId,
    oldValue: e.oldValue ?? null,
    newValue: e.newValue ?? null,
    reason: e.reason ?? null,
    requestId: e.requestId ?? null,
    ...(e.occurredAt ? { occurredAt: e.occurredAt } : {}),
  });
}
