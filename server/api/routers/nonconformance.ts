import "server-only";
import { z } from "zod";
import { createRouter, siteProcedure } from "@/server/api/trpc";
import { AREA_ROLES } from "@/server/api/areas";
import { ROLES } from "@/server/auth/types";
import { DISPOSITIONS, NCR_DEFECTS, NCR_SOURCES, NCR_STATUSES } from "@/server/domain/quality/nonconformance";
import { getNcrDetail, listNcrViews } from "@/server/services/quality/ncr-views";
import { raiseNcr } from "@/server/services/quality/ncr";
import { setMrbRoles, signDisposition } from "@/server/services/quality/mrb";
import { createDeviation, listDeviationViews, revokeDeviation } from "@/server/services/quality/deviations";
import { siteMrbRoles } from "@/server/repos/nonconformance";
import { ncrWithdrawals, withdrawDisposition } from "@/server/services/quality/withdraw-disposition";
import { buyOffOperation, INSPECTOR_ROLES, listAwaitingBuyOff, unitStamps } from "@/server/services/quality/operation-buy-off";

const code = z.string().trim().min(1, "Enter a value.").max(100);

const signature = z.object({
  method: z.enum(["password", "pin"]),
  secret: z.string().min(1, "Enter your password or PIN to sign.").max(1024),
  meaning: z.enum(["review", "approval", "hold", "release", "responsibility"]),
});

const target = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("lot"), lotId: z.guid() }),
  z.object({ kind: z.literal("serial"), serialItemId: z.guid() }),
  z.object({ kind: z.literal("scan"), scan: z.string().trim().min(1, "Scan or type the lot or serial.").max(500) }),
  z.object({ kind: z.literal("unit"), unitId: z.guid() }),
  z.object({ kind: z.literal("operation"), unitId: z.guid(), operationSeq: z.number().int().min(0).max(99999) }),
]);

const ncrFilters = z.object({
  status: z.enum(NCR_STATUSES).nullish(),
  source: z.enum(NCR_SOURCES).nullish(),
  disposition: z.enum(DISPOSITIONS).nullish(),
  q: z.string().trim().max(100).nullish(),
  page: z.number().int().min(0).max(10_000).default(0),
});

/** Who raises NCRs (the service checks the source against the role) and who may sign for the MRB (the site decides). */
const RAISE_ROLES = ["operator", "kitting_clerk", "supervisor", "quality_engineer"] as const;

