import { describe, expect, it } from "vitest";
import Decimal from "decimal.js";
import { DOMAIN_TO_TRPC } from "@/server/api/errors";
import { DomainError, type DomainErrorCode } from "../shared/errors";
import { assertOperationOpen, assertOutTime, assertParametersRecorded, checkParameters, installQuantity, matchLine, type BomLine } from "../station/station-rules";
import { assertMaterialEligible, type MaterialFacts } from "../material-eligibility/material-eligibility";
import { assertNotOverPick, assertOpenForPicking, assertReadyToIssue, readScan } from "../kitting/kit-rules";
import { CODES_WITH_NEXT_STEP, nextStep, workplaceOf, type Workplace } from "./next-step";
import { checkTools, type ToolFacts } from "../tools/tool-rules";
import { assertQualified } from "../qualification/operator-qualification";
import { assertLabelMatchesRecord, type ItemRecord } from "../label-check/label-vs-record";

const WORKPLACES: Workplace[] = ["station", "kitting", "office"];
const codes = Object.keys(DOMAIN_TO_TRPC) as DomainErrorCode[];

/** Words a next step starts with: a refusal's message must not carry one of its own (its next step comes from the table). */
const INSTRUCTION = /(^|[.:;]\s+)(Scan|Ask|Put|Set|Check|Take|Remove|Pick|Start|Record|Redo|Do not|Leave|Finish|Enter|Tag|Hand|Reload|Open|Call)\b/;

describe("next steps: exactly one per refusal", () => {
  it("covers every domain code", () => {
    expect([...CODES_WITH_NEXT_STEP].sort()).toEqual([...codes].sort());
  });

  it.each(codes.flatMap((code) => WORKPLACES.map((where) => ({ code, where }))))("$code at $where: one sentence", ({ code, where }) => {
    const step = nextStep(code, where);
    expect(step.trim()).not.toBe("");
    expect(step).toMatch(/^[A-Z].*\.$/);
    // one sentence: no full stop before the end
    expect(step.slice(0, -1)).not.toMatch(/\.\s/);
  });

  it("reads the workplace from the procedure path", () => {
    expect(workplaceOf("station.consumeComponent")).toBe("station");
    expect(workplaceOf("kitting.pickToKit")).toBe("kitting");
    expect(workplaceOf("quality.placeHold")).toBe("office");
    expect(workplaceOf(undefined)).toBe("office");
  });
});

