import "server-only";
import type { DbOrTx } from "@/db/client";
import { writeAudit } from "@/server/repos/audit";
import { endSession } from "@/server/repos/user-sessions";

/**
 * Sign out: the session ends on the server (user_sessions.ended_at), so its cookie is refused from the next request
 * on, wherever it is replayed; audited. Signing out a session that already ended changes nothing.
 */
export async function signOutSession(db: DbOrTx, sessionId: string, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const ended = await endSession(tx, sessionId, "signed_out", now);
    if (!ended) return false;
    await writeAudit(tx, {
      siteId: null,
      actorUserId: ended.userId,
      actorName: ended.displayName,
      action: "sign_out",
      entity: "user",
      entityId: ended.userId,
      newValue: { sessionId, clientKey: ended.clientKey },
      occurredAt: now,
    });
    return true;
  });
}
