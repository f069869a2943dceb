import { describe, expect, it } from "vitest";
import { describeInputProblem, findInputProblem, SCREEN_INPUT_LIMITS, storableCopy, type InputLimits } from "./storable-input";

const small: InputLimits = { maxStringLength: 10, maxDepth: 3, maxValues: 20 };

describe("findInputProblem", () => {
  it.each([
    ["plain text", { scan: "LOT-42", qty: "1.5" }],
    ["paired surrogates (emoji)", { note: "ok 👍 𝔘" }],
    ["numbers, booleans, null, dates", [1, true, null, new Date(0), undefined]],
    ["tabs and newlines", "a\tb\nc"],
  ])("accepts %s", (_, input) => {
    expect(findInputProblem(input)).toBeNull();
  });

  it.each([
    ["a NUL in a nested field", { lines: [{ note: "ok" }, { note: "a\u0000b" }] }, { path: "lines.1.note", reason: "nul" }],
    ["a lone high surrogate", { scan: "A\uD800" }, { path: "scan", reason: "lone_surrogate" }],
    ["a lone low surrogate", { scan: "\uDC00A" }, { path: "scan", reason: "lone_surrogate" }],
    ["reversed surrogates", { scan: "\uDC00\uD800" }, { path: "scan", reason: "lone_surrogate" }],
    ["the input itself", "x\u0000", { path: "", reason: "nul" }],
    ["a NUL in a key", { "a\u0000b": 1 }, { path: "a\\0b", reason: "nul" }],
    ["a value in a Map", new Map([["k", "\u0000"]]), { path: "k", reason: "nul" }],
  ])("refuses %s, naming the field", (_, input, problem) => {
    expect(findInputProblem(input)).toEqual(problem);
  });

  it("refuses strings, nesting and sizes beyond the limits", () => {
    expect(findInputProblem({ a: "x".repeat(11) }, small)).toEqual({ path: "a", reason: "too_long" });
    expect(findInputProblem({ a: { b: { c: { d: 1 } } } }, small)).toEqual({ path: "a.b.c", reason: "too_deep" });
    expect(findInputProblem(Array.from({ length: 30 }, () => 1), small)?.reason).toBe("too_many_values");
  });

  it("walks a very deep input without recursion (no stack overflow) and says where it stops", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findInputProblem(deep, SCREEN_INPUT_LIMITS)).toEqual({ path: Array(32).fill("0").join("."), reason: "too_deep" });
  });

  it("reports the first problem in reading order", () => {
    expect(findInputProblem({ a: "\u0000", b: "\uD800" })).toEqual({ path: "a", reason: "nul" });
  });

  it("keeps a hostile key printable and short in the path", () => {
    const key = `${"k".repeat(50)}\uD800`;
    const problem = findInputProblem({ [key]: "\u0000" });
    expect(problem?.path).toBe(`${"k".repeat(40)}…`);
  });
});

describe("describeInputProblem", () => {
  it("names the field and says what to do", () => {
    expect(describeInputProblem({ path: "scan", reason: "nul" })).toBe('The field "scan" contains a NUL character, which cannot be stored. Remove it and try again.');
    expect(describeInputProblem({ path: "", reason: "too_deep" })).toBe("The input is nested more than 32 levels deep.");
    expect(describeInputProblem({ path: "note", reason: "too_long" })).toBe('The field "note" is longer than 10,000 characters.');
  });
});

describe("storableCopy", () => {
  const limits = { maxStringLength: 5, maxDepth: 3, maxValues: 100 };
  it("replaces what cannot be stored and cuts what is beyond the limits, keeping the rest", () => {
    expect(storableCopy({ a: "x\u0000y", b: "\ud800z", c: "abcdefgh", d: [1, { e: [2] }], n: null, t: true }, limits)).toEqual({
      a: "x\uFFFDy",
      b: "\uFFFDz",
      c: "abcde…",
      d: [1, { e: "[nested deeper than 3 levels: not kept]" }],
      n: null,
      t: true,
    });
  });
  it("keeps nothing unstorable whatever it is given", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const copy = storableCopy({ deep, bad: "\u0000" }, limits);
    expect(findInputProblem(copy, { ...limits, maxStringLength: 100 })).toBeNull();
  });
});
