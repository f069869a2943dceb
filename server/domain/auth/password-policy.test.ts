import { describe, expect, it } from "vitest";
import { passwordProblem } from "./password-policy";

describe("passwordProblem", () => {
  it.each([
    ["short1", null, "A password has at least 12 characters."],
    ["aaaaaaaaaaaaaaa", null, "A password cannot be one character repeated."],
    ["Priya.Raman.01", "priya.raman.01", "A password cannot be the user name."],
    ["x".repeat(1025), null, "A password has at most 1024 characters."],
  ])("refuses %j", (pw, user, why) => {
    expect(passwordProblem(pw, user)).toBe(why);
  });
  it("accepts a long passphrase", () => {
    expect(passwordProblem("correct horse battery", "priya.raman")).toBeNull();
  });
});
