import "server-only";
import { z } from "zod";
import { createRouter, siteProcedure } from "@/server/api/trpc";
import { LABEL_ROLES } from "@/server/api/areas";
import { findByScan, lotLabel, serialLabel } from "@/server/services/labels/item-label";

/** Lot and serial labels (content, 2D code, ZPL at print time) and the header's find-by-scan. */
export const labelsRouter = createRouter({
  lot: siteProcedure(LABEL_ROLES)
    .input(z.object({ lotId: z.guid() }))
    .query(({ ctx, input }) => lotLabel(ctx.db, ctx.actor, input.lotId, ctx.now())),

  serial: siteProcedure(LABEL_ROLES)
    .input(z.object({ serialItemId: z.guid() }))
    .query(({ ctx, input }) => serialLabel(ctx.db, ctx.actor, input.serialItemId, ctx.now())),

  /** What a scanned label names at this site (any signed-in role: the header's scan field). */
  find: siteProcedure(["operator", "kitting_clerk", "quality_engineer", "supervisor", "admin", "enterprise"])
    .input(z.object({ scan: z.string().min(1).max(500) }))
    .mutation(({ ctx, input }) => findByScan(ctx.db, ctx.actor, input, ctx.now())),
});
