import "server-only";
import { randomUUID } from "node:crypto";
import type { DbOrTx } from "@/db/client";
import { writeAudit } from "@/server/repos/audit";
import { findUserByBadge, findUserByUsername, siteMembershipsOf, type CredentialUser, type SignInUser } from "@/server/repos/auth-users";
import { setOwnSecret } from "@/server/repos/admin-users";
import { passwordProblem } from "@/server/domain/auth/password-policy";
import { pinProblem, requiredPinLengthFrom } from "@/server/domain/auth/pin-policy";
import { attemptsFor, forgetAttempt, lockThrottleKeys, markAttemptSucceeded, pruneAttempts, recordAttempt } from "@/server/repos/sign-in-attempts";
import { DomainError } from "@/server/domain/shared/errors";
import {
  ACCOUNT_THROTTLE,
  CLIENT_THROTTLE,
  lockedUntil,
  minutesLeft,
  throttleLookbackMs,
  throttledMessage,
} from "@/server/domain/auth/sign-in-throttle";
import { idleLimitsFrom, idleTimeoutMs, SESSION_LIFETIME_MS, type IdleLimits, type SignInMethod } from "@/server/domain/auth/session-lifetime";
import { createSession, pruneSessions } from "@/server/repos/user-sessions";
import { hashSecret, verifySecret } from "./passwords";
import { normalizeClientKey } from "./client-key";

/**
 * Sign-in with a user name and password (office) or a badge id and PIN (shop floor), throttled per account and per
 * client (see server/domain/auth/sign-in-throttle.ts), each failure, throttle and success audited.
 *
 * Refusals (DomainError): SIGN_IN_FAILED (unknown account or wrong secret: the same words for both, both counted),
 * SIGN_IN_THROTTLED (with the minutes to wait), ACCOUNT_DISABLED and FORBIDDEN (no role at any site), the last two
 * only once the secret proved right, so they reveal nothing to someone guessing.
 *
 * Each attempt is first recorded as a failure (under advisory locks on the client and account keys), the secret is
 * checked outside any transaction, then the attempt is confirmed. Parallel guesses therefore count against the limit
 * before they are checked, and no database connection waits on argon2.
 */

export type SignInContext = {
  clientKey: string;
  now: Date;
  /** Idle timeouts of the session this sign-in opens; from the environment when not given (server/auth/session-policy). */
  idleLimits?: IdleLimits;
};

export type SignedInUser = {
  userId: string;
  /** The user_sessions row this sign-in opened. */
  sessionId: string;
  displayName: string;
  sessionVersion: number;
  /** The first site (by code) the user has a role at; the session may switch later. */
  activeSiteId: string;
  method: SignInMethod;
};

const LIMITS = { identifier: 200, password: 1024, pin: 64 } as const;
/**
 * Attempts (and ended sessions) older than this cannot affect throttling (the longest lookback, with the escalation of
 * locks over 24 hours, is about 28 hours: server/domain/auth/sign-in-throttle.ts); the audit log keeps them.
 */
const PRUNE_AFTER_MS = 48 * 3_600_000;

export async function signInWithPassword(
  db: DbOrTx,
  input: { username: string; password: string; newPassword?: string },
  ctx: SignInContext,
): Promise<SignedInUser> {
  const username = input.username.trim();
  if (!username || !input.password) throw new DomainError("VALIDATION_FAILED", "Enter your user name and password.", {}, { key: "enterUserPassword" });
  if (username.length > LIMITS.identifier || input.password.length > LIMITS.password || (input.newPassword?.length ?? 0) > LIMITS.password) {
    throw new DomainError("VALIDATION_FAILED", "The user name or password is too long.", {}, { key: "userPasswordTooLong" });
  }
  return attemptSignIn(db, { method: "password", identifier: username, secret: input.password, newSecret: input.newPassword || null }, ctx);
}

export async function signInWithBadge(db: DbOrTx, input: { badgeId: string; pin: string; newPin?: string }, ctx: SignInContext): Promise<SignedInUser> {
  const badgeId = input.badgeId.trim();
  if (!badgeId || !input.pin) throw new DomainError("VALIDATION_FAILED", "Scan your badge and enter your PIN.", {}, { key: "enterBadgePin" });
  if (badgeId.length > LIMITS.identifier || input.pin.length > LIMITS.pin) {
    throw new DomainError("VALIDATION_FAILED", "The badge or PIN is too long.", {}, { key: "badgePinTooLong" });
  }
  if (input.newPin && input.newPin.length > LIMITS.pin) throw new DomainError("VALIDATION_FAILED", "The new PIN is too long.", {}, { key: "newPinTooLong" });
  return attemptSignIn(db, { method: "badge", identifier: badgeId, secret: input.pin, newSecret: input.newPin || null }, ctx);
}

/** The catalog key of a throttled sign-in (messages/<locale>/signIn.json refusals; server/auth/sign-in-words.ts). */
const throttledText = (scope: "account" | "client", minutes: number) => ({ key: scope === "account" ? "throttledAccount" : "throttledClient", values: { minutes } });

