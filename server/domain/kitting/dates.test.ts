import { describe, expect, it } from "vitest";
import { localDate, startOfLocalDay } from "./dates";

describe("site-local dates", () => {
  it("gives the site's calendar date around midnight and across a DST change, the same answer when asked again", () => {
    const zone = "America/Chicago";
    // 2026-03-08 02:00 local: clocks go forward (CST -06:00 -> CDT -05:00)
    expect(localDate(new Date("2026-03-08T05:59:59.999Z"), zone)).toBe("2026-03-07");
    expect(localDate(new Date("2026-03-08T06:00:00.000Z"), zone)).toBe("2026-03-08");
    expect(localDate(new Date("2026-03-08T06:00:30.000Z"), zone)).toBe("2026-03-08");
    expect(localDate(new Date("2026-03-09T04:59:59.000Z"), zone)).toBe("2026-03-08");
    expect(localDate(new Date("2026-03-09T05:00:00.000Z"), zone)).toBe("2026-03-09");
    // asked again for an earlier minute, and for another zone at the same instant
    expect(localDate(new Date("2026-03-08T05:59:00.000Z"), zone)).toBe("2026-03-07");
    expect(localDate(new Date("2026-03-08T05:59:00.000Z"), "Europe/Paris")).toBe("2026-03-08");
    expect(localDate(new Date("2026-03-08T05:59:00.000Z"), "Asia/Kolkata")).toBe("2026-03-08");
    expect(localDate(new Date("2026-03-07T18:29:59.000Z"), "Asia/Kolkata")).toBe("2026-03-07");
    expect(localDate(new Date("2026-03-07T18:30:00.000Z"), "Asia/Kolkata")).toBe("2026-03-08");
  });

  it("starts a local day at the right instant on both sides of a DST change", () => {
    expect(startOfLocalDay("2026-03-08", "America/Chicago").toISOString()).toBe("2026-03-08T06:00:00.000Z");
    expect(startOfLocalDay("2026-03-09", "America/Chicago").toISOString()).toBe("2026-03-09T05:00:00.000Z");
    expect(startOfLocalDay("2026-11-01", "America/Chicago").toISOString()).toBe("2026-11-01T05:00:00.000Z");
    expect(startOfLocalDay("2026-11-02", "America/Chicago").toISOString()).toBe("2026-11-02T06:00:00.000Z");
  });
});
