import { describe, expect, it } from "vitest";
import { formatQty } from "./qty";

describe("formatQty", () => {
  it.each([
    ["2.500000", "2.5"],
    ["0.100000", "0.1"],
    ["100.000000", "100"],
    ["100", "100"],
    ["0.000000", "0"],
    ["-0.000000", "0"],
    ["-3.250000", "-3.25"],
    ["12345678901.123456", "12345678901.123456"],
    ["0.000001", "0.000001"],
    ["10", "10"],
  ])("shows %s as %s, by text (no float rounding)", (input, shown) => {
    expect(formatQty(input)).toBe(shown);
  });

  it("leaves anything that is not a plain decimal as it is", () => {
    expect(formatQty("1e-17")).toBe("1e-17");
    expect(formatQty("n/a")).toBe("n/a");
  });
});
