import { describe, expect, it } from "vitest";
import { readScan } from "@/server/domain/kitting/kit-rules";
import { lotLabel } from "./labels";
import { median, percentile, spread } from "./harness";

describe("the station benchmark's lot label", () => {
  it("reads as the app reads a scan: GS1 DataMatrix, lot and part number", () => {
    const label = lotLabel("BLMXA8P2II1", "BENCH-SEAL-MXA8P2II");
    expect(label.startsWith("]d2")).toBe(true);
    expect(readScan(label, new Date("2026-12-05T12:00:00Z"))).toMatchObject({ gtin: "09506000134352", lot: "BLMXA8P2II1", partNumber: "BENCH-SEAL-MXA8P2II" });
  });
});

describe("benchmark figures", () => {
  it.each([
    [[3], 3],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2.5],
  ])("median of %j is %d", (xs, m) => {
    expect(median(xs)).toBe(m);
  });

  it("takes the nearest-rank percentile", () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile(xs, 100)).toBe(100);
  });

  it("prints the median with the spread over the rounds", () => {
    expect(spread([12.5, 10, 11], 1, " ms")).toBe("11.0 ms (10.0-12.5)");
    expect(spread([], 1)).toBe("n/a");
  });
});
