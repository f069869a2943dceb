import { z } from "zod";
import { SIGN_IN_METHODS, type SignInMethod } from "@/server/domain/auth/session-lifetime";

/**
 * What the session token carries (and nothing more): who signed in, which sign-in session, which version of their
 * account, which site they work at, how and when they signed in. Roles are never in the token: they are loaded on every request.
 */
export type SessionClaims = {
  userId: string;
  /** The user_sessions row of this sign-in: ended at sign-out or when idle, checked on every request. */
  sessionId: string;
  sessionVersion: number;
  activeSiteId: string | null;
  method: SignInMethod;
  /** Sign-in time, milliseconds since the epoch. */
  signedInAt: number;
};

const claimsSchema = z.object({
  userId: z.uuid(),
  sessionId: z.uuid(),
  sessionVersion: z.number().int(),
  activeSiteId: z.uuid().nullable(),
  method: z.enum(SIGN_IN_METHODS),
  signedInAt: z.number().int().nonnegative(),
});

/** The claims of a decoded token or session, or null when anything is missing or malformed. */
export function readClaims(value: unknown): SessionClaims | null {
  const parsed = claimsSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Just the fields of the claims (a token also carries name, sub, iat, exp, jti). */
export function pickClaims(c: SessionClaims): SessionClaims {
  return { userId: c.userId, sessionId: c.sessionId, sessionVersion: c.sessionVersion, activeSiteId: c.activeSiteId, method: c.method, signedInAt: c.signedInAt };
}
