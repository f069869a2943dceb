import { describe, expect, it } from "vitest";
import { fromWallTime, toWallTime } from "./wall-time";

describe("as-it-was-at wall time", () => {
  it.each([
    ["2026-07-01T09:30", "America/Chicago", "2026-07-01T14:30:00.000Z"],
    ["2026-01-15T09:30", "America/Chicago", "2026-01-15T15:30:00.000Z"],
    ["2026-01-15T09:30", "Europe/Paris", "2026-01-15T08:30:00.000Z"],
    ["2026-01-15T09:30", "UTC", "2026-01-15T09:30:00.000Z"],
    ["2026-01-15T09:30:15", "UTC", "2026-01-15T09:30:15.000Z"],
  ])("%s in %s is %s", (wall, tz, iso) => {
    expect(fromWallTime(wall, tz)?.toISOString()).toBe(iso);
    expect(toWallTime(new Date(iso), tz)).toBe(wall.slice(0, 16));
  });

  it("takes the earlier instant in the repeated hour and moves forward in the skipped one", () => {
    // 2026-11-01 01:30 happens twice in Chicago (CDT then CST); 2026-03-08 02:30 does not happen at all.
    expect(fromWallTime("2026-11-01T01:30", "America/Chicago")?.toISOString()).toBe("2026-11-01T06:30:00.000Z");
    expect(fromWallTime("2026-03-08T02:30", "America/Chicago")?.toISOString()).toBe("2026-03-08T08:30:00.000Z");
  });

  it.each(["", "yesterday", "2026-02-30T10:00", "2026-13-01T10:00", "2026-01-01T24:00", "2026-01-01"])("refuses %j", (v) => {
    expect(fromWallTime(v, "America/Chicago")).toBeNull();
  });
});
