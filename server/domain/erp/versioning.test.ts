import { describe, expect, it } from "vitest";
import { assembleSegments, decideStampedOrder, decideVersion, filterErpOwned, nextInSequence, type Ownership } from "./versioning";

describe("decideVersion", () => {
  it.each([
    [1, null, false, "apply"],
    [5, null, false, "apply"],
    [3, 2, false, "apply"],
    [2, 2, false, "overtaken"],
    [1, 2, false, "overtaken"],
    [1, null, true, "apply"],
    [2, null, true, "held"],
    [3, 1, true, "held"],
    [2, 1, true, "apply"],
    [1, 1, true, "overtaken"],
  ] as const)("version %s over applied %s (sequential %s) -> %s", (incoming, applied, sequential, kind) => {
    expect(decideVersion(incoming, applied, sequential).kind).toBe(kind);
  });

  it("says which version a held message waits for", () => {
    expect(decideVersion(4, 1, true)).toEqual({ kind: "held", waitingFor: 2 });
  });
});

describe("assembleSegments", () => {
  const seg = (index: number, count: number) => ({ segment: { index, count }, lines: [index] });
  it("is incomplete until every segment is in, and orders them", () => {
    expect(assembleSegments([seg(3, 3), seg(1, 3)], 3)).toEqual({ complete: false, missing: [2] });
    const done = assembleSegments([seg(3, 3), seg(1, 3), seg(2, 3)], 3);
    expect(done.complete && done.ordered.map((s) => s.segment.index)).toEqual([1, 2, 3]);
  });
  it("ignores segments that disagree on the count", () => {
    expect(assembleSegments([seg(1, 2), seg(2, 3)], 2)).toEqual({ complete: false, missing: [2] });
  });
});

describe("filterErpOwned", () => {
  const registry = new Map<string, Ownership>([
    ["part.description", { owner: "erp", direction: "erp_to_traceline" }],
    ["part.out_time_minutes", { owner: "traceline", direction: "none" }],
  ]);
  it("keeps ERP-owned attributes and names the owner of the others", () => {
    const r = filterErpOwned("part", { description: "Bracket", out_time_minutes: 60, colour: "red", unset: undefined }, registry);
    expect(r.allowed).toEqual({ description: "Bracket" });
    expect(r.warnings).toEqual(["part.out_time_minutes is owned by Traceline: ignored", "part.colour is not in the ownership registry: ignored"]);
  });
});

describe("decideStampedOrder (production orders versioned by change time)", () => {
  it.each([
    [1_700_000_000_000, null, true, "apply"],
    [1_700_000_000_000, null, false, "held"],
    [1_700_000_000_500, 1_700_000_000_000, false, "apply"],
    [1_700_000_000_000, 1_700_000_000_000, false, "overtaken"],
    [1_699_000_000_000, 1_700_000_000_000, true, "overtaken"],
  ] as const)("change time %s over applied %s (release %s) -> %s", (incoming, applied, release, kind) => {
    expect(decideStampedOrder(incoming, applied, release).kind).toBe(kind);
  });
});

describe("nextInSequence", () => {
  const w = (...versions: number[]) => versions.map((version) => ({ version }));
  it("takes the next number of a counted sequence, or nothing while a gap remains", () => {
    expect(nextInSequence(w(3, 4), 2, false)).toEqual({ version: 3 });
    expect(nextInSequence(w(4, 5), 2, false)).toBeUndefined();
  });
  it("takes the oldest newer change time of a stamped order", () => {
    expect(nextInSequence(w(30, 10, 20), 15, true)).toEqual({ version: 20 });
    expect(nextInSequence(w(10), 15, true)).toBeUndefined();
  });
});
