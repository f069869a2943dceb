import { describe, expect, it } from "vitest";
import { csvField, fileSafe, fileStamp, formatZonedTime, quantityText, toCsv } from "./export-format";

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
    expect(csvField("-0.25")).toBe("-0.25");
    expect(csvField("ACT-1001")).toBe("ACT-1001");
  });
  it.each([
    ["-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"],
    ["-SUM(A1:A9)", "'-SUM(A1:A9)"],
    ["-A1", "'-A1"],
    ["-1+2", "'-1+2"],
    ["--1", "'--1"],
    ["-=1", "'-=1"],
    ["\tx", "'\tx"],
  ])("neutralises %j (a minus followed by something formula-like)", (cell, out) => {
    expect(csvField(cell)).toBe(out);
  });
  it.each(["-", "-1.5", "-cmd", "- see note", "-A rev"])("leaves %j as written (data, not a formula)", (cell) => {
    expect(csvField(cell)).toBe(cell);
  });
});

describe("quantityText", () => {
  it.each([
    ["2.000000", "2"],
    ["0.250000", "0.25"],
    ["-1.500000", "-1.5"],
    ["10", "10"],
    ["0.000000", "0"],
    ["-0.000000", "0"],
    ["100.010000", "100.01"],
    ["n/a", "n/a"],
  ])("writes %j as %j", (stored, shown) => {
    expect(quantityText(stored)).toBe(shown);
  });
});
