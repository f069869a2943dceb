import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { ownershipRegistry, sites, userSiteRoles, users } from "@/db/schema";
import type { Role } from "@/server/auth/types";

/* Enterprise-level reads for administrators: users with their roles per site, and the ownership registry. */

export type UserView = {
  id: string;
  username: string | null;
  displayName: string;
  badgeId: string | null;
  signsInWithPassword: boolean;
  signsInWithBadge: boolean;
  isActive: boolean;
  sites: { siteId: string; siteCode: string; siteName: string; roles: Role[] }[];
};

const ROLE_ORDER: Record<Role, number> = { operator: 0, kitting_clerk: 1, quality_engineer: 2, supervisor: 3, admin: 4, enterprise: 5 };

/**
 * The users with a role at any of the given sites (the sites an administrator administers), with their roles at those
 * sites only: the badges, names and roles of other sites' people are never listed. No secrets: only whether a password
 * or badge PIN is set.
 */
export async function listUsersWithRoles(db: DbOrTx, siteIds: readonly string[]): Promise<UserView[]> {
  if (siteIds.length === 0) return [];
  const rows = await db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      badgeId: users.badgeId,
      hasPassword: sql<boolean>`(${users.passwordHash} is not null)`,
      hasPin: sql<boolean>`(${users.pinHash} is not null)`,
      isActive: users.isActive,
      siteId: sites.id,
      siteCode: sites.code,
      siteName: sites.name,
      role: userSiteRoles.role,
    })
    .from(users)
    .innerJoin(userSiteRoles, and(eq(userSiteRoles.userId, users.id), inArray(userSiteRoles.siteId, [...siteIds])))
    .innerJoin(sites, eq(sites.id, userSiteRoles.siteId))
    .orderBy(asc(users.displayName), asc(users.id), asc(sites.code));
  const byId = new Map<string, UserView>();
  for (const r of rows) {
    let u = byId.get(r.id);
    if (!u) {
      u = {
        id: r.id,
        username: r.username,
        displayName: r.displayName,
        badgeId: r.badgeId,
        signsInWithPassword: r.username !== null && r.hasPassword,
        signsInWithBadge: r.badgeId !== null && r.hasPin,
        isActive: r.isActive,
        sites: [],
      };
      byId.set(r.id, u);
    }
    if (r.siteId === null || r.siteCode === null || r.siteName === null || r.role === null) continue;
    let site = u.sites.find((s) => s.siteId === r.siteId);
    if (!site) {
      site = { siteId: r.siteId, siteCode: r.siteCode, siteName: r.siteName, roles: [] };
      u.sites.push(site);
    }
    site.roles.push(r.role);
  }
  for (const u of byId.values()) for (const s of u.sites) s.roles.sort((a, b) => ROLE_ORDER[a] - ROLE_ORDER[b]);
  return [...byId.values()];
}

export type OwnershipRow = {
  entity: string;
  attribute: string;
  owner: "erp" | "traceline";
  direction: "erp_to_traceline" | "traceline_to_erp" | "none";
  note: string;
  updatedAt: Date;
};

/** The ownership registry: which system is authoritative for each (entity, attribute), and how updates flow. */
export async function listOwnershipRegistry(db: DbOrTx): Promise<OwnershipRow[]> {
  return db
    .select({
      entity: ownershipRegistry.entity,
      attribute: ownershipRegistry.attribute,
      owner: ownershipRegistry.owner,
      direction: ownershipRegistry.direction,
      note: ownershipRegistry.note,
      updatedAt: ownershipRegistry.updatedAt,
    })
    .from(ownershipRegistry)
    .orderBy(asc(ownershipRegistry.entity), asc(ownershipRegistry.attribute));
}
