import "server-only";
import { z } from "zod";
import { createRouter, siteProcedure } from "@/server/api/trpc";
import { AREA_ROLES } from "@/server/api/areas";
import { DomainError } from "@/server/domain/shared/errors";
import { findWorkOrder, listKitLines, listWorkOrders } from "@/server/repos/floor-overview";

/** Kitting: the open work orders by due date, each with its frozen BOM against what is staged. Read-only for now. */
export const kittingRouter = createRouter({
  workOrders: siteProcedure(AREA_ROLES.kitting).query(async ({ ctx }) => {
    const siteId = ctx.actor.siteId;
    const workOrders = await listWorkOrders(ctx.db, siteId);
    const lines = await listKitLines(ctx.db, siteId);
    return workOrders.map((wo) => ({ ...wo, lines: lines.filter((l) => l.workOrderId === wo.id) }));
  }),

  /** One work order of the active site with its BOM lines; one of another site is not found. */
  workOrder: siteProcedure(AREA_ROLES.kitting)
    .input(z.object({ workOrderId: z.guid() }))
    .query(async ({ ctx, input }) => {
      const siteId = ctx.actor.siteId;
      const workOrder = await findWorkOrder(ctx.db, siteId, input.workOrderId);
      if (!workOrder) throw new DomainError("NOT_FOUND", "That work order does not exist at this site.", { workOrderId: input.workOrderId });
      const lines = await listKitLines(ctx.db, siteId, { workOrderId: workOrder.id });
      return { workOrder, lines };
    }),
});
