import { describe, expect, it } from "vitest";
import { translatorFor } from "@/i18n/server-translate";
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, planBadgeImport } from "@/server/domain/admin/badge-import";
import { badgeProblemText } from "./badge-problems";

/*
 * Every problem the badge import can report has its words in both languages: the English catalog says exactly what
 * the import says (so a reworded problem fails here), and French says it in French.
 */
const OPTS = { requiredPinLength: 4, allowedRoles: ["operator", "kitting_clerk"] };
const HEADER = "display_name,badge_id,pin,roles";

const files: [string, string][] = [
  ["too large", "x".repeat(MAX_IMPORT_BYTES + 1)],
  ["empty", ""],
  ["missing and unknown columns", "display_name,badge,pin,roles,shift,team\nAna,B1,4821,operator,1,2"],
  ["one unknown column", `${HEADER},shift\nAna,B1,4821,operator,1`],
  ["no rows", HEADER],
  ["too many rows", [HEADER, ...Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `P${i},B${i},4821,operator`)].join("\n")],
  ["row length, name, badge, PIN, roles", [HEADER, ",,12,", `${"n".repeat(101)},B 1,abcd,boss`, "Ann\u0001,B2,1111,boss;chief", "Bo,B3,4821,operator", "Cy,B3,4821,operator", "Di,B4,4821"].join("\n")],
  ["PIN rules", [HEADER, "Ed,B5,12,operator", "Fa,B6,1234567890123,operator"].join("\n")],
];

const problems = files.flatMap(([name, csv]) => planBadgeImport(csv, OPTS).problems.map((p) => [name, p.message] as [string, string]));
// what the service adds after the plan (server/services/admin/manage-users.ts)
problems.push(["badge taken", "Badge B1001 is already given to Maria Lopez."]);

describe("badge import problems in the reader's language", () => {
  it("the files above raise every kind of problem", () => {
    const keys = new Set(problems.map(([, m]) => badgeProblemText(m)?.key));
    expect(keys.size).toBeGreaterThanOrEqual(18);
  });

  it.each(problems)("%s: %s", (_, message) => {
    const text = badgeProblemText(message);
    expect(text).not.toBeNull();
    expect(translatorFor("en")(text!.key as never, text!.values as never)).toBe(message);
    const fr = translatorFor("fr")(text!.key as never, text!.values as never);
    expect(fr).not.toBe(message);
  });
});
