import { describe, expect, it } from "vitest";
import { formatLocalDay, formatQty } from "./format";

describe("formatLocalDay", () => {
  it.each([
    ["2026-11-19", "en", "2026-11-19"],
    ["2026-11-19", "fr", "19/11/2026"],
    ["not a day", "fr", "not a day"],
  ])("%s in %s reads %s", (day, locale, shown) => {
    expect(formatLocalDay(day, locale)).toBe(shown);
  });
});

describe("formatQty in French", () => {
  it("keeps the exact digits with a decimal comma", () => {
    expect(formatQty("2.500000", "fr")).toBe("2,5");
    expect(formatQty("12345678901.123456", "fr")).toBe("12345678901,123456");
  });
});
