import { describe, expect, it } from "vitest";
import { isSessionOver, MAX_SESSION_LIFETIME_S, sessionEndsAt } from "./session-lifetime";

const HOUR = 3_600_000;
const T0 = Date.parse("2026-03-02T06:00:00Z");

describe("session lifetime, from sign-in", () => {
  it("is 12 hours for office sign-ins and 8 hours for badge sign-ins", () => {
    expect(sessionEndsAt("password", T0)).toBe(T0 + 12 * HOUR);
    expect(sessionEndsAt("badge", T0)).toBe(T0 + 8 * HOUR);
    expect(MAX_SESSION_LIFETIME_S).toBe(12 * 3600);
  });
  it.each([
    ["badge", 8 * HOUR - 1, false],
    ["badge", 8 * HOUR, true],
    ["password", 8 * HOUR, false],
    ["password", 12 * HOUR - 1, false],
    ["password", 12 * HOUR, true],
  ] as const)("%s session at +%d ms over: %s", (method, elapsed, over) => {
    expect(isSessionOver(method, T0, T0 + elapsed)).toBe(over);
  });
  it("treats a sign-in time in the future (beyond clock skew) as over", () => {
    expect(isSessionOver("password", T0 + HOUR, T0)).toBe(true);
    expect(isSessionOver("password", T0 + 60_000, T0)).toBe(false);
  });
});
