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

describe("formatZonedTime against Intl for every instant", () => {
  const refs = new Map<string, Intl.DateTimeFormat>();
  const reference = (at: Date, timeZone: string) => {
    const p: Record<string, string> = {};
    const f = refs.get(timeZone) ?? new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZoneName: "short" });
    refs.set(timeZone, f);
    for (const x of f.formatToParts(at)) p[x.type] = x.value;
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${p.timeZoneName} (${timeZone})`;
  };
  it.each(["America/Chicago", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"])("agrees in %s, across DST changes, to the second", (zone) => {
    // every 1 h 0 min 13.7 s over two years (both DST changes of each year, odd seconds and milliseconds)
    for (let ms = Date.UTC(2025, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 3_613_700) {
      const at = new Date(ms);
      expect(formatZonedTime(at, zone)).toBe(reference(at, zone));
    }
    // the minutes around Chicago's and Berlin's changes of 2026, second by second at the edges
    for (const edge of [Date.UTC(2026, 2, 8, 8), Date.UTC(2026, 10, 1, 7), Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 9, 25, 1)]) {
      for (let ms = edge - 3000; ms <= edge + 3000; ms += 500) expect(formatZonedTime(new Date(ms), zone)).toBe(reference(new Date(ms), zone));
    }
  });
});
