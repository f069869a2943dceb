import "server-only";
import { z } from "zod";
import { createRouter, siteProcedure } from "@/server/api/trpc";
import type { Role } from "@/server/auth/types";
import { readLotHistory } from "@/server/services/material-clock/lot-history";
import { extendShelfLife, SHELF_LIFE_ROLES } from "@/server/services/material-clock/extend-shelf-life";

/** Who reads a lot's clocks and history: quality, supervisors, kitting clerks. */
export const LOT_HISTORY_ROLES: readonly Role[] = ["quality_engineer", "supervisor", "kitting_clerk"];

const signature = z.object({
  method: z.enum(["password", "pin"]),
  secret: z.string().min(1, "Enter your password or PIN to sign.").max(1024),
  meaning: z.enum(["review", "approval", "hold", "release", "responsibility"]),
});

/** Time-sensitive material seen as a lot: its clocks, history and mixes; shelf-life extension after a re-test. */
export const materialRouter = createRouter({
  lotHistory: siteProcedure(LOT_HISTORY_ROLES)
    .input(z.object({ lotNumber: z.string().trim().min(1).max(200) }))
    .query(({ ctx, input }) => readLotHistory(ctx.db, ctx.actor, input, ctx.now())),

  extendShelfLife: siteProcedure(SHELF_LIFE_ROLES)
    .input(
      z.object({
        requestId: z.guid(),
        lotId: z.guid(),
        newExpiryDate: z.string().max(20),
        reason: z.string().max(1000),
        testReference: z.string().max(200),
        signature,
      }),
    )
    .mutation(({ ctx, input }) => extendShelfLife(ctx.db, ctx.actor, input, { now: ctx.now(), clientKey: ctx.clientKey, recordAt: ctx.recordAt })),
});
