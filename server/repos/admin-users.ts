import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/db/client";
import { sites, userSiteRoles, users } from "@/db/schema";
import type { Role } from "@/server/auth/types";

/* Writes of user administration: new users, roles at a site, credential resets, the site's hold-release rule. */

export type NewUser = {
  displayName: string;
  username: string | null;
  passwordHash: string | null;
  badgeId: string | null;
  pinHash: string | null;
  mustChangePassword: boolean;
  mustChangePin: boolean;
};

/** Insert a user; "username_taken" / "badge_taken" when the unique user name or badge id is someone else's. */
export async function insertUser(tx: Tx, u: NewUser): Promise<{ id: string } | "username_taken" | "badge_taken"> {
  if (u.username) {
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.username, u.username)).limit(1);
    if (taken) return "username_taken";
  }
  if (u.badgeId) {
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.badgeId, u.badgeId)).limit(1);
    if (taken) return "badge_taken";
  }
  const [row] = await tx.insert(users).values(u).returning({ id: users.id });
  return row!;
}

/** Badge ids among these that already belong to someone, with whose they are. */
export async function takenBadges(db: DbOrTx, badgeIds: string[]): Promise<{ badgeId: string; displayName: string }[]> {
  if (badgeIds.length === 0) return [];
  const rows = await db.select({ badgeId: users.badgeId, displayName: users.displayName }).from(users).where(inArray(users.badgeId, badgeIds));
  return rows.map((r) => ({ badgeId: r.badgeId!, displayName: r.displayName }));
}

/** The user's roles at one site. */
export async function rolesAtSite(db: DbOrTx, userId: string, siteId: string): Promise<Role[]> {
  const rows = await db
    .select({ role: userSiteRoles.role })
    .from(userSiteRoles)
    .where(and(eq(userSiteRoles.userId, userId), eq(userSiteRoles.siteId, siteId)));
  return rows.map((r) => r.role);
}

/** Replace the user's roles at one site (none: the user no longer works there). */
export async function replaceRolesAtSite(tx: Tx, userId: string, siteId: string, roles: Role[]): Promise<void> {
  await tx.delete(userSiteRoles).where(and(eq(userSiteRoles.userId, userId), eq(userSiteRoles.siteId, siteId)));
  if (roles.length > 0) await tx.insert(userSiteRoles).values(roles.map((role) => ({ userId, siteId, role })));
}

/** Set a new password or PIN hash that the user must change at next sign-in, ending their sessions. */
export async function resetUserSecret(tx: Tx, userId: string, kind: "password" | "pin", hash: string): Promise<{ sessionVersion: number } | null> {
  const [row] = await tx
    .update(users)
    .set(kind === "password" ? { passwordHash: hash, mustChangePassword: true, sessionVersion: sql`${users.sessionVersion} + 1` } : { pinHash: hash, mustChangePin: true, sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId))
    .returning({ sessionVersion: users.sessionVersion });
  return row ?? null;
}

/** The user's own new password or PIN, chosen at sign-in: the reset is over. */
export async function setOwnSecret(tx: Tx, userId: string, kind: "password" | "pin", hash: string): Promise<void> {
  await tx
    .update(users)
    .set(kind === "password" ? { passwordHash: hash, mustChangePassword: false } : { pinHash: hash, mustChangePin: false })
    .where(eq(users.id, userId));
}

export async function siteHoldReleaseRule(db: DbOrTx, siteId: string): Promise<{ twoPerson: boolean } | null> {
  const [row] = await db.select({ twoPerson: sites.holdReleaseTwoPerson }).from(sites).where(eq(sites.id, siteId));
  return row ?? null;
}

export async function setSiteHoldReleaseRule(tx: Tx, siteId: string, twoPerson: boolean): Promise<{ before: boolean } | null> {
  const [before] = await tx.select({ twoPerson: sites.holdReleaseTwoPerson }).from(sites).where(eq(sites.id, siteId)).for("update");
  if (!before) return null;
  await tx.update(sites).set({ holdReleaseTwoPerson: twoPerson }).where(eq(sites.id, siteId));
  return { before: before.twoPerson };
}