const WRONG_SECRET: Record<SignInMethod, string> = {
  password: "User name or password is wrong.",
  badge: "Badge or PIN is wrong.",
};

/** newSecret: the user's own new password / PIN, when an administrator set the current one (must change at sign-in). */
type Attempted = { method: SignInMethod; identifier: string; secret: string; newSecret: string | null };

type Started =
  | { kind: "refused"; error: DomainError }
  | { kind: "started"; attemptId: number; user: CredentialUser | null; accountKey: string };

async function attemptSignIn(db: DbOrTx, a: Attempted, ctx: SignInContext): Promise<SignedInUser> {
  const clientKey = normalizeClientKey(ctx.clientKey);
  const now = ctx.now;
  const audit = (user: SignInUser | null, accountKey: string) => ({
    siteId: null,
    actorUserId: user?.id ?? null,
    actorName: user?.displayName ?? `${a.method === "password" ? "user name" : "badge"} ${a.identifier}`,
    entity: "user",
    entityId: user?.id ?? accountKey,
    occurredAt: now,
  });

  // 1. Throttle check and provisional failure, under the client and account locks.
  const started: Started = await db.transaction(async (tx) => {
    await lockThrottleKeys(tx, [`client:${clientKey}`]);
    const user = a.method === "password" ? await findUserByUsername(tx, a.identifier) : await findUserByBadge(tx, a.identifier);
    // Known users are throttled as one account whichever way they sign in; unknown names are counted by what was typed.
    const accountKey = user ? `user:${user.id}` : `${a.method === "password" ? "username" : "badge"}:${a.identifier}`;
    await lockThrottleKeys(tx, [`account:${accountKey}`]);

    const throttle = await currentLock(tx, accountKey, clientKey, now);
    if (throttle) {
      const minutes = minutesLeft(throttle.until, now);
      await writeAudit(tx, {
        ...audit(user, accountKey),
        action: "sign_in_throttled",
        newValue: { method: a.method, clientKey, scope: throttle.scope, lockedUntil: throttle.until.toISOString() },
        reason: throttle.scope === "account" ? "account locked after repeated failures" : "device blocked after repeated failures",
      });
      const message = throttledMessage(throttle.scope, minutes);
      return { kind: "refused", error: new DomainError("SIGN_IN_THROTTLED", message, { scope: throttle.scope, minutes }, throttledText(throttle.scope, minutes)) };
    }
    await pruneAttempts(tx, { accountKey, clientKey }, new Date(now.getTime() - PRUNE_AFTER_MS));
    const { id } = await recordAttempt(tx, { accountKey, clientKey, succeeded: false, at: now });
    return { kind: "started", attemptId: id, user, accountKey };
  });
  if (started.kind === "refused") throw started.error;
  const { user, accountKey, attemptId } = started;

  // 2. Check the secret, outside any transaction. Unknown accounts cost the same time as known ones.
  const hashed = user ? (a.method === "password" ? user.passwordHash : user.pinHash) : null;
  const secretOk = (await verifySecret(hashed ?? (await dummyHash()), a.secret)) && hashed !== null;
  // An administrator set the secret: the user chooses their own now (checked and hashed outside any transaction).
  const mustChange = secretOk && user !== null && (a.method === "password" ? user.mustChangePassword : user.mustChangePin);
  const change = mustChange ? await newSecretFor(a, hashed!) : null;

  // 3. Confirm the outcome.
  const outcome = await db.transaction(async (tx): Promise<DomainError | SignedInUser> => {
    if (!secretOk || !user) {
      const throttle = await currentLock(tx, accountKey, clientKey, now);
      await writeAudit(tx, {
        ...audit(user, accountKey),
        action: "sign_in_failed",
        newValue: { method: a.method, clientKey, ...(throttle ? { lockedUntil: throttle.until.toISOString(), scope: throttle.scope } : {}) },
        reason: user ? (hashed ? `wrong ${a.method === "password" ? "password" : "PIN"}` : `no ${a.method} sign-in set up`) : `unknown ${a.method === "password" ? "user name" : "badge"}`,
      });
      if (throttle) {
        const minutes = minutesLeft(throttle.until, now);
        return new DomainError("SIGN_IN_THROTTLED", throttledMessage(throttle.scope, minutes), { scope: throttle.scope, minutes }, throttledText(throttle.scope, minutes));
      }
      return new DomainError("SIGN_IN_FAILED", WRONG_SECRET[a.method], {}, { key: a.method === "password" ? "wrongPassword" : "wrongPin" });
    }
    if (!user.isActive) {
      await forgetAttempt(tx, attemptId);
      await writeAudit(tx, { ...audit(user, accountKey), action: "sign_in_failed", newValue: { method: a.method, clientKey }, reason: "account disabled" });
      return new DomainError("ACCOUNT_DISABLED", "This account is disabled. Ask your supervisor or an administrator.", {}, { key: "disabled" });
    }
    const memberships = await siteMembershipsOf(tx, user.id);
    const firstSite = memberships[0];
    if (!firstSite) {
      await forgetAttempt(tx, attemptId);
      await writeAudit(tx, { ...audit(user, accountKey), action: "sign_in_failed", newValue: { method: a.method, clientKey }, reason: "no role at any site" });
      return new DomainError("FORBIDDEN", "Your account has no role at any site yet. Ask an administrator to give you one.", {}, { key: "noRole" });
    }
    if (change && change.kind === "refused") {
      await forgetAttempt(tx, attemptId);
      await writeAudit(tx, { ...audit(user, accountKey), action: "sign_in_change_required", newValue: { method: a.method, clientKey }, reason: change.error.message });
      return change.error;
    }
    await markAttemptSucceeded(tx, attemptId);
    if (change && change.kind === "chosen") {
      await setOwnSecret(tx, user.id, a.method === "password" ? "password" : "pin", change.hash);
      await writeAudit(tx, { ...audit(user, accountKey), action: a.method === "password" ? "change_own_password" : "change_own_pin", newValue: { method: a.method, clientKey } });
    }
    const roles = [...new Set(memberships.flatMap((m) => m.roles))];
    const idleMs = idleTimeoutMs(a.method, roles, ctx.idleLimits ?? idleLimitsFrom(process.env));
    await pruneSessions(tx, user.id, new Date(now.getTime() - PRUNE_AFTER_MS));
    const session = await createSession(tx, {
      userId: user.id,
      method: a.method,
      signedInAt: now,
      idleTimeoutMs: idleMs,
      expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS[a.method]),
      clientKey,
    });
    await writeAudit(tx, {
      ...audit(user, accountKey),
      action: "sign_in",
      newValue: { method: a.method, clientKey, siteId: firstSite.id, sessionId: session.id, idleMinutes: Math.round(idleMs / 60_000) },
    });
    return {
      userId: user.id,
      sessionId: session.id,
      displayName: user.displayName,
      sessionVersion: user.sessionVersion,
      activeSiteId: firstSite.id,
      method: a.method,
    };
  });
  if (outcome instanceof DomainError) throw outcome;
  return outcome;
}

