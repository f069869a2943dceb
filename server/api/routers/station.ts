import "server-only";
import { z } from "zod";
import { createRouter, siteProcedure } from "@/server/api/trpc";
import { AREA_ROLES } from "@/server/api/areas";
import { DomainError } from "@/server/domain/shared/errors";
import { findStation, listPointOfUseStock, listQueuedUnits, listStations } from "@/server/repos/floor-overview";
import { listStagedKitLines } from "@/server/repos/kitting";

/** The operator's station: what is queued there and what material is at its point of use. Kits issued here, by order, with their shortages. */
export const stationRouter = createRouter({
  /** Every station of the active site with the units queued there and how many stock lines sit at its point of use. */
  list: siteProcedure(AREA_ROLES.station).query(async ({ ctx }) => {
    const siteId = ctx.actor.siteId;
    const stations = await listStations(ctx.db, siteId);
    const queue = await listQueuedUnits(ctx.db, siteId);
    const stock = await listPointOfUseStock(ctx.db, siteId, ctx.now());
    return stations.map((s) => ({
      ...s,
      queue: queue.filter((q) => q.stationId === s.id),
      pointOfUseLines: stock.filter((l) => l.stationId === s.id).length,
      pointOfUseAttention: stock.filter((l) => l.stationId === s.id && (l.expired || l.onHold)).length,
    }));
  }),

  /** One station of the active site; a station of another site is not found. */
  get: siteProcedure(AREA_ROLES.station)
    .input(z.object({ stationId: z.guid() }))
    .query(async ({ ctx, input }) => {
      const siteId = ctx.actor.siteId;
      const station = await findStation(ctx.db, siteId, input.stationId);
      if (!station) throw new DomainError("NOT_FOUND", "That station does not exist at this site.", { stationId: input.stationId });
      const queue = await listQueuedUnits(ctx.db, siteId, { stationId: station.id });
      const stock = await listPointOfUseStock(ctx.db, siteId, ctx.now(), { stationId: station.id });
      // kits issued here: for which orders, what they brought and what is short
      const kitLines = await listStagedKitLines(ctx.db, siteId, station.id);
      return { station, queue, stock, kitLines };
    }),
});
