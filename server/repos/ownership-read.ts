import "server-only";
import { and, asc, desc, eq, ne } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/db/client";
import { ownershipChanges, ownershipRegistry, users } from "@/db/schema";

/* The change control of the ownership registry as administrators see it: who proposed what, and who decided. */

type Owner = (typeof ownershipRegistry.$inferSelect)["owner"];
type Direction = (typeof ownershipRegistry.$inferSelect)["direction"];

export type OwnershipChangeView = {
  id: string;
  entity: string;
  attribute: string;
  /** The registry row as it is now (for a pending change: what would be replaced). */
  currentOwner: Owner | null;
  currentDirection: Direction | null;
  proposedOwner: Owner;
  proposedDirection: Direction;
  reason: string;
  status: "proposed" | "approved" | "rejected";
  proposedBy: string;
  proposedByName: string;
  proposedAt: Date;
  decidedByName: string | null;
  decidedAt: Date | null;
};

const proposer = alias(users, "proposer");
const decider = alias(users, "decider");

function changesQuery(db: DbOrTx) {
  return db
    .select({
      id: ownershipChanges.id,
      entity: ownershipChanges.entity,
      attribute: ownershipChanges.attribute,
      currentOwner: ownershipRegistry.owner,
      currentDirection: ownershipRegistry.direction,
      proposedOwner: ownershipChanges.proposedOwner,
      proposedDirection: ownershipChanges.proposedDirection,
      reason: ownershipChanges.reason,
      status: ownershipChanges.status,
      proposedBy: ownershipChanges.proposedBy,
      proposedByName: proposer.displayName,
      proposedAt: ownershipChanges.proposedAt,
      decidedByName: decider.displayName,
      decidedAt: ownershipChanges.decidedAt,
    })
    .from(ownershipChanges)
    .innerJoin(proposer, eq(proposer.id, ownershipChanges.proposedBy))
    .leftJoin(decider, eq(decider.id, ownershipChanges.decidedBy))
    .leftJoin(ownershipRegistry, and(eq(ownershipRegistry.entity, ownershipChanges.entity), eq(ownershipRegistry.attribute, ownershipChanges.attribute)));
}

/** Changes waiting for a second administrator, oldest first. */
export async function listPendingOwnershipChanges(db: DbOrTx): Promise<OwnershipChangeView[]> {
  return changesQuery(db).where(eq(ownershipChanges.status, "proposed")).orderBy(asc(ownershipChanges.proposedAt), asc(ownershipChanges.id));
}

/** Decided changes, newest decision first. */
export async function listDecidedOwnershipChanges(db: DbOrTx, limit: number): Promise<OwnershipChangeView[]> {
  return changesQuery(db)
    .where(ne(ownershipChanges.status, "proposed"))
    .orderBy(desc(ownershipChanges.decidedAt), desc(ownershipChanges.proposedAt))
    .limit(limit);
}