const SECRET_WORD: Record<SignInMethod, string> = { password: "password", badge: "PIN" };

/**
 * The user's own new secret when the current one was set by an administrator: refused (SECRET_CHANGE_REQUIRED when
 * none was given, VALIDATION_FAILED when it breaks the policy or is the temporary one again), else its hash.
 */
async function newSecretFor(a: Attempted, currentHash: string): Promise<{ kind: "refused"; error: DomainError } | { kind: "chosen"; hash: string }> {
  const word = SECRET_WORD[a.method];
  if (!a.newSecret) {
    return {
      kind: "refused",
      error: new DomainError("SECRET_CHANGE_REQUIRED", `Your ${word} was set by an administrator: choose your own new ${word} to sign in.`, { method: a.method }, { key: "mustChoose", values: { word } }),
    };
  }
  const why = a.method === "password" ? passwordProblem(a.newSecret, a.identifier) : pinProblem(a.newSecret, requiredPinLengthFrom(process.env));
  if (why) return { kind: "refused", error: new DomainError("SECRET_CHANGE_REQUIRED", `New ${word}: ${why}`, { method: a.method }, { key: "newSecretProblem", values: { word, why } }) };
  if (await verifySecret(currentHash, a.newSecret)) {
    return { kind: "refused", error: new DomainError("SECRET_CHANGE_REQUIRED", `Choose a new ${word}, not the one the administrator gave you.`, { method: a.method }, { key: "notTheTemporary", values: { word } }) };
  }
  return { kind: "chosen", hash: await hashSecret(a.newSecret) };
}

/** The client block first (it covers every account), then the account lock; null when neither is in force. */
async function currentLock(
  db: DbOrTx,
  accountKey: string,
  clientKey: string,
  now: Date,
): Promise<{ scope: "client" | "account"; until: Date } | null> {
  const clientSince = new Date(now.getTime() - throttleLookbackMs(CLIENT_THROTTLE));
  const clientUntil = lockedUntil(await attemptsFor(db, { clientKey }, clientSince, now), CLIENT_THROTTLE, now);
  if (clientUntil) return { scope: "client", until: clientUntil };
  const accountSince = new Date(now.getTime() - throttleLookbackMs(ACCOUNT_THROTTLE));
  const accountUntil = lockedUntil(await attemptsFor(db, { accountKey }, accountSince, now), ACCOUNT_THROTTLE, now);
  if (accountUntil) return { scope: "account", until: accountUntil };
  return null;
}

let dummy: Promise<string> | null = null;
/** A real argon2id hash of a random secret, so checking an unknown account takes as long as checking a known one. */
function dummyHash(): Promise<string> {
  dummy ??= hashSecret(randomUUID());
  return dummy;
}
