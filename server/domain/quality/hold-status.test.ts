import { describe, expect, it } from "vitest";
import { confirmationOrderingKey } from "../erp/outbound";
import { holdStatusPayload, sendsHoldStatus, type HoldTargetFacts } from "./hold-status";

const base = { partNumber: null, revision: null, lotNumber: null, serialNumber: null, code: null };
const lot: HoldTargetFacts = { ...base, type: "lot", partNumber: "BKT-1", revision: "A", lotNumber: "L-7" };
const serial: HoldTargetFacts = { ...base, type: "serial", partNumber: "SEN-2", revision: "B", serialNumber: "SN-9" };
const revision: HoldTargetFacts = { ...base, type: "part_revision", partNumber: "BKT-1", revision: "A" };
const manufacturer: HoldTargetFacts = { ...base, type: "manufacturer", code: "3AB71" };
const supplier: HoldTargetFacts = { ...base, type: "supplier", code: "SUP-4" };
const m = { plant: "1000", postingDate: "2026-11-20" };

describe("sendsHoldStatus: the registry row decides", () => {
  it.each([
    [{ direction: "traceline_to_erp" }, true],
    [{ direction: "none" }, false],
    [{ direction: "erp_to_traceline" }, false],
    [null, false],
  ])("%j -> %s", (row, sends) => expect(sendsHoldStatus(row)).toBe(sends));
});

describe("holdStatusPayload", () => {
  it.each([
    [lot, { target: { type: "lot", key: "L-7" }, material: "BKT-1", revision: "A", batch: "L-7", serial: null }, "item:BKT-1|L-7|"],
    [serial, { target: { type: "serial", key: "SN-9" }, material: "SEN-2", revision: "B", batch: null, serial: "SN-9" }, "item:SEN-2||SN-9"],
    [revision, { target: { type: "part_revision", key: "BKT-1" }, material: "BKT-1", revision: "A", batch: null, serial: null }, "item:BKT-1||"],
    [manufacturer, { target: { type: "manufacturer", key: "3AB71" }, material: null, revision: null, batch: null, serial: null }, "manufacturer:3AB71"],
    [supplier, { target: { type: "supplier", key: "SUP-4" }, material: null, revision: null, batch: null, serial: null }, "supplier:SUP-4"],
  ])("hold target %# names what it holds and is ordered with it", (target, expected, orderingKey) => {
    const placed = holdStatusPayload("placed", { id: "h1", reason: "Escape notice" }, target, m);
    expect(placed).toEqual({ action: "placed", holdId: "h1", plant: "1000", reason: "Escape notice", postingDate: "2026-11-20", ...expected });
    const released = holdStatusPayload("released", { id: "h1", reason: "Escape notice" }, target, { ...m, releaseReason: "MRB accepted" });
    expect(released).toMatchObject({ action: "released", reason: "MRB accepted", holdReason: "Escape notice", ...expected });
    // a release never overtakes its placing: both carry the same ordering key
    expect(confirmationOrderingKey(placed)).toBe(orderingKey);
    expect(confirmationOrderingKey(released)).toBe(orderingKey);
  });
});
