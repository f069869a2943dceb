import { describe, expect, it } from "vitest";
import { isEnterpriseMessage, isMessageVisibleAt, isReplayable } from "./message-scope";
import { siteCodesNotAdministered, siteIdsNotAdministered } from "./connection-access";

describe("who sees an inbound ERP message", () => {
  it.each([
    ["part", "site-a", "site-b", true],
    ["bom", "site-a", "site-b", true],
    ["approved_manufacturers", "site-a", "site-b", true],
    ["supplier", "site-a", "site-b", true],
    ["production_order", "site-a", "site-a", true],
    ["production_order", "site-a", "site-b", false],
    ["routing", "site-a", "site-b", false],
    ["material_issue", "site-a", "site-b", false],
    ["inspection_status", "site-a", "site-b", false],
    ["stock_snapshot", "site-a", "site-b", false],
    ["unknown", null, "site-b", true],
    ["production_order", null, "site-b", true],
  ] as const)("%s of %s seen at %s: %s", (type, siteId, at, visible) => {
    expect(isMessageVisibleAt({ type, siteId }, at)).toBe(visible);
  });

  it("calls master data and site-less messages enterprise-level", () => {
    expect(isEnterpriseMessage({ type: "part", siteId: "s" })).toBe(true);
    expect(isEnterpriseMessage({ type: "routing", siteId: null })).toBe(true);
    expect(isEnterpriseMessage({ type: "routing", siteId: "s" })).toBe(false);
  });

  it("replays only refused messages", () => {
    expect(["received", "applied", "duplicate", "overtaken", "held", "rejected", "dead_letter"].filter(isReplayable)).toEqual(["rejected", "dead_letter"]);
  });
});

describe("who may manage an ERP connection", () => {
  const sites = [
    { id: "w", code: "WCH", roles: ["admin"] },
    { id: "t", code: "TLS", roles: ["supervisor"] },
  ];
  it("names the sites where the user is not an administrator", () => {
    expect(siteCodesNotAdministered(sites, ["WCH"])).toEqual([]);
    expect(siteCodesNotAdministered(sites, ["WCH", "TLS", "XYZ", "TLS"])).toEqual(["TLS", "XYZ"]);
    expect(siteIdsNotAdministered(sites, ["w", "t"])).toEqual(["t"]);
  });
});
