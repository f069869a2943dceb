import { DomainError } from "../shared/errors";
import { notUsableSentence } from "../vocabulary/material-status";

/*
 * The clocks of time-sensitive material (sealants, adhesives, prepregs, coatings). Pure: time is passed in.
 *
 * - Out-time (floor life) is CUMULATIVE: it runs while the lot is out of its storage and stops when it is back, over
 *   any number of cycles. A lot keeps `usedSeconds` (the closed cycles) and `startedAt` (the open cycle, null when the
 *   clock is stopped). Durations are instants apart, so daylight-saving changes never add or remove an hour.
 * - Thawing: a lot taken out of a freezer may be used only once `minThawMinutes` have passed since that removal.
 * - Effective expiry: the earlier of the shelf-life expiry and, while the clock runs, the moment out-time runs out.
 * - Storage classes: a storage location provides a class; a part needs one. Material is put only where its class
 *   allows; it counts as "in its storage" (clock stopped) only at a location of its own class.
 */

export const STORAGE_CLASSES = ["freezer", "refrigerated", "ambient", "humidity_controlled"] as const;
export type StorageClass = (typeof STORAGE_CLASSES)[number];

export const STORAGE_CLASS_WORDS: Record<StorageClass, string> = {
  freezer: "freezer",
  refrigerated: "refrigerated",
  ambient: "ambient",
  humidity_controlled: "humidity-controlled",
};

/** The part's limits (null: no such limit). */
export type ClockPolicy = { outTimeMinutes: number | null; minThawMinutes: number | null; storageClass: StorageClass | null };

/** A lot's clocks as recorded (the projection on `lots`, replayable from its clock events). */
export type LotClock = { startedAt: Date | null; usedSeconds: number; thawStartedAt: Date | null; expiresAt: Date | null };

export const STOPPED_CLOCK: LotClock = { startedAt: null, usedSeconds: 0, thawStartedAt: null, expiresAt: null };

const MINUTE = 60_000;

/** Taken out of its storage at `at`: the out-time clock starts (a removal from a freezer also starts thawing). */
export function checkOut(clock: LotClock, at: Date, opts: { fromFreezer: boolean }): LotClock {
  if (clock.startedAt !== null) throw new DomainError("VALIDATION_FAILED", "The out-time clock is already running.", {});
  return { ...clock, startedAt: at, thawStartedAt: opts.fromFreezer ? at : clock.thawStartedAt };
}

/** Put back into its storage at `at`: the clock stops, the cycle's time is added to what was used. */
export function checkIn(clock: LotClock, at: Date): LotClock {
  if (clock.startedAt === null) throw new DomainError("VALIDATION_FAILED", "The out-time clock is not running.", {});
  const cycle = Math.max(0, Math.floor((at.getTime() - clock.startedAt.getTime()) / 1000));
  return { ...clock, startedAt: null, usedSeconds: clock.usedSeconds + cycle };
}

export type ClockEvent = { kind: "check_out"; at: Date; fromFreezer: boolean } | { kind: "check_in"; at: Date } | { kind: "shelf_life_extended"; at: Date; expiresAt: Date };

/** The clock after its events, in order (what the projection on `lots` must equal). */
export function replayClock(events: readonly ClockEvent[], start: LotClock = STOPPED_CLOCK): LotClock {
  let c = start;
  for (const e of events) {
    if (e.kind === "check_out") c = checkOut(c, e.at, { fromFreezer: e.fromFreezer });
    else if (e.kind === "check_in") c = checkIn(c, e.at);
    else c = { ...c, expiresAt: e.expiresAt };
  }
  return c;
}

/** Out-time used by `now`, in milliseconds (the closed cycles plus the open one). */
export function outTimeUsedMs(clock: LotClock, now: Date): number {
  const open = clock.startedAt === null ? 0 : Math.max(0, now.getTime() - clock.startedAt.getTime());
  return clock.usedSeconds * 1000 + open;
}

/** Out-time left at `now` in milliseconds (negative: spent that long ago); null: the part has no out-time limit. */
export function remainingOutTimeMs(clock: LotClock, policy: Pick<ClockPolicy, "outTimeMinutes">, now: Date): number | null {
  if (policy.outTimeMinutes === null) return null;
  return policy.outTimeMinutes * MINUTE - outTimeUsedMs(clock, now);
}

/** When out-time runs out: while the clock runs, the instant; stopped, null (it does not run out in storage). */
export function outTimeEndsAt(clock: LotClock, policy: Pick<ClockPolicy, "outTimeMinutes">): Date | null {
  if (policy.outTimeMinutes === null || clock.startedAt === null) return null;
  return new Date(clock.startedAt.getTime() + policy.outTimeMinutes * MINUTE - clock.usedSeconds * 1000);
}

