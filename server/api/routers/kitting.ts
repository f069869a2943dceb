import "server-only";
import { z } from "zod";
import Decimal from "decimal.js";
import { createRouter, siteProcedure } from "@/server/api/trpc";
import { AREA_ROLES, KITTING_WORK_ORDER_ROLES } from "@/server/api/areas";
import type { Role } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { formatQuantity } from "@/server/domain/shared/quantity";
import { kitLabelZpl } from "@/server/domain/kitting/kit-label";
import { kitLabelWords } from "@/i18n/label-words";
import { DEFAULT_LOCALE } from "@/i18n/locales";
import { findWorkOrder, listPointOfUseStock, listStations, listStorageLocations, listWorkOrders, type KitLineRow } from "@/server/repos/floor-overview";
import { listKitLinesByUnit } from "@/server/services/kitting/kit-lines";
import { listAllowedLots, listKits, loadUnits } from "@/server/repos/kitting";
import { createKit } from "@/server/services/kitting/create-kit";
import { pickToKit } from "@/server/services/kitting/pick-to-kit";
import { recordShortPick } from "@/server/services/kitting/record-short-pick";
import { issueKit } from "@/server/services/kitting/issue-kit";
import { returnToStores } from "@/server/services/kitting/return-to-stores";
import { RETURN_TO_ERP_ROLES, returnToErp } from "@/server/services/kitting/return-to-erp";
import { transferBetweenStations } from "@/server/services/kitting/transfer-between-stations";
import { addAllowedLot } from "@/server/services/kitting/add-allowed-lot";
import { allowedLotSignatures, removeAllowedLot } from "@/server/services/kitting/remove-allowed-lot";
import { signatureInput } from "@/server/api/signature-input";
import { getKit, kitLabelContent } from "@/server/services/kitting/get-kit";
import { findStationItem } from "@/server/services/kitting/find-station-item";
import { findStockByScan, storageMove } from "@/server/services/material-clock/storage-move";
import { mixLots } from "@/server/services/material-clock/mix-lots";

export type KitLineStatus = KitLineRow & {
  /** still to install: required - installed, never below zero */
  remaining: string;
  /** what is at the operation's stations covers what remains */
  covered: boolean;
  /** remaining - at point of use, never below zero: what still has to be brought to the stations */
  shortage: string;
};

/** Required vs staged per BOM line, in exact decimals. */
function withCoverage(line: KitLineRow): KitLineStatus {
  const remaining = Decimal.max(new Decimal(line.required).minus(line.installed), 0);
  const shortage = Decimal.max(remaining.minus(line.atPointOfUse), 0);
  return { ...line, remaining: formatQuantity(remaining), covered: shortage.isZero(), shortage: formatQuantity(shortage) };
}

/** Who changes kits and moves material (the supervisor sees the kitting screens read-only). */
const CLERK: readonly Role[] = ["kitting_clerk"];
/** Who restricts work orders to named lots. */
const QUALITY: readonly Role[] = ["quality_engineer"];
/** Mixing or opening time-sensitive material (a two-part sealant): at the kitting bench or by the operator at the station. */
export const MIX_ROLES: readonly Role[] = ["kitting_clerk", "operator"];

/** The non-station locations material goes back to ERP from (points of use are reached through their station). */
const RETURNABLE_KINDS = new Set<string>(["stores", "kitting", "quarantine"]);

const requestId = z.guid();
const quantity = z.string().trim().max(40);
const item = z.object({ partRevisionId: z.guid(), lotId: z.guid().nullable(), serialItemId: z.guid().nullable() });
const scope = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("work_order") }),
  z.object({ kind: z.literal("operation"), operationSeq: z.number().int().min(0).max(1_000_000) }),
  z.object({ kind: z.literal("unit"), unitId: z.guid() }),
]);

