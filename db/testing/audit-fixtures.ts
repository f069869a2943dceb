import { and, asc, eq } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { auditLog } from "../schema";

/** The audit rows of one action on one entity id, oldest first (for tests under server/api, which hold no queries). */
export async function auditRowsFor(db: DbOrTx, action: string, entityId: string) {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.entityId, entityId)))
    .orderBy(asc(auditLog.id));
}
