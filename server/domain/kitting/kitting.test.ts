import { describe, expect, it } from "vitest";
import { buildPickList, type BomLineSnapshot, type UnitSnapshot } from "./pick-list";
import { allowedLotsFor, suggestSources, type Candidate } from "./lot-rules";
import type { EligibilityRules } from "../material-eligibility/material-eligibility";
import { assertNotOverPick, assertOpenForPicking, assertReadyToIssue, decideShort, pickQuantity, readScan, statusAfterChange } from "./kit-rules";
import { plannedUseAt, startOfLocalDay } from "./dates";
import { kitLabelWords } from "@/i18n/label-words";
import { kitLabelZpl, zplText } from "./kit-label";
import Decimal from "decimal.js";

const line = (over: Partial<BomLineSnapshot>): BomLineSnapshot => ({
  id: "L",
  findNumber: 10,
  componentRevisionId: "R",
  quantityPerUnit: "1",
  operationSeq: 10,
  serialFrom: null,
  serialTo: null,
  effectiveFrom: null,
  effectiveTo: null,
  ...over,
});
const units: UnitSnapshot[] = ["ACT-1001", "ACT-1002", "ACT-1003", "ACT-1004", "ACT-1005", "ACT-1006"].map((serial, i) => ({
  id: `u${i + 1}`,
  serial,
  status: i === 0 ? "completed" : "planned",
}));

describe("buildPickList", () => {
  const bom = [
    line({ id: "bkt", findNumber: 10, quantityPerUnit: "2", operationSeq: 10 }),
    line({ id: "harA", findNumber: 70, componentRevisionId: "harA", operationSeq: 30, serialFrom: "ACT-1001", serialTo: "ACT-1004" }),
    line({ id: "harB", findNumber: 70, componentRevisionId: "harB", operationSeq: 30, serialFrom: "ACT-1005", serialTo: "ACT-9999" }),
    line({ id: "seal", findNumber: 80, quantityPerUnit: "12.5", operationSeq: 30 }),
  ];
  const base = { bomLines: bom, units, orderQuantity: 6, plannedUseDate: "2026-11-30", coverage: {} };

  it("whole order: quantity per unit x open units, the harness revision per unit serial", () => {
    const list = buildPickList({ ...base, scope: { kind: "work_order" } });
    expect(list.map((l) => [l.bomLineId, l.required])).toEqual([
      ["bkt", "10"],
      ["harA", "3"],
      ["harB", "2"],
      ["seal", "62.5"],
    ]);
  });

  it("one operation, one unit", () => {
    expect(buildPickList({ ...base, scope: { kind: "operation", operationSeq: 30 } }).map((l) => l.bomLineId)).toEqual(["harA", "harB", "seal"]);
    const unit5 = buildPickList({ ...base, scope: { kind: "unit", unitId: "u5" } });
    expect(unit5.map((l) => [l.bomLineId, l.required])).toEqual([
      ["bkt", "2"],
      ["harB", "1"],
      ["seal", "12.5"],
    ]);
  });

  it("less what open kits hold and what is installed; an issued kit and its installs count once", () => {
    const coverage = {
      bkt: { openKitPicks: "4", issuedKitPicks: "0", installedByUnit: { u2: "2" } },
      seal: { openKitPicks: "0", issuedKitPicks: "25", installedByUnit: { u2: "12.5", u3: "12.5" } },
      harB: { openKitPicks: "0", issuedKitPicks: "0", installedByUnit: { u5: "1" } },
    };
    const list = buildPickList({ ...base, scope: { kind: "work_order" }, coverage });
    expect(Object.fromEntries(list.map((l) => [l.bomLineId, l.required]))).toEqual({ bkt: "4", harA: "3", harB: "1", seal: "37.5" });
    // a unit already holding its harness needs none
    const u5 = buildPickList({ ...base, scope: { kind: "unit", unitId: "u5" }, coverage });
    expect(u5.find((l) => l.bomLineId === "harB")!.required).toBe("0");
  });

  it("an order without unit rows uses its quantity and skips nothing but dates", () => {
    const list = buildPickList({ ...base, units: [], scope: { kind: "work_order" } });
    expect(list.find((l) => l.bomLineId === "bkt")!.required).toBe("12");
  });
});

const now = new Date("2026-11-20T15:00:00Z");
const cand = (over: Partial<Candidate>): Candidate => ({
  locationId: "loc",
  locationCode: "ST-A01",
  partRevisionId: "R",
  lotId: "lot1",
  lotNumber: "L1",
  serialItemId: null,
  serialNumber: null,
  expiresAt: null,
  inspectionStatus: "accepted",
  manufacturerCode: "7P3S1",
  aml: "approved",
  holdReasons: [],
  onHand: "10",
  reserved: "0",
  ...over,
});
const rules: EligibilityRules = { plannedUseAt: now, minRemainingShelfLifeDays: 30, allowedLotIds: null };
const day = 86_400_000;

