import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../shared/errors";
import {
  assertClocksAllowUse,
  assertStorageAllows,
  checkIn,
  checkOut,
  clockExclusions,
  clockTransition,
  clockView,
  effectiveExpiry,
  isInStorage,
  localDateTime,
  outTimeEndsAt,
  outTimeUsedMs,
  remainingOutTimeMs,
  replayClock,
  STOPPED_CLOCK,
  storageRefusal,
  thawState,
  type ClockPolicy,
  type LotClock,
} from "./material-clock";

const PARIS = "Europe/Paris";
const MIN = 60_000;
const at = (iso: string) => new Date(iso);
const plus = (d: Date, minutes: number) => new Date(d.getTime() + minutes * MIN);
const sealant: ClockPolicy = { outTimeMinutes: 240, minThawMinutes: 30, storageClass: "freezer" };

// the process runs in a non-UTC zone for these tests: nothing in the clock arithmetic may depend on it
const savedTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = PARIS;
});
afterAll(() => {
  process.env.TZ = savedTz;
});

function refusal(fn: () => void): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

describe("out-time accumulates over check-out / check-in cycles", () => {
  it("runs under a non-UTC process time zone", () => {
    expect(new Date(0).getTimezoneOffset()).toBe(-60); // Paris in winter: the zone really is in effect
  });

  it("adds the cycles: 60 + 45 + 90 minutes out leave 45 of 240", () => {
    const t0 = at("2026-01-12T07:00:00Z");
    let c: LotClock = { ...STOPPED_CLOCK };
    c = checkOut(c, t0, { fromFreezer: true });
    c = checkIn(c, plus(t0, 60));
    expect(c.usedSeconds).toBe(3600);
    c = checkOut(c, plus(t0, 300), { fromFreezer: true });
    c = checkIn(c, plus(t0, 345));
    c = checkOut(c, plus(t0, 1440), { fromFreezer: true });
    // the third cycle is open: 30 minutes in
    expect(remainingOutTimeMs(c, sealant, plus(t0, 1470))).toBe((240 - 60 - 45 - 30) * MIN);
    expect(outTimeEndsAt(c, sealant)).toEqual(plus(t0, 1440 + 135));
    c = checkIn(c, plus(t0, 1530));
    expect(c.usedSeconds).toBe((60 + 45 + 90) * 60);
    // stopped in storage, nothing runs out however long it stays
    expect(remainingOutTimeMs(c, sealant, plus(t0, 100_000))).toBe(45 * MIN);
    expect(outTimeEndsAt(c, sealant)).toBeNull();
  });

  it("replaying the events gives the same clock as applying them one by one", () => {
    const t0 = at("2026-02-02T06:00:00Z");
    const events = [
      { kind: "check_out" as const, at: t0, fromFreezer: true },
      { kind: "check_in" as const, at: plus(t0, 10) },
      { kind: "check_out" as const, at: plus(t0, 20), fromFreezer: false },
      { kind: "check_in" as const, at: plus(t0, 50) },
      { kind: "check_out" as const, at: plus(t0, 60), fromFreezer: true },
    ];
    const c = replayClock(events);
    expect(c.usedSeconds).toBe(40 * 60);
    expect(c.startedAt).toEqual(plus(t0, 60));
    expect(c.thawStartedAt).toEqual(plus(t0, 60));
    expect(outTimeUsedMs(c, plus(t0, 70))).toBe(50 * MIN);
  });

  it("refuses a check-in of a stopped clock and a check-out of a running one", () => {
    const t0 = at("2026-02-02T06:00:00Z");
    expect(() => checkIn(STOPPED_CLOCK, t0)).toThrow(DomainError);
    expect(() => checkOut(checkOut(STOPPED_CLOCK, t0, { fromFreezer: false }), t0, { fromFreezer: false })).toThrow(DomainError);
  });
});

