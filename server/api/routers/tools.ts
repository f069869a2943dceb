import "server-only";
import { z } from "zod";
import { createRouter, siteProcedure } from "@/server/api/trpc";
import { AREA_ROLES } from "@/server/api/areas";
import { toolRegister } from "@/server/repos/tools";
import { recordCalibration, registerTool, setToolStatus } from "@/server/services/tools/tool-register";
import { whereUsedByOperator, whereUsedByTool } from "@/server/services/tools/where-used";
import { holdTool, releaseToolHold, toolHoldSignature } from "@/server/services/tools/tool-hold";

/** Re-authentication at signing: the signer's own password or PIN, and the meaning chosen. */
const signature = z.object({
  method: z.enum(["password", "pin"]),
  secret: z.string().min(1, "Enter your password or PIN to sign.").max(1024),
  meaning: z.enum(["review", "approval", "hold", "release", "responsibility"]),
});

const day = z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a date as YYYY-MM-DD.");
const code = z.string().trim().min(1, "Enter the tool code.").max(64);
const reason = z.string().max(1000, "Keep the reason under 1000 characters.");
const page = { offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(50) };

/** The tool and gauge register, its calibrations, and where-used by tool and by operator (quality and supervisors). */
export const toolsRouter = createRouter({
  register: siteProcedure(AREA_ROLES.quality).query(({ ctx }) => toolRegister(ctx.db, ctx.actor.siteId)),

  registerTool: siteProcedure(AREA_ROLES.quality)
    .input(z.object({ code, toolClass: z.string().trim().min(1, "Enter the tool class.").max(64), description: z.string().trim().max(200), calibratedOn: day.nullish(), dueOn: day.nullish() }))
    .mutation(({ ctx, input }) => registerTool(ctx.db, ctx.actor, input, ctx.now())),

  recordCalibration: siteProcedure(AREA_ROLES.quality)
    .input(z.object({ code, calibratedOn: day, dueOn: day, reason }))
    .mutation(({ ctx, input }) => recordCalibration(ctx.db, ctx.actor, input, ctx.now())),

  setToolStatus: siteProcedure(AREA_ROLES.quality)
    .input(z.object({ code, status: z.enum(["in_service", "out_of_service"]), reason }))
    .mutation(({ ctx, input }) => setToolStatus(ctx.db, ctx.actor, input, ctx.now())),

  /** Put a tool found out of calibration on a signed hold: refused at the station, its units marked on the WIP board. */
  holdTool: siteProcedure(["quality_engineer"])
    .input(z.object({ requestId: z.guid(), code, reason, sinceLastCalibration: z.boolean(), signature }))
    .mutation(({ ctx, input }) => holdTool(ctx.db, ctx.actor, input, { now: ctx.now(), clientKey: ctx.clientKey, recordAt: ctx.recordAt })),

  releaseToolHold: siteProcedure(["quality_engineer"])
    .input(z.object({ requestId: z.guid(), code, reason, signature }))
    .mutation(({ ctx, input }) => releaseToolHold(ctx.db, ctx.actor, input, { now: ctx.now(), clientKey: ctx.clientKey, recordAt: ctx.recordAt })),

  /** The signature of a tool's current hold, checked against the hold as it is now (null: not held). */
  holdSignature: siteProcedure(AREA_ROLES.quality)
    .input(z.object({ code }))
    .query(({ ctx, input }) => toolHoldSignature(ctx.db, ctx.actor, input.code)),

  /** Every install a tool touched (optionally since its last good calibration), paged with exact totals, and the readings taken with it. */
  whereUsedByTool: siteProcedure(AREA_ROLES.quality)
    .input(z.object({ toolCode: code, sinceLastCalibration: z.boolean().default(false), ...page }))
    .query(({ ctx, input }) => whereUsedByTool(ctx.db, ctx.actor, input)),

  /** Every install by an operator in a date range (site days, both included), paged with exact totals. */
  whereUsedByOperator: siteProcedure(AREA_ROLES.quality)
    .input(z.object({ userId: z.guid(), fromDay: day, toDay: day, ...page }))
    .query(({ ctx, input }) => whereUsedByOperator(ctx.db, ctx.actor, input)),
});
