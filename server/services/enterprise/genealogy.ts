import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import {
  enterpriseAsBuiltLevel,
  enterpriseWhereUsed,
  findEnterpriseItems,
  type EnterpriseLevel,
  type EnterpriseWhereUsed,
  type NodeRef,
} from "@/server/repos/enterprise-genealogy";
import { requireEnterprise } from "./scope";

/** Where-used across the actor's enterprise scope, from a lot or serial of one of its sites. */
export async function readEnterpriseWhereUsed(db: DbOrTx, actor: Actor, start: NodeRef, page: { offset?: number; limit?: number } = {}): Promise<EnterpriseWhereUsed> {
  const scope = requireEnterprise(actor, "trace material across sites");
  if (!scope.includes(start.siteId)) throw new DomainError("NOT_FOUND", "That lot or serial is not at one of your enterprise sites.", {});
  return enterpriseWhereUsed(db, scope, start, page);
}

/** One level of a serial's as-built across the actor's enterprise scope. */
export async function readEnterpriseAsBuilt(db: DbOrTx, actor: Actor, siteId: string, serialItemId: string): Promise<EnterpriseLevel> {
  const scope = requireEnterprise(actor, "read as-built across sites");
  const level = await enterpriseAsBuiltLevel(db, scope, siteId, serialItemId);
  if (!level.node) throw new DomainError("NOT_FOUND", "That serial is not at one of your enterprise sites.", {});
  return level;
}

/** Lots and serials with this number at the actor's enterprise sites. */
export async function findAcrossSites(db: DbOrTx, actor: Actor, number: string) {
  const scope = requireEnterprise(actor, "search across sites");
  const n = number.trim();
  if (!n) return [];
  return findEnterpriseItems(db, scope, n);
}
