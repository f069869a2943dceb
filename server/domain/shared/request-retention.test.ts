import { describe, expect, it } from "vitest";
import { DEFAULT_REQUEST_RETENTION_DAYS, MIN_REQUEST_RETENTION_DAYS, requestPurgeCutoff, requestRetentionFrom } from "./request-retention";

describe("request-log retention", () => {
  it.each([
    [undefined, DEFAULT_REQUEST_RETENTION_DAYS, false],
    ["", DEFAULT_REQUEST_RETENTION_DAYS, false],
    ["90", 90, false],
    ["7", 7, false],
    ["3", MIN_REQUEST_RETENTION_DAYS, true],
    ["-1", MIN_REQUEST_RETENTION_DAYS, true],
    ["1.5", DEFAULT_REQUEST_RETENTION_DAYS, true],
    ["thirty", DEFAULT_REQUEST_RETENTION_DAYS, true],
  ])("setting %j keeps %i days (warning: %s)", (setting, days, warned) => {
    const r = requestRetentionFrom(setting);
    expect(r.days).toBe(days);
    expect(r.warning !== null).toBe(warned);
  });

  it("cuts off whole days before now, never closer than the floor", () => {
    const now = new Date("2026-11-25T12:00:00Z");
    expect(requestPurgeCutoff(now, 30).toISOString()).toBe("2026-10-26T12:00:00.000Z");
    expect(requestPurgeCutoff(now, 1).toISOString()).toBe("2026-11-18T12:00:00.000Z");
  });
});
