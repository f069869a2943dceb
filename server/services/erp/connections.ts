import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { erpConnections, sites } from "@/db/schema";
import * as inbox from "@/server/repos/erp-inbox";
import { writeAudit } from "@/server/repos/audit";
import { DomainError } from "@/server/domain/shared/errors";
import type { Actor } from "@/server/auth/types";
import type { Connection } from "./receive-messages";

/** API keys are 256-bit random tokens: a SHA-256 of the key is enough to store (no password stretching needed). */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** The connection a request's `Authorization: Bearer <key>` belongs to, or null (unknown or revoked key). */
export async function authenticateConnection(db: DbOrTx, authorization: string | null): Promise<Connection | null> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  if (!match) return null;
  const row = await inbox.findConnectionByKeyHash(db, hashApiKey(match[1]!));
  if (!row || row.revokedAt) return null;
  return { id: row.id, source: row.source, plantSites: row.plantSites };
}

/** Create a connection (admin). The key is returned once and never stored in clear. */
/** Who creates a connection: an admin, or a system tool (userId null, e.g. a benchmark or an installer script). */
export async function createErpConnection(
  db: Db,
  actor: { userId: string | null; displayName: string },
  input: { name: string; source: string; plants: Record<string, string> },
): Promise<{ id: string; apiKey: string }> {
  const apiKey = `tl_${randomBytes(32).toString("base64url")}`;
  return db.transaction(async (tx) => {
    const plantSites: Record<string, string> = {};
    for (const [plant, siteCode] of Object.entries(input.plants)) {
      const [site] = await tx.select({ id: sites.id }).from(sites).where(eq(sites.code, siteCode));
      if (!site) throw new DomainError("VALIDATION_FAILED", `Unknown site ${siteCode} for plant ${plant}.`, { field: "plants" });
      plantSites[plant] = site.id;
    }
    const [row] = await tx
      .insert(erpConnections)
      .values({ name: input.name, source: input.source, keyHash: hashApiKey(apiKey), keyHint: apiKey.slice(-4), plantSites, createdBy: actor.userId })
      .returning({ id: erpConnections.id });
    await writeAudit(tx, { siteId: null, actorUserId: actor.userId, actorName: actor.displayName, action: "erp_connection_created", entity: "erp_connection", entityId: row!.id, newValue: { name: input.name, source: input.source, plants: input.plants } });
    return { id: row!.id, apiKey };
  });
}

export async function revokeErpConnection(db: Db, actor: Pick<Actor, "userId" | "displayName">, id: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(erpConnections).where(eq(erpConnections.id, id)).for("update");
    if (!row) throw new DomainError("NOT_FOUND", "That ERP connection does not exist.");
    if (row.revokedAt) return;
    await tx.update(erpConnections).set({ revokedAt: now, revokedBy: actor.userId }).where(eq(erpConnections.id, id));
    await writeAudit(tx, { siteId: null, actorUserId: actor.userId, actorName: actor.displayName, action: "erp_connection_revoked", entity: "erp_connection", entityId: id });
  });
}
