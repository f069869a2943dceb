import { describe, expect, it } from "vitest";
import { ACCOUNT_THROTTLE, CLIENT_THROTTLE, lockedUntil, minutesLeft, throttledMessage, type Attempt } from "./sign-in-throttle";

const T0 = Date.parse("2026-03-02T08:00:00Z");
const at = (min: number, sec = 0) => new Date(T0 + min * 60_000 + sec * 1000);
const fail = (min: number, sec = 0): Attempt => ({ at: at(min, sec), succeeded: false });
const ok = (min: number): Attempt => ({ at: at(min), succeeded: true });

describe("account lock (5 failures in 15 minutes lock for 15 minutes)", () => {
  const cases: { name: string; attempts: Attempt[]; now: Date; until: Date | null }[] = [
    { name: "no attempts", attempts: [], now: at(0), until: null },
    { name: "4 failures", attempts: [fail(0), fail(1), fail(2), fail(3)], now: at(3), until: null },
    { name: "5 failures within 15 minutes", attempts: [fail(0), fail(1), fail(2), fail(3), fail(14)], now: at(14), until: at(29) },
    { name: "still locked just before the end", attempts: [fail(0), fail(1), fail(2), fail(3), fail(4)], now: at(18, 59), until: at(19) },
    { name: "free at the end", attempts: [fail(0), fail(1), fail(2), fail(3), fail(4)], now: at(19), until: null },
    { name: "5 failures spread over exactly 15 minutes", attempts: [fail(0), fail(5), fail(10), fail(12), fail(15)], now: at(15), until: null },
    { name: "order of the rows does not matter", attempts: [fail(4), fail(0), fail(3), fail(1), fail(2)], now: at(5), until: at(19) },
    { name: "a success clears earlier failures", attempts: [fail(0), fail(1), fail(2), fail(3), ok(4), fail(5)], now: at(5), until: null },
    { name: "failures after a success count", attempts: [ok(0), fail(1), fail(2), fail(3), fail(4), fail(5)], now: at(5), until: at(20) },
    { name: "attempts after now are ignored", attempts: [fail(0), fail(1), fail(2), fail(3), fail(10)], now: at(5), until: null },
  ];
  it.each(cases)("$name", ({ attempts, now, until }) => {
    expect(lockedUntil(attempts, ACCOUNT_THROTTLE, now)).toEqual(until);
  });
});

describe("client block (20 failures in 15 minutes, successes do not reset)", () => {
  const nineteen = Array.from({ length: 19 }, (_, i) => fail(0, i * 30));
  it("is not blocked at 19 failures", () => {
    expect(lockedUntil(nineteen, CLIENT_THROTTLE, at(10))).toBeNull();
  });
  it("is blocked at the 20th, for 15 minutes from it", () => {
    expect(lockedUntil([...nineteen, fail(10)], CLIENT_THROTTLE, at(10))).toEqual(at(25));
  });
  it("is not cleared by a success in between", () => {
    expect(lockedUntil([...nineteen, ok(9), fail(10)], CLIENT_THROTTLE, at(11))).toEqual(at(25));
  });
});

describe("what the operator is told", () => {
  it("rounds the wait up to whole minutes, never below 1", () => {
    expect(minutesLeft(at(15), at(0))).toBe(15);
    expect(minutesLeft(at(15), at(0, 1))).toBe(15);
    expect(minutesLeft(at(15), at(14, 59))).toBe(1);
    expect(minutesLeft(at(15), at(15))).toBe(1);
  });
  it("says minutes, or one minute", () => {
    expect(throttledMessage("account", 12)).toBe("Too many failed attempts. Try again in 12 minutes.");
    expect(throttledMessage("account", 1)).toBe("Too many failed attempts. Try again in 1 minute.");
    expect(throttledMessage("client", 3)).toBe("Too many failed attempts on this device. Try again in 3 minutes.");
  });
});

describe("progressive locks (each further lock within 24 hours lasts twice as long, at most 4 hours)", () => {
  /** `n` failures one second apart starting at minute `min`. */
  const burst = (min: number, n: number) => Array.from({ length: n }, (_, i) => fail(min, i));
  const lockLengths = (rule: typeof ACCOUNT_THROTTLE, bursts: number, size: number) => {
    const attempts: Attempt[] = [];
    const lengths: number[] = [];
    let minute = 0;
    for (let b = 0; b < bursts; b++) {
      attempts.push(...burst(minute, size));
      const last = attempts.at(-1)!.at;
      const until = lockedUntil(attempts, rule, last)!;
      lengths.push(Math.round((until.getTime() - last.getTime()) / 60_000));
      minute = Math.ceil((until.getTime() - T0) / 60_000) + 1; // the next burst once the lock is over
    }
    return lengths;
  };
  it("doubles an account's lock: 15, 30, 60, 120, 240, 240 minutes", () => {
    expect(lockLengths(ACCOUNT_THROTTLE, 6, 5)).toEqual([15, 30, 60, 120, 240, 240]);
  });
  it("doubles a client's block the same way", () => {
    expect(lockLengths(CLIENT_THROTTLE, 4, 20)).toEqual([15, 30, 60, 120]);
  });
  it("starts again at 15 minutes once 24 hours passed since the earlier locks", () => {
    const attempts = [...burst(0, 5), ...burst(25 * 60, 5)];
    expect(lockedUntil(attempts, ACCOUNT_THROTTLE, at(25 * 60, 4))).toEqual(at(25 * 60 + 15, 4));
  });
  it("starts again at 15 minutes after a successful sign-in of the account, but not of the client", () => {
    const account = [...burst(0, 5), ok(20), ...burst(30, 5)];
    expect(lockedUntil(account, ACCOUNT_THROTTLE, at(30, 4))).toEqual(at(45, 4));
    const client = [...burst(0, 20), ok(20), ...burst(30, 20)];
    expect(lockedUntil(client, CLIENT_THROTTLE, at(30, 19))).toEqual(at(60, 19));
  });
  it("does not count a race's failure during a lock as a new lock", () => {
    const attempts = [...burst(0, 5), fail(1)];
    expect(lockedUntil(attempts, ACCOUNT_THROTTLE, at(1))).toEqual(at(16));
  });
  it("limits a PIN guesser to a few dozen guesses a day on one badge", () => {
    const attempts: Attempt[] = [];
    let t = 0;
    const dayMs = 24 * 3_600_000;
    while (t < dayMs) {
      const now = new Date(T0 + t);
      const until = lockedUntil(attempts, ACCOUNT_THROTTLE, now);
      if (until) t = until.getTime() - T0;
      else {
        attempts.push({ at: now, succeeded: false });
        t += 1000;
      }
    }
    expect(attempts.length).toBeLessThanOrEqual(50);
  });
});
