import "server-only";
import { z } from "zod";
import { createRouter, siteProcedure } from "@/server/api/trpc";
import { AREA_ROLES } from "@/server/api/areas";
import { DomainError } from "@/server/domain/shared/errors";
import {
  findWorkOrder,
  listOperationSummary,
  listUnitOperations,
  listWorkOrders,
  type UnitOperationRow,
} from "@/server/repos/floor-overview";

type UnitProgress = {
  unitId: string;
  serial: string;
  status: UnitOperationRow["unitStatus"];
  operations: Pick<UnitOperationRow, "seq" | "status" | "stationCode" | "startedAt" | "completedAt" | "completedByName">[];
};

function groupUnits(rows: UnitOperationRow[]): UnitProgress[] {
  const byUnit = new Map<string, UnitProgress>();
  for (const r of rows) {
    let u = byUnit.get(r.unitId);
    if (!u) {
      u = { unitId: r.unitId, serial: r.serial, status: r.unitStatus, operations: [] };
      byUnit.set(r.unitId, u);
    }
    u.operations.push({
      seq: r.seq,
      status: r.status,
      stationCode: r.stationCode,
      startedAt: r.startedAt,
      completedAt: r.completedAt,
      completedByName: r.completedByName,
    });
  }
  return [...byUnit.values()];
}

/** The WIP board: open work orders, where their units stand operation by operation. */
export const wipRouter = createRouter({
  board: siteProcedure(AREA_ROLES.wip).query(async ({ ctx }) => {
    const siteId = ctx.actor.siteId;
    const workOrders = await listWorkOrders(ctx.db, siteId);
    const operations = await listOperationSummary(ctx.db, siteId);
    return workOrders.map((wo) => ({ ...wo, operations: operations.filter((o) => o.workOrderId === wo.id) }));
  }),

  /** One work order of the active site, unit by unit; one of another site is not found. */
  workOrder: siteProcedure(AREA_ROLES.wip)
    .input(z.object({ workOrderId: z.guid() }))
    .query(async ({ ctx, input }) => {
      const siteId = ctx.actor.siteId;
      const workOrder = await findWorkOrder(ctx.db, siteId, input.workOrderId);
      if (!workOrder) throw new DomainError("NOT_FOUND", "That work order does not exist at this site.", { workOrderId: input.workOrderId });
      const operations = await listOperationSummary(ctx.db, siteId, { workOrderId: workOrder.id });
      const units = groupUnits(await listUnitOperations(ctx.db, siteId, { workOrderId: workOrder.id }));
      return { workOrder, operations, units };
    }),
});
