import "server-only";
import { z } from "zod";
import { createRouter, sessionSiteProcedure, siteProcedure } from "@/server/api/trpc";
import { AREA_ROLES } from "@/server/api/areas";
import { DomainError } from "@/server/domain/shared/errors";
import { findStation, listPointOfUseStock, listQueuedUnits, listStations } from "@/server/repos/floor-overview";
import { listStagedKitLines } from "@/server/repos/kitting";
import { REMOVAL_DESTINATIONS, SCRAP_REASONS, type ScrapReason } from "@/server/domain/station/station-rules";
import { consumeComponent } from "@/server/services/station/consume-component";
import { completeOperation } from "@/server/services/station/complete-operation";
import { removeComponent } from "@/server/services/station/remove-component";
import { scrapMaterial } from "@/server/services/station/scrap-material";
import { getOperationView } from "@/server/services/station/operation-view";
import { kitAtStation } from "@/server/services/station/kit-at-station";
import { REWORK_ROLES, STATION_ROLES } from "@/server/services/station/station-shared";

const requestId = z.guid();
/** the label codes of the tools scanned for the operation */
const toolCodes = z.array(z.string().trim().min(1, "A tool code is not empty.").max(64, "A tool code has at most 64 characters.")).max(20, "At most 20 tools per action.");
const quantity = z.string().trim().max(40);
const parameters = z.record(z.string().max(80), z.string().trim().max(40)).refine((p) => Object.keys(p).length <= 30, "Too many parameters.");
const scan = z.object({ scan: z.string().min(1).max(2000) });
const consumeItem = z.union([scan, z.object({ lotId: z.guid() }), z.object({ serialItemId: z.guid() }), z.object({ partRevisionId: z.guid() })]);
const seq = z.number().int().min(0).max(1_000_000);
const scrapReason = z.enum(Object.keys(SCRAP_REASONS) as [ScrapReason, ...ScrapReason[]]);

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
      pointOfUseAttention: stock.filter((l) => l.stationId === s.id && !l.status.usable).length,
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

  /** One unit at one operation: required components (frozen BOM, effectivity), installed, left, parameters, staged material. */
  operation: siteProcedure(AREA_ROLES.station)
    .input(z.object({ stationId: z.guid(), unitId: z.guid(), seq }))
    .query(({ ctx, input }) => getOperationView(ctx.db, ctx.actor, input, ctx.now())),

  /** A kit (its label was scanned at the station) for one unit at one operation: each line, what the unit needs, each lot or serial. */
  kitAtStation: siteProcedure(AREA_ROLES.station)
    .input(z.object({ stationId: z.guid(), unitId: z.guid(), seq, kitId: z.guid() }))
    .query(({ ctx, input }) => kitAtStation(ctx.db, ctx.actor, input, ctx.now())),

  /** Install a serial or a quantity of a lot or untracked part into the unit at the operation (every check, one transaction). */
  consumeComponent: sessionSiteProcedure(STATION_ROLES)
    .input(z.object({ requestId, stationId: z.guid(), unitId: z.guid(), operationSeq: seq, item: consumeItem, quantity: quantity.nullish(), parameters: parameters.optional(), toolCodes: toolCodes.optional() }))
    .mutation(({ ctx, input }) => consumeComponent(ctx.db, ctx.caller, input, ctx.recordAt ?? ctx.now())),

  /** Complete the operation: required components installed, parameters recorded, backflush drawn; the last one finishes the unit. */
  completeOperation: siteProcedure(STATION_ROLES)
    .input(z.object({ requestId, stationId: z.guid(), unitId: z.guid(), operationSeq: seq, parameters: parameters.optional(), toLocationId: z.guid().nullish(), toolCodes: toolCodes.optional() }))
    .mutation(({ ctx, input }) => completeOperation(ctx.db, ctx.actor, input, ctx.now())),

  /** Take an installed component out in rework, to stores, quarantine or scrap, with a reason. */
  removeComponent: siteProcedure(REWORK_ROLES)
    .input(z.object({ requestId, edgeId: z.guid(), reason: z.string().max(500), destination: z.enum(REMOVAL_DESTINATIONS), locationId: z.guid().nullish() }))
    .mutation(({ ctx, input }) => removeComponent(ctx.db, ctx.actor, input, ctx.now())),

  /** Scrap material where it lies (point of use, stores, quarantine) with a reason code. */
  scrapMaterial: siteProcedure(REWORK_ROLES)
    .input(
      z.object({
        requestId,
        locationId: z.guid(),
        item: consumeItem,
        quantity: quantity.nullish(),
        reasonCode: scrapReason,
        note: z.string().max(300).nullish(),
      }),
    )
    .mutation(({ ctx, input }) => scrapMaterial(ctx.db, ctx.actor, input, ctx.now())),
});
