import { describe, expect, it } from "vitest";
import { csvField, fileSafe, fileStamp, formatZonedTime, toCsv } from "./export-format";

describe("csvField (RFC 4180)", () => {
  it("leaves plain text unquoted", () => {
    expect(csvField("SV-3001")).toBe("SV-3001");
    expect(csvField(12)).toBe("12");
    expect(csvField(null)).toBe("");
  });
  it("quotes commas, quotes and line breaks, doubling inner quotes", () => {
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('6" bolt')).toBe('"6"" bolt"');
    expect(csvField("line1\nline2")).toBe('"line1\nline2"');
    expect(csvField("cr\r")).toBe('"cr\r"');
  });
});

describe("toCsv", () => {
  it("ends every record with CRLF and keeps empty rows as empty lines", () => {
    expect(toCsv([["a", "b,c"], [], ['x"y', null]])).toBe('a,"b,c"\r\n\r\n"x""y",\r\n');
  });
});

describe("formatZonedTime", () => {
  it("shows the wall time in the site zone with its abbreviation and name", () => {
    expect(formatZonedTime(new Date("2026-11-25T16:42:07Z"), "America/Chicago")).toBe("2026-11-25 10:42:07 CST (America/Chicago)");
    expect(formatZonedTime(new Date("2026-07-01T12:00:00Z"), "America/Chicago")).toBe("2026-07-01 07:00:00 CDT (America/Chicago)");
  });
  it("makes file-safe stamps and names", () => {
    expect(fileStamp(new Date("2026-11-25T16:42:07Z"), "America/Chicago")).toBe("20261125-1042");
    expect(fileSafe("SN 1/2")).toBe("SN_1_2");
  });
});

describe("csvField against spreadsheet formula injection", () => {
  it("neutralises cells a spreadsheet would run, keeps numbers", () => {
    expect(csvField("=HYPERLINK(\"http://x\")")).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField("+1+2")).toBe("'+1+2");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("-cmd")).toBe("'-cmd");
    expect(csvField("-0.25")).toBe("-0.25");
    expect(csvField("ACT-1001")).toBe("ACT-1001");
  });
});
