import { describe, expect, it } from "vitest";
import { canonicalJson } from "../canonical-json/canonical-json";
import {
  formatSignature,
  formatSignedAt,
  holdSignedContent,
  signatureStatus,
  type HoldRecord,
} from "./signature";

const hold: HoldRecord = {
  siteId: "s1",
  id: "h1",
  targetType: "lot",
  targetId: "l1",
  reason: "Supplier reported contamination",
  placedBy: "u1",
  placedAt: new Date("2026-11-25T16:42:07.123Z"),
  releasedBy: null,
  releasedAt: null,
  releaseReason: null,
};

describe("holdSignedContent", () => {
  it("changes when any signed field of a hold changes", () => {
    const base = canonicalJson(holdSignedContent(hold, "hold"));
    expect(canonicalJson(holdSignedContent({ ...hold, reason: "Supplier reported contamination." }, "hold"))).not.toBe(base);
    expect(canonicalJson(holdSignedContent({ ...hold, targetId: "l2" }, "hold"))).not.toBe(base);
    expect(canonicalJson(holdSignedContent({ ...hold, placedAt: new Date(hold.placedAt.getTime() + 1) }, "hold"))).not.toBe(base);
  });

  it("keeps the hold signature's content when the hold is released, while the release signature covers the release", () => {
    const released = { ...hold, releasedBy: "u2", releasedAt: new Date("2026-11-26T09:00:00Z"), releaseReason: "Retest passed" };
    expect(canonicalJson(holdSignedContent(released, "hold"))).toBe(canonicalJson(holdSignedContent(hold, "hold")));
    const rel = canonicalJson(holdSignedContent(released, "release"));
    expect(rel).toContain('"releaseReason":"Retest passed"');
    expect(canonicalJson(holdSignedContent({ ...released, releaseReason: "Retest passed!" }, "release"))).not.toBe(rel);
  });
});

describe("signature display", () => {
  it("shows printed name, meaning, and the time in the site's zone with its abbreviation and name", () => {
    const s = { printedName: "Priya Raman", meaning: "hold", signedAt: new Date("2026-11-25T16:42:59Z"), timeZone: "America/Chicago" };
    expect(formatSignature(s)).toBe("Priya Raman — hold — 2026-11-25 10:42 CST (America/Chicago)");
  });

  it("follows daylight saving time and other zones", () => {
    expect(formatSignedAt(new Date("2026-07-01T15:05:00Z"), "America/Chicago")).toBe("2026-07-01 10:05 CDT (America/Chicago)");
    expect(formatSignedAt(new Date("2026-11-25T23:30:00Z"), "Europe/Paris")).toBe("2026-11-26 00:30 GMT+1 (Europe/Paris)");
  });

  it("tells valid from invalid by the bound hash", () => {
    expect(signatureStatus("a".repeat(64), "a".repeat(64))).toBe("valid");
    expect(signatureStatus("a".repeat(64), "b".repeat(64))).toBe("invalid");
  });
});
