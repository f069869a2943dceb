import { describe, expect, it } from "vitest";
import { materialExclusions, type EligibilityRules, type MaterialFacts } from "../material-eligibility/material-eligibility";
import { assertOutTime, outTimeExceeded } from "../station/station-rules";
import { DomainError } from "../shared/errors";
import { materialStatus, NOT_USABLE_WORDS, reasonWords, USABLE, type NotUsableCode } from "./material-status";

const now = new Date("2026-11-20T15:00:00Z");
const day = 86_400_000;
const facts = (over: Partial<MaterialFacts>): MaterialFacts => ({
  lotId: "lot1",
  lotNumber: "L1",
  serialNumber: null,
  expiresAt: null,
  inspectionStatus: "accepted",
  manufacturerCode: "7P3S1",
  manufacturerName: "Parker Aerospace",
  aml: "approved",
  holdReasons: [],
  ...over,
});
const rules: EligibilityRules = { plannedUseAt: now, minRemainingShelfLifeDays: 30, allowedLotIds: null };

/** The refusal of each reason, as the material rules word it. */
function refusalOf(code: Exclude<NotUsableCode, "OUT_TIME_EXCEEDED">, c: Partial<MaterialFacts>, r: Partial<EligibilityRules> = {}) {
  const found = materialExclusions(facts(c), { ...rules, ...r }).find((e) => e.code === code);
  if (!found) throw new Error(`no ${code}`);
  return found;
}

describe("one vocabulary for material status and refusals", () => {
  it.each<{ code: Exclude<NotUsableCode, "OUT_TIME_EXCEEDED">; c: Partial<MaterialFacts>; r?: Partial<EligibilityRules> }>([
    { code: "LOT_ON_HOLD", c: { holdReasons: ["SEN-24-118"] } },
    { code: "LOT_EXPIRED", c: { expiresAt: new Date(now.getTime() - day) } },
    { code: "LOT_SHELF_LIFE_TOO_SHORT", c: { expiresAt: new Date(now.getTime() + 5 * day) } },
    { code: "LOT_NOT_INSPECTED", c: { inspectionStatus: "pending" } },
    { code: "MANUFACTURER_NOT_APPROVED", c: { aml: "disqualified" } },
    { code: "LOT_NOT_ALLOWED", c: {}, r: { allowedLotIds: new Set(["other"]) } },
  ])("$code: the status badge and the refusal say it in the same words", ({ code, c, r }) => {
    const refusal = refusalOf(code, c, r);
    const status = materialStatus([refusal]);
    expect(status.usable).toBe(false);
    expect(status.label).toBe(`Not usable: ${NOT_USABLE_WORDS[code]}`);
    expect(refusal.message).toContain(`Lot L1 is not usable: ${NOT_USABLE_WORDS[code]}`);
  });

  it("words a rejected lot apart from one waiting for inspection, in the badge and the refusal alike", () => {
    const refusal = refusalOf("LOT_NOT_INSPECTED", { inspectionStatus: "rejected" });
    expect(refusal.message).toBe(`Lot L1 is not usable: ${reasonWords("LOT_NOT_INSPECTED", { rejected: true })}.`);
    expect(materialStatus([refusal]).label).toBe("Not usable: rejected at receiving inspection");
  });

  it("out-time: the station's refusal and the badge share the words", () => {
    let thrown: unknown;
    try {
      assertOutTime({ name: "Lot AD-7", outTimeStartedAt: new Date(now.getTime() - 3 * 3_600_000), outTimeMinutes: 60 }, now);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect((thrown as DomainError).message).toContain(`Lot AD-7 is not usable: ${NOT_USABLE_WORDS.OUT_TIME_EXCEEDED}`);
    expect(materialStatus([{ code: "OUT_TIME_EXCEEDED" }]).label).toBe(`Not usable: ${NOT_USABLE_WORDS.OUT_TIME_EXCEEDED}`);
  });

  it("out-time is over at started + minutes exactly (the status of stock and the refusal use the same test)", () => {
    const started = new Date(now.getTime() - 60 * 60_000);
    expect(outTimeExceeded({ outTimeStartedAt: started, outTimeMinutes: 60 }, now)).toBe(true);
    expect(outTimeExceeded({ outTimeStartedAt: started, outTimeMinutes: 61 }, now)).toBe(false);
    expect(outTimeExceeded({ outTimeStartedAt: null, outTimeMinutes: 60 }, now)).toBe(false);
    expect(() => assertOutTime({ name: "Lot L1", outTimeStartedAt: started, outTimeMinutes: 61 }, now)).not.toThrow();
  });

  it("a lot from a disqualified manufacturer is never Usable, and the manufacturer is named, not only coded", () => {
    const reasons = materialExclusions(facts({ aml: "disqualified" }), { ...rules, minRemainingShelfLifeDays: null });
    const status = materialStatus(reasons);
    expect(status.usable).toBe(false);
    expect(status.label).not.toBe(USABLE);
    expect(reasons[0]!.message).toBe("Lot L1 is not usable: manufacturer not approved (Parker Aerospace (7P3S1) is disqualified on this part's approved manufacturer list).");
  });

  it("usable material reads Usable, with no reasons", () => {
    expect(materialStatus(materialExclusions(facts({}), rules))).toEqual({ usable: true, label: USABLE, reasons: [] });
  });

  it("lists every reason in the rules' order (hold first)", () => {
    const reasons = materialExclusions(facts({ holdReasons: ["x"], inspectionStatus: "pending", aml: "not_listed" }), rules);
    expect(materialStatus(reasons).label).toBe("Not usable: on quality hold, not through receiving inspection, manufacturer not approved");
  });
});
