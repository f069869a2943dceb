import { describe, expect, it } from "vitest";
import { DomainError } from "../shared/errors";
import { assertMaterialEligible, materialExclusions, type EligibilityRules, type MaterialFacts } from "./material-eligibility";

const now = new Date("2026-11-20T15:00:00Z");
const facts = (over: Partial<MaterialFacts>): MaterialFacts => ({
  lotId: "lot1",
  lotNumber: "L1",
  serialNumber: null,
  expiresAt: null,
  inspectionStatus: "accepted",
  manufacturerCode: "7P3S1",
  aml: "approved",
  holdReasons: [],
  ...over,
});
const rules: EligibilityRules = { plannedUseAt: now, minRemainingShelfLifeDays: 30, allowedLotIds: null };
const day = 86_400_000;

describe("materialExclusions: each reason, in order", () => {
  it.each<{ name: string; c: Partial<MaterialFacts>; r?: Partial<EligibilityRules>; codes: string[] }>([
    { name: "good lot", c: {}, codes: [] },
    { name: "held", c: { holdReasons: ["SEN-24-118"] }, codes: ["LOT_ON_HOLD"] },
    { name: "expired", c: { expiresAt: new Date(now.getTime() - day) }, codes: ["LOT_EXPIRED"] },
    { name: "expires at the planned use instant", c: { expiresAt: now }, codes: ["LOT_EXPIRED"] },
    { name: "29 days left, 30 needed", c: { expiresAt: new Date(now.getTime() + 29 * day) }, codes: ["LOT_SHELF_LIFE_TOO_SHORT"] },
    { name: "30 days left", c: { expiresAt: new Date(now.getTime() + 30 * day) }, codes: [] },
    { name: "no minimum", c: { expiresAt: new Date(now.getTime() + day) }, r: { minRemainingShelfLifeDays: null }, codes: [] },
    { name: "pending inspection", c: { inspectionStatus: "pending" }, codes: ["LOT_NOT_INSPECTED"] },
    { name: "rejected", c: { inspectionStatus: "rejected" }, codes: ["LOT_NOT_INSPECTED"] },
    { name: "untracked stock has no inspection", c: { inspectionStatus: null, lotId: null, lotNumber: null }, codes: [] },
    { name: "disqualified manufacturer", c: { aml: "disqualified" }, codes: ["MANUFACTURER_NOT_APPROVED"] },
    { name: "manufacturer not on the AML", c: { aml: "not_listed" }, codes: ["MANUFACTURER_NOT_APPROVED"] },
    { name: "no AML for the part", c: { aml: "no_aml" }, codes: [] },
    { name: "a manufacturer not authorised", c: { unauthorisedSources: ["manufacturer Apex (0FAKE)"] }, codes: ["SOURCE_NOT_AUTHORISED"] },
    { name: "every source authorised", c: { unauthorisedSources: [] }, codes: [] },
    { name: "approved on the AML but not an authorised source", c: { aml: "approved", unauthorisedSources: ["supplier Broker (V9)"] }, codes: ["SOURCE_NOT_AUTHORISED"] },
    { name: "not on the allowed list", c: {}, r: { allowedLotIds: new Set(["other"]) }, codes: ["LOT_NOT_ALLOWED"] },
    { name: "on the allowed list", c: {}, r: { allowedLotIds: new Set(["lot1"]) }, codes: [] },
    { name: "several at once, hold first", c: { holdReasons: ["x"], inspectionStatus: "pending", aml: "disqualified" }, codes: ["LOT_ON_HOLD", "LOT_NOT_INSPECTED", "MANUFACTURER_NOT_APPROVED"] },
  ])("$name -> $codes", ({ c, r, codes }) => {
    expect(materialExclusions(facts(c), { ...rules, ...r }).map((e) => e.code)).toEqual(codes);
  });

  it("names every source that is not authorised", () => {
    expect(materialExclusions(facts({ unauthorisedSources: ["manufacturer Apex (0FAKE)", "supplier Broker (V9)"] }), rules)[0]!.message).toBe(
      "Lot L1 is not usable: not from an authorised source (manufacturer Apex (0FAKE) and supplier Broker (V9) are not authorised sources).",
    );
  });

  it("assertMaterialEligible throws the first reason's code with every reason in the details", () => {
    let thrown: unknown;
    try {
      assertMaterialEligible(facts({ holdReasons: ["SEN-24-118"], expiresAt: new Date(now.getTime() - day), lotNumber: "AC24-0331" }), rules);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({ code: "LOT_ON_HOLD", details: { lotNumber: "AC24-0331", serialNumber: null, reasons: [{ code: "LOT_ON_HOLD" }, { code: "LOT_EXPIRED" }] } });
    expect((thrown as DomainError).message).toContain("AC24-0331");
  });

  it("assertMaterialEligible lets eligible material through", () => {
    expect(() => assertMaterialEligible(facts({ expiresAt: new Date(now.getTime() + 31 * day) }), rules)).not.toThrow();
  });
});
