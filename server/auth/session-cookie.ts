import "server-only";
import { isSessionOver } from "@/server/domain/auth/session-lifetime";
import { readClaims, type SessionClaims } from "./claims";
import { decodeSessionToken } from "./session-token";

/**
 * The session cookie's names, as next-auth sets them: with the __Secure- prefix when the app is served over https.
 * The cookie name is also the salt of the token's key, so a token only decrypts under the name it was issued with.
 */
export const SESSION_COOKIE_NAMES = ["__Secure-authjs.session-token", "authjs.session-token"] as const;

type CookieLike = { name: string; value: string };

/**
 * The session token of a request's cookies: the whole cookie, or its chunks (`name.0`, `name.1`, ... which next-auth
 * writes when a token is longer than a cookie may be) joined in order. Null when there is none.
 */
export function sessionTokenOf(cookies: readonly CookieLike[]): { salt: string; token: string } | null {
  for (const name of SESSION_COOKIE_NAMES) {
    const whole = cookies.find((c) => c.name === name);
    if (whole?.value) return { salt: name, token: whole.value };
    const chunks = cookies
      .map((c) => ({ c, m: c.name.startsWith(`${name}.`) ? /^\d+$/.exec(c.name.slice(name.length + 1)) : null }))
      .filter((x) => x.m)
      .sort((a, b) => Number(a.m![0]) - Number(b.m![0]));
    if (chunks.length > 0) return { salt: name, token: chunks.map((x) => x.c.value).join("") };
  }
  return null;
}

/**
 * The claims of a request's session cookie, or null (no cookie, a token that does not decrypt under this secret, an
 * expired token, or a sign-in past its lifetime). This is what next-auth's auth() would answer, without what auth()
 * also does on every call and throws away outside its own routes: a new CSRF token (random bytes and a digest) and a
 * re-encrypted session cookie that a page or route handler never sends. The token's integrity and expiry are checked
 * by its decryption (JWE, authenticated); the lifetime by method as the jwt callback checks it (server/auth/config.ts).
 * Whether that sign-in session is still live is decided by the database (resolveSessionActor), as before.
 */
export async function claimsFromCookies(cookies: readonly CookieLike[], secret: string, nowMs: number): Promise<SessionClaims | null> {
  const found = sessionTokenOf(cookies);
  if (!found) return null;
  const payload = await decodeSessionToken({ salt: found.salt, secret, token: found.token }).catch(() => null);
  const claims = readClaims(payload);
  if (!claims || isSessionOver(claims.method, claims.signedInAt, nowMs)) return null;
  return claims;
}
