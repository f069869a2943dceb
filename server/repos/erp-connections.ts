import "server-only";
import { asc, eq, inArray } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/db/client";
import { erpConnections, sites, users } from "@/db/schema";

/*
 * ERP connections: found by the hash of their API key (every ERP request), created and revoked by administrators, and
 * listed as administrators see them: never the key (only its last characters), plants with their sites.
 */

export type ConnectionView = {
  id: string;
  name: string;
  source: string;
  keyHint: string;
  plants: { plant: string; siteId: string; siteCode: string | null; siteName: string | null }[];
  createdAt: Date;
  createdByName: string | null;
  revokedAt: Date | null;
  revokedByName: string | null;
  outbound: { mode: "none" | "push" | "pull"; format: "json" | "b2mml" | "sap"; url: string | null; credentialHint: string | null; dedupes: boolean };
};

const creator = alias(users, "creator");
const revoker = alias(users, "revoker");

export async function listConnections(db: DbOrTx): Promise<ConnectionView[]> {
  const rows = await db
    .select({
      id: erpConnections.id,
      name: erpConnections.name,
      source: erpConnections.source,
      keyHint: erpConnections.keyHint,
      plantSites: erpConnections.plantSites,
      createdAt: erpConnections.createdAt,
      createdByName: creator.displayName,
      revokedAt: erpConnections.revokedAt,
      revokedByName: revoker.displayName,
      outboundMode: erpConnections.outboundMode,
      outboundFormat: erpConnections.outboundFormat,
      outboundUrl: erpConnections.outboundUrl,
      outboundSecretHint: erpConnections.outboundSecretHint,
      outboundDedupes: erpConnections.outboundDedupes,
    })
    .from(erpConnections)
    .leftJoin(creator, eq(creator.id, erpConnections.createdBy))
    .leftJoin(revoker, eq(revoker.id, erpConnections.revokedBy))
    .orderBy(asc(erpConnections.revokedAt), asc(erpConnections.name), asc(erpConnections.createdAt));
  const siteRows = await db.select({ id: sites.id, code: sites.code, name: sites.name }).from(sites);
  const byId = new Map(siteRows.map((s) => [s.id, s]));
  return rows.map(({ plantSites, outboundMode, outboundFormat, outboundUrl, outboundSecretHint, outboundDedupes, ...r }) => ({
    ...r,
    outbound: { mode: outboundMode, format: outboundFormat, url: outboundUrl, credentialHint: outboundSecretHint, dedupes: outboundDedupes },
    plants: Object.entries(plantSites ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([plant, siteId]) => ({ plant, siteId, siteCode: byId.get(siteId)?.code ?? null, siteName: byId.get(siteId)?.name ?? null })),
  }));
}

/** The site ids a connection feeds, or null when there is no such connection. */
export async function connectionSiteIds(db: DbOrTx, id: string): Promise<string[] | null> {
  const [row] = await db.select({ plantSites: erpConnections.plantSites }).from(erpConnections).where(eq(erpConnections.id, id));
  return row ? Object.values(row.plantSites ?? {}) : null;
}

/** The connection whose API key hashes to this, revoked or not, or null. */
export async function findConnectionByKeyHash(db: DbOrTx, keyHash: string) {
  const [row] = await db.select().from(erpConnections).where(eq(erpConnections.keyHash, keyHash));
  return row ?? null;
}

/** Site ids by site code, for the codes that exist. */
export async function siteIdsByCode(db: DbOrTx, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db.select({ id: sites.id, code: sites.code }).from(sites).where(inArray(sites.code, codes));
  return new Map(rows.map((r) => [r.code, r.id]));
}

export async function insertConnection(
  db: DbOrTx,
  row: { name: string; source: string; keyHash: string; keyHint: string; plantSites: Record<string, string>; createdBy: string | null },
): Promise<string> {
  const [inserted] = await db.insert(erpConnections).values(row).returning({ id: erpConnections.id });
  return inserted!.id;
}

/** The connection, locked for the rest of the transaction, or null. */
export async function lockConnection(db: DbOrTx, id: string) {
  const [row] = await db.select().from(erpConnections).where(eq(erpConnections.id, id)).for("update");
  return row ?? null;
}

export async function markConnectionRevoked(db: DbOrTx, id: string, revokedAt: Date, revokedBy: string | null): Promise<void> {
  await db.update(erpConnections).set({ revokedAt, revokedBy }).where(eq(erpConnections.id, id));
}
