import "server-only";
import { z } from "zod";
import { createRouter, siteProcedure } from "@/server/api/trpc";
import { ALERT_ROLES, ALERT_SETTING_ROLES } from "@/server/api/areas";
import { ALERT_KINDS, HORIZON_LIMITS } from "@/server/domain/material-alerts/alerts";
import { countMaterialAlerts, listMaterialAlerts, setAlertHorizons } from "@/server/services/material-alerts/alerts";

const code = z.string().trim().min(1).max(100);

export const alertListInput = z
  .object({
    station: code.optional(),
    kind: z.enum(ALERT_KINDS).optional(),
    outTimeMinutes: z.number().int().min(HORIZON_LIMITS.outTimeMinutes.min).max(HORIZON_LIMITS.outTimeMinutes.max).optional(),
    shelfLifeDays: z.number().int().min(HORIZON_LIMITS.shelfLifeDays.min).max(HORIZON_LIMITS.shelfLifeDays.max).optional(),
  })
  .strict();

/** Material alerts: the list (filters: station, kind, horizons), the header badge's count, the site's horizons. */
export const alertsRouter = createRouter({
  list: siteProcedure(ALERT_ROLES)
    .input(alertListInput.default({}))
    .query(({ ctx, input }) => listMaterialAlerts(ctx.db, ctx.actor.siteId, input, ctx.now())),

  count: siteProcedure(ALERT_ROLES).query(({ ctx }) => countMaterialAlerts(ctx.db, ctx.actor.siteId, ctx.now())),

  setHorizons: siteProcedure(ALERT_SETTING_ROLES)
    .input(z.object({ outTimeMinutes: z.number().int(), shelfLifeDays: z.number().int(), reason: z.string().max(500).optional() }).strict())
    .mutation(({ ctx, input }) => setAlertHorizons(ctx.db, ctx.actor, input, ctx.now())),
});
