import "server-only";
import { z } from "zod";
import { createRouter, siteProcedure } from "@/server/api/trpc";
import { findSite, listSites, listTransfers, receivingLocations } from "@/server/repos/site-transfers";
import { TRANSFER_ROLES, shipTransfer } from "@/server/services/transfers/ship-transfer";
import { receiveTransfer } from "@/server/services/transfers/receive-transfer";

export { TRANSFER_ROLES };

const requestId = z.guid();

/**
 * Site transfers (kitting clerk, supervisor): ship a lot quantity, serial or finished sub-assembly to another site, and
 * receive by scan what another site shipped here. Each site sees its own side: the other site's code and name and the
 * item's numbers, never the other site's row ids.
 */
export const transfersRouter = createRouter({
  /** The other sites of the enterprise (where a transfer can go) and this site's receiving locations. */
  options: siteProcedure(TRANSFER_ROLES).query(async ({ ctx }) => ({
    sites: (await listSites(ctx.db)).filter((s) => s.id !== ctx.actor.siteId).map((s) => ({ id: s.id, code: s.code, name: s.name })),
    receivingLocations: await receivingLocations(ctx.db, ctx.actor.siteId),
    /** this site re-inspects what arrives from another site: receipt places a hold the receiver signs */
    reinspect: (await findSite(ctx.db, ctx.actor.siteId))?.transferReinspect ?? false,
  })),

  incoming: siteProcedure(TRANSFER_ROLES)
    .input(z.object({ status: z.enum(["in_transit", "received"]).optional() }).default({}))
    .query(({ ctx, input }) => listTransfers(ctx.db, ctx.actor.siteId, { direction: "incoming", ...(input.status ? { status: input.status } : {}) })),

  outgoing: siteProcedure(TRANSFER_ROLES)
    .input(z.object({ status: z.enum(["in_transit", "received"]).optional() }).default({}))
    .query(({ ctx, input }) => listTransfers(ctx.db, ctx.actor.siteId, { direction: "outgoing", ...(input.status ? { status: input.status } : {}) })),

  ship: siteProcedure(TRANSFER_ROLES)
    .input(
      z.object({
        requestId,
        toSiteId: z.guid(),
        itemNumber: z.string().max(200),
        partNumber: z.string().trim().max(100).nullish(),
        fromLocationId: z.guid().nullish(),
        quantity: z.string().trim().max(40).nullish(),
      }),
    )
    .mutation(({ ctx, input }) => shipTransfer(ctx.db, ctx.actor, input, ctx.now())),

  receive: siteProcedure(TRANSFER_ROLES)
    .input(
      z.object({
        requestId,
        scan: z.string().max(2000),
        toLocationId: z.guid().nullish(),
        /** the on-arrival hold's signature, at a site that re-inspects transferred material */
        signature: z.object({ method: z.enum(["password", "pin"]), secret: z.string().min(1).max(1024), meaning: z.enum(["hold"]) }).nullish(),
      }),
    )
    .mutation(({ ctx, input }) => receiveTransfer(ctx.db, ctx.actor, input, ctx.now(), { clientKey: ctx.clientKey })),
});