describe("across daylight-saving changes (Europe/Paris)", () => {
  it("spring forward: out from 01:30 to 03:30 local time on 2026-03-29 used one hour, not two", () => {
    const out = at("2026-03-29T00:30:00Z"); // 01:30 CET
    const back = at("2026-03-29T01:30:00Z"); // 03:30 CEST
    expect(localDateTime(out, PARIS)).toBe("2026-03-29 01:30");
    expect(localDateTime(back, PARIS)).toBe("2026-03-29 03:30");
    const c = checkIn(checkOut(STOPPED_CLOCK, out, { fromFreezer: false }), back);
    expect(c.usedSeconds).toBe(3600);
  });

  it("fall back: out from 02:30 CEST to 02:30 CET on 2026-10-25 used one hour, not zero", () => {
    const out = at("2026-10-25T00:30:00Z"); // 02:30 CEST
    const back = at("2026-10-25T01:30:00Z"); // 02:30 CET
    expect(localDateTime(out, PARIS)).toBe(localDateTime(back, PARIS));
    const c = checkIn(checkOut(STOPPED_CLOCK, out, { fromFreezer: false }), back);
    expect(c.usedSeconds).toBe(3600);
  });

  it("the end of out-time is shown in local time after the change", () => {
    // out at 23:00 CET the evening before the spring change, 240 minutes: runs out at 04:00 CEST (03:00 UTC)
    const c = checkOut(STOPPED_CLOCK, at("2026-03-28T22:00:00Z"), { fromFreezer: false });
    const ends = outTimeEndsAt(c, sealant)!;
    expect(ends.toISOString()).toBe("2026-03-29T02:00:00.000Z");
    expect(localDateTime(ends, PARIS)).toBe("2026-03-29 04:00");
  });
});

describe("use is refused one minute after out-time is spent and accepted one minute before", () => {
  const t0 = at("2026-10-25T00:00:00Z"); // the night of the autumn change, to make it harder
  // 200 minutes used in earlier cycles, 40 left; the clock runs again from t0
  const c: LotClock = { startedAt: t0, usedSeconds: 200 * 60, thawStartedAt: null, expiresAt: null };
  const policy: ClockPolicy = { outTimeMinutes: 240, minThawMinutes: null, storageClass: "refrigerated" };

  it("one minute before: accepted", () => {
    expect(() => assertClocksAllowUse("Lot S-1", c, policy, plus(t0, 39), PARIS)).not.toThrow();
  });

  it("exactly when it runs out: refused", () => {
    expect(refusal(() => assertClocksAllowUse("Lot S-1", c, policy, plus(t0, 40), PARIS)).code).toBe("OUT_TIME_EXCEEDED");
  });

  it("one minute after: refused with when it ran out, in local time", () => {
    const e = refusal(() => assertClocksAllowUse("Lot S-1", c, policy, plus(t0, 41), PARIS));
    expect(e.code).toBe("OUT_TIME_EXCEEDED");
    expect(e.message).toBe("Lot S-1 is not usable: out-time exceeded (its 240 minutes of out-time are used: ran out at 2026-10-25 02:40).");
    expect(e.details.outTimeUsedMinutes).toBe(241);
  });
});

describe("a planned use ahead (kitting)", () => {
  const now = at("2026-06-10T08:00:00Z");
  const running: LotClock = { startedAt: now, usedSeconds: 0, thawStartedAt: null, expiresAt: null };
  const policy: ClockPolicy = { outTimeMinutes: 120, minThawMinutes: null, storageClass: "refrigerated" };

  it("a running lot that runs out before the planned use is excluded with when it runs out", () => {
    const [x] = clockExclusions("Lot R-1", running, policy, now, plus(now, 180), PARIS);
    expect(x?.code).toBe("OUT_TIME_EXCEEDED");
    expect(x?.message).toContain("by the planned use at 2026-06-10 13:00");
    expect(x?.message).toContain("it runs out at 2026-06-10 12:00");
  });

  it("the same lot is fine for a use within its out-time, and a stopped lot is not consumed in storage", () => {
    expect(clockExclusions("Lot R-1", running, policy, now, plus(now, 60), PARIS)).toEqual([]);
    const stopped: LotClock = { startedAt: null, usedSeconds: 100 * 60, thawStartedAt: null, expiresAt: null };
    expect(clockExclusions("Lot R-2", stopped, policy, now, plus(now, 10_000), PARIS)).toEqual([]);
  });
});

