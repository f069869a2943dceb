import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { manufacturers, ownershipChanges, ownershipRegistry, parts, suppliers } from "@/db/schema";
import type { DbOrTx } from "@/db/client";

export async function lockOwnershipRow(db: DbOrTx, entity: string, attribute: string) {
  const [row] = await db
    .select()
    .from(ownershipRegistry)
    .where(and(eq(ownershipRegistry.entity, entity), eq(ownershipRegistry.attribute, attribute)))
    .for("update");
  return row ?? null;
}

export async function setOwnership(db: DbOrTx, entity: string, attribute: string, values: Pick<typeof ownershipRegistry.$inferInsert, "owner" | "direction">, now: Date) {
  await db
    .update(ownershipRegistry)
    .set({ ...values, updatedAt: now })
    .where(and(eq(ownershipRegistry.entity, entity), eq(ownershipRegistry.attribute, attribute)));
}

export async function insertChange(db: DbOrTx, values: typeof ownershipChanges.$inferInsert) {
  const [row] = await db.insert(ownershipChanges).values(values).returning();
  return row!;
}

export async function lockChange(db: DbOrTx, id: string) {
  const [row] = await db.select().from(ownershipChanges).where(eq(ownershipChanges.id, id)).for("update");
  return row ?? null;
}

export async function decideChange(db: DbOrTx, id: string, values: Pick<typeof ownershipChanges.$inferInsert, "status" | "decidedBy" | "decidedAt">) {
  await db.update(ownershipChanges).set(values).where(eq(ownershipChanges.id, id));
}

export async function openChangeFor(db: DbOrTx, entity: string, attribute: string) {
  const [row] = await db
    .select()
    .from(ownershipChanges)
    .where(and(eq(ownershipChanges.entity, entity), eq(ownershipChanges.attribute, attribute), eq(ownershipChanges.status, "proposed")));
  return row ?? null;
}

export async function lockPart(db: DbOrTx, partNumber: string) {
  const [row] = await db.select().from(parts).where(eq(parts.partNumber, partNumber)).for("update");
  return row ?? null;
}

export async function partByGtin(db: DbOrTx, gtin: string) {
  const [row] = await db.select({ id: parts.id, partNumber: parts.partNumber }).from(parts).where(eq(parts.gtin, gtin));
  return row ?? null;
}

export async function updatePartColumns(db: DbOrTx, id: string, values: Partial<typeof parts.$inferInsert>) {
  await db.update(parts).set(values).where(eq(parts.id, id));
}

/** One registry row as it stands now (null when the row does not exist). */
export async function ownershipRow(db: DbOrTx, entity: string, attribute: string) {
  const [row] = await db
    .select({ owner: ownershipRegistry.owner, direction: ownershipRegistry.direction })
    .from(ownershipRegistry)
    .where(and(eq(ownershipRegistry.entity, entity), eq(ownershipRegistry.attribute, attribute)));
  return row ?? null;
}

/** A manufacturer or supplier by code, locked (its authorised-source flag is about to change). */
export async function lockSource(db: DbOrTx, kind: "manufacturer" | "supplier", code: string) {
  const table = kind === "manufacturer" ? manufacturers : suppliers;
  const [row] = await db
    .select({ id: table.id, code: table.code, name: table.name, authorisedSource: table.authorisedSource })
    .from(table)
    .where(eq(table.code, code))
    .for("update");
  return row ?? null;
}

export async function setSourceAuthorised(db: DbOrTx, kind: "manufacturer" | "supplier", id: string, authorised: boolean) {
  const table = kind === "manufacturer" ? manufacturers : suppliers;
  await db.update(table).set({ authorisedSource: authorised }).where(eq(table.id, id));
}

export type SourceRow = { code: string; name: string; authorisedSource: boolean };

/** Every manufacturer and supplier with its authorised-source flag, not authorised first, then by code. */
export async function listSources(db: DbOrTx): Promise<{ manufacturers: SourceRow[]; suppliers: SourceRow[] }> {
  const read = (table: typeof manufacturers | typeof suppliers) =>
    db
      .select({ code: table.code, name: table.name, authorisedSource: table.authorisedSource })
      .from(table)
      .orderBy(asc(table.authorisedSource), asc(table.code))
      .limit(2000);
  const [m, s] = await Promise.all([read(manufacturers), read(suppliers)]);
  return { manufacturers: m, suppliers: s };
}
