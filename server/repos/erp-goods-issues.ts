import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { approvedManufacturers, erpGoodsIssues, sites, storageLocations } from "@/db/schema";

/*
 * The ERP interface's reads and writes around goods issues and snapshots: the posting in force per business key, the
 * AML entry of the part for the issuing manufacturer and the site's policy for unapproved material, and the locations
 * a snapshot names.
 */

export type GoodsIssueRow = typeof erpGoodsIssues.$inferSelect;

/** The posting in force for a goods issue's business key, locked for the rest of the transaction, or null. */
export async function lockGoodsIssue(db: DbOrTx, siteId: string, source: string, issueKey: string): Promise<GoodsIssueRow | null> {
  const [row] = await db
    .select()
    .from(erpGoodsIssues)
    .where(and(eq(erpGoodsIssues.siteId, siteId), eq(erpGoodsIssues.source, source), eq(erpGoodsIssues.issueKey, issueKey)))
    .for("update");
  return row ?? null;
}

export async function saveGoodsIssue(db: DbOrTx, row: Omit<GoodsIssueRow, "corrections" | "updatedAt"> & { updatedAt: Date }, corrected: boolean): Promise<void> {
  await db
    .insert(erpGoodsIssues)
    .values({ ...row, corrections: 0 })
    .onConflictDoUpdate({
      target: [erpGoodsIssues.siteId, erpGoodsIssues.source, erpGoodsIssues.issueKey],
      set: {
        version: row.version,
        inboxId: row.inboxId,
        movementId: row.movementId,
        partRevisionId: row.partRevisionId,
        lotId: row.lotId,
        serialItemId: row.serialItemId,
        locationId: row.locationId,
        quantity: row.quantity,
        updatedAt: row.updatedAt,
        ...(corrected ? { corrections: sqlIncrement() } : {}),
      },
    });
}

const sqlIncrement = () => sql`${erpGoodsIssues.corrections} + 1`;

/** The AML of a part as the interface checks an issue: whether the part has one, and this manufacturer's entry. */
export async function amlEntryFor(db: DbOrTx, partId: string, manufacturerId: string): Promise<{ hasAml: boolean; status: "approved" | "disqualified" | null }> {
  const rows = await db.select({ manufacturerId: approvedManufacturers.manufacturerId, status: approvedManufacturers.status }).from(approvedManufacturers).where(eq(approvedManufacturers.partId, partId));
  return { hasAml: rows.length > 0, status: rows.find((r) => r.manufacturerId === manufacturerId)?.status ?? null };
}

/** What the site does with material from a disqualified or non-AML manufacturer: warn (apply) or refuse. */
export async function unapprovedMaterialPolicy(db: DbOrTx, siteId: string): Promise<"warn" | "refuse"> {
  const [row] = await db.select({ policy: sites.erpUnapprovedMaterial }).from(sites).where(eq(sites.id, siteId));
  return row?.policy ?? "warn";
}

export async function setUnapprovedMaterialPolicy(db: DbOrTx, siteId: string, policy: "warn" | "refuse"): Promise<void> {
  await db.update(sites).set({ erpUnapprovedMaterial: policy }).where(eq(sites.id, siteId));
}

/** Locations of the site by code (for a snapshot's lines). */
export async function locationsByCode(db: DbOrTx, siteId: string, codes: string[]): Promise<Map<string, { id: string; kind: string }>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .select({ id: storageLocations.id, code: storageLocations.code, kind: storageLocations.kind })
    .from(storageLocations)
    .where(and(eq(storageLocations.siteId, siteId), inArray(storageLocations.code, codes)));
  return new Map(rows.map((r) => [r.code, { id: r.id, kind: r.kind }]));
}