/** Kitting: work orders by due date with their kits, kits built by scanning, issued to stations; returns and transfers. */
export const kittingRouter = createRouter({
  workOrders: siteProcedure(KITTING_WORK_ORDER_ROLES).query(async ({ ctx }) => {
    const siteId = ctx.actor.siteId;
    const workOrders = await listWorkOrders(ctx.db, siteId);
    const lines = (await listKitLinesByUnit(ctx.db, siteId, ctx.now(), ctx.actor.timeZone)).map(withCoverage);
    const kits = await listKits(ctx.db, siteId);
    return workOrders.map((wo) => {
      const own = lines.filter((l) => l.workOrderId === wo.id);
      return { ...wo, lines: own, linesCovered: own.filter((l) => l.covered).length, kits: kits.filter((k) => k.workOrderId === wo.id) };
    });
  }),

  /** One work order of the active site with its BOM lines, units, kits, stations and allowed lots; another site's is not found. */
  workOrder: siteProcedure(KITTING_WORK_ORDER_ROLES)
    .input(z.object({ workOrderId: z.guid() }))
    .query(async ({ ctx, input }) => {
      const siteId = ctx.actor.siteId;
      const workOrder = await findWorkOrder(ctx.db, siteId, input.workOrderId);
      if (!workOrder) throw new DomainError("NOT_FOUND", "That work order does not exist at this site.", { workOrderId: input.workOrderId });
      const lines = (await listKitLinesByUnit(ctx.db, siteId, ctx.now(), ctx.actor.timeZone, { workOrderId: workOrder.id })).map(withCoverage);
      const [units, kits, stations, allowedLots] = await Promise.all([
        loadUnits(ctx.db, siteId, workOrder.id),
        listKits(ctx.db, siteId, { workOrderId: workOrder.id }),
        listStations(ctx.db, siteId),
        listAllowedLots(ctx.db, siteId, workOrder.id),
      ]);
      return { workOrder, lines, units, kits, stations, allowedLots };
    }),

  /** A kit with its pick list: per line what is picked, short, still to pick, suggested lots (FEFO) and excluded ones with reasons. */
  kit: siteProcedure(AREA_ROLES.kitting)
    .input(z.object({ kitId: z.guid() }))
    .query(async ({ ctx, input }) => {
      const view = await getKit(ctx.db, ctx.actor, input.kitId, ctx.now());
      const stations = await listStations(ctx.db, ctx.actor.siteId);
      return { ...view, stations };
    }),

  /** The kit label: its content and the ZPL for a label printer. */
  label: siteProcedure(AREA_ROLES.kitting)
    .input(z.object({ kitId: z.guid() }))
    .query(async ({ ctx, input }) => {
      const view = await getKit(ctx.db, ctx.actor, input.kitId, ctx.now());
      const content = kitLabelContent(view);
      return { kit: view.kit, content, zpl: kitLabelZpl(content, kitLabelWords(ctx.actor.locale ?? DEFAULT_LOCALE)) };
    }),

  /** Stock moves: the stations, the stores locations, and what is at one station's point of use (with hold and expiry flags). */
  stationStock: siteProcedure(AREA_ROLES.kitting)
    .input(z.object({ stationId: z.guid().nullish() }))
    .query(async ({ ctx, input }) => {
      const siteId = ctx.actor.siteId;
      const [stations, locations] = await Promise.all([listStations(ctx.db, siteId), listStorageLocations(ctx.db, siteId)]);
      const station = input.stationId ? stations.find((s) => s.id === input.stationId) : undefined;
      if (input.stationId && !station) throw new DomainError("NOT_FOUND", "That station does not exist at this site.", { stationId: input.stationId });
      const stock = station ? await listPointOfUseStock(ctx.db, siteId, ctx.now(), { stationId: station.id }) : [];
      return {
        stations,
        station: station ?? null,
        stores: locations.filter((l) => l.kind === "stores").map((l) => ({ id: l.id, code: l.code, name: l.name })),
        stock,
      };
    }),

  /**
   * Return to ERP from stores, kitting or quarantine: those locations, and what is on hand at one of them (with hold and
   * expiry flags). Point-of-use material is listed by stationStock.
   */
  returnableStock: siteProcedure(RETURN_TO_ERP_ROLES)
    .input(z.object({ locationId: z.guid().nullish() }))
    .query(async ({ ctx, input }) => {
      const siteId = ctx.actor.siteId;
      const locations = (await listStorageLocations(ctx.db, siteId))
        .filter((l) => RETURNABLE_KINDS.has(l.kind))
        .map((l) => ({ id: l.id, code: l.code, name: l.name, kind: l.kind }));
      const location = input.locationId ? locations.find((l) => l.id === input.locationId) : undefined;
      if (input.locationId && !location) throw new DomainError("NOT_FOUND", "That location does not exist at this site, or material does not go back to ERP from it.", { locationId: input.locationId });
      const stock = location ? await listPointOfUseStock(ctx.db, siteId, ctx.now(), { locationId: location.id }) : [];
      return { locations, location: location ?? null, stock };
    }),

  /** Send a lot quantity or a serial back to the ERP warehouse (stores, kitting, quarantine or a point of use). */
  returnToErp: siteProcedure(RETURN_TO_ERP_ROLES)
    .input(z.object({ requestId, fromLocationId: z.guid(), item, quantity, reason: z.string().max(500) }))
    .mutation(({ ctx, input }) => returnToErp(ctx.db, ctx.actor, input, ctx.now())),

  /** What a scan names among the material at one station's point of use (the moves screen's scan field). */
  findStationItem: siteProcedure(CLERK)
    .input(z.object({ stationId: z.guid(), scan: z.string().max(2000) }))
    .query(({ ctx, input }) => findStationItem(ctx.db, ctx.actor, input, ctx.now())),

  /** Where a scanned lot, serial or part is on the floor, with its out-time, thaw state and expiry (storage moves). */
  findStock: siteProcedure(CLERK)
    .input(z.object({ scan: z.string().max(2000) }))
    .query(({ ctx, input }) => findStockByScan(ctx.db, ctx.actor, input, ctx.now())),

  /** Move material to a scanned location: storage class checked; out of storage starts its out-time clock, back stops it. */
  storageMove: siteProcedure(CLERK)
    .input(z.object({ requestId, item, fromLocationId: z.guid(), toLocation: z.string().max(200), quantity, reason: z.string().max(500).optional() }))
    .mutation(({ ctx, input }) => storageMove(ctx.db, ctx.actor, input, ctx.now())),

  /** Where a scanned lot is on the floor, with its clocks (the mixing screen's scans). */
  findMixInput: siteProcedure(MIX_ROLES)
    .input(z.object({ scan: z.string().max(2000) }))
    .query(({ ctx, input }) => findStockByScan(ctx.db, ctx.actor, input, ctx.now())),

  /** Mix lots (base + activator) into a child lot with its pot life; the inputs are consumed through the ledger. */
  mixLots: siteProcedure(MIX_ROLES)
    .input(
      z.object({
        requestId,
        inputs: z.array(z.object({ partRevisionId: z.guid(), lotId: z.guid(), fromLocationId: z.guid(), quantity })).min(1).max(10),
        toLocation: z.string().max(200),
      }),
    )
    .mutation(({ ctx, input }) => mixLots(ctx.db, ctx.actor, input, ctx.now())),

  createKit: siteProcedure(CLERK)
    .input(z.object({ requestId, workOrderId: z.guid(), scope, stationId: z.guid() }))
    .mutation(({ ctx, input }) => createKit(ctx.db, ctx.actor, input, ctx.now())),

  pickToKit: siteProcedure(CLERK)
    .input(z.object({ requestId, kitId: z.guid(), scan: z.string().max(2000), quantity: quantity.nullish(), locationId: z.guid().nullish() }))
    .mutation(({ ctx, input }) => pickToKit(ctx.db, ctx.actor, input, ctx.now())),

  recordShortPick: siteProcedure(CLERK)
    .input(z.object({ requestId, kitId: z.guid(), kitLineId: z.guid(), quantity, reason: z.string().max(500) }))
    .mutation(({ ctx, input }) => recordShortPick(ctx.db, ctx.actor, input, ctx.now())),

  issueKit: siteProcedure(CLERK)
    .input(z.object({ requestId, kitId: z.guid(), stationId: z.guid().nullish() }))
    .mutation(({ ctx, input }) => issueKit(ctx.db, ctx.actor, input, ctx.now())),

  returnToStores: siteProcedure(CLERK)
    .input(z.object({ requestId, stationId: z.guid(), toLocationId: z.guid(), item, quantity, reason: z.string().max(500) }))
    .mutation(({ ctx, input }) => returnToStores(ctx.db, ctx.actor, input, ctx.now())),

  transferBetweenStations: siteProcedure(CLERK)
    .input(z.object({ requestId, fromStationId: z.guid(), toStationId: z.guid(), item, quantity, reason: z.string().max(500) }))
    .mutation(({ ctx, input }) => transferBetweenStations(ctx.db, ctx.actor, input, ctx.now())),

  addAllowedLot: siteProcedure(QUALITY)
    .input(z.object({ requestId, workOrderId: z.guid(), bomLineId: z.guid().nullish(), lotId: z.guid().nullish(), lot: z.string().max(2000).nullish(), reason: z.string().max(500), signature: signatureInput }))
    .mutation(({ ctx, input }) => addAllowedLot(ctx.db, ctx.actor, input, { now: ctx.now(), clientKey: ctx.clientKey, recordAt: ctx.recordAt })),

  removeAllowedLot: siteProcedure(QUALITY)
    .input(z.object({ requestId, allowedLotId: z.guid(), reason: z.string().max(500), signature: signatureInput }))
    .mutation(({ ctx, input }) => removeAllowedLot(ctx.db, ctx.actor, input, { now: ctx.now(), clientKey: ctx.clientKey, recordAt: ctx.recordAt })),

  /** The signatures of a work order's allowed-lot entries in force, verified against each entry as it is now. */
  allowedLotSignatures: siteProcedure(KITTING_WORK_ORDER_ROLES)
    .input(z.object({ workOrderId: z.guid() }))
    .query(({ ctx, input }) => allowedLotSignatures(ctx.db, ctx.actor, input.workOrderId)),
});