/** Nonconformance reports, MRB dispositions and deviations (issue 19). */
export const ncrRouter = createRouter({
  list: siteProcedure(AREA_ROLES.quality)
    .input(ncrFilters.default({ page: 0 }))
    .query(({ ctx, input }) => listNcrViews(ctx.db, ctx.actor, { status: input.status ?? null, source: input.source ?? null, disposition: input.disposition ?? null, q: input.q ?? null }, input.page)),

  detail: siteProcedure(AREA_ROLES.quality)
    .input(z.object({ ncrId: z.guid() }))
    .query(({ ctx, input }) => getNcrDetail(ctx.db, ctx.actor, input.ncrId)),

  raise: siteProcedure(RAISE_ROLES)
    .input(
      z.object({
        requestId: z.guid(),
        source: z.enum(NCR_SOURCES),
        defect: z.enum(NCR_DEFECTS),
        target,
        quantity: z.string().trim().max(40).nullish(),
        locationId: z.guid().nullish(),
        stationId: z.guid().nullish(),
        description: z.string().max(2000),
      }),
    )
    .mutation(({ ctx, input }) => raiseNcr(ctx.db, ctx.actor, input, ctx.now())),

  signDisposition: siteProcedure(ROLES)
    .input(
      z.object({
        requestId: z.guid(),
        ncrId: z.guid(),
        disposition: z.enum(DISPOSITIONS).nullish(),
        reason: z.string().max(500).nullish(),
        locationId: z.guid().nullish(),
        role: z.enum(ROLES).nullish(),
        signature,
      }),
    )
    .mutation(({ ctx, input }) => signDisposition(ctx.db, ctx.actor, input, { now: ctx.now(), clientKey: ctx.clientKey, recordAt: ctx.recordAt })),

  /** Withdraw a proposed disposition before every role signed it: signed, with a reason; the report goes back to open. */
  withdrawDisposition: siteProcedure(ROLES)
    .input(z.object({ requestId: z.guid(), ncrId: z.guid(), reason: z.string().max(500), signature }))
    .mutation(({ ctx, input }) => withdrawDisposition(ctx.db, ctx.actor, input, { now: ctx.now(), clientKey: ctx.clientKey, recordAt: ctx.recordAt })),

  withdrawals: siteProcedure(AREA_ROLES.quality)
    .input(z.object({ ncrId: z.guid() }))
    .query(({ ctx, input }) => ncrWithdrawals(ctx.db, ctx.actor, input.ncrId)),

  mrbRoles: siteProcedure(ROLES).query(({ ctx }) => siteMrbRoles(ctx.db, ctx.actor.siteId)),

  setMrbRoles: siteProcedure(["admin"])
    .input(z.object({ requestId: z.guid(), roles: z.array(z.enum(ROLES)).min(1).max(5) }))
    .mutation(({ ctx, input }) => setMrbRoles(ctx.db, ctx.actor, input, ctx.now())),

  deviations: siteProcedure(AREA_ROLES.quality)
    .input(z.object({ state: z.enum(["valid", "expired", "used_up", "revoked"]).nullish(), q: z.string().trim().max(100).nullish() }).default({}))
    .query(({ ctx, input }) => listDeviationViews(ctx.db, ctx.actor, { state: input.state ?? null, q: input.q ?? null }, ctx.now())),

  createDeviation: siteProcedure(["quality_engineer"])
    .input(
      z.object({
        requestId: z.guid(),
        designed: z.object({ partNumber: code, revision: code }),
        substitute: z.discriminatedUnion("kind", [
          z.object({ kind: z.enum(["part", "revision"]), partNumber: code, revision: code }),
          z.object({ kind: z.literal("manufacturer"), code }),
          z.object({ kind: z.literal("lot"), lotNumber: code }),
        ]),
        scope: z.union([z.object({ workOrderNumber: code }), z.object({ unitSerials: z.array(code).min(1).max(200) })]),
        reason: z.string().max(500),
        validThrough: z.string().trim().max(10),
        quantityLimit: z.string().trim().max(40),
        ncrId: z.guid().nullish(),
        signature,
      }),
    )
    .mutation(({ ctx, input }) => createDeviation(ctx.db, ctx.actor, input, { now: ctx.now(), clientKey: ctx.clientKey, recordAt: ctx.recordAt })),

  /** Revoke a deviation: signed, with a reason; the station refuses the substitute under it from the commit. */
  revokeDeviation: siteProcedure(["quality_engineer"])
    .input(z.object({ requestId: z.guid(), deviationId: z.guid(), reason: z.string().max(500), signature }))
    .mutation(({ ctx, input }) => revokeDeviation(ctx.db, ctx.actor, input, { now: ctx.now(), clientKey: ctx.clientKey, recordAt: ctx.recordAt })),

  /** Operations whose work is recorded and which wait for an inspector's stamp (issue 19, Must 5). */
  awaitingBuyOff: siteProcedure(AREA_ROLES.quality).query(({ ctx }) => listAwaitingBuyOff(ctx.db, ctx.actor)),

  /** An inspector buys off an operation the routing asks a stamp for: signed, it completes the operation. */
  buyOffOperation: siteProcedure(INSPECTOR_ROLES)
    .input(z.object({ requestId: z.guid(), unitId: z.guid(), operationSeq: z.number().int().min(0).max(99999), toLocationId: z.guid().nullish(), signature }))
    .mutation(({ ctx, input }) => buyOffOperation(ctx.db, ctx.actor, input, { now: ctx.now(), clientKey: ctx.clientKey, recordAt: ctx.recordAt })),

  /** The inspector stamps of a unit's operations, verified against each operation's record as it is now. */
  unitStamps: siteProcedure([...AREA_ROLES.quality, ...AREA_ROLES.genealogy, ...AREA_ROLES.wip])
    .input(z.object({ unitId: z.guid() }))
    .query(({ ctx, input }) => unitStamps(ctx.db, ctx.actor, input.unitId)),
});
