/**
 * Sign-in throttling rules (pure). Failed attempts are counted per account (a badge or user name: known users are one
 * account whichever way they sign in) and per client (its network address):
 * - account: 5 failures within 15 minutes lock the account (counted since its last successful sign-in);
 * - client: 20 failures within 15 minutes block that client (successes do not reset it, so a valid account cannot be
 *   used to launder guesses against others);
 * - progressive: the first lock lasts 15 minutes, and each further lock within 24 hours of the earlier ones lasts twice
 *   as long (30, 60, 120 minutes, at most 4 hours), so a PIN sprayed across badges, or guessed at one badge, slows to a
 *   few dozen guesses a day instead of hundreds. A success clears an account's history (not a client's).
 * While a lock is in force no secret is checked and no failure is recorded, so a lock lasts exactly its duration and
 * failures before it can never combine with failures after it (the gap is at least one window).
 */

export type ThrottleRule = {
  /** Failures within `windowMs` that trigger the lock. */
  limit: number;
  windowMs: number;
  /** How long the lock lasts, from the failure that triggered it. */
  lockMs: number;
  /** Whether a successful sign-in clears the failures before it (and the escalation). */
  resetOnSuccess: boolean;
  /** Each lock that starts within `windowMs` of earlier ones lasts twice as long as the one before, up to `maxLockMs`. */
  escalation: { windowMs: number; maxLockMs: number };
};

const MINUTE = 60_000;

const ESCALATION = { windowMs: 24 * 60 * MINUTE, maxLockMs: 4 * 60 * MINUTE };

export const ACCOUNT_THROTTLE: ThrottleRule = { limit: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE, resetOnSuccess: true, escalation: ESCALATION };
export const CLIENT_THROTTLE: ThrottleRule = { limit: 20, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE, resetOnSuccess: false, escalation: ESCALATION };

/**
 * How far back attempts can matter for a decision at `now`: the locks of the escalation window (each at most
 * maxLockMs long, started by failures within windowMs before it).
 */
export function throttleLookbackMs(rule: ThrottleRule): number {
  return rule.escalation.windowMs + rule.windowMs + rule.escalation.maxLockMs;
}

export type Attempt = { at: Date; succeeded: boolean };

/** The end of the lock in force at `now`, or null when none is. Attempts after `now` are ignored. */
export function lockedUntil(attempts: readonly Attempt[], rule: ThrottleRule, now: Date): Date | null {
  const nowMs = now.getTime();
  const sorted = attempts.filter((a) => a.at.getTime() <= nowMs).sort((a, b) => a.at.getTime() - b.at.getTime());
  let failures: number[] = [];
  let locks: number[] = [];
  let until = -Infinity;
  for (const attempt of sorted) {
    const at = attempt.at.getTime();
    if (attempt.succeeded) {
      if (rule.resetOnSuccess) {
        failures = [];
        locks = [];
      }
      continue;
    }
    failures.push(at);
    const first = failures[failures.length - rule.limit];
    if (first === undefined || at - first >= rule.windowMs) continue;
    if (at < until) {
      // A failure recorded while locked (a race): it extends the lock in force, it does not start a new one.
      until = Math.max(until, at + rule.lockMs);
      continue;
    }
    const earlier = locks.filter((l) => at - l < rule.escalation.windowMs).length;
    locks.push(at);
    until = at + Math.min(rule.lockMs * 2 ** earlier, rule.escalation.maxLockMs);
  }
  return until > nowMs ? new Date(until) : null;
}

/** Whole minutes left until `until`, at least 1 (what an operator is told). */
export function minutesLeft(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / MINUTE));
}

export function throttledMessage(scope: "account" | "client", minutes: number): string {
  const wait = `Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
  return scope === "account" ? `Too many failed attempts. ${wait}` : `Too many failed attempts on this device. ${wait}`;
}
