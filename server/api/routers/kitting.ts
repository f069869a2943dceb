import "server-only";
import { z } from "zod";
import Decimal from "decimal.js";
import { createRouter, siteProcedure } from "@/server/api/trpc";
import { AREA_ROLES } from "@/server/api/areas";
import { DomainError } from "@/server/domain/shared/errors";
import { formatQuantity } from "@/server/domain/shared/quantity";
import { findWorkOrder, listKitLines, listWorkOrders, type KitLineRow } from "@/server/repos/floor-overview";

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

/** Kitting: the open work orders by due date, each with its frozen BOM against what is staged. Read-only for now. */
export const kittingRouter = createRouter({
  workOrders: siteProcedure(AREA_ROLES.kitting).query(async ({ ctx }) => {
    const siteId = ctx.actor.siteId;
    const workOrders = await listWorkOrders(ctx.db, siteId);
    const lines = (await listKitLines(ctx.db, siteId, ctx.now())).map(withCoverage);
    return workOrders.map((wo) => {
      const own = lines.filter((l) => l.workOrderId === wo.id);
      return { ...wo, lines: own, linesCovered: own.filter((l) => l.covered).length };
    });
  }),

  /** One work order of the active site with its BOM lines; one of another site is not found. */
  workOrder: siteProcedure(AREA_ROLES.kitting)
    .input(z.object({ workOrderId: z.guid() }))
    .query(async ({ ctx, input }) => {
      const siteId = ctx.actor.siteId;
      const workOrder = await findWorkOrder(ctx.db, siteId, input.workOrderId);
      if (!workOrder) throw new DomainError("NOT_FOUND", "That work order does not exist at this site.", { workOrderId: input.workOrderId });
      const lines = (await listKitLines(ctx.db, siteId, ctx.now(), { workOrderId: workOrder.id })).map(withCoverage);
      return { workOrder, lines };
    }),
});
