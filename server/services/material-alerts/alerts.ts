import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { HORIZON_LIMITS, horizonsWith, materialAlerts, type AlertFilters, type AlertHorizons, type MaterialAlert } from "@/server/domain/material-alerts/alerts";
import { readAlertCandidates, readAlertHorizons, readStationCodes, updateAlertHorizons } from "@/server/repos/material-alerts";
import { writeAudit } from "@/server/repos/audit";

export type { AlertHorizons, MaterialAlert };

const DAY = 86_400_000;

export type AlertListInput = AlertFilters & Partial<AlertHorizons>;
export type AlertList = { asOf: Date; siteHorizons: AlertHorizons; horizons: AlertHorizons; alerts: MaterialAlert[]; stations: string[] };

/** The site's material alerts at `now` within the site's horizons (or the filter's), per station and kind when asked. */
export async function listMaterialAlerts(db: DbOrTx, siteId: string, input: AlertListInput, now: Date): Promise<AlertList> {
  const [siteHorizons, stations] = await Promise.all([readAlertHorizons(db, siteId), readStationCodes(db, siteId)]);
  const horizons = horizonsWith(siteHorizons, { outTimeMinutes: input.outTimeMinutes, shelfLifeDays: input.shelfLifeDays });
  const candidates = await readAlertCandidates(db, siteId, new Date(now.getTime() + horizons.shelfLifeDays * DAY));
  return { asOf: now, siteHorizons, horizons, alerts: materialAlerts(candidates, horizons, now, { station: input.station, kind: input.kind }), stations };
}

/** The badge: how many alerts the site has within its own horizons, and how many have already passed. */
export async function countMaterialAlerts(db: DbOrTx, siteId: string, now: Date): Promise<{ count: number; passed: number }> {
  const horizons = await readAlertHorizons(db, siteId);
  const candidates = await readAlertCandidates(db, siteId, new Date(now.getTime() + horizons.shelfLifeDays * DAY));
  const alerts = materialAlerts(candidates, horizons, now);
  return { count: alerts.length, passed: alerts.filter((a) => a.passed).length };
}

/** Change the site's alert horizons (supervisor or quality engineer), audited with the old and new values. */
export async function setAlertHorizons(db: DbOrTx, actor: Actor, cmd: AlertHorizons & { reason?: string }, now: Date): Promise<AlertHorizons> {
  const bad = (field: keyof AlertHorizons) => {
    const l = HORIZON_LIMITS[field];
    const v = cmd[field];
    return !Number.isInteger(v) || v < l.min || v > l.max;
  };
  for (const field of ["outTimeMinutes", "shelfLifeDays"] as const) {
    if (bad(field)) {
      const l = HORIZON_LIMITS[field];
      throw new DomainError("VALIDATION_FAILED", `The horizon must be a whole number from ${l.min} to ${l.max}.`, { field, min: l.min, max: l.max });
    }
  }
  return db.transaction(async (tx) => {
    const before = await updateAlertHorizons(tx, actor.siteId, { outTimeMinutes: cmd.outTimeMinutes, shelfLifeDays: cmd.shelfLifeDays });
    await writeAudit(tx, {
      siteId: actor.siteId,
      actorUserId: actor.userId,
      actorName: actor.displayName,
      action: "site.alert_horizons",
      entity: "site",
      entityId: actor.siteId,
      oldValue: before,
      newValue: { outTimeMinutes: cmd.outTimeMinutes, shelfLifeDays: cmd.shelfLifeDays },
      reason: cmd.reason?.trim() || null,
      occurredAt: now,
    });
    return { outTimeMinutes: cmd.outTimeMinutes, shelfLifeDays: cmd.shelfLifeDays };
  });
}
