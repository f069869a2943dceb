import "server-only";
import { z } from "zod";
import { createRouter, siteProcedure } from "@/server/api/trpc";
import { AREA_ROLES } from "@/server/api/areas";
import { qualificationBoard, routingOperationsOfSite, skillsOfSite } from "@/server/repos/qualifications";
import { ownershipRow } from "@/server/repos/ownership";
import { defineSkill, recordQualification, revokeQualification } from "@/server/services/qualification/qualifications";
import { setOperationRequirements } from "@/server/services/qualification/operation-requirements";

const day = z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a date as YYYY-MM-DD.");
const skillCode = z.string().trim().min(1, "Choose the skill.").max(32);
const reason = z.string().max(1000, "Keep the reason under 1000 characters.");

/** Operator qualifications: skills per site, who holds which until when (supervisors and quality maintain them). */
export const qualificationRouter = createRouter({
  /** The site's skills, and every operator and supervisor with their qualifications. */
  board: siteProcedure(AREA_ROLES.quality).query(async ({ ctx }) => {
    const [skills, people] = await Promise.all([skillsOfSite(ctx.db, ctx.actor.siteId), qualificationBoard(ctx.db, ctx.actor.siteId)]);
    return { skills, people, asOf: ctx.now() };
  }),

  defineSkill: siteProcedure(AREA_ROLES.quality)
    .input(z.object({ code: z.string().trim().min(1, "Enter the skill code.").max(32, "A skill code has at most 32 characters."), name: z.string().trim().max(120) }))
    .mutation(({ ctx, input }) => defineSkill(ctx.db, ctx.actor, input, ctx.now())),

  recordQualification: siteProcedure(AREA_ROLES.quality)
    .input(z.object({ userId: z.guid("Choose the operator."), skillCode, qualifiedOn: day, validThrough: day.nullable(), reason }))
    .mutation(({ ctx, input }) => recordQualification(ctx.db, ctx.actor, input, ctx.now())),

  /** Every routing operation of the site with what it requires, the site's skills, and who owns each requirement (ERP-owned: read-only). */
  operationRequirements: siteProcedure(AREA_ROLES.quality).query(async ({ ctx }) => {
    const [operations, skills, skillOwner, toolOwner] = await Promise.all([
      routingOperationsOfSite(ctx.db, ctx.actor.siteId),
      skillsOfSite(ctx.db, ctx.actor.siteId),
      ownershipRow(ctx.db, "routing", "required_skills"),
      ownershipRow(ctx.db, "routing", "required_tool_classes"),
    ]);
    return { operations, skills, owners: { requiredSkills: skillOwner?.owner ?? null, requiredToolClasses: toolOwner?.owner ?? null } };
  }),

  /** What a routing operation requires (skills, tool classes), where the registry gives it to Traceline. */
  setOperationRequirements: siteProcedure(AREA_ROLES.quality)
    .input(
      z.object({
        routingCode: z.string().trim().min(1, "Enter the routing.").max(64),
        seq: z.number().int().min(0).max(2_147_483_647),
        requiredSkills: z.array(z.string().trim().max(32)).max(20),
        requiredToolClasses: z.array(z.string().trim().max(64)).max(20),
        reason,
      }),
    )
    .mutation(({ ctx, input }) => setOperationRequirements(ctx.db, ctx.actor, input, ctx.now())),

  revokeQualification: siteProcedure(AREA_ROLES.quality)
    .input(z.object({ userId: z.guid(), skillCode, reason }))
    .mutation(({ ctx, input }) => revokeQualification(ctx.db, ctx.actor, input, ctx.now())),
});
