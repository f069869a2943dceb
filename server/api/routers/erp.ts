import "server-only";
import { z } from "zod";
import { createRouter, siteProcedure } from "@/server/api/trpc";
import { AREA_ROLES } from "@/server/api/areas";
import { countInboxByStatus, countOutboxByStatus, listInbox, listOutbox } from "@/server/repos/erp-overview";

/** The ERP interface as seen from the active site: inbound messages and outbound confirmations. Read-only for now. */
export const erpRouter = createRouter({
  counts: siteProcedure(AREA_ROLES.erp).query(async ({ ctx }) => ({
    inbox: await countInboxByStatus(ctx.db, ctx.actor.siteId),
    outbox: await countOutboxByStatus(ctx.db, ctx.actor.siteId),
  })),

  messages: siteProcedure(AREA_ROLES.erp)
    .input(z.object({ limit: z.number().int().min(1).max(500).default(100) }).default({ limit: 100 }))
    .query(async ({ ctx, input }) => ({
      inbox: await listInbox(ctx.db, ctx.actor.siteId, input.limit),
      outbox: await listOutbox(ctx.db, ctx.actor.siteId, input.limit),
      limit: input.limit,
    })),
});