export type ThawState = { state: "not_frozen" | "frozen" | "thawing" | "thawed"; completeAt: Date | null };

/** Whether a lot out of the freezer has thawed (the minimum thaw time since its last removal has passed). */
export function thawState(clock: LotClock, policy: Pick<ClockPolicy, "minThawMinutes" | "storageClass">, now: Date): ThawState {
  if (policy.minThawMinutes === null || clock.thawStartedAt === null) return { state: "not_frozen", completeAt: null };
  const completeAt = new Date(clock.thawStartedAt.getTime() + policy.minThawMinutes * MINUTE);
  // back in the freezer: frozen again (using it needs another removal and thaw)
  if (clock.startedAt === null && policy.storageClass === "freezer") return { state: "frozen", completeAt: null };
  return { state: completeAt.getTime() <= now.getTime() ? "thawed" : "thawing", completeAt };
}

export type EffectiveExpiry = { at: Date | null; cause: "expiry" | "out_time" | null };

/** The earlier of the shelf-life expiry and, while the out-time clock runs, the moment out-time runs out. */
export function effectiveExpiry(clock: LotClock, policy: Pick<ClockPolicy, "outTimeMinutes">): EffectiveExpiry {
  const ends = outTimeEndsAt(clock, policy);
  const exp = clock.expiresAt;
  if (ends && (!exp || ends.getTime() < exp.getTime())) return { at: ends, cause: "out_time" };
  if (exp) return { at: exp, cause: "expiry" };
  return { at: null, cause: null };
}

/** Everything a screen and a label show about a lot's clocks at `now`. */
export type ClockView = {
  running: boolean;
  remainingMinutes: number | null;
  outTimeEndsAt: Date | null;
  thaw: ThawState;
  effectiveExpiry: EffectiveExpiry;
  spent: boolean;
};

export function clockView(clock: LotClock, policy: ClockPolicy, now: Date): ClockView {
  const remaining = remainingOutTimeMs(clock, policy, now);
  return {
    running: clock.startedAt !== null,
    remainingMinutes: remaining === null ? null : Math.floor(remaining / MINUTE),
    outTimeEndsAt: outTimeEndsAt(clock, policy),
    thaw: thawState(clock, policy, now),
    effectiveExpiry: effectiveExpiry(clock, policy),
    spent: remaining !== null && remaining <= 0,
  };
}

/** A clock view as plain JSON (instants as ISO strings): what a stored request outcome and a label carry. */
export type ClockSummary = {
  running: boolean;
  remainingMinutes: number | null;
  outTimeEndsAt: string | null;
  thaw: ThawState["state"];
  thawCompleteAt: string | null;
  effectiveExpiry: string | null;
  effectiveExpiryCause: EffectiveExpiry["cause"];
  spent: boolean;
};

export function clockSummary(v: ClockView): ClockSummary {
  return {
    running: v.running,
    remainingMinutes: v.remainingMinutes,
    outTimeEndsAt: v.outTimeEndsAt?.toISOString() ?? null,
    thaw: v.thaw.state,
    thawCompleteAt: v.thaw.completeAt?.toISOString() ?? null,
    effectiveExpiry: v.effectiveExpiry.at?.toISOString() ?? null,
    effectiveExpiryCause: v.effectiveExpiry.cause,
    spent: v.spent,
  };
}

/** "2 h 05 min", "45 min", "3 d 4 h": a duration as the floor reads it. */
export function durationWords(minutes: number): string {
  const m = Math.max(0, Math.floor(minutes));
  if (m < 60) return `${m} min`;
  if (m < 48 * 60) return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
  return `${Math.floor(m / 1440)} d ${Math.floor((m % 1440) / 60)} h`;
}

const localFormats = new Map<string, Intl.DateTimeFormat>();

