import { describe, expect, it } from "vitest";
import { canonicalJson } from "../canonical-json/canonical-json";
import { businessContent } from "./message-content";

const base = { source: "SAP", messageId: "M-1", type: "part", key: "P-1", version: 2, plant: "1000", occurredAt: "2026-11-01T00:00:00Z", payload: { partNumber: "P-1", description: "Bracket", revisions: [{ revision: "A" }] } };
const same = (a: unknown, b: unknown) => canonicalJson(businessContent(a)) === canonicalJson(businessContent(b));

describe("businessContent", () => {
  it.each([
    ["another occurredAt", { ...base, occurredAt: "2026-11-02T09:00:00+02:00" }],
    ["a padded message id", { ...base, messageId: "  M-1 " }],
    ["another source", { ...base, source: "PI" }],
    ["whitespace around values", { ...base, key: " P-1", payload: { ...base.payload, description: "Bracket  " } }],
    ["decomposed characters", { ...base, payload: { ...base.payload, description: "Bracket" } }],
    ["key order", { payload: base.payload, plant: "1000", version: 2, key: "P-1", type: "part" }],
  ])("is the same with %s", (_, other) => {
    expect(same(base, other)).toBe(true);
  });

  it.each([
    ["another version", { ...base, version: 3 }],
    ["another description", { ...base, payload: { ...base.payload, description: "Brackets" } }],
    ["another plant", { ...base, plant: "2000" }],
    ["inner whitespace", { ...base, payload: { ...base.payload, description: "Brack et" } }],
    ["a change time for a counter", { ...base, versionKind: "timestamp" }],
  ])("differs with %s", (_, other) => {
    expect(same(base, other)).toBe(false);
  });

  it("NFC-normalises strings", () => {
    expect(same({ ...base, payload: { d: "Cafe\u0301" } }, { ...base, payload: { d: "Café" } })).toBe(true);
  });
});
