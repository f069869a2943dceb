import { describe, expect, it } from "vitest";
import { isWaitingLong, parameterOutOfLimits, shiftEndsAt, siteDate, unitBlockers, type LineAtOperation, type StagedMaterial, type UnitSituation } from "./blockers";

const now = new Date("2026-11-25T16:42:07Z");
const shiftEnd = new Date("2026-11-25T20:00:00Z");
const mins = (m: number) => new Date(now.getTime() + m * 60_000);

const line = (over: Partial<LineAtOperation> = {}): LineAtOperation => ({
  bomLineId: "bl1",
  partRevisionId: "pr1",
  partNumber: "P-1",
  revision: "A",
  quantityPerUnit: "2",
  backflush: false,
  installed: "0",
  serialFrom: null,
  serialTo: null,
  effectiveFrom: null,
  effectiveTo: null,
  ...over,
});
const staged = (over: Partial<StagedMaterial> = {}): StagedMaterial => ({
  partRevisionId: "pr1",
  lotId: "lot1",
  serialItemId: null,
  item: "LOT-1",
  available: "5",
  expiresAt: null,
  outTimeEndsAt: null,
  accepted: true,
  holds: [],
  ...over,
});
const unit = (over: Partial<UnitSituation> = {}): UnitSituation => ({
  serial: "SN-5",
  today: "2026-11-25",
  lines: [line()],
  staged: [staged()],
  installedHeld: [],
  shortKits: [],
  limits: [],
  recorded: {},
  minutesAtOperation: 10,
  usual: null,
  ...over,
});
const kinds = (u: UnitSituation) => unitBlockers(u, now, shiftEnd).map((b) => b.kind);

