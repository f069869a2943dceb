import { describe, expect, it } from "vitest";
import { DomainError } from "../shared/errors";
import type { Candidate } from "../kitting/lot-rules";
import {
  assertOperationOpen,
  assertOutTime,
  assertParametersRecorded,
  checkParameters,
  installQuantity,
  isBackflushable,
  linesAt,
  matchLine,
  planCompletion,
  type BomLine,
} from "./station-rules";

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return "OK";
};

const line = (over: Partial<BomLine>): BomLine => ({
  id: "l1",
  findNumber: 1,
  componentRevisionId: "revA",
  partId: "p1",
  partNumber: "P-1",
  revision: "A",
  uom: "EA",
  tracking: "lot",
  quantityPerUnit: "1",
  operationSeq: 10,
  serialFrom: null,
  serialTo: null,
  effectiveFrom: null,
  effectiveTo: null,
  backflush: false,
  shelfLifeDays: null,
  outTimeMinutes: null,
  ...over,
});

const stock = (over: Partial<Candidate>): Candidate => ({
  locationId: "pou",
  locationCode: "POU",
  partRevisionId: "revA",
  lotId: "lot1",
  lotNumber: "L1",
  serialItemId: null,
  serialNumber: null,
  expiresAt: null,
  inspectionStatus: "accepted",
  manufacturerCode: null,
  aml: "no_aml",
  holdReasons: [],
  onHand: "1",
  reserved: "0",
  ...over,
});