/** "2026-03-29 03:30" in the site's time zone (the floor reads local time; daylight saving applied). */
export function localDateTime(at: Date, timeZone: string): string {
  let f = localFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
    if (localFormats.size < 1000) localFormats.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

export type ClockExclusion = { code: "OUT_TIME_EXCEEDED" | "THAW_INCOMPLETE"; message: string };

/**
 * Why the lot may not be used at `useAt` as its clocks stand at `now` (`useAt` >= `now`: a planned use; equal: now).
 * Out-time: spent by then (a running clock keeps running until the use). Thawing: not complete by then.
 */
export function clockExclusions(name: string, clock: LotClock, policy: ClockPolicy, now: Date, useAt: Date, timeZone: string): ClockExclusion[] {
  const out: ClockExclusion[] = [];
  const remaining = remainingOutTimeMs(clock, policy, now);
  if (remaining !== null) {
    const ahead = clock.startedAt === null ? 0 : Math.max(0, useAt.getTime() - now.getTime());
    if (remaining - ahead <= 0) {
      const ends = outTimeEndsAt(clock, policy);
      const detail =
        remaining <= 0
          ? ` (its ${policy.outTimeMinutes} minutes of out-time are used${ends ? `: ran out at ${localDateTime(ends, timeZone)}` : ""})`
          : ` by the planned use at ${localDateTime(useAt, timeZone)} (it runs out at ${localDateTime(ends!, timeZone)}, ${durationWords(remaining / MINUTE)} left)`;
      out.push({ code: "OUT_TIME_EXCEEDED", message: notUsableSentence(name, "OUT_TIME_EXCEEDED", detail) });
    }
  }
  const thaw = thawState(clock, policy, useAt);
  if (thaw.state === "thawing" || thaw.state === "frozen") {
    const detail = thaw.completeAt
      ? ` (out of the freezer since ${localDateTime(clock.thawStartedAt!, timeZone)}; usable from ${localDateTime(thaw.completeAt, timeZone)})`
      : " (it is back in the freezer: take it out and let it thaw first)";
    out.push({ code: "THAW_INCOMPLETE", message: notUsableSentence(name, "THAW_INCOMPLETE", detail) });
  }
  return out;
}

/** Refuse a lot whose clocks forbid its use now: the first reason is the error, every reason is in the details. */
export function assertClocksAllowUse(name: string, clock: LotClock, policy: ClockPolicy, now: Date, timeZone: string): void {
  const reasons = clockExclusions(name, clock, policy, now, now, timeZone);
  const first = reasons[0];
  if (first) {
    const ends = outTimeEndsAt(clock, policy);
    throw new DomainError(first.code, first.message, {
      reasons,
      outTimeMinutes: policy.outTimeMinutes,
      outTimeUsedMinutes: Math.floor(outTimeUsedMs(clock, now) / MINUTE),
      ...(ends ? { outTimeEndsAt: ends.toISOString() } : {}),
    });
  }
}

/* ---------------------------------------------------------------- storage classes */

export type LocationForStorage = { code: string; kind: string; storageClass: StorageClass | null };

/** Kinds where material is kept (a location without a class there is an ambient shelf); the others are where it is used. */
const KEEPING_KINDS = new Set(["stores", "quarantine"]);

/** The class a location provides: its own, or ambient for a stores or quarantine location without one; null: a work place. */
export function providedClass(loc: LocationForStorage): StorageClass | null {
  return loc.storageClass ?? (KEEPING_KINDS.has(loc.kind) ? "ambient" : null);
}

/** Whether material of this class is in its storage there (its out-time clock stopped). */
export function isInStorage(partClass: StorageClass | null, loc: LocationForStorage): boolean {
  return partClass !== null && partClass !== "ambient" && providedClass(loc) === partClass;
}

/**
 * Why material needing `partClass` may not be put at `loc` (null: it may). A work place (point of use, kit cart, kitting
 * bench without a class) takes anything: the material is out and its clock runs. A storage location takes only material
 * of its class; a humidity-controlled or ambient one also takes material without a requirement or kept ambient.
 */
export function storageRefusal(name: string, partClass: StorageClass | null, loc: LocationForStorage): string | null {
  const provided = providedClass(loc);
  if (provided === null) return null;
  const need = partClass ?? "ambient";
  if (need === provided) return null;
  if ((provided === "humidity_controlled" || provided === "ambient") && need === "ambient") return null;
  return `${name} must be kept ${need === "ambient" ? "at ambient temperature" : `in ${STORAGE_CLASS_WORDS[need]} storage`}; ${loc.code} is ${STORAGE_CLASS_WORDS[provided]} storage.`;
}

export function assertStorageAllows(name: string, partClass: StorageClass | null, loc: LocationForStorage): void {
  const why = storageRefusal(name, partClass, loc);
  if (why) throw new DomainError("STORAGE_CLASS_MISMATCH", why, { location: loc.code, partStorageClass: partClass, locationStorageClass: providedClass(loc) });
}

/**
 * What a move does to a lot's clock. The clock is per lot: it starts when some of the lot leaves its storage and
 * stops only when all of the lot on the floor is back in storage (a split lot is timed by its part that is out).
 */
export function clockTransition(
  partClass: StorageClass | null,
  m: { running: boolean; fromInStorage: boolean; allInStorageAfter: boolean },
): "check_out" | "check_in" | null {
  if (partClass === null || partClass === "ambient") return null;
  if (!m.running && m.fromInStorage && !m.allInStorageAfter) return "check_out";
  if (m.running && m.allInStorageAfter) return "check_in";
  return null;
}
