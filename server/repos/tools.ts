import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { tools, users } from "@/db/schema";

/* The tool and gauge register of a site. */

export async function toolRegister(db: DbOrTx, siteId: string) {
  return db
    .select({
      id: tools.id,
      code: tools.code,
      toolClass: tools.toolClass,
      description: tools.description,
      calibratedAt: tools.calibratedAt,
      calibrationDueAt: tools.calibrationDueAt,
      status: tools.status,
      holdReason: tools.holdReason,
      heldAt: tools.heldAt,
      heldByName: users.displayName,
    })
    .from(tools)
    .leftJoin(users, eq(users.id, tools.heldBy))
    .where(eq(tools.siteId, siteId))
    .orderBy(asc(tools.toolClass), asc(tools.code));
}

export async function lockTool(db: DbOrTx, siteId: string, code: string) {
  const [row] = await db.select().from(tools).where(and(eq(tools.siteId, siteId), eq(tools.code, code))).for("update");
  return row ?? null;
}

/** Insert a tool; null when the site has one with that code. */
export async function insertTool(db: DbOrTx, v: typeof tools.$inferInsert) {
  const [row] = await db.insert(tools).values(v).onConflictDoNothing().returning();
  return row ?? null;
}

export async function updateTool(db: DbOrTx, siteId: string, id: string, v: Partial<typeof tools.$inferInsert>) {
  await db.update(tools).set(v).where(and(eq(tools.siteId, siteId), eq(tools.id, id)));
}

export async function toolByCode(db: DbOrTx, siteId: string, code: string) {
  const [row] = await db.select().from(tools).where(and(eq(tools.siteId, siteId), eq(tools.code, code)));
  return row ?? null;
}
