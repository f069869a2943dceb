/*
 * Material alerts (issue 21, Must 5): material on the floor that expires (shelf life) or runs out of out-time within a
 * horizon. Pure: the candidates are read by server/repos/material-alerts.ts, time is passed in.
 *
 * - Shelf life: a lot or serial with stock at a physical location whose expiry is at or before now + the shelf-life
 *   horizon (already expired included: it needs action most).
 * - Out-time: a lot whose clock runs and runs out at or before now + the out-time horizon, or whose out-time is already
 *   used up (running or back in storage).
 * A lot both expiring and running out gives one alert per cause. Each alert names where the material is, the station it
 * is for (the point of use's station, or the stations of the open kits it is picked into) and the next step.
 */
import { outTimeEndsAt, remainingOutTimeMs, type ClockPolicy, type LotClock } from "../material-clock/material-clock";

export const ALERT_KINDS = ["out_time", "expiry"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Site defaults when nothing is set (the migration's defaults): 24 hours of out-time, 30 days of shelf life. */
export const DEFAULT_HORIZONS = { outTimeMinutes: 24 * 60, shelfLifeDays: 30 } as const;
export const HORIZON_LIMITS = { outTimeMinutes: { min: 1, max: 43_200 }, shelfLifeDays: { min: 1, max: 730 } } as const;
export type AlertHorizons = { outTimeMinutes: number; shelfLifeDays: number };

/** What to do about it, one step per situation (the screens word it: alerts.next.<step>). */
export type AlertNextStep = "use_or_return" | "do_not_use_out_time" | "use_first_or_retest" | "do_not_use_expired";

export type AlertCandidate = {
  lotId: string | null;
  serialItemId: string | null;
  item: string;
  partNumber: string;
  revision: string;
  description: string;
  uom: string;
  onHand: string;
  locationId: string;
  locationCode: string;
  locationKind: string;
  /** the station of a point of use */
  stationCode: string | null;
  /** open kits (not yet issued) the material is picked into, each for a station */
  kits: { kitId: string; kitNumber: string; stationCode: string }[];
  expiresAt: Date | null;
  /** lots of parts with an out-time limit only */
  clock: { clock: LotClock; policy: Pick<ClockPolicy, "outTimeMinutes"> } | null;
};

export type MaterialAlert = Omit<AlertCandidate, "clock"> & {
  kind: AlertKind;
  /** when it expires or runs out; null: out-time already used up with the clock stopped */
  at: Date | null;
  /** minutes left (negative: that long ago); null with `at` null */
  minutesLeft: number | null;
  /** already expired or used up */
  passed: boolean;
  /** the stations the material is for (point of use, open kits) */
  stations: string[];
  next: AlertNextStep;
};

export type AlertFilters = { station?: string; kind?: AlertKind };

const MINUTE = 60_000;
const DAY = 86_400_000;

/** The alerts among the candidates at `now`, soonest first (passed ones first of all), narrowed by the filters. */
export function materialAlerts(candidates: readonly AlertCandidate[], horizons: AlertHorizons, now: Date, filters: AlertFilters = {}): MaterialAlert[] {
  const shelfUntil = now.getTime() + horizons.shelfLifeDays * DAY;
  const outUntil = now.getTime() + horizons.outTimeMinutes * MINUTE;
  const out: MaterialAlert[] = [];
  for (const c of candidates) {
    const { clock, ...rest } = c;
    const stations = [...new Set([...(c.stationCode ? [c.stationCode] : []), ...c.kits.map((k) => k.stationCode)])].sort();
    if (filters.station && !stations.includes(filters.station)) continue;
    if (clock && clock.policy.outTimeMinutes !== null && (!filters.kind || filters.kind === "out_time")) {
      const left = remainingOutTimeMs(clock.clock, clock.policy, now)!;
      const ends = outTimeEndsAt(clock.clock, clock.policy);
      if (left <= 0 || (ends && ends.getTime() <= outUntil)) {
        out.push({
          ...rest,
          kind: "out_time",
          at: ends,
          minutesLeft: ends ? Math.floor(left / MINUTE) : null,
          passed: left <= 0,
          stations,
          next: left <= 0 ? "do_not_use_out_time" : "use_or_return",
        });
      }
    }
    if (c.expiresAt && c.expiresAt.getTime() <= shelfUntil && (!filters.kind || filters.kind === "expiry")) {
      const left = c.expiresAt.getTime() - now.getTime();
      out.push({ ...rest, kind: "expiry", at: c.expiresAt, minutesLeft: Math.floor(left / MINUTE), passed: left <= 0, stations, next: left <= 0 ? "do_not_use_expired" : "use_first_or_retest" });
    }
  }
  return out.sort(
    (a, b) =>
      Number(b.passed) - Number(a.passed) ||
      (a.at?.getTime() ?? -Infinity) - (b.at?.getTime() ?? -Infinity) ||
      a.item.localeCompare(b.item) ||
      a.locationCode.localeCompare(b.locationCode),
  );
}

/** Horizons from the site's settings, optionally narrowed or widened by a screen's filter (clamped to the limits). */
export function horizonsWith(site: AlertHorizons, override: Partial<AlertHorizons>): AlertHorizons {
  const clamp = (v: number | undefined, d: number, l: { min: number; max: number }) => (v === undefined || !Number.isFinite(v) ? d : Math.min(l.max, Math.max(l.min, Math.floor(v))));
  return {
    outTimeMinutes: clamp(override.outTimeMinutes, site.outTimeMinutes, HORIZON_LIMITS.outTimeMinutes),
    shelfLifeDays: clamp(override.shelfLifeDays, site.shelfLifeDays, HORIZON_LIMITS.shelfLifeDays),
  };
}
