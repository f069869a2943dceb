import { describe, expect, it } from "vitest";
import { parseCsv, planBadgeImport } from "./badge-import";

const ROLES = ["operator", "kitting_clerk", "quality_engineer", "supervisor", "admin"];
const plan = (text: string, requiredPinLength = 4) => planBadgeImport(text, { requiredPinLength, allowedRoles: ROLES });

describe("parseCsv", () => {
  it("reads quoted values with commas, doubled quotes and line breaks, CRLF, a BOM, and skips blank lines", () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, y","say ""hi"""\r\n\r\n"two\nlines",z\n')).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ["x, y", 'say "hi"'] },
      { line: 4, fields: ["two\nlines", "z"] },
    ]);
  });
  it("refuses an unclosed quote, naming the line", () => {
    expect(() => parseCsv('a,b\n"open,1\n')).toThrow(/Line 2: a quoted value is not closed/);
  });
});

describe("planBadgeImport", () => {
  it("accepts a valid file with the columns in any order, roles separated by ;", () => {
    const p = plan("badge_id,display_name,roles,pin\nB3001,Ana Ruiz,operator,4821\nB3002,\"Lee, Sam\",operator;kitting_clerk,90417\n");
    expect(p.problems).toEqual([]);
    expect(p.rows).toEqual([
      { line: 2, displayName: "Ana Ruiz", badgeId: "B3001", pin: "4821", roles: ["operator"] },
      { line: 3, displayName: "Lee, Sam", badgeId: "B3002", pin: "90417", roles: ["operator", "kitting_clerk"] },
    ]);
  });

  it.each([
    ["a missing column", "display_name,badge_id,pin\nA,B1,4821\n", { line: 1, column: "roles", message: expect.stringMatching(/no "roles" column/) }],
    ["an unknown column", "display_name,badge_id,pin,roles,shift\nA,B1,4821,operator,1\n", { line: 1, column: null, message: "Unknown column: shift." }],
    ["a short PIN", "display_name,badge_id,pin,roles\nA,B1,12,operator\n", { line: 2, column: "pin", message: "A PIN has at least 4 digits here." }],
    ["a PIN with letters", "display_name,badge_id,pin,roles\nA,B1,12a4,operator\n", { line: 2, column: "pin", message: "A PIN is digits only." }],
    ["a badge with a space", "display_name,badge_id,pin,roles\nA,B 1,4821,operator\n", { line: 2, column: "badge_id", message: expect.stringMatching(/no spaces/) }],
    ["an unknown role", "display_name,badge_id,pin,roles\nA,B1,4821,welder\n", { line: 2, column: "roles", message: expect.stringMatching(/^Unknown role: welder/) }],
    ["no role", "display_name,badge_id,pin,roles\nA,B1,4821,\n", { line: 2, column: "roles", message: expect.stringMatching(/at least one role/) }],
    ["no name", "display_name,badge_id,pin,roles\n,B1,4821,operator\n", { line: 2, column: "display_name", message: "The name is missing." }],
    ["a row with too many values", "display_name,badge_id,pin,roles\nA,B1,4821,operator,x\n", { line: 2, column: null, message: "This row has 5 values; the header has 4." }],
    ["an empty file", "", { line: 1, column: null, message: expect.stringMatching(/The file is empty/) }],
    ["a header without rows", "display_name,badge_id,pin,roles\n", { line: 2, column: null, message: "The file has a header but no rows." }],
  ])("reports %s with its line and column, and plans no row", (_what, text, problem) => {
    const p = plan(text);
    expect(p.problems).toContainEqual(problem);
    expect(p.rows).toEqual([]);
  });

  it("reports a badge twice in the file on the second line, and plans nothing even though other rows are fine", () => {
    const p = plan("display_name,badge_id,pin,roles\nA,B1,4821,operator\nB,B2,4822,operator\nC,B1,4823,operator\n");
    expect(p.problems).toEqual([{ line: 4, column: "badge_id", message: "Badge B1 is also on line 2." }]);
    expect(p.rows).toEqual([]);
  });

  it("applies the plant's PIN length", () => {
    expect(plan("display_name,badge_id,pin,roles\nA,B1,48217,operator\n", 6).problems).toEqual([{ line: 2, column: "pin", message: "A PIN has at least 6 digits here." }]);
  });
});
