import { describe, expect, it } from "vitest";
import { checkAlert, dateCodeRangeDays, isoWeekDays, isoWeeksIn, parseDateCode, planSuspectAlertImport } from "./suspect-alerts";

describe("date codes (YYWW, ISO weeks)", () => {
  it.each([
    [2023, 1, "2023-01-02", "2023-01-08"],
    [2023, 18, "2023-05-01", "2023-05-07"],
    [2020, 53, "2020-12-28", "2021-01-03"],
    [2021, 1, "2021-01-04", "2021-01-10"],
  ])("week %i of %i runs Monday to Sunday", (year, week, first, last) => {
    expect(isoWeekDays(year, week)).toEqual({ first, last });
  });
  it("knows long years and refuses weeks that do not exist", () => {
    expect(isoWeeksIn(2020)).toBe(53);
    expect(isoWeeksIn(2023)).toBe(52);
    expect(parseDateCode("2053")).toEqual({ year: 2020, week: 53 });
    expect(parseDateCode("2353")).toEqual({ problem: "Date code 2353: 2023 has no week 53 (weeks 01 to 52)." });
    expect(parseDateCode("2300")).toHaveProperty("problem");
    expect(parseDateCode("23-1")).toHaveProperty("problem");
  });
  it("a range covers both end weeks whole", () => {
    expect(dateCodeRangeDays("2315", "2318")).toEqual({ firstDay: "2023-04-10", lastDay: "2023-05-07" });
  });
});

describe("checkAlert and the CSV plan", () => {
  it("normalises codes and blanks", () => {
    expect(checkAlert({ reference: " G-1 ", manufacturerCode: "5rt90", partNumber: "P-1", lotNumber: " ", dateCodeFrom: "", dateCodeTo: null, description: "x" }).criteria).toEqual({
      reference: "G-1",
      manufacturerCode: "5RT90",
      partNumber: "P-1",
      lotNumber: null,
      dateCodeFrom: null,
      dateCodeTo: null,
      description: "x",
    });
  });
  it("reports a missing column, a short line and a line listed twice", () => {
    expect(planSuspectAlertImport("reference,manufacturer,description\nA,B,C\n").problems).toEqual([
      { line: 1, column: "part_number", message: expect.stringMatching(/no "part_number" column/) },
    ]);
    const p = planSuspectAlertImport("reference,manufacturer,part_number,description\nA,M,P,d\nA,M,P\nA,M,P,again\n");
    expect(p.rows).toEqual([]);
    expect(p.problems).toEqual([
      { line: 3, column: null, message: "This line has 3 values; the header has 4." },
      { line: 4, column: null, message: "The same alert is also on line 2." },
    ]);
  });
});
