import { and, asc, eq, or } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { sites, userSiteRoles, users } from "../schema";
import { effectiveLocale, isLocale } from "@/i18n/locales";
import { ROLES, type Actor, type Role, type SiteMembership } from "@/server/auth/types";

/**
 * The Actor a seeded user (by user name or badge id) would be after signing in, at one of their sites (by code; by
 * default the first of their sites by code), built straight from the database, for tests that call routers with a
 * hand-built context.
 */
export async function actorFor(db: DbOrTx, login: string, siteCode?: string): Promise<Actor> {
  const [user] = await db
    .select({ id: users.id, displayName: users.displayName, locale: users.locale })
    .from(users)
    .where(or(eq(users.username, login), eq(users.badgeId, login)))
    .limit(1);
  if (!user) throw new Error(`actorFor: no user "${login}"`);
  const rows = await db
    .select({ id: sites.id, code: sites.code, name: sites.name, timeZone: sites.timeZone, defaultLocale: sites.defaultLocale, role: userSiteRoles.role })
    .from(userSiteRoles)
    .innerJoin(sites, eq(sites.id, userSiteRoles.siteId))
    .where(and(eq(userSiteRoles.userId, user.id)))
    .orderBy(asc(sites.code));
  const bySite = new Map<string, SiteMembership>();
  for (const r of rows) {
    const site = bySite.get(r.id) ?? { id: r.id, code: r.code, name: r.name, timeZone: r.timeZone, defaultLocale: isLocale(r.defaultLocale) ? r.defaultLocale : undefined, roles: [] as Role[] };
    site.roles.push(r.role);
    bySite.set(r.id, site);
  }
  const memberships = [...bySite.values()].map((s) => ({ ...s, roles: ROLES.filter((role) => s.roles.includes(role)) }));
  const active = siteCode ? memberships.find((s) => s.code === siteCode) : memberships[0];
  if (!active) throw new Error(`actorFor: "${login}" has no role${siteCode ? ` at ${siteCode}` : " at any site"}`);
  return {
    userId: user.id,
    displayName: user.displayName,
    siteId: active.id,
    siteCode: active.code,
    siteName: active.name,
    timeZone: active.timeZone,
    locale: effectiveLocale(user.locale, active.defaultLocale),
    chosenLocale: isLocale(user.locale) ? user.locale : null,
    roles: [...active.roles],
    sites: memberships,
  };
}
