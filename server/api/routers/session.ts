import "server-only";
import { z } from "zod";
import { createRouter, siteProcedure } from "@/server/api/trpc";
import { ROLES } from "@/server/auth/types";
import { switchSite } from "@/server/auth/session";
import { recentSignInAudit } from "@/server/repos/sign-in-attempts";
import { LOCALES } from "@/i18n/locales";
import { chooseLanguage } from "@/server/services/account/language";

/** The signed-in person: who they are, where they work, and (supervisors, admins) their own sign-in history. */
export const sessionRouter = createRouter({
  /** Any signed-in role: the actor at the active site (name, site, roles there, every site they may switch to). */
  me: siteProcedure(ROLES).query(({ ctx }) => ctx.actor),

  /** Work at another of one's sites; refused (NOT_FOUND) for a site without a role there. Sets the session cookie. */
  switchSite: siteProcedure(ROLES)
    .input(z.object({ siteId: z.uuid() }))
    .mutation(({ ctx, input }) => switchSite(ctx.actor, input.siteId)),

  /** Any signed-in role: the language of one's own screens (null: the active site's default), kept across sign-ins. */
  setLanguage: siteProcedure(ROLES)
    .input(z.object({ locale: z.enum(LOCALES).nullable() }))
    .mutation(({ ctx, input }) => chooseLanguage(ctx.db, ctx.actor, input.locale)),

  /** Supervisors and administrators: their own recent sign-ins, failures and throttles, newest first. */
  auditTrail: siteProcedure(["supervisor", "admin"])
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50) }).default({ limit: 50 }))
    .query(async ({ ctx, input }) => {
      const rows = await recentSignInAudit(ctx.db, ctx.actor.userId, input.limit);
      return rows.map((r) => ({ id: r.id, occurredAt: r.occurredAt, action: r.action, reason: r.reason, details: r.details }));
    }),
});
