import "server-only";
import { z } from "zod";
import { createRouter, siteProcedure } from "@/server/api/trpc";
import { AREA_ROLES } from "@/server/api/areas";
import { getHoldDetail, listHoldViews } from "@/server/services/quality/hold-views";
import { placeHold } from "@/server/services/quality/place-hold";
import { releaseHold } from "@/server/services/quality/release-hold";

const code = z.string().trim().min(1, "Enter a value.").max(100);

const holdTarget = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("lot"), lotNumber: code, partNumber: z.string().trim().max(100).nullish() }),
  z.object({ kind: z.literal("serial"), serialNumber: code, partNumber: z.string().trim().max(100).nullish() }),
  z.object({ kind: z.literal("part_revision"), partNumber: code, revision: code }),
  z.object({ kind: z.literal("manufacturer"), code }),
  z.object({ kind: z.literal("supplier"), code }),
]);

/** Re-authentication at signing: the signer's own password (office) or PIN (badge), and the meaning chosen. */
const signature = z.object({
  method: z.enum(["password", "pin"]),
  secret: z.string().min(1, "Enter your password or PIN to sign.").max(1024),
  meaning: z.enum(["review", "approval", "hold", "release", "responsibility"]),
});

/** Placing and releasing holds: the quality engineer's alone; supervisors read. */
const SIGN_HOLD_ROLES = ["quality_engineer"] as const;

/** Quality: holds with their electronic signatures, and what each hold affects. */
export const qualityRouter = createRouter({
  /** Active holds and the most recent released ones, each signature checked against the record as it is now. */
  holds: siteProcedure(AREA_ROLES.quality)
    .input(z.object({ releasedLimit: z.number().int().min(1).max(200).default(50) }).default({ releasedLimit: 50 }))
    .query(({ ctx, input }) => listHoldViews(ctx.db, ctx.actor, { releasedLimit: input.releasedLimit })),

  /** One hold: its signatures, the picks of open kits, stock staged at points of use and the units containing the material. */
  hold: siteProcedure(AREA_ROLES.quality)
    .input(z.object({ holdId: z.guid(), offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(50) }))
    .query(({ ctx, input }) => getHoldDetail(ctx.db, ctx.actor, input.holdId, { offset: input.offset, limit: input.limit })),

  placeHold: siteProcedure(SIGN_HOLD_ROLES)
    .input(z.object({ requestId: z.guid(), target: holdTarget, reason: z.string().max(1000), signature }))
    .mutation(({ ctx, input }) => placeHold(ctx.db, ctx.actor, input, { now: ctx.now(), clientKey: ctx.clientKey, recordAt: ctx.recordAt })),

  releaseHold: siteProcedure(SIGN_HOLD_ROLES)
    .input(z.object({ requestId: z.guid(), holdId: z.guid(), reason: z.string().max(1000), signature }))
    .mutation(({ ctx, input }) => releaseHold(ctx.db, ctx.actor, input, { now: ctx.now(), clientKey: ctx.clientKey, recordAt: ctx.recordAt })),
});
