import "server-only";
import type { Db } from "@/db/client";
import { connectionSiteIds } from "@/server/repos/erp-connections";
import { DomainError } from "@/server/domain/shared/errors";
import { siteCodesNotAdministered, siteIdsNotAdministered } from "@/server/domain/erp/connection-access";
import type { Actor } from "@/server/auth/types";
import { createErpConnection, revokeErpConnection } from "./connections";

type Admin = Pick<Actor, "userId" | "displayName" | "sites">;

export type NewConnection = { name: string; source: string; plants: { plant: string; siteCode: string }[] };

/**
 * Create an ERP connection from the admin screen: one site per ERP plant, every site one the actor administers. The
 * clear API key is returned once (only its hash is stored).
 */
export async function createConnectionAsAdmin(db: Db, actor: Admin, input: NewConnection): Promise<{ id: string; apiKey: string }> {
  const plants: Record<string, string> = {};
  for (const p of input.plants) {
    if (p.plant in plants) throw new DomainError("VALIDATION_FAILED", `Plant ${p.plant} is listed twice: map each ERP plant to one site.`, { field: "plants" });
    plants[p.plant] = p.siteCode;
  }
  const refused = siteCodesNotAdministered(actor.sites, Object.values(plants));
  if (refused.length > 0) {
    throw new DomainError("FORBIDDEN", `You can map ERP plants only to sites where you are an administrator (not ${refused.join(", ")}).`, { sites: refused });
  }
  return createErpConnection(db, actor, { name: input.name, source: input.source, plants });
}

/** Revoke a connection's key (its requests are refused from then on). Only an administrator of every site it feeds. */
export async function revokeConnectionAsAdmin(db: Db, actor: Admin, connectionId: string, now: Date): Promise<void> {
  const siteIds = await connectionSiteIds(db, connectionId);
  if (!siteIds) throw new DomainError("NOT_FOUND", "That ERP connection does not exist.");
  const refused = siteIdsNotAdministered(actor.sites, siteIds);
  if (refused.length > 0) {
    const codes = actor.sites.filter((s) => refused.includes(s.id)).map((s) => s.code);
    const where = codes.length > 0 ? codes.join(", ") : "a site you do not work at";
    throw new DomainError("FORBIDDEN", `This connection also feeds ${where}: only an administrator of every site it feeds may revoke it.`);
  }
  await revokeErpConnection(db, actor, connectionId, now);
}
