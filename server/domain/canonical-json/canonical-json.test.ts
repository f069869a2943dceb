import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { canonicalJson } from "./canonical-json";
import { DomainError } from "../shared/errors";

class Point {
  constructor(
    public x: number,
    public y: number,
  ) {}
}

describe("canonicalJson", () => {
  it.each([
    { name: "keys sorted", value: { b: 1, a: 2, c: 3 }, text: '{"a":2,"b":1,"c":3}' },
    { name: "keys sorted at every depth", value: { z: { y: 1, x: [{ d: 1, c: 2 }] }, a: null }, text: '{"a":null,"z":{"x":[{"c":2,"d":1}],"y":1}}' },
    { name: "keys by UTF-16 code units (upper case before lower, digits first)", value: { b: 1, B: 2, "1": 3, é: 4, _: 5 }, text: '{"1":3,"B":2,"_":5,"b":1,"é":4}' },
    { name: "astral keys by code units, not code points", value: { "\u{1F600}": 1, "\uFFFF": 2 }, text: '{"\u{1F600}":1,"\uFFFF":2}' },
    { name: "an undefined property is left out", value: { a: 1, gone: undefined }, text: '{"a":1}' },
    { name: "an object of only undefined properties", value: { gone: undefined }, text: "{}" },
    { name: "undefined in an array is null", value: [1, undefined, 2], text: "[1,null,2]" },
    { name: "a hole in a sparse array is null", value: [1, , 2], text: "[1,null,2]" },
    { name: "undefined as the whole value is null", value: undefined, text: "null" },
    { name: "arrays keep their order", value: [3, 1, 2, "b", "a"], text: '[3,1,2,"b","a"]' },
    { name: "empty containers", value: { a: [], b: {} }, text: '{"a":[],"b":{}}' },
    { name: "null members are kept", value: { a: null }, text: '{"a":null}' },
    { name: "strings escaped as JSON.stringify does", value: { s: 'quote " backslash \\ newline \n tab \t \u2028 \u0001' }, text: '{"s":"quote \\" backslash \\\\ newline \\n tab \\t \u2028 \\u0001"}' },
    { name: "a lone surrogate escaped", value: "\ud800", text: '"\\ud800"' },
    { name: "numbers as JSON.stringify writes them", value: [0, -0, 1.5, -2, 1e21, 1e-7, 123456789012345680000], text: "[0,0,1.5,-2,1e+21,1e-7,123456789012345680000]" },
    { name: "booleans", value: [true, false], text: "[true,false]" },
    { name: "a Date as its ISO-8601 UTC text", value: { at: new Date("2026-11-25T16:42:07.123Z") }, text: '{"at":"2026-11-25T16:42:07.123Z"}' },
    { name: "toJSON is honoured", value: { q: { toJSON: () => "2.50" } }, text: '{"q":"2.50"}' },
    { name: "an object without prototype is plain", value: Object.assign(Object.create(null) as object, { b: 2, a: 1 }), text: '{"a":1,"b":2}' },
    { name: "a __proto__ key (as JSON.parse makes it) is a key", value: JSON.parse('{"__proto__":{"x":1},"a":2}') as unknown, text: '{"__proto__":{"x":1},"a":2}' },
    { name: "no whitespace, key injection stays inside the string", value: { reason: 'x","placedBy":"evil' }, text: '{"reason":"x\\",\\"placedBy\\":\\"evil"}' },
    { name: "the same object twice (not a cycle)", value: (() => { const shared = { a: 1 }; return { x: shared, y: [shared] }; })(), text: '{"x":{"a":1},"y":[{"a":1}]}' },
  ])("$name", ({ value, text }) => {
    expect(canonicalJson(value)).toBe(text);
  });

  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = { back: cyclic };
  it.each([
    { name: "NaN", value: { q: [1, Number.NaN] }, where: "$.q[1]" },
    { name: "Infinity", value: { q: Number.POSITIVE_INFINITY }, where: "$.q" },
    { name: "-Infinity", value: Number.NEGATIVE_INFINITY, where: "$" },
    { name: "a bigint", value: { n: 10n }, where: "$.n" },
    { name: "an invalid date", value: { at: new Date("nope") }, where: "$.at" },
    { name: "a function", value: { f: () => 1 }, where: "$.f" },
    { name: "a symbol", value: [Symbol("s")], where: "$[0]" },
    { name: "a Map", value: { m: new Map([["a", 1]]) }, where: "$.m" },
    { name: "a Set", value: new Set([1]), where: "$" },
    { name: "a class instance", value: { p: new Point(1, 2) }, where: "$.p" },
    { name: "a cycle", value: cyclic, where: "$.self.back" },
  ])("refuses $name, saying where ($where)", ({ value, where }) => {
    let thrown: unknown;
    try {
      canonicalJson(value);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({ code: "VALIDATION_FAILED", details: { path: where } });
    expect((thrown as Error).message).toContain(`(at ${where})`);
  });

  it("is JSON that parses back to the value, whatever the key order it was built in", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(text).not.toMatch(/^\s|\s$/);
        // rebuilt with reversed key order at every depth: the same text
        const reversed = (v: unknown): unknown =>
          Array.isArray(v) ? v.map(reversed) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v;
        expect(canonicalJson(reversed(value))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});
