import { describe, expect, it } from "vitest";
import { fateText, type UnitFate } from "./unit-fate";

describe("fateText", () => {
  it.each<[UnitFate, string]>([
    [{ kind: "shipped", at: new Date("2026-11-21T03:30:00Z"), to: "Airbus Toulouse", reference: "DN-4471" }, "Shipped to Airbus Toulouse on 2026-11-20 (DN-4471)"],
    [{ kind: "scrapped", at: new Date("2026-11-21T18:00:00Z"), reason: "Housing cracked in test" }, "Scrapped on 2026-11-21: Housing cracked in test"],
    [{ kind: "shipped", at: null, to: null, reference: null }, "Shipped"],
    [{ kind: "scrapped", at: null, reason: null }, "Scrapped"],
  ])("%j -> %s (site in Chicago)", (fate, text) => expect(fateText(fate, "America/Chicago")).toBe(text));
});
