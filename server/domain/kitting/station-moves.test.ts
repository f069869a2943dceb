import { describe, expect, it } from "vitest";
import { DomainError } from "../shared/errors";
import { assertTransferable, transferRefusals } from "./station-moves";

const now = new Date("2026-11-25T15:00:00Z");
const lot = (over: Partial<Parameters<typeof transferRefusals>[0]> = {}) => ({
  lotNumber: "AC24-0519",
  serialNumber: null,
  expiresAt: new Date("2027-03-01T06:00:00Z"),
  holdReasons: [],
  ...over,
});

describe("transfers between stations", () => {
  it("lets good material move", () => {
    expect(transferRefusals(lot(), now)).toEqual([]);
    expect(transferRefusals(lot({ expiresAt: null }), now)).toEqual([]);
    expect(() => assertTransferable(lot(), now)).not.toThrow();
  });

  it.each([
    ["held", lot({ holdReasons: ["MRB 24-118 suspect cure"] }), "LOT_ON_HOLD", /not usable: on quality hold \(MRB 24-118 suspect cure\)/],
    ["expired", lot({ expiresAt: new Date("2026-11-25T14:59:59Z") }), "LOT_EXPIRED", /expired on 2026-11-25/],
    ["expiring this instant", lot({ expiresAt: now }), "LOT_EXPIRED", /expired/],
  ])("refuses %s material with its reason and says to return it", (_, item, code, words) => {
    let error: unknown;
    try {
      assertTransferable(item, now);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(code);
    expect((error as DomainError).message).toMatch(words);
    expect((error as DomainError).details.next).toMatch(/Return it to stores/);
  });

  it("gives the hold first when material is both held and expired, with both reasons in the details", () => {
    const reasons = transferRefusals(lot({ holdReasons: ["suspect"], expiresAt: new Date("2026-01-01T00:00:00Z") }), now);
    expect(reasons.map((r) => r.code)).toEqual(["LOT_ON_HOLD", "LOT_EXPIRED"]);
  });

  it("names a serial by its serial number, dates in the site's zone", () => {
    const [r] = transferRefusals({ lotNumber: null, serialNumber: "NI-B-0102", expiresAt: new Date("2026-11-25T03:00:00Z"), holdReasons: [] }, now, "America/Chicago");
    expect(r?.message).toBe("Serial NI-B-0102 is not usable: expired on 2026-11-24.");
  });
});
