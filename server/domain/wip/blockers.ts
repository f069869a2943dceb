/*
 * What blocks a unit at its current operation, for the WIP board. Pure: the board's reads are passed in, with `now` and
 * the end of the shift. One function per rule, and `unitBlockers` that applies them all in the order a supervisor acts
 * on them (quality holds first, then material, then time).
 */
import Decimal from "decimal.js";
import { isEffective, type Effectivity } from "../effectivity/effectivity";

export type HoldRef = { holdId: string; reason: string };

export type Blocker =
  /** A kit for this unit's work order, operation or unit was picked short. */
  | { kind: "short_kit"; kitId: string; kitNumber: string; parts: string[] }
  /** A tool on quality hold (found out of calibration) made installs or readings on this unit (since its last good calibration, when the hold says so). */
  | { kind: "tool_hold"; toolCode: string; reason: string; installs: number }
  /** Material under an active hold: installed in the unit, or staged at its operation's stations for a part it still needs. */
  | { kind: "hold"; holdId: string; reason: string; where: "installed" | "staged"; item: string; lotId: string | null; serialItemId: string | null }
  /** A part the operation still needs for this unit, with no usable stock at the operation's points of use. */
  | { kind: "missing_component"; partNumber: string; revision: string; remaining: string }
  /** The only usable stock of a part the unit still needs expires, or runs out of out-time, before the shift ends. */
  | { kind: "expiring"; item: string; lotId: string | null; partNumber: string; cause: "expiry" | "out_time"; at: Date }
  /** A recorded process parameter of the current operation is outside its limits. */
  | { kind: "parameter"; name: string; value: string; unit: string; limits: string }
  /** The unit has been at this operation much longer than units usually are. */
  | { kind: "waiting_long"; minutes: number; usualMinutes: number };

export type BlockerKind = Blocker["kind"];
export const BLOCKER_KINDS: readonly BlockerKind[] = ["hold", "tool_hold", "short_kit", "missing_component", "expiring", "parameter", "waiting_long"];

export type ParameterLimit = { name: string; unit: string; min?: string; max?: string };

/** A frozen BOM line at the unit's current operation, with what is installed in this unit and what is usable at the stations. */
export type LineAtOperation = Effectivity & {
  bomLineId: string;
  partRevisionId: string;
  partNumber: string;
  revision: string;
  quantityPerUnit: string;
  /** backflushed lines are taken at completion: they never block the operation's start */
  backflush: boolean;
  /** installed into this unit at this operation (open edges) */
  installed: string;
};

/** A balance at the point of use of one of the operation's stations. */
export type StagedMaterial = {
  partRevisionId: string;
  lotId: string | null;
  serialItemId: string | null;
  item: string;
  /** on hand less what kits reserve */
  available: string;
  expiresAt: Date | null;
  outTimeEndsAt: Date | null;
  accepted: boolean;
  holds: HoldRef[];
};

export type InstalledHeld = HoldRef & { item: string; lotId: string | null; serialItemId: string | null };
/** A held tool that touched the unit: its code, the hold's reason, and how many installs it made on the unit. */
export type ToolHoldRef = { toolCode: string; reason: string; installs: number };
export type ShortKit = { kitId: string; kitNumber: string; parts: string[] };
export type UsualTime = { medianMinutes: number; samples: number };

export type UnitSituation = {
  serial: string;
  /** the site's calendar date of `now`, YYYY-MM-DD, for date effectivity */
  today: string;
  lines: LineAtOperation[];
  staged: StagedMaterial[];
  installedHeld: InstalledHeld[];
  /** held tools that made installs or readings on this unit (absent: none) */
  toolHolds?: ToolHoldRef[];
  shortKits: ShortKit[];
  limits: ParameterLimit[];
  recorded: Record<string, string>;
  minutesAtOperation: number;
  usual: UsualTime | null;
};

/** Fewer completions than this in the window and there is no "usual" to compare with. */
export const USUAL_MIN_SAMPLES = 5;
/** "Longer than usual": more than this many times the median time at the operation, and at least SLACK minutes over it. */
export const WAITING_FACTOR = 2;
export const WAITING_SLACK_MINUTES = 30;

export function isWaitingLong(minutes: number, usual: UsualTime | null): boolean {
  if (!usual || usual.samples < USUAL_MIN_SAMPLES) return false;
  return minutes > usual.medianMinutes * WAITING_FACTOR && minutes > usual.medianMinutes + WAITING_SLACK_MINUTES;
}

/** Outside its limits (inclusive, exact decimals); a value that is not a number is outside too. */
export function parameterOutOfLimits(limit: ParameterLimit, raw: string): boolean {
  let v: Decimal;
  try {
    v = new Decimal(raw);
  } catch {
    return true;
  }
  if (!v.isFinite()) return true;
  return (limit.min != null && v.lt(limit.min)) || (limit.max != null && v.gt(limit.max));
}

export function limitsText(l: ParameterLimit): string {
  if (l.min != null && l.max != null) return `${l.min} to ${l.max} ${l.unit}`;
  if (l.min != null) return `at least ${l.min} ${l.unit}`;
  if (l.max != null) return `at most ${l.max} ${l.unit}`;
  return "no limits";
}

