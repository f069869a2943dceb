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
