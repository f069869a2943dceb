import "server-only";
import { z } from "zod";
import { createRouter, siteProcedure } from "@/server/api/trpc";
import { AREA_ROLES, QUALITY_ROLES } from "@/server/api/areas";
import { DomainError } from "@/server/domain/shared/errors";
import { findSerialItem, findSerialsByNumber, getAsBuilt } from "@/server/repos/genealogy-read";
import { listRecentInstalls } from "@/server/repos/quality-overview";

/** Backward genealogy: find a serial at the active site and show its as-built. */
export const genealogyRouter = createRouter({
  /** Serials of the active site with this exact serial number (none for a serial of another site). */
  findSerial: siteProcedure(AREA_ROLES.genealogy)
    .input(z.object({ serial: z.string().trim().min(1).max(100) }))
    .query(({ ctx, input }) => findSerialsByNumber(ctx.db, ctx.actor.siteId, input.serial)),

  /** The as-built tree under a serial: one level or all levels, removed components included and marked. */
  asBuilt: siteProcedure(AREA_ROLES.genealogy)
    .input(z.object({ serialItemId: z.guid(), levels: z.enum(["one", "all"]).default("all") }))
    .query(async ({ ctx, input }) => {
      const siteId = ctx.actor.siteId;
      const item = await findSerialItem(ctx.db, siteId, input.serialItemId);
      if (!item) throw new DomainError("NOT_FOUND", "That serial does not exist at this site.", { serialItemId: input.serialItemId });
      const tree = await getAsBuilt(ctx.db, siteId, item.serialItemId, input.levels === "one" ? { maxDepth: 1 } : {});
      return { item, tree };
    }),

  recentInstalls: siteProcedure(QUALITY_ROLES)
    .input(z.object({ limit: z.number().int().min(1).max(100).default(20) }).default({ limit: 20 }))
    .query(({ ctx, input }) => listRecentInstalls(ctx.db, ctx.actor.siteId, input.limit)),
});
