import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime } from "./date-time";

describe("dates in the site's time zone", () => {
  // 2026-03-08 07:30 UTC: 01:30 in Chicago (before the DST switch at 02:00), 08:30 in Paris.
  const instant = new Date("2026-03-08T07:30:00Z");

  it("formats date and time in the given zone, not the process zone", () => {
    expect(formatDateTime(instant, "America/Chicago")).toBe("2026-03-08 01:30");
    expect(formatDateTime(instant, "Europe/Paris")).toBe("2026-03-08 08:30");
    expect(formatDateTime(instant, "UTC")).toBe("2026-03-08 07:30");
  });

  it("puts a late-evening UTC instant on the site's own calendar day", () => {
    const lateUtc = new Date("2026-11-25T23:30:00Z");
    expect(formatDate(lateUtc, "Europe/Paris")).toBe("2026-11-26");
    expect(formatDate(lateUtc, "America/Chicago")).toBe("2026-11-25");
  });

  it("uses a 24-hour clock with midnight as 00", () => {
    expect(formatDateTime(new Date("2026-06-01T05:00:00Z"), "America/Chicago")).toBe("2026-06-01 00:00");
  });
});
