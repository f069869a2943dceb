import "server-only";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { userSessions, users } from "@/db/schema";
import type { DbOrTx } from "@/db/client";
import type { SignInMethod } from "@/server/domain/auth/session-lifetime";

/* Sign-in sessions (table user_sessions): created at sign-in, ended at sign-out; checked on every request by
 * findSessionActor in auth-users.ts, in the statement that reads the actor. */

export async function createSession(
  db: DbOrTx,
  s: { userId: string; method: SignInMethod; signedInAt: Date; idleTimeoutMs: number; expiresAt: Date; clientKey: string },
): Promise<{ id: string }> {
  const [row] = await db
    .insert(userSessions)
    .values({
      userId: s.userId,
      method: s.method,
      signedInAt: s.signedInAt,
      lastSeenAt: s.signedInAt,
      idleTimeoutS: Math.max(1, Math.round(s.idleTimeoutMs / 1000)),
      expiresAt: s.expiresAt,
      clientKey: s.clientKey,
    })
    .returning({ id: userSessions.id });
  return row!;
}

/** End a session that is still open; returns its user (with their name, for the audit) or null when already ended. */
export async function endSession(
  db: DbOrTx,
  sessionId: string,
  reason: "signed_out" | "idle" | "expired",
  now: Date,
): Promise<{ userId: string; displayName: string; clientKey: string } | null> {
  const [row] = await db
    .update(userSessions)
    .set({ endedAt: now, endReason: reason })
    .where(and(eq(userSessions.id, sessionId), isNull(userSessions.endedAt)))
    .returning({ userId: userSessions.userId, clientKey: userSessions.clientKey, displayName: sql<string>`(select ${users.displayName} from ${users} where ${users.id} = ${userSessions.userId})` });
  return row ?? null;
}

/** Drop a user's sessions that ended or expired before `before` (kept a day for inspection; the audit log keeps sign-ins). */
export async function pruneSessions(db: DbOrTx, userId: string, before: Date): Promise<void> {
  await db.delete(userSessions).where(and(eq(userSessions.userId, userId), or(lt(userSessions.endedAt, before), lt(userSessions.expiresAt, before))));
}

export type SessionRow = typeof userSessions.$inferSelect;

export async function findSession(db: DbOrTx, sessionId: string): Promise<SessionRow | null> {
  const [row] = await db.select().from(userSessions).where(eq(userSessions.id, sessionId));
  return row ?? null;
}
