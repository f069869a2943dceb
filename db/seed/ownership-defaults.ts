import "server-only";
import { ownershipRegistry } from "../schema";
import type { DbOrTx } from "../client";
import { DEFAULT_OWNERSHIP } from "@/server/domain/erp/ownership-defaults";

/**
 * The ownership registry's starting rows (one per entity + attribute: which system is authoritative, and which way
 * updates flow). The list itself lives beside the ERP rules that read it (server/domain/erp/ownership-defaults.ts), so
 * the seed and the inbound ERP filter can never disagree on a key. Existing rows are left alone: a row changed under
 * change control stays changed. Meant for every new database, demo or not. Returns the number of rows inserted.
 */
export async function seedOwnershipDefaults(tx: DbOrTx, opts: { now?: Date } = {}): Promise<number> {
  const inserted = await tx
    .insert(ownershipRegistry)
    .values(
      DEFAULT_OWNERSHIP.map((o) => ({
        entity: o.entity,
        attribute: o.attribute,
        owner: o.owner,
        direction: o.direction,
        note: o.note,
        ...(opts.now ? { updatedAt: opts.now } : {}),
      })),
    )
    .onConflictDoNothing()
    .returning({ entity: ownershipRegistry.entity });
  return inserted.length;
}
