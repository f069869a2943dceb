/**
 * How long a sign-in lasts, by how the person signed in (pure). Counted from the sign-in itself, not from the last
 * request: an office session ends 12 hours after sign-in, a badge (shop-floor) session 8 hours after, i.e. within one
 * shift, so a tablet left signed in does not carry an operator's identity into the next shift.
 */
export const SIGN_IN_METHODS = ["password", "badge"] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

const HOUR = 3_600_000;

export const SESSION_LIFETIME_MS: Record<SignInMethod, number> = { password: 12 * HOUR, badge: 8 * HOUR };

/** The longest of the lifetimes, in seconds: the cookie/JWT expiry; the per-method end is checked on every request. */
export const MAX_SESSION_LIFETIME_S = Math.max(...Object.values(SESSION_LIFETIME_MS)) / 1000;

export function sessionEndsAt(method: SignInMethod, signedInAt: number): number {
  return signedInAt + SESSION_LIFETIME_MS[method];
}

export function isSessionOver(method: SignInMethod, signedInAt: number, nowMs: number): boolean {
  return nowMs >= sessionEndsAt(method, signedInAt) || signedInAt > nowMs + 5 * 60_000;
}

/**
 * Idle timeout: a session ends when no request came for this long. Shared floor tablets get the short one: every badge
 * sign-in, and any sign-in of a person who holds a floor role (operator, kitting clerk) at any site; office roles
 * (quality engineer, supervisor, administrator) signing in with a password get the longer one. Decided at sign-in.
 */
export type IdleLimits = { floorMs: number; officeMs: number };

const MINUTE = 60_000;

export const DEFAULT_IDLE_LIMITS: IdleLimits = { floorMs: 30 * MINUTE, officeMs: 120 * MINUTE };

export const FLOOR_ROLES: readonly string[] = ["operator", "kitting_clerk"];

export function idleTimeoutMs(method: SignInMethod, roles: readonly string[], limits: IdleLimits): number {
  if (method === "badge" || roles.length === 0 || roles.some((r) => FLOOR_ROLES.includes(r))) return limits.floorMs;
  return limits.officeMs;
}

/** Idle limits from the environment (TRACELINE_IDLE_MINUTES_FLOOR, TRACELINE_IDLE_MINUTES_OFFICE), whole minutes. */
export function idleLimitsFrom(env: Record<string, string | undefined>): IdleLimits {
  const minutes = (name: string, fallbackMs: number) => {
    const raw = env[name]?.trim();
    if (!raw) return fallbackMs;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 24 * 60) throw new Error(`${name} must be a whole number of minutes between 1 and 1440, got "${raw}".`);
    return n * MINUTE;
  };
  return { floorMs: minutes("TRACELINE_IDLE_MINUTES_FLOOR", DEFAULT_IDLE_LIMITS.floorMs), officeMs: minutes("TRACELINE_IDLE_MINUTES_OFFICE", DEFAULT_IDLE_LIMITS.officeMs) };
}
