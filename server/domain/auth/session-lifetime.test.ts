import { describe, expect, it } from "vitest";
import { idleLimitsFrom, idleTimeoutMs, isSessionOver, MAX_SESSION_LIFETIME_S, sessionEndsAt } from "./session-lifetime";

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

describe("idle timeout, by how one signed in and which roles one holds", () => {
  const limits = { floorMs: 30 * 60_000, officeMs: 120 * 60_000 };
  it.each([
    ["badge", ["supervisor"], 30],
    ["password", ["operator"], 30],
    ["password", ["kitting_clerk", "admin"], 30],
    ["password", ["quality_engineer", "supervisor"], 120],
    ["password", ["admin"], 120],
    ["password", [], 30],
  ] as const)("%s sign-in with roles %j: %d minutes", (method, roles, minutes) => {
    expect(idleTimeoutMs(method, roles, limits)).toBe(minutes * 60_000);
  });
  it("is 30 minutes on the floor and 2 hours in the office unless configured", () => {
    expect(idleLimitsFrom({})).toEqual({ floorMs: 30 * 60_000, officeMs: 120 * 60_000 });
    expect(idleLimitsFrom({ TRACELINE_IDLE_MINUTES_FLOOR: "10", TRACELINE_IDLE_MINUTES_OFFICE: " 45 " })).toEqual({ floorMs: 10 * 60_000, officeMs: 45 * 60_000 });
  });
  it("refuses a setting that is not a whole number of minutes", () => {
    expect(() => idleLimitsFrom({ TRACELINE_IDLE_MINUTES_FLOOR: "0" })).toThrow(/TRACELINE_IDLE_MINUTES_FLOOR must be a whole number/);
    expect(() => idleLimitsFrom({ TRACELINE_IDLE_MINUTES_OFFICE: "1.5" })).toThrow(/TRACELINE_IDLE_MINUTES_OFFICE/);
  });
});
