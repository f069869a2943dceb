import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db/app-database";
import { DomainError } from "@/server/domain/shared/errors";
import { auth, unstable_update } from "./index";
import { authSecret } from "./auth-secret";
import { claimsFromCookies } from "./session-cookie";
import { resolveSessionActor, withActiveSite, type SignedInSession } from "./actor";
import { readClaims } from "./claims";
import type { Actor } from "./types";

/**
 * The signed-in actor of the current request (Server Components, route handlers, server actions), or null.
 * The session token only says who signed in and which sign-in session; the user, their roles and whether that session
 * is still live (not signed out, not idle) come from the database each time, in one statement.
 * The token is read from the session cookie directly (server/auth/session-cookie.ts): the same checks as next-auth's
 * auth(), without the CSRF token and re-encrypted cookie it would make and discard on every request.
 * Deduplicated within one React render.
 */
export const getActor = cache(async (): Promise<Actor | null> => {
  const session = await getSession();
  return session ? resolveSessionActor(await getDb(), session.claims, session.now) : null;
});

/**
 * The signed-in session of the current request, its actor not read yet (null: no valid session cookie). The tRPC
 * context keeps it for procedures that read the actor inside their own transaction (server/api/trpc.ts).
 */
export const getSession = cache(async (): Promise<SignedInSession | null> => {
  const now = new Date();
  const claims = await claimsFromCookies((await cookies()).getAll(), authSecret(), now.getTime());
  return claims ? { claims, now } : null;
});

/** The signed-in actor, or a redirect to the sign-in page. */
export async function requireActor(): Promise<Actor> {
  const actor = await getActor();
  if (!actor) redirect("/sign-in");
  return actor;
}

/**
 * Make another of the actor's sites the active one, in their session cookie (route handlers and server actions only:
 * it sets the cookie). Refused with NOT_FOUND for a site they have no role at. Returns the actor at the new site.
 */
export async function switchSite(actor: Actor, siteId: string): Promise<Actor> {
  const next = withActiveSite(actor, siteId);
  const session = await auth();
  const claims = readClaims(session?.claims);
  if (!claims || claims.userId !== actor.userId) throw new DomainError("UNAUTHENTICATED", "Please sign in again.");
  const updated = await unstable_update({ claims: { ...claims, activeSiteId: next.siteId } });
  if (readClaims(updated?.claims)?.activeSiteId !== next.siteId) {
    throw new DomainError("UNAUTHENTICATED", "Your session has ended. Please sign in again.");
  }
  return next;
}