describe("lot suggestions", () => {
  it("suggests first-expired-first-out, no expiry last, skips fully reserved stock, lists exclusions with reasons", () => {
    const out = suggestSources(
      [
        cand({ lotId: "a", lotNumber: "A", expiresAt: null }),
        cand({ lotId: "b", lotNumber: "B", expiresAt: new Date(now.getTime() + 200 * day) }),
        cand({ lotId: "c", lotNumber: "C", expiresAt: new Date(now.getTime() + 100 * day) }),
        cand({ lotId: "d", lotNumber: "D", expiresAt: new Date(now.getTime() + 50 * day), reserved: "10" }),
        cand({ lotId: "e", lotNumber: "E", expiresAt: new Date(now.getTime() - 5 * day) }),
      ],
      rules,
    );
    expect(out.suggested.map((s) => s.lotNumber)).toEqual(["C", "B", "A"]);
    expect(out.excluded.map((s) => [s.lotNumber, s.reasons[0]!.code])).toEqual([["E", "LOT_EXPIRED"]]);
    expect(out.suggested[0]!.available).toBe("10");
  });
});

describe("kit rules", () => {
  const l = (required: string, picked: string, shortQty = "0") => ({ id: "x", required, picked, shortQty, label: "BKT-4410-07 rev A" });

  it.each([
    { lines: [l("2", "0")], status: "planned" },
    { lines: [l("2", "1")], status: "picking" },
    { lines: [l("2", "2"), l("1", "1")], status: "complete" },
    { lines: [l("2", "1", "1"), l("1", "1")], status: "short" },
    { lines: [l("2", "0", "1")], status: "picking" },
  ])("status $status", ({ lines, status }) => {
    expect(statusAfterChange(lines)).toBe(status);
  });

  it.each(["issued", "closed", "cancelled"] as const)("a %s kit takes no picks", (status) => {
    expect(() => assertOpenForPicking({ number: "K-1", status })).toThrow(expect.objectContaining({ code: "KIT_CLOSED" }));
  });

  it("refuses over-picks with what is still needed", () => {
    expect(() => assertNotOverPick(l("0.3", "0.2"), new Decimal("0.1"))).not.toThrow();
    expect(() => assertNotOverPick(l("0.3", "0.2"), new Decimal("0.2"))).toThrow(expect.objectContaining({ code: "OVER_PICK" }));
    expect(() => assertNotOverPick(l("2", "2"), new Decimal("1"))).toThrow(/already fully picked/);
  });

  it("issue needs every line settled and something picked", () => {
    expect(() => assertReadyToIssue({ number: "K", status: "picking" }, [l("2", "1")])).toThrow(expect.objectContaining({ code: "KIT_NOT_READY" }));
    expect(() => assertReadyToIssue({ number: "K", status: "short" }, [l("2", "0", "2")])).toThrow(/holds nothing/);
    expect(() => assertReadyToIssue({ number: "K", status: "short" }, [l("2", "1", "1")])).not.toThrow();
    expect(() => assertReadyToIssue({ number: "K", status: "issued" }, [l("2", "2")])).toThrow(expect.objectContaining({ code: "KIT_CLOSED" }));
  });

  it.each([
    { tracking: "serial", typed: null, q: "1" },
    { tracking: "lot", typed: null, q: "5" },
    { tracking: "lot", typed: "2.5", q: "2.5" },
    { tracking: "untracked", typed: "", q: "5" },
  ] as const)("pick quantity $tracking typed=$typed -> $q", ({ tracking, typed, q }) => {
    expect(pickQuantity({ tracking, typed, outstanding: new Decimal(5), available: new Decimal(8) }).toFixed()).toBe(q);
  });

  it.each([
    { tracking: "lot", typed: "0.1234567", msg: /at most 6 decimal/ },
    { tracking: "lot", typed: "-1", msg: /negative/ },
    { tracking: "lot", typed: "0", msg: /more than zero/ },
    { tracking: "lot", typed: "1e3", msg: /not a number/ },
    { tracking: "serial", typed: "2", msg: /one piece/ },
  ] as const)("refuses quantity $typed for $tracking", ({ tracking, typed, msg }) => {
    expect(() => pickQuantity({ tracking, typed, outstanding: new Decimal(5), available: new Decimal(8) })).toThrow(msg);
  });

  it("a short pick needs a reason and at most what is not picked", () => {
    expect(decideShort(l("5", "2"), "3", "Stores empty, PO 4471 due Friday").toFixed()).toBe("3");
    expect(() => decideShort(l("5", "2"), "4", "Stores empty")).toThrow(expect.objectContaining({ code: "OVER_PICK" }));
    expect(() => decideShort(l("5", "2"), "1", " ")).toThrow(/why/);
  });

  it("reads scans through the parser; unreadable ones are SCAN_NOT_RECOGNISED", () => {
    const today = new Date("2026-11-20T00:00:00Z");
    expect(readScan("]d201095011010209171719050810ABCD1234", today).lot).toBe("ABCD1234");
    expect(readScan("AC24-0519\r\n", today).text).toBe("AC24-0519");
    expect(() => readScan("", today)).toThrow(expect.objectContaining({ code: "SCAN_NOT_RECOGNISED" }));
    expect(() => readScan("]d2019501101020917", today)).toThrow(expect.objectContaining({ code: "SCAN_NOT_RECOGNISED" }));
  });
});

