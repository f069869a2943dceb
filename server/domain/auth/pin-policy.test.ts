import { describe, expect, it } from "vitest";
import { pinProblem, requiredPinLengthFrom } from "./pin-policy";

describe("badge PIN policy", () => {
  it("requires 4 digits unless TRACELINE_PIN_LENGTH asks for more", () => {
    expect(requiredPinLengthFrom({})).toBe(4);
    expect(requiredPinLengthFrom({ TRACELINE_PIN_LENGTH: "6" })).toBe(6);
    expect(() => requiredPinLengthFrom({ TRACELINE_PIN_LENGTH: "3" })).toThrow(/TRACELINE_PIN_LENGTH must be a whole number from 4 to 12/);
    expect(() => requiredPinLengthFrom({ TRACELINE_PIN_LENGTH: "six" })).toThrow(/TRACELINE_PIN_LENGTH/);
  });
  it.each([
    ["4829", 4, null],
    ["4829", 6, "A PIN has at least 6 digits here."],
    ["482917", 6, null],
    ["48a9", 4, "A PIN is digits only."],
    ["1111", 4, "A PIN cannot be one digit repeated."],
    ["1234567890123", 4, "A PIN has at most 12 digits."],
  ])("PIN %s with %d required: %s", (pin, length, problem) => {
    expect(pinProblem(pin, length)).toBe(problem);
  });
});
