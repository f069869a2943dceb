import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { siteHoldReleaseRule } from "@/server/repos/admin-users";
import { findEnterpriseHold, holdsOfEnterpriseHold, siteNames } from "@/server/repos/enterprise-holds";
import { enterpriseScope } from "@/server/services/enterprise/scope";

export type EnterpriseSiteState = {
  siteCode: string;
  siteName: string;
  /** held: some hold of it is in force there; released: every hold of it there is released; awaiting: nothing of it at that site yet (held on arrival by transfer) */
  state: "held" | "released" | "awaiting";
  releasedAt: Date | null;
  releasedByName: string | null;
};

export type EnterpriseHoldState = {
  id: string;
  label: string;
  reason: string;
  placedAt: Date;
  placedByName: string;
  /** in force at some site (or placed where nothing was held yet) */
  active: boolean;
  /** the sites the viewer may see: this site and the sites of their enterprise scope */
  sites: EnterpriseSiteState[];
  /** sites of the hold outside the viewer's view (counted, not named) */
  otherSites: number;
  /** why this viewer cannot release it everywhere now, or null when they can */
  releaseBlock: { kind: "not_enterprise" | "scope" | "two_person" | "released"; sites: string[] } | null;
};

/**
 * An enterprise hold as one of its sites shows it: per site of the viewer's view, whether it still holds there; and
 * whether the viewer can release it at every site at once (a quality engineer with the enterprise role at every site
 * where it is in force, not its placer where a site has the two-person rule).
 */
export async function enterpriseHoldState(db: DbOrTx, actor: Actor, enterpriseHoldId: string): Promise<EnterpriseHoldState | null> {
  const eh = await findEnterpriseHold(db, enterpriseHoldId);
  if (!eh) return null;
  const parts = await holdsOfEnterpriseHold(db, enterpriseHoldId);
  const scope = actor.roles.includes("enterprise") ? new Set(enterpriseScope(actor)) : new Set<string>();
  const visible = new Set([actor.siteId, ...[...scope].filter((id) => eh.siteIds.includes(id) || parts.some((p) => p.siteId === id))]);
  const allSites = [...new Set([...eh.siteIds, ...parts.map((p) => p.siteId)])];
  const names = await siteNames(db, allSites.filter((id) => visible.has(id)));
  const sites: EnterpriseSiteState[] = names.map((s) => {
    const here = parts.filter((p) => p.siteId === s.id);
    const held = here.some((p) => !p.released);
    const last = here.filter((p) => p.releasedAt).sort((a, b) => b.releasedAt!.getTime() - a.releasedAt!.getTime())[0];
    return {
      siteCode: s.code,
      siteName: s.name,
      state: here.length === 0 ? "awaiting" : held ? "held" : "released",
      releasedAt: held ? null : (last?.releasedAt ?? null),
      releasedByName: held ? null : (last?.releasedByName ?? null),
    };
  });
  const activeParts = parts.filter((p) => !p.released);
  const active = activeParts.length > 0 || parts.length === 0;
  const qeEnterprise = new Set(actor.sites.filter((s) => s.roles.includes("enterprise") && s.roles.includes("quality_engineer")).map((s) => s.id));
  let releaseBlock: EnterpriseHoldState["releaseBlock"] = null;
  const codeOf = (id: string) => parts.find((p) => p.siteId === id)?.siteCode ?? "";
  if (activeParts.length === 0) releaseBlock = { kind: "released", sites: [] };
  else if (!qeEnterprise.has(actor.siteId)) releaseBlock = { kind: "not_enterprise", sites: [] };
  else {
    const outside = [...new Set(activeParts.filter((p) => !qeEnterprise.has(p.siteId)).map((p) => p.siteId))];
    if (outside.length > 0) releaseBlock = { kind: "scope", sites: outside.filter((id) => visible.has(id)).map(codeOf).sort() };
    else {
      const mine = [...new Set(activeParts.filter((p) => p.placedBy === actor.userId).map((p) => p.siteId))];
      const blocked: string[] = [];
      for (const id of mine) if ((await siteHoldReleaseRule(db, id))?.twoPerson) blocked.push(codeOf(id));
      if (blocked.length > 0) releaseBlock = { kind: "two_person", sites: blocked.sort() };
    }
  }
  return {
    id: eh.id,
    label: eh.label,
    reason: eh.reason,
    placedAt: eh.placedAt,
    placedByName: eh.placedByName,
    active,
    sites,
    otherSites: allSites.filter((id) => !visible.has(id)).length,
    releaseBlock,
  };
}
