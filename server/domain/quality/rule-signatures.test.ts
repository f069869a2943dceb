import { describe, expect, it } from "vitest";
import { canonicalJson } from "@/server/domain/canonical-json/canonical-json";
import { allowedLotContent, operationBuyOffContent, ownershipDecisionContent, partPolicyChangeContent, type AllowedLotRecord, type OperationBuyOffRecord } from "./rule-signatures";

const at = new Date("2026-11-25T16:42:00Z");
const text = (v: Parameters<typeof canonicalJson>[0]) => canonicalJson(v);

const buyOff: OperationBuyOffRecord = {
  siteId: "s",
  unitOperationId: "uo",
  unitId: "u",
  unitSerial: "A-1",
  seq: 10,
  code: "TORQ",
  parameters: { torque: "5.0", angle: "90" },
  toolIds: ["t2", "t1"],
  stationId: "st",
  workDoneBy: "op",
  workDoneAt: at,
  installed: [
    { edgeId: "e2", partRevisionId: "p", lotId: "l", serialItemId: null, quantity: "2.000000" },
    { edgeId: "e1", partRevisionId: "p", lotId: null, serialItemId: "sn", quantity: "1" },
  ],
  inspectedBy: "qe",
  inspectedAt: at,
};

describe("the signed content of an operation buy-off", () => {
  it("does not depend on the order rows are read in, nor on how a quantity is written", () => {
    const reordered = { ...buyOff, parameters: { angle: "90", torque: "5.0" }, toolIds: ["t1", "t2"], installed: [{ ...buyOff.installed[1]! }, { ...buyOff.installed[0]!, quantity: "2" }] };
    expect(text(operationBuyOffContent(reordered))).toBe(text(operationBuyOffContent(buyOff)));
  });

  it.each([
    ["a recorded parameter", { parameters: { torque: "9.0", angle: "90" } }],
    ["a component installed", { installed: buyOff.installed.slice(1) }],
    ["who did the work", { workDoneBy: "someone else" }],
    ["the inspector", { inspectedBy: "another inspector" }],
  ])("changes with %s", (_what, change) => {
    expect(text(operationBuyOffContent({ ...buyOff, ...change }))).not.toBe(text(operationBuyOffContent(buyOff)));
  });
});

describe("the signed content of the rule changes", () => {
  const entry: AllowedLotRecord = { siteId: "s", id: "a", workOrderId: "w", workOrderBomLineId: null, partRevisionId: "p", lotId: "l", reason: "One batch", addedBy: "q", addedAt: at, removedBy: null, removedAt: null };

  it("an allowed-lot entry's placing is not invalidated by its lifting; the lifting covers the whole entry", () => {
    const lifted = { ...entry, removedBy: "q2", removedAt: at };
    expect(text(allowedLotContent(lifted, "added"))).toBe(text(allowedLotContent(entry, "added")));
    expect(text(allowedLotContent(lifted, "removed"))).not.toBe(text(allowedLotContent({ ...lifted, removedBy: "other" }, "removed")));
  });

  it("an ownership decision covers the proposal and the decision", () => {
    const c = { id: "c", entity: "part", attribute: "out_time_minutes", proposedOwner: "erp", proposedDirection: "erp_to_traceline", reason: "ECO", proposedBy: "a", proposedAt: at, status: "approved", decidedBy: "b", decidedAt: at };
    expect(text(ownershipDecisionContent({ ...c, reason: "other" }))).not.toBe(text(ownershipDecisionContent(c)));
    expect(text(ownershipDecisionContent({ ...c, status: "rejected" }))).not.toBe(text(ownershipDecisionContent(c)));
  });

  it("a part policy change covers the values before and after", () => {
    const c = { id: "7", partNumber: "P", oldValue: { out_time_minutes: 60 }, newValue: { out_time_minutes: 90 }, reason: "PS-44", actorUserId: "a", occurredAt: at };
    expect(text(partPolicyChangeContent({ ...c, newValue: { out_time_minutes: 900 } }))).not.toBe(text(partPolicyChangeContent(c)));
    expect(text(partPolicyChangeContent({ ...c, oldValue: undefined }))).toBe(text(partPolicyChangeContent({ ...c, oldValue: null })));
  });
});
