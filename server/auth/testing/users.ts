import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { auditLog, signInAttempts, sites, userSiteRoles, users } from "@/db/schema";
import type { DbOrTx } from "@/db/client";
import type { Role } from "@/server/auth/types";
import { hashSecret } from "@/server/auth/passwords";

/** Test-only helpers for the auth tests: sites and users with real argon2id credentials. */

export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

export async function createSite(db: DbOrTx, code = unique("S").toUpperCase()) {
  const [site] = await db.insert(sites).values({ code, name: `Site ${code}`, timeZone: "America/Chicago", erpPlant: code }).returning();
  return site!;
}

export type TestUserSpec = {
  displayName?: string;
  username?: string;
  password?: string;
  badgeId?: string;
  pin?: string;
  isActive?: boolean;
  roles?: { siteId: string; role: Role }[];
};

export async function createUser(db: DbOrTx, spec: TestUserSpec) {
  const [user] = await db
    .insert(users)
    .values({
      displayName: spec.displayName ?? "Test Person",
      username: spec.username ?? null,
      passwordHash: spec.password ? await hashSecret(spec.password) : null,
      badgeId: spec.badgeId ?? null,
      pinHash: spec.pin ? await hashSecret(spec.pin) : null,
      isActive: spec.isActive ?? true,
    })
    .returning();
  if (spec.roles?.length) await db.insert(userSiteRoles).values(spec.roles.map((r) => ({ userId: user!.id, ...r })));
  return user!;
}

export async function auditRowsFor(db: DbOrTx, entityId: string) {
  return db.select().from(auditLog).where(and(eq(auditLog.entity, "user"), eq(auditLog.entityId, entityId))).orderBy(auditLog.id);
}

export async function attemptRows(db: DbOrTx, key: { accountKey: string } | { clientKey: string }) {
  const match = "accountKey" in key ? eq(signInAttempts.accountKey, key.accountKey) : eq(signInAttempts.clientKey, key.clientKey);
  return db.select().from(signInAttempts).where(match).orderBy(signInAttempts.id);
}
