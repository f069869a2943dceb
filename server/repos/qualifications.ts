import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { operatorQualifications, partRevisions, parts, routingOperations, routings, skills, userSiteRoles, users } from "@/db/schema";

/* Skills and operator qualifications of a site (maintained by supervisors and quality; read by the station). */

export async function skillsOfSite(db: DbOrTx, siteId: string) {
  return db.select({ id: skills.id, code: skills.code, name: skills.name }).from(skills).where(eq(skills.siteId, siteId)).orderBy(asc(skills.code));
}

export async function skillByCode(db: DbOrTx, siteId: string, code: string) {
  const [row] = await db.select({ id: skills.id, code: skills.code, name: skills.name }).from(skills).where(and(eq(skills.siteId, siteId), eq(skills.code, code)));
  return row ?? null;
}

/** Insert a skill; null when the site has one with that code already. */
export async function insertSkill(db: DbOrTx, v: { siteId: string; code: string; name: string; createdAt: Date }) {
  const [row] = await db.insert(skills).values(v).onConflictDoNothing().returning({ id: skills.id, code: skills.code, name: skills.name });
  return row ?? null;
}

/** A user with a role at the site (operators and supervisors are qualified), with their name. */
export async function memberOfSite(db: DbOrTx, siteId: string, userId: string) {
  const [row] = await db
    .select({ id: users.id, displayName: users.displayName })
    .from(users)
    .where(and(eq(users.id, userId), sql`exists (select 1 from ${userSiteRoles} r where r.user_id = ${users.id} and r.site_id = ${siteId}::uuid)`));
  return row ?? null;
}

export async function lockQualification(db: DbOrTx, siteId: string, userId: string, skillId: string) {
  const [row] = await db
    .select()
    .from(operatorQualifications)
    .where(and(eq(operatorQualifications.siteId, siteId), eq(operatorQualifications.userId, userId), eq(operatorQualifications.skillId, skillId)))
    .for("update");
  return row ?? null;
}

export async function saveQualification(
  db: DbOrTx,
  v: { siteId: string; userId: string; skillId: string; qualifiedAt: Date; expiresAt: Date | null; revokedAt: Date | null; updatedBy: string; updatedAt: Date },
) {
  await db
    .insert(operatorQualifications)
    .values(v)
    .onConflictDoUpdate({
      target: [operatorQualifications.siteId, operatorQualifications.userId, operatorQualifications.skillId],
      set: { qualifiedAt: v.qualifiedAt, expiresAt: v.expiresAt, revokedAt: v.revokedAt, updatedBy: v.updatedBy, updatedAt: v.updatedAt },
    });
}

export type QualificationBoardRow = {
  userId: string;
  displayName: string;
  roles: string[];
  qualifications: { skillCode: string; skillName: string; qualifiedAt: Date; expiresAt: Date | null; revokedAt: Date | null; updatedAt: Date }[];
};

/** Every operator and supervisor of the site with their qualifications, by name. */
export async function qualificationBoard(db: DbOrTx, siteId: string): Promise<QualificationBoardRow[]> {
  const people = await db
    .select({ userId: users.id, displayName: users.displayName, roles: sql<string[]>`array_agg(${userSiteRoles.role}::text order by ${userSiteRoles.role})` })
    .from(users)
    .innerJoin(userSiteRoles, and(eq(userSiteRoles.userId, users.id), eq(userSiteRoles.siteId, siteId)))
    .where(and(eq(users.isActive, true), inArray(userSiteRoles.role, ["operator", "supervisor"])))
    .groupBy(users.id, users.displayName)
    .orderBy(asc(users.displayName));
  const quals = await db
    .select({
      userId: operatorQualifications.userId,
      skillCode: skills.code,
      skillName: skills.name,
      qualifiedAt: operatorQualifications.qualifiedAt,
      expiresAt: operatorQualifications.expiresAt,
      revokedAt: operatorQualifications.revokedAt,
      updatedAt: operatorQualifications.updatedAt,
    })
    .from(operatorQualifications)
    .innerJoin(skills, and(eq(skills.siteId, operatorQualifications.siteId), eq(skills.id, operatorQualifications.skillId)))
    .where(eq(operatorQualifications.siteId, siteId))
    .orderBy(asc(skills.code));
  return people.map((p) => ({ ...p, qualifications: quals.filter((q) => q.userId === p.userId).map(({ userId: _u, ...q }) => q) }));
}

/** One operation of a routing of the site, with what it requires (locked: its requirements are about to change). */
export async function routingOperationOf(db: DbOrTx, siteId: string, routingCode: string, seq: number) {
  const [row] = await db
    .select({ id: routingOperations.id, requiredSkills: routingOperations.requiredSkills, requiredToolClasses: routingOperations.requiredToolClasses })
    .from(routingOperations)
    .innerJoin(routings, and(eq(routings.siteId, routingOperations.siteId), eq(routings.id, routingOperations.routingId)))
    .where(and(eq(routingOperations.siteId, siteId), eq(routings.code, routingCode), eq(routingOperations.seq, seq)))
    .for("update", { of: routingOperations });
  return row ?? null;
}

export async function setRoutingOperationRequirements(db: DbOrTx, siteId: string, id: string, v: { requiredSkills: string[]; requiredToolClasses: string[] }) {
  await db.update(routingOperations).set(v).where(and(eq(routingOperations.siteId, siteId), eq(routingOperations.id, id)));
}

/** Every routing operation of the site with what it requires (skills, tool classes), by routing code and sequence. */
export async function routingOperationsOfSite(db: DbOrTx, siteId: string) {
  return db
    .select({
      routingCode: routings.code,
      partNumber: parts.partNumber,
      revision: partRevisions.revision,
      seq: routingOperations.seq,
      code: routingOperations.code,
      description: routingOperations.description,
      requiredSkills: routingOperations.requiredSkills,
      requiredToolClasses: routingOperations.requiredToolClasses,
    })
    .from(routingOperations)
    .innerJoin(routings, and(eq(routings.siteId, routingOperations.siteId), eq(routings.id, routingOperations.routingId)))
    .innerJoin(partRevisions, eq(partRevisions.id, routings.partRevisionId))
    .innerJoin(parts, eq(parts.id, partRevisions.partId))
    .where(eq(routingOperations.siteId, siteId))
    .orderBy(asc(routings.code), asc(routingOperations.seq))
    .limit(1000);
}
