import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Db, DbOrTx } from "@/db/client";
import { findConnectionByKeyHash, insertConnection, lockConnection, markConnectionRevoked, siteIdsByCode } from "@/server/repos/erp-connections";
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
  const row = await findConnectionByKeyHash(db, hashApiKey(match[1]!));
  if (!row || row.revokedAt) return null;
  return { id: row.id, source: row.source, plantSites: row.plantSites };
}

/**
 * Create a connection. The key is returned once and never stored in clear. Created by an admin, or by a system tool
 * (userId null, e.g. a benchmark or an installer script).
 */
export async function createErpConnection(
  db: Db,
  actor: { userId: string | null; displayName: string },
  input: { name: string; source: string; plants: Record<string, string> },
): Promise<{ id: string; apiKey: string }> {
  const apiKey = `tl_${randomBytes(32).toString("base64url")}`;
  return db.transaction(async (tx) => {
    const siteIds = await siteIdsByCode(tx, [...new Set(Object.values(input.plants))]);
    const plantSites: Record<string, string> = {};
    for (const [plant, siteCode] of Object.entries(input.plants)) {
      const siteId = siteIds.get(siteCode);
      if (!siteId) throw new DomainError("VALIDATION_FAILED", `Unknown site ${siteCode} for plant ${plant}.`, { field: "plants" });
      plantSites[plant] = siteId;
    }
    const id = await insertConnection(tx, { name: input.name, source: input.source, keyHash: hashApiKey(apiKey), keyHint: apiKey.slice(-4), plantSites, createdBy: actor.userId });
    await writeAudit(tx, { siteId: null, actorUserId: actor.userId, actorName: actor.displayName, action: "erp_connection_created", entity: "erp_connection", entityId: id, newValue: { name: input.name, source: input.source, plants: input.plants } });
    return { id, apiKey };
  });
}

export async function revokeErpConnection(db: Db, actor: Pick<Actor, "userId" | "displayName">, id: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await lockConnection(tx, id);
    if (!row) throw new DomainError("NOT_FOUND", "That ERP connection does not exist.");
    if (row.revokedAt) return;
    await markConnectionRevoked(tx, id, now, actor.userId);
    await writeAudit(tx, { siteId: null, actorUserId: actor.userId, actorName: actor.displayName, action: "erp_connection_revoked", entity: "erp_connection", entityId: id });
  });
}