describe("planned use date", () => {
  it("starts the due date in the site's time zone, never before now", () => {
    expect(startOfLocalDay("2026-11-30", "America/Chicago").toISOString()).toBe("2026-11-30T06:00:00.000Z");
    expect(startOfLocalDay("2026-07-01", "Europe/Paris").toISOString()).toBe("2026-06-30T22:00:00.000Z");
    expect(plannedUseAt("2026-11-30", "America/Chicago", now).toISOString()).toBe("2026-11-30T06:00:00.000Z");
    expect(plannedUseAt("2026-11-01", "America/Chicago", now)).toBe(now);
  });
});

describe("allowed-lot lists", () => {
  const entries = [
    { workOrderBomLineId: null, partRevisionId: "R", lotId: "a" },
    { workOrderBomLineId: "L2", partRevisionId: "R", lotId: "b" },
    { workOrderBomLineId: null, partRevisionId: "S", lotId: "c" },
  ];
  it.each([
    { line: { bomLineId: "L1", partRevisionId: "R" }, ids: ["a"] },
    { line: { bomLineId: "L2", partRevisionId: "R" }, ids: ["a", "b"] },
    { line: { bomLineId: "L3", partRevisionId: "T" }, ids: null },
  ])("$line.bomLineId -> $ids", ({ line, ids }) => {
    const got = allowedLotsFor(line, entries);
    expect(got === null ? null : [...got].sort()).toEqual(ids);
  });
});

describe("kit label ZPL", () => {
  const kit = {
    kitNumber: "K-WO-100234-01",
    workOrderNumber: "WO-100234",
    stationCode: "FA-01",
    scope: "operation 30",
    lines: [{ partNumber: "PR-1422-B2", revision: "-", item: "Lot AC24^0519", quantity: "50", uom: "G" }],
    shortages: [{ partNumber: "HAR-5521-01", revision: "B", quantity: "1", uom: "EA", reason: "damaged" }],
  };

  it("starts and ends a label, carries the kit number as Data Matrix, strips ZPL control characters", () => {
    const zpl = kitLabelZpl(kit, kitLabelWords("en"));
    expect(zpl.startsWith("^XA")).toBe(true);
    expect(zpl.trimEnd().endsWith("^XZ")).toBe(true);
    expect(zpl).toContain("^BXN,8,200^FDK-WO-100234-01^FS");
    expect(zpl).toContain("^FDWO WO-100234  operation 30^FS");
    expect(zpl).toContain("^FDTo: FA-01^FS");
    expect(zpl).toContain("Lot AC24 0519");
    expect(zpl).toContain("SHORT HAR-5521-01 rev B  1 EA");
  });

  it("prints in the language of the person printing, accents kept, more lines than fit counted", () => {
    const many = { ...kit, lines: Array.from({ length: 25 }, (_, i) => ({ partNumber: `P-${i}`, revision: "A", item: `Lot L${i}`, quantity: "1", uom: "EA" })) };
    const zpl = kitLabelZpl(many, kitLabelWords("fr"));
    expect(zpl).toContain("^FDOF WO-100234  operation 30^FS");
    expect(zpl).toContain("^FDVers : FA-01^FS");
    expect(zpl).toContain("^FDP-0 ind. A  Lot L0  1 EA^FS");
    expect(zpl).toContain("^FD+ 4 lignes de plus : voir la page du kit^FS");
  });

  it("field data: no ZPL command characters, control characters or lone surrogates; accented letters kept", () => {
    expect(zplText("A^B~C\\D")).toBe("A B C D");
    expect(zplText("x\u0000y\u001dz\ud800")).toBe("x?y?z?");
    expect(zplText("Décongelé", 4)).toBe("Déco");
  });
});
