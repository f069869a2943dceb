import { describe, expect, it } from "vitest";
import { checkIdentifier } from "./identifiers";

describe("checkIdentifier", () => {
  it.each([
    ["BKT-4410-07", "BKT-4410-07"],
    ["  BKT-4410-07 ", "BKT-4410-07"],
    ["PR-1422-B2 rev -", "PR-1422-B2 rev -"],
    // decomposed e + combining acute becomes the composed é (NFC)
    ["Cafe\u0301-1", "Café-1"],
    ["ВОЛГА-7", "ВОЛГА-7"], // Cyrillic with a letter (Л, Г) that has no Latin twin: a genuine Cyrillic code
    ["部品-12", "部品-12"],
  ])("accepts %j as %j", (input, value) => {
    expect(checkIdentifier(input)).toEqual({ ok: true, value });
  });

  it.each([
    ["zero-width space", "BKT\u200B-4410", /invisible/],
    ["zero-width joiner", "BKT-44\u200D10", /invisible/],
    ["soft hyphen", "BKT\u00AD4410", /invisible/],
    ["right-to-left override", "BKT-\u202E0144", /invisible/],
    ["byte order mark inside", "BKT\uFEFF-1", /invisible/],
    ["tab", "BKT\t4410", /invisible or control/],
    ["C1 control", "BKT\u00854410", /control/],
    ["variation selector", "BKT\uFE0F", /invisible/],
    ["private use", "BKT\uE000", /invisible/],
    ["no-break space", "BKT\u00A04410", /space other than the plain space/],
    ["ideographic space", "BKT\u30004410", /space/],
    ["fullwidth letters", "ＢＫＴ-4410", /send it as "BKT-4410"/],
    ["ligature", "ﬁlter-1", /send it as "filter-1"/],
    ["Cyrillic A among Latin letters", "BKT-4410-\u0410", /several scripts/],
    ["Greek omicron among Latin letters", "R\u039FD-1", /several scripts/],
    ["all-Cyrillic look-alike of a Latin code", "\u0412\u041A\u0422-4410", /look like Latin/],
  ])("refuses %s", (_name, input, reason) => {
    const r = checkIdentifier(input);
    expect(r.ok).toBe(false);
    expect(r.ok ? "" : r.reason).toMatch(reason);
  });
});
