import "server-only";
import type { NextAuthConfig, Session, User } from "next-auth";
import { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/db/app-database";
import { isDomainError } from "@/server/domain/shared/errors";
import { isSessionOver, MAX_SESSION_LIFETIME_S, sessionEndsAt, type SignInMethod } from "@/server/domain/auth/session-lifetime";
import { pickClaims, readClaims, type SessionClaims } from "./claims";
import { clientKeyFromHeaders } from "./client-key";
import { authSecret } from "./auth-secret";
import { signInWithBadge, signInWithPassword, type SignedInUser } from "./sign-in";
import { encodeSignInRefusal, SIGN_IN_ERROR_CODES, type SignInErrorCode } from "./sign-in-errors";
import { signInRefusalWords, signInUnavailableWords, unstorableWords } from "./sign-in-words";
import { localeFromAcceptLanguage, type Locale } from "@/i18n/locales";
import { describeInputProblem, findInputProblem, SCREEN_INPUT_LIMITS } from "@/server/domain/shared/storable-input";
import { classifyFailure } from "@/server/domain/shared/failure";
import { logFailure, newCorrelationId } from "@/server/services/shared/failure-log";
import { decodeSessionToken } from "./session-token";
import { signOutSession } from "./sessions";

declare module "@auth/core/types" {
  interface User {
    /** Set by `authorize` on sign-in only. */
    claims?: SessionClaims;
  }
  interface Session {
    /** Server side only reads these; the browser sees the same (its own user id, site and sign-in time). */
    claims?: SessionClaims;
  }
}

/**
 * A refused sign-in as next-auth v5 reports it: a CredentialsSignin subclass whose `code` next-auth copies into the
 * `code` query parameter of the URL returned to `signIn(..., { redirect: false })`. The code carries the domain code and
 * the operator-words message (server/auth/sign-in-errors.ts), never which part of the credentials was wrong.
 */
export class SignInRefused extends CredentialsSignin {
  constructor(code: SignInErrorCode, message: string) {
    super(message);
    this.code = encodeSignInRefusal({ code, message });
  }
}

function userFrom(signedIn: SignedInUser, now: Date): User {
  return {
    id: signedIn.userId,
    name: signedIn.displayName,
    claims: {
      userId: signedIn.userId,
      sessionId: signedIn.sessionId,
      sessionVersion: signedIn.sessionVersion,
      activeSiteId: signedIn.activeSiteId,
      method: signedIn.method,
      signedInAt: now.getTime(),
    },
  };
}

/**
 * Run a sign-in service with the credentials as sent; turn its refusals into what next-auth passes to the browser.
 * Credentials the database cannot store (NUL, lone surrogates) are refused naming the field, before any query. Anything
 * else that fails (the database does not answer) is logged with a correlation id and answered UNAVAILABLE with that id.
 */
async function authorizeWith(credentials: Record<string, unknown>, request: Request, run: (now: Date) => Promise<SignedInUser>): Promise<User> {
  const now = new Date();
  // nobody is signed in yet: the words follow the sign-in page's language (the browser's), as i18n/request.ts does
  const locale: Locale = localeFromAcceptLanguage(request.headers.get("accept-language"));
  const problem = findInputProblem(credentials, SCREEN_INPUT_LIMITS);
  if (problem) throw new SignInRefused("VALIDATION_FAILED", unstorableWords(locale, describeInputProblem(problem, SCREEN_INPUT_LIMITS)));
  try {
    return userFrom(await run(now), now);
  } catch (e) {
    if (isDomainError(e) && (SIGN_IN_ERROR_CODES as readonly string[]).includes(e.code)) {
      throw new SignInRefused(e.code as SignInErrorCode, signInRefusalWords(e, locale));
    }
    const correlationId = newCorrelationId();
    logFailure("sign-in", correlationId, e);
    const failure = classifyFailure(e);
    throw new SignInRefused("UNAVAILABLE", signInUnavailableWords(locale, correlationId, failure.retryable));
  }
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** The update a session may receive (unstable_update from switchSite): only the active site, re-checked per request. */
function requestedSite(update: unknown): string | null {
  const claims = (update as { claims?: unknown } | null | undefined)?.claims;
  const siteId = (claims as { activeSiteId?: unknown } | null | undefined)?.activeSiteId;
  return typeof siteId === "string" && /^[0-9a-f-]{36}$/i.test(siteId) ? siteId : null;
}

/**
 * next-auth v5 configuration. Sessions are JWTs (encrypted, in a cookie) that carry only SessionClaims; the user,
 * their state and roles are loaded from the database on every request (server/auth/actor.ts), so disabling a user or
 * bumping session_version ends their sessions at the next request.
 *
 * Lifetime: counted from sign-in, 12 h for office (password) and 8 h for badge sign-ins. The cookie and JWT expire
 * after the longer of the two (session.maxAge); the jwt callback ends a badge session at 8 h. Neither is extended by
 * activity: a session never outlives its lifetime from sign-in.
 */
export function buildAuthConfig(): NextAuthConfig {
  return {
    secret: authSecret(),
    // `next start` answers 500 (UntrustedHost) otherwise; the app is reached through whatever host the plant uses.
    trustHost: true,
    session: { strategy: "jwt", maxAge: MAX_SESSION_LIFETIME_S },
    jwt: { decode: decodeSessionToken },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      Credentials({
        id: "password",
        name: "Office",
        credentials: { username: { label: "User name" }, password: { label: "Password", type: "password" }, newPassword: { label: "New password", type: "password" } },
        authorize: async (credentials, request) =>
          authorizeWith(credentials, request, async (now) =>
            signInWithPassword(
              await getDb(),
              { username: text(credentials.username), password: text(credentials.password), newPassword: text(credentials.newPassword) },
              { clientKey: clientKeyFromHeaders(request.headers), now },
            ),
          ),
      }),
      Credentials({
        id: "badge",
        name: "Badge",
        credentials: { badgeId: { label: "Badge" }, pin: { label: "PIN", type: "password" }, newPin: { label: "New PIN", type: "password" } },
        authorize: async (credentials, request) =>
          authorizeWith(credentials, request, async (now) =>
            signInWithBadge(
              await getDb(),
              { badgeId: text(credentials.badgeId), pin: text(credentials.pin), newPin: text(credentials.newPin) },
              { clientKey: clientKeyFromHeaders(request.headers), now },
            ),
          ),
      }),
    ],
    callbacks: {
      jwt({ token, user, trigger, session }) {
        if (trigger === "signIn") {
          const claims = readClaims(user?.claims);
          // The default token (email, picture) is replaced: the token carries the claims and the display name only.
          return claims ? { sub: claims.userId, name: user?.name ?? null, ...pickClaims(claims) } : null;
        }
        const claims = readClaims(token);
        if (!claims || isSessionOver(claims.method, claims.signedInAt, Date.now())) return null;
        if (trigger === "update") {
          // Membership of the requested site is checked before the update and again on every request (resolveActor).
          const siteId = requestedSite(session);
          if (siteId) return { ...token, activeSiteId: siteId };
        }
        return token;
      },
      session({ session, token }): Session {
        const claims = readClaims(token);
        return {
          user: { name: typeof token.name === "string" ? token.name : null },
          expires: (claims ? new Date(sessionEndsAt(claims.method, claims.signedInAt)) : new Date(session.expires)).toISOString(),
          ...(claims ? { claims: pickClaims(claims) } : {}),
        } as Session;
      },
    },
    events: {
      // Sign-out ends the session on the server: its cookie, replayed, is refused from the next request on.
      async signOut(message) {
        const claims = readClaims("token" in message ? message.token : null);
        if (!claims) return;
        try {
          await signOutSession(await getDb(), claims.sessionId, new Date());
        } catch (e) {
          logFailure("sign-out (the session stays open until it is idle or over)", newCorrelationId(), e);
        }
      },
    },
    logger: {
      // A refused sign-in is an expected outcome (and audited); everything else is logged as next-auth would.
      error(error) {
        if (error instanceof CredentialsSignin) return;
        console.error(`[auth][error] ${error.name}: ${error.message}`, error.cause ?? "");
      },
    },
  };
}

export type { SignInMethod };