const usableAt = (m: StagedMaterial, at: Date) =>
  m.accepted &&
  m.holds.length === 0 &&
  new Decimal(m.available).gt(0) &&
  (m.expiresAt === null || m.expiresAt.getTime() > at.getTime()) &&
  (m.outTimeEndsAt === null || m.outTimeEndsAt.getTime() > at.getTime());

/** The unit's blockers at its current operation, most urgent first. Empty: nothing blocks it. */
export function unitBlockers(u: UnitSituation, now: Date, shiftEndsAt: Date): Blocker[] {
  const out: Blocker[] = [];
  for (const h of u.installedHeld) out.push({ kind: "hold", holdId: h.holdId, reason: h.reason, where: "installed", item: h.item, lotId: h.lotId, serialItemId: h.serialItemId });
  for (const t of u.toolHolds ?? []) out.push({ kind: "tool_hold", toolCode: t.toolCode, reason: t.reason, installs: t.installs });

  const needed = u.lines.filter((l) => isEffective(l, u.serial, u.today) && new Decimal(l.quantityPerUnit).gt(l.installed));
  const neededParts = new Set(needed.map((l) => l.partRevisionId));
  const seenHolds = new Set(out.map((b) => (b.kind === "hold" ? b.holdId : "")));
  for (const m of u.staged) {
    if (!neededParts.has(m.partRevisionId) || new Decimal(m.available).lte(0)) continue;
    for (const h of m.holds) {
      if (seenHolds.has(h.holdId)) continue;
      seenHolds.add(h.holdId);
      out.push({ kind: "hold", holdId: h.holdId, reason: h.reason, where: "staged", item: m.item, lotId: m.lotId, serialItemId: m.serialItemId });
    }
  }
  for (const k of u.shortKits) out.push({ kind: "short_kit", kitId: k.kitId, kitNumber: k.kitNumber, parts: k.parts });

  for (const l of needed) {
    if (l.backflush) continue;
    const staged = u.staged.filter((m) => m.partRevisionId === l.partRevisionId);
    const remaining = new Decimal(l.quantityPerUnit).minus(l.installed).toFixed();
    const usableNow = staged.filter((m) => usableAt(m, now));
    if (usableNow.length === 0) {
      out.push({ kind: "missing_component", partNumber: l.partNumber, revision: l.revision, remaining });
      continue;
    }
    // usable now, but none of it will be by the end of the shift: say when the last of it goes
    if (!usableNow.some((m) => usableAt(m, shiftEndsAt))) {
      const last = usableNow
        .map((m) => {
          const expiry = m.expiresAt && m.expiresAt.getTime() <= shiftEndsAt.getTime() ? m.expiresAt : null;
          const outTime = m.outTimeEndsAt && m.outTimeEndsAt.getTime() <= shiftEndsAt.getTime() ? m.outTimeEndsAt : null;
          const cause: "expiry" | "out_time" = outTime && (!expiry || outTime.getTime() <= expiry.getTime()) ? "out_time" : "expiry";
          return { m, at: (cause === "out_time" ? outTime : expiry)!, cause };
        })
        .sort((a, b) => b.at.getTime() - a.at.getTime())[0]!;
      out.push({ kind: "expiring", item: last.m.item, lotId: last.m.lotId, partNumber: l.partNumber, cause: last.cause, at: last.at });
    }
  }

  for (const limit of u.limits) {
    const value = u.recorded[limit.name];
    if (value !== undefined && parameterOutOfLimits(limit, value)) {
      out.push({ kind: "parameter", name: limit.name, value, unit: limit.unit, limits: limitsText(limit) });
    }
  }

  if (isWaitingLong(u.minutesAtOperation, u.usual)) {
    out.push({ kind: "waiting_long", minutes: Math.floor(u.minutesAtOperation), usualMinutes: Math.round(u.usual!.medianMinutes) });
  }
  return out;
}

/** The shifts of a site start at these local hours; a shift ends when the next one starts. */
export const SHIFT_START_HOURS = [6, 14, 22] as const;

/** Local wall-clock parts of an instant in a time zone. */
function localParts(at: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" })
    .formatToParts(at)
    .reduce<Record<string, string>>((acc, p) => ((acc[p.type] = p.value), acc), {});
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second) };
}

/** The site's calendar date of an instant, YYYY-MM-DD. */
export function siteDate(at: Date, timeZone: string): string {
  return localParts(at, timeZone).date;
}

/** When the shift running at `now` ends, in the site's time zone (the next of SHIFT_START_HOURS). */
export function shiftEndsAt(now: Date, timeZone: string): Date {
  const p = localParts(now, timeZone);
  const secondsIntoDay = p.hour * 3600 + p.minute * 60 + p.second;
  const next = SHIFT_START_HOURS.map((h) => h * 3600).find((s) => s > secondsIntoDay) ?? 24 * 3600 + SHIFT_START_HOURS[0] * 3600;
  return new Date(now.getTime() - (now.getTime() % 1000) + (next - secondsIntoDay) * 1000);
}

/** Minutes between two instants, never negative. */
export function minutesBetween(from: Date, to: Date): number {
  return Math.max(0, (to.getTime() - from.getTime()) / 60_000);
}
