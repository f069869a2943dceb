import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { operatorQualifications, skills, tools, unitOperations } from "@/db/schema";
import type { HeldQualification } from "@/server/domain/qualification/operator-qualification";
import type { ToolFacts } from "@/server/domain/tools/tool-rules";

/* The station's checks of who works and with which tools, outside the install's one read (completion, screens). */

/** An operator's qualifications at a site, with their skill codes. */
export async function qualificationsOf(db: DbOrTx, siteId: string, userId: string): Promise<HeldQualification[]> {
  return db
    .select({ skillCode: skills.code, skillName: skills.name, qualifiedAt: operatorQualifications.qualifiedAt, expiresAt: operatorQualifications.expiresAt, revokedAt: operatorQualifications.revokedAt })
    .from(operatorQualifications)
    .innerJoin(skills, and(eq(skills.siteId, operatorQualifications.siteId), eq(skills.id, operatorQualifications.skillId)))
    .where(and(eq(operatorQualifications.siteId, siteId), eq(operatorQualifications.userId, userId)));
}

/** The register's tools of a site with these label codes (case-insensitive). */
export async function toolsByCodes(db: DbOrTx, siteId: string, codes: string[]): Promise<ToolFacts[]> {
  if (codes.length === 0) return [];
  return db
    .select({
      id: tools.id,
      code: tools.code,
      toolClass: tools.toolClass,
      description: tools.description,
      status: tools.status,
      calibrationDueAt: tools.calibrationDueAt,
      holdReason: tools.holdReason,
    })
    .from(tools)
    .where(and(eq(tools.siteId, siteId), sql`upper(${tools.code}) in (select upper(c) from jsonb_array_elements_text(${JSON.stringify(codes)}::jsonb) c)`));
}

/** Add the tools of a reading (a completion's parameters) to the unit operation's tools. */
export async function recordOperationTools(db: DbOrTx, siteId: string, unitOperationId: string, toolIds: string[]): Promise<void> {
  if (toolIds.length === 0) return;
  await db
    .update(unitOperations)
    .set({ toolIds: sql`array(select distinct x from unnest(${unitOperations.toolIds} || array(select y::uuid from jsonb_array_elements_text(${JSON.stringify(toolIds)}::jsonb) y)) x order by x)` })
    .where(and(eq(unitOperations.siteId, siteId), eq(unitOperations.id, unitOperationId)));
}