describe("unitBlockers", () => {
  it("a unit with its material staged and usable, no holds, kits or parameters, is not blocked", () => {
    expect(unitBlockers(unit(), now, shiftEnd)).toEqual([]);
  });

  it.each<[string, Partial<UnitSituation>, string[]]>([
    ["nothing staged for a part still needed: missing component", { staged: [] }, ["missing_component"]],
    ["only held stock staged: hold on staged material, and nothing usable", { staged: [staged({ holds: [{ holdId: "h1", reason: "Wrong heat treatment" }] })] }, ["hold", "missing_component"]],
    ["held stock beside usable stock: the hold still shows", { staged: [staged({ holds: [{ holdId: "h1", reason: "R" }] }), staged({ lotId: "lot2", item: "LOT-2" })] }, ["hold"]],
    ["held stock of a part already fully installed: no blocker", { lines: [line({ installed: "2" })], staged: [staged({ holds: [{ holdId: "h1", reason: "R" }] })] }, []],
    ["stock not accepted at inspection: missing", { staged: [staged({ accepted: false })] }, ["missing_component"]],
    ["stock expired: missing", { staged: [staged({ expiresAt: mins(-1) })] }, ["missing_component"]],
    ["the only stock expires before the shift ends", { staged: [staged({ expiresAt: mins(60) })] }, ["expiring"]],
    ["the only stock runs out of out-time before the shift ends", { staged: [staged({ outTimeEndsAt: mins(30) })] }, ["expiring"]],
    ["one lot expires in the shift, another lasts: no blocker", { staged: [staged({ expiresAt: mins(60) }), staged({ lotId: "lot2", expiresAt: mins(60 * 24) })] }, []],
    ["reserved to kits (nothing available): missing", { staged: [staged({ available: "0" })] }, ["missing_component"]],
    ["a backflushed line never blocks", { lines: [line({ backflush: true })], staged: [] }, []],
    ["a line not effective for this serial does not count", { lines: [line({ serialFrom: "SN-10" })], staged: [] }, []],
    ["a line effective from a later date does not count", { lines: [line({ effectiveFrom: "2026-12-01" })], staged: [] }, []],
    ["installed material under a hold", { installedHeld: [{ holdId: "h2", reason: "Counterfeit alert", item: "LOT-9", lotId: "lot9", serialItemId: null }] }, ["hold"]],
    ["a held tool made installs on the unit: marked after material holds", { toolHolds: [{ toolCode: "TW-1", reason: "Out of calibration", installs: 2 }], installedHeld: [{ holdId: "h2", reason: "R", item: "LOT-9", lotId: "lot9", serialItemId: null }] }, ["hold", "tool_hold"]],
    ["a short kit", { shortKits: [{ kitId: "k1", kitNumber: "KIT-1", parts: ["P-1"] }] }, ["short_kit"]],
    ["a recorded parameter above its maximum", { limits: [{ name: "Torque", unit: "Nm", min: "10", max: "12" }], recorded: { Torque: "12.5" } }, ["parameter"]],
    ["a recorded parameter at its limit is within", { limits: [{ name: "Torque", unit: "Nm", min: "10", max: "12" }], recorded: { Torque: "12" } }, []],
    ["waiting 3 h where 40 min is usual", { minutesAtOperation: 180, usual: { medianMinutes: 40, samples: 20 } }, ["waiting_long"]],
    ["waiting 3 h with too few completions to know what is usual", { minutesAtOperation: 180, usual: { medianMinutes: 40, samples: 4 } }, []],
  ])("%s", (_name, over, expected) => {
    expect(kinds(unit(over))).toEqual(expected);
  });

  it("a hold carries its reason and where the material is; one hold on two staged lots shows once", () => {
    const held = { holdId: "h1", reason: "Wrong heat treatment" };
    const b = unitBlockers(unit({ staged: [staged({ holds: [held] }), staged({ lotId: "lot2", item: "LOT-2", holds: [held] })] }), now, shiftEnd);
    expect(b).toEqual([
      { kind: "hold", holdId: "h1", reason: "Wrong heat treatment", where: "staged", item: "LOT-1", lotId: "lot1", serialItemId: null },
      { kind: "missing_component", partNumber: "P-1", revision: "A", remaining: "2" },
    ]);
  });

  it("says which limit of out-time or expiry comes first, and when", () => {
    const [b] = unitBlockers(unit({ staged: [staged({ expiresAt: mins(90), outTimeEndsAt: mins(30) })] }), now, shiftEnd);
    expect(b).toEqual({ kind: "expiring", item: "LOT-1", lotId: "lot1", partNumber: "P-1", cause: "out_time", at: mins(30) });
  });
});

describe("time rules", () => {
  it.each([
    [80, 40, false],
    [81, 40, true],
    [40, 10, false],
    [41, 10, true],
  ])("%d minutes where %d is usual: waiting long %s", (m, usual, expected) => {
    expect(isWaitingLong(m, { medianMinutes: usual, samples: 10 })).toBe(expected);
  });

  it.each([
    ["11", false],
    ["9.999", true],
    ["abc", true],
  ])("parameter %s against 10..12: out %s", (v, out) => {
    expect(parameterOutOfLimits({ name: "T", unit: "Nm", min: "10", max: "12" }, v)).toBe(out);
  });

  it("a shift ends at the next of 06:00, 14:00 and 22:00 site time", () => {
    // 16:42 UTC is 10:42 in Chicago (CST): the shift ends at 14:00 local, 20:00 UTC
    expect(shiftEndsAt(now, "America/Chicago").toISOString()).toBe("2026-11-25T20:00:00.000Z");
    // 17:42 in Paris: ends 22:00 local, 21:00 UTC
    expect(shiftEndsAt(now, "Europe/Paris").toISOString()).toBe("2026-11-25T21:00:00.000Z");
    // 23:30 UTC: the night shift ends at 06:00 the next day
    expect(shiftEndsAt(new Date("2026-11-25T23:30:00Z"), "UTC").toISOString()).toBe("2026-11-26T06:00:00.000Z");
    expect(siteDate(new Date("2026-11-26T03:00:00Z"), "America/Chicago")).toBe("2026-11-25");
  });
});
