/**
 * An ERP connection feeds the sites its plants map to: whoever creates or revokes one must be an administrator at
 * every one of those sites (an administrator of one plant cannot open a way into another plant's data).
 */
export type SiteRoles = { id: string; code: string; roles: readonly string[] };

/** The site codes (as given) among `siteCodes` where the user is not an administrator. */
export function siteCodesNotAdministered(memberships: readonly SiteRoles[], siteCodes: readonly string[]): string[] {
  const admin = new Set(memberships.filter((m) => m.roles.includes("admin")).map((m) => m.code));
  return [...new Set(siteCodes.filter((c) => !admin.has(c)))];
}

/** The site ids among `siteIds` where the user is not an administrator. */
export function siteIdsNotAdministered(memberships: readonly SiteRoles[], siteIds: readonly string[]): string[] {
  const admin = new Set(memberships.filter((m) => m.roles.includes("admin")).map((m) => m.id));
  return [...new Set(siteIds.filter((id) => !admin.has(id)))];
}
