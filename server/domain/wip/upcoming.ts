/*
 * Upcoming blockers on the WIP board (issue 21, Must 5): material an operation will consume (a part its units still
 * need there) that is staged at the operation's stations or picked into an open kit for them, and that expires or runs
 * out of out-time within the site's alert horizons. Not blocking yet (that is `expiring` / `missing_component`): what
 * will block if nobody acts. Pure.
 */
import type { AlertHorizons } from "../material-alerts/alerts";

export type UpcomingMaterial = {
  partRevisionId: string;
  partNumber: string;
  item: string;
  lotId: string | null;
  serialItemId: string | null;
  stationCode: string;
  /** picked into this open kit for the station (null: at the station's point of use) */
  kitId: string | null;
  kitNumber: string | null;
  expiresAt: Date | null;
  outTimeEndsAt: Date | null;
};

export type UpcomingBlocker = Omit<UpcomingMaterial, "expiresAt" | "outTimeEndsAt" | "partRevisionId"> & { cause: "expiry" | "out_time"; at: Date };

/** At most this many per operation, soonest first (the alerts list has them all). */
export const UPCOMING_PER_CELL = 6;

export function upcomingBlockers(needed: ReadonlySet<string>, material: readonly UpcomingMaterial[], horizons: AlertHorizons, now: Date): { shown: UpcomingBlocker[]; total: number } {
  const outUntil = now.getTime() + horizons.outTimeMinutes * 60_000;
  const shelfUntil = now.getTime() + horizons.shelfLifeDays * 86_400_000;
  const seen = new Set<string>();
  const out: UpcomingBlocker[] = [];
  for (const m of material) {
    if (!needed.has(m.partRevisionId)) continue;
    const { expiresAt, outTimeEndsAt, partRevisionId: _p, ...rest } = m;
    const causes: [UpcomingBlocker["cause"], Date | null, number][] = [
      ["out_time", outTimeEndsAt, outUntil],
      ["expiry", expiresAt, shelfUntil],
    ];
    for (const [cause, at, until] of causes) {
      if (!at || at.getTime() <= now.getTime() || at.getTime() > until) continue;
      const key = `${cause}:${m.lotId ?? m.serialItemId ?? m.item}:${m.stationCode}:${m.kitId ?? ""}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ ...rest, cause, at });
    }
  }
  out.sort((a, b) => a.at.getTime() - b.at.getTime() || a.item.localeCompare(b.item));
  return { shown: out.slice(0, UPCOMING_PER_CELL), total: out.length };
}
