import "server-only";
import { z } from "zod";
import { createRouter, siteProcedure } from "@/server/api/trpc";
import { AREA_ROLES } from "@/server/api/areas";
import { DomainError } from "@/server/domain/shared/errors";
import { findWorkOrder, listOperationSummary, listUnitOperations, listWorkOrders, type UnitOperationRow } from "@/server/repos/floor-overview";
import { readWipBoard } from "@/server/services/wip/read-board";
import { readWipFigures } from "@/server/services/wip/read-figures";

const code = z.string().trim().min(1).max(100);

/** The board's filters, as the URL carries them (codes and numbers people read, not ids). */
export const wipFiltersInput = z
  .object({
    line: code.optional(),
    station: code.optional(),
    workOrder: code.optional(),
    part: code.optional(),
    status: z.enum(["pending", "in_progress"]).optional(),
    blockedOnly: z.boolean().optional(),
    operation: code.optional(),
  })
  .strict();

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

/** The WIP board: every unit in work by line and operation, with its blockers; its figures; one work order unit by unit. */
export const wipRouter = createRouter({
  board: siteProcedure(AREA_ROLES.wip)
    .input(wipFiltersInput.default({}))
    .query(({ ctx, input }) => readWipBoard(ctx.db, { siteId: ctx.actor.siteId, timeZone: ctx.actor.timeZone }, input, ctx.now())),

  /** Open work orders with their units per operation (waiting, in progress, done): the supervisor's home page. */
  workOrders: siteProcedure(AREA_ROLES.wip).query(async ({ ctx }) => {
    const siteId = ctx.actor.siteId;
    const workOrders = await listWorkOrders(ctx.db, siteId);
    const operations = await listOperationSummary(ctx.db, siteId);
    return workOrders.map((wo) => ({ ...wo, operations: operations.filter((o) => o.workOrderId === wo.id) }));
  }),

  figures: siteProcedure(AREA_ROLES.wip).query(({ ctx }) => readWipFigures(ctx.db, { siteId: ctx.actor.siteId, timeZone: ctx.actor.timeZone }, ctx.now())),

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
