import "server-only";
import { z } from "zod";
import { createRouter, siteProcedure } from "@/server/api/trpc";
import { AREA_ROLES } from "@/server/api/areas";
import { getHoldDetail, listHoldViews } from "@/server/services/quality/hold-views";
import { placeHold } from "@/server/services/quality/place-hold";
import { releaseHold } from "@/server/services/quality/release-hold";
import { createSuspectAlert, getSuspectAlert, importSuspectAlerts, listSuspectAlerts, previewSuspectAlert } from "@/server/services/quality/suspect-alerts";
import { setSourceAuthorisation, sourcesView } from "@/server/services/ownership/set-source-authorisation";

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

/** A suspect-part alert as entered on the screen (text as typed; checked by the service, which names the field at fault). */
const alertInput = z.object({
  reference: z.string().max(200),
  manufacturerCode: z.string().max(200),
  partNumber: z.string().max(200),
  lotNumber: z.string().max(200).nullish(),
  dateCodeFrom: z.string().max(20).nullish(),
  dateCodeTo: z.string().max(20).nullish(),
  description: z.string().max(2000),
});

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

  /** Suspect-part alerts of the site, newest first, with their holds and the units containing held items now. */
  suspectAlerts: siteProcedure(AREA_ROLES.quality).query(({ ctx }) => listSuspectAlerts(ctx.db, ctx.actor)),

  /** One alert: criteria, signatures (checked), its holds, and the units the held items are installed in now (paged, exact total). */
  suspectAlert: siteProcedure(AREA_ROLES.quality)
    .input(z.object({ alertId: z.guid(), offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(50) }))
    .query(({ ctx, input }) => getSuspectAlert(ctx.db, ctx.actor, input.alertId, { offset: input.offset, limit: input.limit })),

  /** What an alert would hold now (nothing is written): shown before signing. */
  previewSuspectAlert: siteProcedure(SIGN_HOLD_ROLES)
    .input(z.object({ alert: alertInput }))
    .query(({ ctx, input }) => previewSuspectAlert(ctx.db, ctx.actor, input.alert)),

  createSuspectAlert: siteProcedure(SIGN_HOLD_ROLES)
    .input(z.object({ requestId: z.guid(), alert: alertInput, signature }))
    .mutation(({ ctx, input }) => createSuspectAlert(ctx.db, ctx.actor, input, { now: ctx.now(), clientKey: ctx.clientKey, recordAt: ctx.recordAt })),

  /** A GIDEP-style CSV file of alerts: every line checked; any problem imports nothing and names its line. */
  importSuspectAlerts: siteProcedure(SIGN_HOLD_ROLES)
    .input(z.object({ requestId: z.guid(), csv: z.string().min(1, "Choose or paste a CSV file.").max(600_000), signature }))
    .mutation(({ ctx, input }) => importSuspectAlerts(ctx.db, ctx.actor, input, { now: ctx.now(), clientKey: ctx.clientKey, recordAt: ctx.recordAt })),

  /** Manufacturers and suppliers with their authorised-source flags and who owns the flag (ERP-owned: read-only). */
  sources: siteProcedure(AREA_ROLES.quality).query(({ ctx }) => sourcesView(ctx.db)),

  setSourceAuthorisation: siteProcedure(SIGN_HOLD_ROLES)
    .input(z.object({ kind: z.enum(["manufacturer", "supplier"]), code, authorised: z.boolean(), reason: z.string().max(1000) }))
    .mutation(({ ctx, input }) => setSourceAuthorisation(ctx.db, ctx.actor, input, ctx.now())),

  releaseHold: siteProcedure(SIGN_HOLD_ROLES)
    .input(z.object({ requestId: z.guid(), holdId: z.guid(), reason: z.string().max(1000), signature }))
    .mutation(({ ctx, input }) => releaseHold(ctx.db, ctx.actor, input, { now: ctx.now(), clientKey: ctx.clientKey, recordAt: ctx.recordAt })),
});
