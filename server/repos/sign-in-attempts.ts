import "server-only";
import { and, desc, eq, gt, inArray, lt, lte, or, sql } from "drizzle-orm";
import { auditLog, signInAttempts } from "@/db/schema";
import type { DbOrTx, Tx } from "@/db/client";
import type { Attempt } from "@/server/domain/auth/sign-in-throttle";

/**
 * Serialise sign-in decisions on the given throttle keys until the transaction ends (so parallel guesses cannot all
 * see "not locked yet"). Always lock in the order given: callers pass the client key first, then the account key.
 */
export async function lockThrottleKeys(tx: Tx, keys: readonly string[]): Promise<void> {
  for (const key of keys) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`sign-in:${key}`}, 0))`);
  }
}

/** Attempts on one account or from one client in (since, until]. */
export async function attemptsFor(
  db: DbOrTx,
  key: { accountKey: string } | { clientKey: string },
  since: Date,
  until: Date,
): Promise<Attempt[]> {
  const match = "accountKey" in key ? eq(signInAttempts.accountKey, key.accountKey) : eq(signInAttempts.clientKey, key.clientKey);
  return db
    .select({ at: signInAttempts.at, succeeded: signInAttempts.succeeded })
    .from(signInAttempts)
    .where(and(match, gt(signInAttempts.at, since), lte(signInAttempts.at, until)));
}

export async function recordAttempt(
  db: DbOrTx,
  a: { accountKey: string; clientKey: string; succeeded: boolean; at: Date },
): Promise<{ id: number }> {
  const [row] = await db.insert(signInAttempts).values(a).returning({ id: signInAttempts.id });
  return row!;
}

/**
 * Drop attempts of this account and this client older than `before`: they can no longer matter to throttling (the
 * audit log keeps the history). Keeps the table small without a separate clean-up job.
 */
export async function pruneAttempts(db: DbOrTx, key: { accountKey: string; clientKey: string }, before: Date): Promise<void> {
  await db
    .delete(signInAttempts)
    .where(and(or(eq(signInAttempts.accountKey, key.accountKey), eq(signInAttempts.clientKey, key.clientKey)), lt(signInAttempts.at, before)));
}

/** An attempt is recorded as a failure before the secret is checked; a correct secret turns it into a success. */
export async function markAttemptSucceeded(db: DbOrTx, id: number): Promise<void> {
  await db.update(signInAttempts).set({ succeeded: true }).where(eq(signInAttempts.id, id));
}

/** A wrong secret of a disabled or site-less account is not a guess once the secret proved right: forget the attempt. */
export async function forgetAttempt(db: DbOrTx, id: number): Promise<void> {
  await db.delete(signInAttempts).where(eq(signInAttempts.id, id));
}

export const SIGN_IN_AUDIT_ACTIONS = ["sign_in", "sign_in_failed", "sign_in_throttled"] as const;

export type SignInAuditRow = {
  id: number;
  occurredAt: Date;
  action: string;
  reason: string | null;
  details: unknown;
};

/** A user's own most recent sign-in events (successes, failures, throttles), newest first. */
export async function recentSignInAudit(db: DbOrTx, userId: string, limit: number): Promise<SignInAuditRow[]> {
  return db
    .select({
      id: auditLog.id,
      occurredAt: auditLog.occurredAt,
      action: auditLog.action,
      reason: auditLog.reason,
      details: auditLog.newValue,
    })
    .from(auditLog)
    .where(and(eq(auditLog.entity, "user"), eq(auditLog.entityId, userId), inArray(auditLog.action, [...SIGN_IN_AUDIT_ACTIONS])))
    .orderBy(desc(auditLog.occurredAt), desc(auditLog.id))
    .limit(limit);
}
