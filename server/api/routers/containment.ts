import "server-only";
import { z } from "zod";
import { createRouter, siteProcedure } from "@/server/api/trpc";
import { AREA_ROLES } from "@/server/api/areas";
import { activeHoldsInUnit, holdMarkersOf } from "@/server/repos/containment";
import { remainingStockPerLot } from "@/server/repos/lot-stock";
import type { WhereUsedTarget } from "@/server/repos/genealogy-where-used";
import { holdUnits, MAX_BULK_UNITS } from "@/server/services/quality/hold-units";

const ids = z.array(z.guid()).max(20_000).default([]);

/** Containment of held material: what a unit holds that is on hold, hold markers for genealogy, bulk hold of units. */
export const containmentRouter = createRouter({
  /** Active holds covering the unit itself or anything installed in it now, at any depth (empty when clean). */
  unit: siteProcedure(AREA_ROLES.genealogy)
    .input(z.object({ serialItemId: z.guid() }))
    .query(({ ctx, input }) => activeHoldsInUnit(ctx.db, ctx.actor.siteId, input.serialItemId)),

  /** The active holds covering each of these lots, serials and (untracked) part revisions: [key, holds] pairs. */
  markers: siteProcedure(AREA_ROLES.genealogy)
    .input(z.object({ lotIds: ids, serialItemIds: ids, partRevisionIds: ids }))
    .query(async ({ ctx, input }) => [...(await holdMarkersOf(ctx.db, ctx.actor.siteId, input)).entries()]),

  /** Recall scope: what remains on hand of each lot of the traced material, by location (a serial has no lots). */
  remainingStock: siteProcedure(AREA_ROLES.genealogy)
    .input(
      z.object({
        target: z.discriminatedUnion("kind", [
          z.object({ kind: z.enum(["lot", "serial", "part_revision", "part", "manufacturer"]), id: z.guid() }),
          z.object({ kind: z.literal("supplier_lot"), supplierLot: z.string().trim().min(1).max(100) }),
        ]),
      }),
    )
    .query(({ ctx, input }) => remainingStockPerLot(ctx.db, ctx.actor.siteId, input.target as WhereUsedTarget)),

  /** Hold the selected units (their serials) for one reason, signed once: one hold and signature per unit. */
  holdUnits: siteProcedure(["quality_engineer"])
    .input(
      z.object({
        requestId: z.guid(),
        serialItemIds: z.array(z.guid()).min(1, "Select the units to hold.").max(MAX_BULK_UNITS),
        reason: z.string().max(1000),
        signature: z.object({
          method: z.enum(["password", "pin"]),
          secret: z.string().min(1, "Enter your password or PIN to sign.").max(1024),
          meaning: z.enum(["review", "approval", "hold", "release", "responsibility"]),
        }),
      }),
    )
    .mutation(({ ctx, input }) => holdUnits(ctx.db, ctx.actor, input, { now: ctx.now(), clientKey: ctx.clientKey })),
});