const line = (over: Partial<BomLine> = {}): BomLine => ({
  id: "l1",
  findNumber: 20,
  componentRevisionId: "r1",
  partId: "p1",
  partNumber: "PR-1422-B2",
  revision: "-",
  uom: "ML",
  tracking: "lot",
  quantityPerUnit: "0.25",
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
const now = new Date("2026-11-20T15:00:00Z");
const lot = (over: Partial<MaterialFacts>): MaterialFacts => ({ lotId: "x", lotNumber: "L1", serialNumber: null, expiresAt: null, inspectionStatus: "accepted", manufacturerCode: "M", aml: "approved", holdReasons: [], ...over });
const kitLine = { id: "k1", label: "HAR-5521-01 rev B", required: "2", picked: "2", shortQty: "0" };
const tool = (over: Partial<ToolFacts>): ToolFacts => ({ id: "t1", code: "TW-1", toolClass: "TORQUE-WRENCH", description: "Torque wrench", status: "in_service", calibrationDueAt: new Date("2027-01-01T00:00:00Z"), holdReason: null, ...over });
const sealOp = { seq: 10, code: "SEAL", requiredSkills: ["SEAL-1"], requiredToolClasses: ["TORQUE-WRENCH"] };
const lotRecord: ItemRecord = { partNumber: "PR-1422-B2", revision: "-", gtin: null, lotNumber: "L1", serialNumber: null, uii: null, manufacturerCode: "M", expiresAt: null };

function refusalOf(run: () => unknown): DomainError {
  try {
    run();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

describe("refusal messages say what is wrong; the next step is not repeated in them", () => {
  it.each<{ name: string; run: () => unknown }>([
    { name: "operation complete", run: () => assertOperationOpen([{ seq: 10, status: "completed" }], 10, "U1") },
    { name: "earlier operation open", run: () => assertOperationOpen([{ seq: 10, status: "pending" }, { seq: 20, status: "pending" }], 20, "U1") },
    { name: "wrong revision", run: () => matchLine([line()], [line()], { partRevisionId: "r2", partId: "p1", partNumber: "PR-1422-B2", revision: "A" }, { unitSerial: "U1", seq: 10 }, {}) },
    { name: "wrong part", run: () => matchLine([line()], [line()], { partRevisionId: "r9", partId: "p9", partNumber: "X-1", revision: "A" }, { unitSerial: "U1", seq: 10 }, {}) },
    { name: "quantity for a serial", run: () => installQuantity(line({ tracking: "serial" }), "serial", "2", {}) },
    { name: "over-install", run: () => installQuantity(line(), "lot", "1", {}) },
    { name: "fully installed", run: () => installQuantity(line(), "lot", "0.1", { l1: "0.25" }) },
    { name: "parameter out of limits", run: () => checkParameters([{ name: "Torque", unit: "N·m", min: "4.5", max: "5.5" }], { Torque: "9" }, 10) },
    { name: "parameter missing", run: () => assertParametersRecorded([{ name: "Torque", unit: "N·m" }], {}, 10) },
    { name: "out-time", run: () => assertOutTime({ name: "Lot L1", outTimeStartedAt: new Date(now.getTime() - 7_200_000), outTimeMinutes: 30 }, now) },
    { name: "on hold", run: () => assertMaterialEligible(lot({ holdReasons: ["MRB 12"] }), { plannedUseAt: now, minRemainingShelfLifeDays: null, allowedLotIds: null }) },
    { name: "expired", run: () => assertMaterialEligible(lot({ expiresAt: new Date(now.getTime() - 1000) }), { plannedUseAt: now, minRemainingShelfLifeDays: null, allowedLotIds: null }) },
    { name: "unapproved manufacturer", run: () => assertMaterialEligible(lot({ aml: "not_listed" }), { plannedUseAt: now, minRemainingShelfLifeDays: null, allowedLotIds: null }) },
    { name: "kit closed", run: () => assertOpenForPicking({ number: "K-1", status: "issued" }) },
    { name: "kit not ready", run: () => assertReadyToIssue({ number: "K-1", status: "picking" }, [{ ...kitLine, picked: "0" }]) },
    { name: "over-pick", run: () => assertNotOverPick(kitLine, new Decimal(1)) },
    { name: "unreadable scan", run: () => readScan("]d2019501101020917", now) },
    { name: "label contradicts the record", run: () => assertLabelMatchesRecord({ lot: "L2", partNumber: "PR-1422-B2" }, lotRecord, "UTC", "lot L1") },
    { name: "operator not qualified", run: () => assertQualified({ name: "Maria Lopez" }, sealOp, [], now, "UTC") },
    { name: "tool not in the register", run: () => checkTools(sealOp, ["TW-9"], [], now, "UTC") },
    { name: "tool overdue", run: () => checkTools(sealOp, ["TW-1"], [tool({ calibrationDueAt: new Date("2026-11-01T00:00:00Z") })], now, "UTC") },
    { name: "tool on hold", run: () => checkTools(sealOp, ["TW-1"], [tool({ holdReason: "Dropped" })], now, "UTC") },
    { name: "tool required", run: () => checkTools(sealOp, [], [], now, "UTC") },
  ])("$name", ({ run }) => {
    const e = refusalOf(run);
    expect(e.message).not.toMatch(INSTRUCTION);
    for (const where of WORKPLACES) expect(e.message).not.toContain(nextStep(e.code, where));
  });

  it("a lot scanned without a quantity: the refusal names what the line needs and its own next step (confirm the pre-filled quantity)", () => {
    const e = refusalOf(() => installQuantity(line(), "lot", "", { l1: "0.05" }));
    expect(e.code).toBe("VALIDATION_FAILED");
    expect(e.details).toMatchObject({ field: "quantity", suggested: "0.2", uom: "ML", next: "Check the pre-filled quantity and press Install." });
    expect(e.message).toBe("How much of PR-1422-B2 goes in? 0.2 ML is still needed on this line (find 20).");
  });
});
