import { describe, expect, it } from "vitest";
import { orderRequirement } from "./pick-list";

const line = (o: Partial<Parameters<typeof orderRequirement>[0]> = {}) => ({ quantityPerUnit: "2.5", serialFrom: null, serialTo: null, effectiveFrom: null, effectiveTo: null, ...o });
const units = ["ACT-1001", "ACT-1002", "ACT-1003", "ACT-1004", "ACT-1005", "ACT-1006"];

describe("orderRequirement (kitting's Required, by unit with effectivity)", () => {
  it.each([
    ["every unit", line(), "15"],
    ["rev A up to ACT-1004", line({ serialTo: "ACT-1004" }), "10"],
    ["rev B from ACT-1005", line({ serialFrom: "ACT-1005" }), "5"],
    ["a revision no unit takes", line({ serialFrom: "ACT-2000" }), "0"],
    ["numeric serial order (ACT-999 < ACT-1001)", line({ serialFrom: "ACT-999", serialTo: "ACT-1001" }), "2.5"],
    ["a line not effective yet on the date", line({ effectiveFrom: "2027-01-01" }), "0"],
    ["a line whose effectivity ended", line({ effectiveTo: "2026-01-01" }), "0"],
  ])("%s", (_what, l, required) => {
    expect(orderRequirement(l, units, 6, "2026-11-25")).toBe(required);
  });
  it("uses the order quantity when the order has no unit rows, if the line applies on the date", () => {
    expect(orderRequirement(line({ serialTo: "ACT-1004" }), [], 6, "2026-11-25")).toBe("15");
    expect(orderRequirement(line({ effectiveFrom: "2027-01-01" }), [], 6, "2026-11-25")).toBe("0");
  });
});
