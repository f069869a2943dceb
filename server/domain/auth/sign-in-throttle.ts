/**
 * Sign-in throttling rules (pure). Failed attempts are counted per account and per client (device/IP):
 * - account: 5 failures within 15 minutes lock the account for 15 minutes (counted since its last successful sign-in);
 * - client: 20 failures within 15 minutes block that client for 15 minutes (successes do not reset it, so a valid
 *   account cannot be used to launder guesses against others).
 * While a lock is in force no secret is checked and no failure is recorded, so a lock lasts exactly its duration and
 * failures before it can never combine with failures after it (the gap is at least one window).
 */

export type ThrottleRule = {
  /** Failures within `windowMs` that trigger the lock. */
  limit: number;
  windowMs: number;
  /** How long the lock lasts, from the failure that triggered it. */
  lockMs: number;
  /** Whether a successful sign-in clears the failures before it. */
  resetOnSuccess: boolean;
};

const MINUTE = 60_000;

export const ACCOUNT_THROTTLE: ThrottleRule = { limit: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE, resetOnSuccess: true };
export const CLIENT_THROTTLE: ThrottleRule = { limit: 20, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE, resetOnSuccess: false };

/** How far back attempts can matter for a decision at `now`: a lock started within lockMs, by failures within windowMs before it. */
export function throttleLookbackMs(rule: ThrottleRule): number {
  return rule.windowMs + rule.lockMs;
}

export type Attempt = { at: Date; succeeded: boolean };

/** The end of the lock in force at `now`, or null when none is. Attempts after `now` are ignored. */
export function lockedUntil(attempts: readonly Attempt[], rule: ThrottleRule, now: Date): Date | null {
  const nowMs = now.getTime();
  const sorted = attempts.filter((a) => a.at.getTime() <= nowMs).sort((a, b) => a.at.getTime() - b.at.getTime());
  let failures: number[] = [];
  let until = -Infinity;
  for (const attempt of sorted) {
    const at = attempt.at.getTime();
    if (attempt.succeeded) {
      if (rule.resetOnSuccess) failures = [];
      continue;
    }
    failures.push(at);
    const first = failures[failures.length - rule.limit];
    if (first !== undefined && at - first < rule.windowMs) until = Math.max(until, at + rule.lockMs);
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
