import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../shared/errors";
import { localDateTime } from "./material-clock";
import { childLotNumber, chooseRecipe, decideMix, type MixInput, type MixRecipe } from "./mixing";

const PARIS = "Europe/Paris";
const MIN = 60_000;
const at = (iso: string) => new Date(iso);
const plus = (d: Date, minutes: number) => new Date(d.getTime() + minutes * MIN);

const savedTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = PARIS;
});
afterAll(() => {
  process.env.TZ = savedTz;
});

const recipe: MixRecipe = {
  outputPartRevisionId: "mix",
  outputPartNumber: "PR-1422-B2",
  outputRevision: "-",
  outputUom: "G",
  potLifeMinutes: 120,
  outTimeMinutes: null,
  components: [
    { partRevisionId: "base", partNumber: "PR-1422-B2-BASE", revision: "-", uom: "G" },
    { partRevisionId: "act", partNumber: "PR-1422-B2-ACT", revision: "-", uom: "G" },
  ],
};
const now = at("2026-01-12T07:00:00Z");
const base: MixInput = { lotId: "l1", lotNumber: "B-1", partRevisionId: "base", partNumber: "PR-1422-B2-BASE", quantity: "100", expiresAt: at("2026-06-01T00:00:00Z") };
const act: MixInput = { lotId: "l2", lotNumber: "A-1", partRevisionId: "act", partNumber: "PR-1422-B2-ACT", quantity: "10.5", expiresAt: at("2026-05-01T00:00:00Z") };

function refusal(fn: () => void): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

describe("mixing gives the child lot the earliest expiry", () => {
  it("the end of its pot life when the inputs expire later; the quantity is the sum, the inputs in the recipe's order", () => {
    const d = decideMix(recipe, [act, base], now);
    expect(d).toMatchObject({ childQuantity: "110.5", childExpiresAt: plus(now, 120), potLifeEndsAt: plus(now, 120), expiryCause: { kind: "pot_life" } });
    expect(d.inputs.map((i) => i.lotNumber)).toEqual(["B-1", "A-1"]);
  });

  it.each([
    ["the activator", { ...act, expiresAt: plus(now, 30) }, base, "A-1"],
    ["the base", act, { ...base, expiresAt: plus(now, 119) }, "B-1"],
  ])("the input's expiry when %s expires before the pot life ends", (_what, a, b, lot) => {
    const d = decideMix(recipe, [b, a], now);
    expect(d.expiryCause).toEqual({ kind: "input", lotNumber: lot });
    expect(d.childExpiresAt).toEqual((lot === "A-1" ? a : b).expiresAt);
  });

  it("no pot life and no expiry: the child does not expire", () => {
    const d = decideMix({ ...recipe, potLifeMinutes: null }, [{ ...base, expiresAt: null }, { ...act, expiresAt: null }], now);
    expect(d).toMatchObject({ childExpiresAt: null, potLifeEndsAt: null, expiryCause: null });
  });

  it("pot life is counted in instants across the spring daylight-saving change (Europe/Paris, 2026-03-29)", () => {
    const mixedAt = at("2026-03-29T00:30:00Z"); // 01:30 local, before the clocks jump from 02:00 to 03:00
    const d = decideMix(recipe, [base, { ...act, expiresAt: null }], mixedAt);
    expect(d.childExpiresAt!.getTime() - mixedAt.getTime()).toBe(120 * MIN);
    expect(localDateTime(d.childExpiresAt!, PARIS)).toBe("2026-03-29 04:30"); // two real hours later, three on the wall clock
  });

  it("and across the autumn change (2026-10-25): two real hours are one on the wall clock", () => {
    const mixedAt = at("2026-10-25T00:30:00Z"); // 02:30 local (summer time)
    const d = decideMix(recipe, [{ ...base, expiresAt: null }, { ...act, expiresAt: null }], mixedAt);
    expect(localDateTime(d.childExpiresAt!, PARIS)).toBe("2026-10-25 03:30");
  });
});

describe("mixing refuses what does not make the recipe", () => {
  it.each([
    ["a lot of another part", [base, act, { ...act, lotId: "l3", lotNumber: "P-1", partRevisionId: "primer", partNumber: "PRIMER-9" }], "WRONG_PART", "Lot P-1 (PRIMER-9) is not a component of PR-1422-B2 rev -."],
    ["a missing component", [base], "MIX_INCOMPLETE", "PR-1422-B2 rev - is mixed from PR-1422-B2-BASE + PR-1422-B2-ACT: scan a lot of PR-1422-B2-ACT too."],
    ["the same lot twice", [base, base, act], "VALIDATION_FAILED", "Lot B-1 is scanned twice."],
    ["two lots of one component", [base, { ...base, lotId: "l9", lotNumber: "B-2" }, act], "VALIDATION_FAILED", "Two lots of PR-1422-B2-BASE are scanned: a mix takes one lot of each component."],
    ["a zero quantity", [{ ...base, quantity: "0" }, act], "VALIDATION_FAILED", "Give the quantity of lot B-1 that goes into the mix."],
    ["nothing", [], "VALIDATION_FAILED", "Scan the lots to mix."],
  ] as const)("%s", (_what, inputs, code, message) => {
    const e = refusal(() => decideMix(recipe, inputs, now));
    expect([e.code, e.message]).toEqual([code, message]);
  });

  it("a component counted in another unit of measure", () => {
    const e = refusal(() => decideMix({ ...recipe, components: [recipe.components[0]!, { ...recipe.components[1]!, uom: "ML" }] }, [base, act], now));
    expect(e.code).toBe("VALIDATION_FAILED");
  });

  it("chooses the recipe that uses the inputs, and refuses inputs no recipe uses", () => {
    const other: MixRecipe = { ...recipe, outputPartRevisionId: "other", components: [recipe.components[0]!, { partRevisionId: "x", partNumber: "X", revision: "A", uom: "G" }] };
    expect(chooseRecipe([other, recipe], [base, act]).outputPartRevisionId).toBe("mix");
    const e = refusal(() => chooseRecipe([], [base]));
    expect([e.code, e.message]).toEqual(["WRONG_PART", "PR-1422-B2-BASE is not a component of any mix: nothing is mixed from it."]);
  });

  it("names the child lot after the first input and its earlier mixes", () => {
    expect(childLotNumber("AC24-0519", 0)).toBe("AC24-0519-M1");
    expect(childLotNumber("AC24-0519", 4)).toBe("AC24-0519-M5");
  });
});
