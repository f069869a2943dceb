import { describe, expect, it } from "vitest";
import { classifyDifference, scheduledDayDue, type DifferenceFacts } from "./categories";

const f = (over: Partial<DifferenceFacts>): DifferenceFacts => ({
  traceline: "10",
  erp: "10",
  inFlight: "0",
  acknowledgedAfter: "0",
  unconfirmed: "0",
  revisionMismatch: false,
  unitMismatch: false,
  unknownItem: false,
  ...over,
});

describe("classifyDifference", () => {
  it.each([
    ["equal figures", f({}), null],
    ["a consumption not acknowledged yet", f({ traceline: "7", inFlight: "-3" }), "in_flight"],
    ["acknowledged since the snapshot: nothing to report", f({ traceline: "7", acknowledgedAfter: "-3" }), null],
    ["a scrap ERP was never told of", f({ traceline: "8", unconfirmed: "-2" }), "unconfirmed_movement"],
    ["never told of, with another in flight", f({ traceline: "5", unconfirmed: "-2", inFlight: "-3" }), "unconfirmed_movement"],
    ["ERP counted more, nothing moved here", f({ erp: "15" }), "erp_side_adjustment"],
    ["ERP wrote it off, nothing moved here", f({ erp: "0" }), "erp_side_adjustment"],
    ["in flight explains only part of it", f({ traceline: "7", erp: "12", inFlight: "-3" }), "unknown"],
    ["ERP books it under another revision", f({ revisionMismatch: true }), "master_data_mismatch"],
    ["ERP counts it in another unit", f({ erp: "0.5", unitMismatch: true }), "uom_mismatch"],
    ["ERP names a lot never seen here", f({ traceline: "0", erp: "4", unknownItem: true }), "unknown"],
    ["exact decimals: 0.1 + 0.2 in flight", f({ traceline: "9.7", inFlight: "-0.3", erp: "10" }), "in_flight"],
  ] as const)("%s", (_name, facts, expected) => {
    expect(classifyDifference(facts)).toBe(expected);
  });
});

describe("scheduledDayDue", () => {
  it.each([
    ["before the daily time, site-local", "2026-11-25T07:59:00Z", "America/Chicago", "02:00", null],
    ["after the daily time, site-local", "2026-11-25T08:01:00Z", "America/Chicago", "02:00", "2026-11-25"],
    ["the site's day, not UTC's", "2026-11-26T03:00:00Z", "America/Chicago", "02:00", "2026-11-25"],
    ["another zone", "2026-11-25T01:30:00Z", "Europe/Paris", "02:00", "2026-11-25"],
    ["no schedule", "2026-11-25T12:00:00Z", "UTC", null, null],
  ] as const)("%s", (_name, now, tz, at, expected) => {
    expect(scheduledDayDue(new Date(now), tz, at)).toBe(expected);
  });
});
