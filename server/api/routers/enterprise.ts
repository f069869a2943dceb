import "server-only";
import { z } from "zod";
import { createRouter, siteProcedure } from "@/server/api/trpc";
import { ENTERPRISE_ROLES } from "@/server/api/areas";
import { findAcrossSites, readEnterpriseAsBuilt, readEnterpriseWhereUsed } from "@/server/services/enterprise/genealogy";
import { placeEnterpriseHold } from "@/server/services/quality/place-enterprise-hold";
import { releaseEnterpriseHold } from "@/server/services/quality/release-enterprise-hold";

const code = z.string().trim().min(1, "Enter a value.").max(100);

const holdTarget = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("lot"), lotNumber: code, partNumber: z.string().trim().max(100).nullish() }),
  z.object({ kind: z.literal("serial"), serialNumber: code, partNumber: z.string().trim().max(100).nullish() }),
  z.object({ kind: z.literal("part_revision"), partNumber: code, revision: code }),
  z.object({ kind: z.literal("manufacturer"), code }),
  z.object({ kind: z.literal("supplier"), code }),
]);

const signature = z.object({
  method: z.enum(["password", "pin"]),
  secret: z.string().min(1, "Enter your password or PIN to sign.").max(1024),
  meaning: z.enum(["review", "approval", "hold", "release", "responsibility"]),
});

/**
 * Across sites (the enterprise role, at the active site): find a lot or serial at any site of the user's enterprise
 * scope, trace where it is used and what a unit is built of across those sites, and place a hold at all of them.
 */
export const enterpriseRouter = createRouter({
  find: siteProcedure(ENTERPRISE_ROLES)
    .input(z.object({ number: z.string().max(200) }))
    .query(({ ctx, input }) => findAcrossSites(ctx.db, ctx.actor, input.number)),

  whereUsed: siteProcedure(ENTERPRISE_ROLES)
    .input(z.object({ siteId: z.guid(), kind: z.enum(["lot", "serial"]), id: z.guid(), offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) }))
    .query(({ ctx, input }) => readEnterpriseWhereUsed(ctx.db, ctx.actor, { siteId: input.siteId, kind: input.kind, id: input.id }, { offset: input.offset, limit: input.limit })),

  asBuilt: siteProcedure(ENTERPRISE_ROLES)
    .input(z.object({ siteId: z.guid(), serialItemId: z.guid() }))
    .query(({ ctx, input }) => readEnterpriseAsBuilt(ctx.db, ctx.actor, input.siteId, input.serialItemId)),

  placeHold: siteProcedure(ENTERPRISE_ROLES)
    .input(z.object({ requestId: z.guid(), target: holdTarget, reason: z.string().max(1000), signature }))
    .mutation(({ ctx, input }) => placeEnterpriseHold(ctx.db, ctx.actor, input, { now: ctx.now(), clientKey: ctx.clientKey, recordAt: ctx.recordAt })),

  /** Release an enterprise hold at every site at once: one signature, each site's release signed, under each site's two-person rule. */
  releaseHold: siteProcedure(ENTERPRISE_ROLES)
    .input(z.object({ requestId: z.guid(), enterpriseHoldId: z.guid(), reason: z.string().max(1000), signature }))
    .mutation(({ ctx, input }) => releaseEnterpriseHold(ctx.db, ctx.actor, input, { now: ctx.now(), clientKey: ctx.clientKey, recordAt: ctx.recordAt })),
});