describe("station rules", () => {
  it.each([
    [[{ seq: 10, status: "pending" }, { seq: 20, status: "pending" }], 10, "OK"],
    [[{ seq: 10, status: "pending" }, { seq: 20, status: "pending" }], 20, "OPERATION_NOT_OPEN"],
    [[{ seq: 10, status: "completed" }, { seq: 20, status: "in_progress" }], 20, "OK"],
    [[{ seq: 10, status: "completed" }], 10, "OPERATION_NOT_OPEN"],
    [[{ seq: 10, status: "pending" }], 30, "NOT_FOUND"],
  ] as const)("operation open %#", (ops, seq, expected) => {
    expect(code(() => assertOperationOpen([...ops], seq, "U1"))).toBe(expected);
  });

  it("effectivity by serial range picks the line for the unit; another revision is WRONG_REVISION, another part WRONG_PART", () => {
    const a = line({ id: "a", serialTo: "ACT-99" });
    const b = line({ id: "b", componentRevisionId: "revB", revision: "B", serialFrom: "ACT-100" });
    expect(linesAt([a, b], "ACT-99", 10, "2026-11-20").map((l) => l.id)).toEqual(["a"]);
    expect(linesAt([a, b], "ACT-100", 10, "2026-11-20").map((l) => l.id)).toEqual(["b"]);
    const applying = linesAt([a, b], "ACT-100", 10, "2026-11-20");
    const item = (rev: string, partId = "p1") => ({ partRevisionId: rev, partId, partNumber: "P-1", revision: rev.slice(3) });
    expect(matchLine(applying, [a, b], item("revB"), { unitSerial: "ACT-100", seq: 10 }, {}).id).toBe("b");
    expect(code(() => matchLine(applying, [a, b], item("revA"), { unitSerial: "ACT-100", seq: 10 }, {}))).toBe("WRONG_REVISION");
    expect(code(() => matchLine(applying, [a, b], item("revX", "p9"), { unitSerial: "ACT-100", seq: 10 }, {}))).toBe("WRONG_PART");
    expect(linesAt([line({ effectiveTo: "2026-11-19" })], "U", 10, "2026-11-20")).toEqual([]);
  });

  it.each([
    ["lot", "0.3", {}, "OK"],
    ["lot", "0.3000001", {}, "VALIDATION_FAILED"],
    ["lot", "0.31", { l1: "0" }, "OVER_INSTALL"],
    ["lot", "0.1", { l1: "0.3" }, "OVER_INSTALL"],
    ["lot", "", {}, "VALIDATION_FAILED"],
    ["lot", "-0.1", {}, "VALIDATION_FAILED"],
    ["serial", "", {}, "OK"],
    ["serial", "2", {}, "VALIDATION_FAILED"],
  ] as const)("install quantity %s %s", (tracking, typed, installed, expected) => {
    const l = line({ quantityPerUnit: tracking === "serial" ? "1" : "0.3", tracking });
    expect(code(() => installQuantity(l, tracking, typed, installed))).toBe(expected);
  });

  it("parameters: exact decimal limits, inclusive; unknown names refused; missing ones listed", () => {
    const specs = [{ name: "torque", unit: "N·m", min: "10.5", max: "12" }, { name: "temp", unit: "°C", min: "-5" }];
    expect(checkParameters(specs, { torque: "12.000" }, 20)).toEqual({ torque: "12" });
    expect(checkParameters(specs, { torque: "10.5" }, 20)).toEqual({ torque: "10.5" });
    expect(code(() => checkParameters(specs, { torque: "12.000001" }, 20))).toBe("PARAMETER_OUT_OF_LIMITS");
    expect(code(() => checkParameters(specs, { temp: "-5.1" }, 20))).toBe("PARAMETER_OUT_OF_LIMITS");
    expect(code(() => checkParameters(specs, { temp: "1e3" }, 20))).toBe("VALIDATION_FAILED");
    expect(code(() => checkParameters(specs, { speed: "1" }, 20))).toBe("VALIDATION_FAILED");
    expect(code(() => assertParametersRecorded(specs, { torque: "11" }, 20))).toBe("PARAMETER_MISSING");
    expect(code(() => assertParametersRecorded(specs, { torque: "11", temp: "0" }, 20))).toBe("OK");
  });

  it("out-time runs from the start for the part's minutes", () => {
    const start = new Date("2026-11-20T10:00:00Z");
    expect(code(() => assertOutTime({ name: "Lot X", outTimeStartedAt: start, outTimeMinutes: 60 }, new Date("2026-11-20T10:59:59Z")))).toBe("OK");
    expect(code(() => assertOutTime({ name: "Lot X", outTimeStartedAt: start, outTimeMinutes: 60 }, new Date("2026-11-20T11:00:00Z")))).toBe("OUT_TIME_EXCEEDED");
    expect(code(() => assertOutTime({ name: "Lot X", outTimeStartedAt: null, outTimeMinutes: 60 }, new Date()))).toBe("OK");
  });

  it("backflush: only lot/untracked parts without shelf life or out-time; FEFO across lots; short says how much is there", () => {
    expect(isBackflushable(line({ backflush: true }))).toBe(true);
    expect(isBackflushable(line({ backflush: true, tracking: "serial" }))).toBe(false);
    expect(isBackflushable(line({ backflush: true, shelfLifeDays: 90 }))).toBe(false);
    expect(isBackflushable(line({ backflush: true, outTimeMinutes: 30 }))).toBe(false);
    const l = line({ backflush: true, quantityPerUnit: "0.5" });
    const rules = { plannedUseAt: new Date("2026-11-20T00:00:00Z"), minRemainingShelfLifeDays: null, allowedLotsFor: () => null };
    const early = stock({ lotId: "e", lotNumber: "E", onHand: "0.3", expiresAt: new Date("2027-01-01") });
    const late = stock({ lotId: "l", lotNumber: "L", onHand: "1", expiresAt: new Date("2027-06-01") });
    const held = stock({ lotId: "h", lotNumber: "H", onHand: "5", expiresAt: new Date("2026-12-01"), holdReasons: ["x"] });
    const plan = planCompletion([l], {}, [late, held, early], rules);
    expect(plan.draws.map((d) => [d.source.lotNumber, d.quantity])).toEqual([["E", "0.3"], ["L", "0.2"]]);
    const short = planCompletion([l], {}, [early, held], rules);
    expect(short.short).toEqual([expect.objectContaining({ needed: "0.5", available: "0.3" })]);
    const scanned = planCompletion([line({ backflush: false })], {}, [late], rules);
    expect(scanned.missing).toHaveLength(1);
    expect(planCompletion([line({ backflush: false })], { l1: "1" }, [], rules)).toEqual({ missing: [], draws: [], short: [] });
  });
});
