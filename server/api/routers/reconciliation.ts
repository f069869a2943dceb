import "server-only";
import { z } from "zod";
import { createRouter, siteProcedure } from "@/server/api/trpc";
import { AREA_ROLES } from "@/server/api/areas";
import { DomainError } from "@/server/domain/shared/errors";
import { RECON_CATEGORIES } from "@/server/domain/reconciliation/categories";
import { completedRuns, dailyTimeOf, findRun, listRuns } from "@/server/repos/recon-runs";
import { findException, floorLocations, freeStockOf, listExceptions } from "@/server/repos/recon-exceptions";
import { acceptException, adjustLedger, investigateException, requestErpCorrection } from "@/server/services/reconciliation/resolve-exception";
import { cancelReconciliation, requestReconciliation, setReconciliationTime } from "@/server/services/reconciliation/request-run";
import { exceptionSignature } from "@/server/services/reconciliation/exception-views";

const uuid = z.uuid({ error: "That is not a valid id." });
const reason = z.string().max(1000);
const signature = z.object({
  method: z.enum(["password", "pin"]),
  secret: z.string().min(1, "Enter your password or PIN to sign.").max(1024),
  meaning: z.enum(["review", "approval", "hold", "release", "responsibility"]),
});

export const exceptionFilterInput = z.object({
  status: z.enum(["live", "closed", "all"]).default("live"),
  category: z.enum(RECON_CATEGORIES).optional(),
  ownerSystem: z.enum(["erp", "traceline"]).optional(),
  ownerRole: z.enum(["operator", "kitting_clerk", "quality_engineer", "supervisor", "admin"]).optional(),
  olderThanDays: z.number().int().min(0).max(3650).optional(),
  part: z.string().trim().max(100).optional(),
  runId: uuid.optional(),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(500).default(50),
});

const ROLES = AREA_ROLES.erp;

/** Reconciliation with the ERP: runs (progress, results, trend), exceptions (filters, detail) and their resolutions. */
export const reconciliationRouter = createRouter({
  runs: siteProcedure(ROLES)
    .input(z.object({ limit: z.number().int().min(1).max(200).default(20) }))
    .query(async ({ ctx, input }) => ({ runs: await listRuns(ctx.db, ctx.actor.siteId, input.limit), dailyAt: await dailyTimeOf(ctx.db, ctx.actor.siteId) })),

  run: siteProcedure(ROLES)
    .input(z.object({ id: uuid }))
    .query(async ({ ctx, input }) => {
      const run = await findRun(ctx.db, ctx.actor.siteId, input.id);
      if (!run) throw new DomainError("NOT_FOUND", "That reconciliation run does not exist at this site.");
      return run;
    }),

  trend: siteProcedure(ROLES)
    .input(z.object({ limit: z.number().int().min(2).max(365).default(60) }))
    .query(({ ctx, input }) => completedRuns(ctx.db, ctx.actor.siteId, input.limit)),

  exceptions: siteProcedure(ROLES)
    .input(exceptionFilterInput)
    .query(async ({ ctx, input }) => {
      const { page, pageSize, ...filters } = input;
      const out = await listExceptions(ctx.db, ctx.actor.siteId, filters, { now: ctx.now(), limit: pageSize, offset: (page - 1) * pageSize });
      return { ...out, page, pageSize, pageCount: Math.max(1, Math.ceil(out.total / pageSize)) };
    }),

  exception: siteProcedure(ROLES)
    .input(z.object({ id: uuid }))
    .query(async ({ ctx, input }) => {
      const x = await findException(ctx.db, ctx.actor.siteId, input.id);
      if (!x) throw new DomainError("NOT_FOUND", "That reconciliation exception does not exist at this site.");
      const holding = x.partRevisionId ? await freeStockOf(ctx.db, ctx.actor.siteId, { partRevisionId: x.partRevisionId, lotId: x.lotId, serialItemId: x.serialItemId }) : [];
      // where it is now first; any floor location when it is nowhere (ERP holds more than the floor)
      const locations = holding.length > 0 ? holding : await floorLocations(ctx.db, ctx.actor.siteId);
      return { exception: x, locations, signature: await exceptionSignature(ctx.db, ctx.actor, x) };
    }),

  requestRun: siteProcedure(ROLES).mutation(({ ctx }) => requestReconciliation(ctx.db, ctx.actor, ctx.now())),

  cancelRun: siteProcedure(ROLES)
    .input(z.object({ id: uuid }))
    .mutation(({ ctx, input }) => cancelReconciliation(ctx.db, ctx.actor, input.id, ctx.now())),

  setDailyTime: siteProcedure(["admin"])
    .input(z.object({ dailyAt: z.string().trim().max(5).nullable() }))
    .mutation(({ ctx, input }) => setReconciliationTime(ctx.db, ctx.actor, input.dailyAt === "" ? null : input.dailyAt, ctx.now())),

  investigate: siteProcedure(ROLES)
    .input(z.object({ requestId: z.guid(), exceptionId: uuid, reason }))
    .mutation(({ ctx, input }) => investigateException(ctx.db, ctx.actor, input, ctx.now())),

  accept: siteProcedure(ROLES)
    .input(z.object({ requestId: z.guid(), exceptionId: uuid, reason }))
    .mutation(({ ctx, input }) => acceptException(ctx.db, ctx.actor, input, ctx.now())),

  requestCorrection: siteProcedure(ROLES)
    .input(z.object({ requestId: z.guid(), exceptionId: uuid, reason }))
    .mutation(({ ctx, input }) => requestErpCorrection(ctx.db, ctx.actor, input, ctx.now())),

  adjust: siteProcedure(ROLES)
    .input(z.object({ requestId: z.guid(), exceptionId: uuid, reason, locationId: uuid.nullish(), signature }))
    .mutation(({ ctx, input }) => adjustLedger(ctx.db, ctx.actor, input, { now: ctx.now(), clientKey: ctx.clientKey })),
});
