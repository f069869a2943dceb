import "server-only";
import { z } from "zod";
import { createRouter, siteProcedure } from "@/server/api/trpc";
import { listFinishedUnitsInStores } from "@/server/repos/unit-fate";
import { SCRAP_UNIT_ROLES, scrapUnit } from "@/server/services/production/scrap-unit";
import { SHIP_ROLES, shipUnit } from "@/server/services/production/ship-unit";

/** Who ships and who scraps units (the services' own checks), for the screens that offer the actions. */
export { SCRAP_UNIT_ROLES, SHIP_ROLES };

const requestId = z.guid();

/** Finished units leave the floor: shipped to a customer from stores, or scrapped as a whole. */
export const productionRouter = createRouter({
  /** Completed units in stores (what can ship), held ones with their hold reasons. */
  finishedUnits: siteProcedure(SHIP_ROLES).query(({ ctx }) => listFinishedUnitsInStores(ctx.db, ctx.actor.siteId)),

  shipUnit: siteProcedure(SHIP_ROLES)
    .input(z.object({ requestId, unitId: z.guid(), shipTo: z.string().max(200), deliveryNote: z.string().max(200) }))
    .mutation(({ ctx, input }) => shipUnit(ctx.db, ctx.actor, input, ctx.now())),

  scrapUnit: siteProcedure(SCRAP_UNIT_ROLES)
    .input(z.object({ requestId, unitId: z.guid(), reason: z.string().max(500) }))
    .mutation(({ ctx, input }) => scrapUnit(ctx.db, ctx.actor, input, ctx.now())),
});
