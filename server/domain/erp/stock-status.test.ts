import { describe, expect, it } from "vitest";
import { inspectionForStockStatus, stockStatusOfB2mml } from "./stock-status";

describe("inspectionForStockStatus", () => {
  it.each([
    [undefined, "accepted", "accepted", false],
    ["unrestricted", "accepted", "accepted", false],
    ["unrestricted", undefined, undefined, false],
    ["blocked", "accepted", "rejected", true],
    ["blocked", undefined, "rejected", true],
    ["blocked", "rejected", "rejected", false],
    ["quality_inspection", "accepted", "pending", true],
    ["restricted", "accepted", "pending", true],
    ["restricted", "rejected", "rejected", false],
    ["quality_inspection", "pending", "pending", false],
  ] as const)("stock %s with inspection %s -> %s (warning %s)", (stock, sent, inspection, warned) => {
    const r = inspectionForStockStatus(stock, sent);
    expect(r.inspection).toBe(inspection);
    expect(r.warning !== null).toBe(warned);
  });
});

describe("stockStatusOfB2mml", () => {
  it.each([
    ["Blocked", "blocked"],
    ["QUARANTINE", "quality_inspection"],
    ["Quality Inspection", "quality_inspection"],
    ["Restricted", "restricted"],
    ["UnRestricted", "unrestricted"],
    ["Released", "unrestricted"],
    ["Closed", null],
    ["In-Process", null],
    ["Planned", null],
    ["Frobnicated", undefined],
  ] as const)("%s -> %s", (value, status) => {
    expect(stockStatusOfB2mml(value)).toBe(status);
  });
});
