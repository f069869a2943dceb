import "server-only";
import { z } from "zod";
import { createRouter, siteProcedure } from "@/server/api/trpc";
import { LOCATION_ROLES, QUALITY_ROLES } from "@/server/api/areas";
import { listStorageLocations } from "@/server/repos/floor-overview";
import { listActiveHolds, listLots } from "@/server/repos/quality-overview";

/** Plant-wide reads shared by several areas: holds, lots needing attention, storage locations. */
export const plantRouter = createRouter({
  activeHolds: siteProcedure(QUALITY_ROLES).query(({ ctx }) => listActiveHolds(ctx.db, ctx.actor.siteId)),

  /** Lots of the active site; `attentionOnly`: expired (as of now), not accepted at inspection, or on hold. */
  lots: siteProcedure(QUALITY_ROLES)
    .input(z.object({ attentionOnly: z.boolean().default(false) }).default({ attentionOnly: false }))
    .query(({ ctx, input }) => listLots(ctx.db, ctx.actor.siteId, ctx.now(), { attentionOnly: input.attentionOnly })),

  storageLocations: siteProcedure(LOCATION_ROLES).query(({ ctx }) => listStorageLocations(ctx.db, ctx.actor.siteId)),
});
