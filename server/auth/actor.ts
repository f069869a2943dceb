import "server-only";
import type { DbOrTx } from "@/db/client";
import { writeAudit } from "@/server/repos/audit";
import { findSessionActor, findUserWithMemberships, hasRoleAtSite, lockUserForUpdate, markUserDisabled, readSessionActor, touchSession, type SignInUser } from "@/server/repos/auth-users";
import { DomainError } from "@/server/domain/shared/errors";
import type { Actor, SiteMembership } from "./types";
import { effectiveLocale, isLocale, type Locale } from "@/i18n/locales";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ActorClaims = { userId: string; sessionVersion: number; activeSiteId: string | null };

/**
 * Who is acting, loaded from the database on every request (roles are never trusted from the token).
 * Null when the user no longer exists, is disabled, or their session_version moved on (disabled, credentials changed):
 * that session ends at its next request. The active site is the token's when the user still has a role there, else
 * the first site (by code) they have a role at; null when they have none.
 */
export async function resolveActor(db: DbOrTx, claims: ActorClaims): Promise<Actor | null> {
  if (!UUID.test(claims.userId)) return null;
  const found = await findUserWithMemberships(db, claims.userId);
  return found ? actorFrom(found.user, found.memberships, claims) : null;
}

/**
 * The actor of a signed-in request: as resolveActor, and the sign-in session named by the token must still be live
 * (not signed out, not idle longer than its idle timeout, not past its lifetime), in the same single statement, which
 * also records the request as activity (at most once a minute). Null ends the session for this request: the old cookie
 * of a signed-out or idle session is refused everywhere. `now` is the request's time (tests pass their clock).
 */
export async function resolveSessionActor(db: DbOrTx, claims: ActorClaims & { sessionId: string }, now: Date): Promise<Actor | null> {
  if (!UUID.test(claims.userId) || !UUID.test(claims.sessionId)) return null;
  const found = await findSessionActor(db, { userId: claims.userId, sessionId: claims.sessionId }, now);
  if (!found || !found.sessionLive) return null;
  return actorFrom(found.user, found.memberships, claims);
}

/** A signed-in request's session whose actor is not read yet (server/api: procedures that read it in their own transaction). */
export type SignedInSession = { claims: ActorClaims & { sessionId: string }; now: Date };

/**
 * As resolveSessionActor, without recording the request as activity in the same statement: for a read inside the
 * caller's transaction, which a refusal rolls back. When `touchDue`, the caller records the activity after its
 * transaction, whatever its outcome (touchSessionAfter).
 */
export async function readActorOfSession(db: DbOrTx, session: SignedInSession): Promise<{ actor: Actor | null; touchDue: boolean }> {
  const { claims, now } = session;
  if (!UUID.test(claims.userId) || !UUID.test(claims.sessionId)) return { actor: null, touchDue: false };
  const found = await readSessionActor(db, { userId: claims.userId, sessionId: claims.sessionId }, now);
  if (!found || !found.sessionLive) return { actor: null, touchDue: false };
  const actor = actorFrom(found.user, found.memberships, claims);
  rememberReader(session, actor);
  return { actor, touchDue: found.touchDue };
}

/**
 * The language and time zone of a session's actor, once read during the request: the tRPC error formatter answers a
 * refusal in them even when the actor was read inside a procedure's own transaction (the install) and never reached
 * the request's context. Keyed by the request's session object, so it lives as long as the request.
 */
const readers = new WeakMap<SignedInSession, { locale: Locale; timeZone: string }>();
export function rememberReader(session: SignedInSession, actor: Actor | null): void {
  if (actor) readers.set(session, { locale: actor.locale ?? "en", timeZone: actor.timeZone });
}
export function readerOf(session: SignedInSession | null | undefined): { locale: Locale; timeZone: string } | undefined {
  return session ? readers.get(session) : undefined;
}

/** Record a request of this session as activity (readActorOfSession said it was due). */
export async function touchSessionAfter(db: DbOrTx, session: SignedInSession): Promise<void> {
  await touchSession(db, { userId: session.claims.userId, sessionId: session.claims.sessionId }, session.now);
}

function actorFrom(user: SignInUser, memberships: SiteMembership[], claims: ActorClaims): Actor | null {
  if (!user.isActive || user.sessionVersion !== claims.sessionVersion) return null;
  const active = memberships.find((s) => s.id === claims.activeSiteId) ?? memberships[0];
  if (!active) return null;
  return actorAt(user.id, user.displayName, isLocale(user.locale) ? user.locale : null, memberships, active);
}

/**
 * The same actor working at another of their sites. Refused (NOT_FOUND, as for any object of a site one cannot see)
 * when they have no role there.
 */
export function withActiveSite(actor: Actor, siteId: string): Actor {
  const site = actor.sites.find((s) => s.id === siteId);
  if (!site) throw new DomainError("NOT_FOUND", "You have no role at that site.", { siteId });
  return actorAt(actor.userId, actor.displayName, actor.chosenLocale ?? null, actor.sites, site);
}

function actorAt(userId: string, displayName: string, chosenLocale: Locale | null, sites: SiteMembership[], active: SiteMembership): Actor {
  return {
    userId,
    displayName,
    siteId: active.id,
    siteCode: active.code,
    siteName: active.name,
    timeZone: active.timeZone,
    locale: effectiveLocale(chosenLocale, active.defaultLocale),
    chosenLocale,
    roles: [...active.roles],
    sites: sites.map((s) => ({ ...s, roles: [...s.roles] })),
  };
}

/**
 * Disable a user account: they cannot sign in any more and every session they hold ends at its next request
 * (session_version is bumped). Only an administrator of the active site, for a user who has a role there; not oneself.
 * Disabling an already disabled user changes nothing and writes nothing.
 */
export async function disableUser(
  db: DbOrTx,
  actor: Actor,
  userId: string,
  reason: string,
  now: Date,
): Promise<{ changed: boolean; sessionVersion: number }> {
  if (!actor.roles.includes("admin")) throw new DomainError("FORBIDDEN", "Only an administrator can disable a user.");
  const why = reason.trim();
  if (!why) throw new DomainError("VALIDATION_FAILED", "Give a reason for disabling this user.", { field: "reason" });
  if (why.length > 500) throw new DomainError("VALIDATION_FAILED", "The reason is too long (500 characters at most).", { field: "reason" });
  if (!UUID.test(userId)) throw new DomainError("NOT_FOUND", "No such user at this site.", { userId });
  if (userId === actor.userId) throw new DomainError("VALIDATION_FAILED", "You cannot disable your own account.");

  return db.transaction(async (tx) => {
    const user = await lockUserForUpdate(tx, userId);
    if (!user || !(await hasRoleAtSite(tx, userId, actor.siteId))) {
      throw new DomainError("NOT_FOUND", "No such user at this site.", { userId });
    }
    if (!user.isActive) return { changed: false, sessionVersion: user.sessionVersion };
    const updated = await markUserDisabled(tx, userId);
    if (!updated) throw new DomainError("NOT_FOUND", "No such user at this site.", { userId });
    await writeAudit(tx, {
      siteId: null,
      actorUserId: actor.userId,
      actorName: actor.displayName,
      action: "disable_user",
      entity: "user",
      entityId: userId,
      oldValue: { isActive: true, sessionVersion: user.sessionVersion },
      newValue: { isActive: false, sessionVersion: updated.sessionVersion },
      reason: why,
      occurredAt: now,
    });
    return { changed: true, sessionVersion: updated.sessionVersion };
  });
}
