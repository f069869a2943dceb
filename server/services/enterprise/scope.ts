import "server-only";
import type { Actor, Role } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";

/*
 * The enterprise scope of a user: the sites where an administrator granted them the enterprise role (named quality
 * engineers, a supervisor of several sites). Enterprise reads and holds reach those sites and no other; a user without
 * the role at the active site has no enterprise access at all (FORBIDDEN), whatever else they hold.
 */

export const ENTERPRISE_ROLE: Role = "enterprise";

/** The ids of the sites where the actor holds the enterprise role (the active site first). */
export function enterpriseScope(actor: Actor): string[] {
  const ids = actor.sites.filter((s) => s.roles.includes(ENTERPRISE_ROLE)).map((s) => s.id);
  return [...ids.filter((id) => id === actor.siteId), ...ids.filter((id) => id !== actor.siteId)];
}

/** Refuse unless the actor holds the enterprise role at the active site; the scope otherwise. */
export function requireEnterprise(actor: Actor, what: string): string[] {
  if (!actor.roles.includes(ENTERPRISE_ROLE)) {
    throw new DomainError("FORBIDDEN", `You are not allowed to ${what}: it takes the enterprise role, granted by an administrator.`, { roles: [ENTERPRISE_ROLE] });
  }
  return enterpriseScope(actor);
}

/** The sites of the scope where the actor is also a quality engineer: where an enterprise hold is placed. */
export function enterpriseHoldSites(actor: Actor): Actor["sites"] {
  const scope = new Set(requireEnterprise(actor, "place enterprise-wide holds"));
  return actor.sites.filter((s) => scope.has(s.id) && s.roles.includes("quality_engineer"));
}