describe("thawing", () => {
  const out = at("2026-11-20T06:00:00Z");
  const c = checkOut(STOPPED_CLOCK, out, { fromFreezer: true });

  it("is refused before the minimum thaw time and accepted from it", () => {
    expect(thawState(c, sealant, plus(out, 29)).state).toBe("thawing");
    const e = refusal(() => assertClocksAllowUse("Lot F-1", c, sealant, plus(out, 29), PARIS));
    expect(e.code).toBe("THAW_INCOMPLETE");
    expect(e.message).toContain("usable from 2026-11-20 07:30");
    expect(thawState(c, sealant, plus(out, 30)).state).toBe("thawed");
    expect(() => assertClocksAllowUse("Lot F-1", c, sealant, plus(out, 30), PARIS)).not.toThrow();
  });

  it("counts from the LAST removal from the freezer", () => {
    const again = checkOut(checkIn(c, plus(out, 60)), plus(out, 120), { fromFreezer: true });
    expect(thawState(again, sealant, plus(out, 140)).state).toBe("thawing");
    expect(thawState(again, sealant, plus(out, 150)).state).toBe("thawed");
  });

  it("back in the freezer it is frozen again", () => {
    expect(thawState(checkIn(c, plus(out, 60)), sealant, plus(out, 600)).state).toBe("frozen");
  });
});

describe("effective expiry", () => {
  it("is the earlier of the shelf-life expiry and the end of out-time while out", () => {
    const now = at("2026-05-01T10:00:00Z");
    const soon = at("2026-05-01T12:00:00Z");
    const late = at("2026-09-01T00:00:00Z");
    const running: LotClock = { startedAt: now, usedSeconds: 0, thawStartedAt: null, expiresAt: late };
    expect(effectiveExpiry(running, sealant)).toEqual({ at: plus(now, 240), cause: "out_time" });
    expect(effectiveExpiry({ ...running, expiresAt: soon }, sealant)).toEqual({ at: soon, cause: "expiry" });
    expect(effectiveExpiry({ ...running, startedAt: null }, sealant)).toEqual({ at: late, cause: "expiry" });
    const v = clockView(running, sealant, plus(now, 100));
    expect(v).toMatchObject({ running: true, remainingMinutes: 140, spent: false });
  });
});

describe("storage classes", () => {
  const freezer = { code: "FRZ-01", kind: "stores", storageClass: "freezer" as const };
  const fridge = { code: "REF-01", kind: "stores", storageClass: "refrigerated" as const };
  const shelf = { code: "STR-A1", kind: "stores", storageClass: null };
  const dry = { code: "DRY-01", kind: "stores", storageClass: "humidity_controlled" as const };
  const pou = { code: "POU-FA01", kind: "point_of_use", storageClass: null };

  it("freezer material goes into a freezer or to a work place, not onto an ambient shelf or into a fridge", () => {
    expect(storageRefusal("Lot F", "freezer", freezer)).toBeNull();
    expect(storageRefusal("Lot F", "freezer", pou)).toBeNull();
    expect(storageRefusal("Lot F", "freezer", shelf)).toBe("Lot F must be kept in freezer storage; STR-A1 is ambient storage.");
    expect(storageRefusal("Lot F", "freezer", fridge)).toBe("Lot F must be kept in freezer storage; REF-01 is refrigerated storage.");
    const e = refusal(() => assertStorageAllows("Lot F", "freezer", shelf));
    expect(e.code).toBe("STORAGE_CLASS_MISMATCH");
  });

  it("ambient material stays out of freezers and fridges, and may go into a dry cabinet", () => {
    expect(storageRefusal("Lot A", null, freezer)).toBe("Lot A must be kept at ambient temperature; FRZ-01 is freezer storage.");
    expect(storageRefusal("Lot A", "ambient", dry)).toBeNull();
    expect(storageRefusal("Lot A", null, shelf)).toBeNull();
    expect(storageRefusal("Lot H", "humidity_controlled", shelf)).not.toBeNull();
  });

  it("a move out of storage starts the clock, and only putting ALL of the lot back stops it", () => {
    expect(isInStorage("freezer", freezer)).toBe(true);
    expect(isInStorage("freezer", pou)).toBe(false);
    expect(isInStorage("ambient", shelf)).toBe(false);
    expect(clockTransition("freezer", { running: false, fromInStorage: true, allInStorageAfter: false })).toBe("check_out");
    expect(clockTransition("freezer", { running: true, fromInStorage: false, allInStorageAfter: false })).toBeNull();
    expect(clockTransition("freezer", { running: true, fromInStorage: false, allInStorageAfter: true })).toBe("check_in");
    expect(clockTransition(null, { running: false, fromInStorage: true, allInStorageAfter: false })).toBeNull();
  });
});
