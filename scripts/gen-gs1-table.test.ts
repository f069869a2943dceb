import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_DICTIONARY, SOURCE_NAME, TABLE_FILE, parseDictionary, renderTable } from "./gen-gs1-table";

describe("scripts/gen-gs1-table.ts", () => {
  const dict = parseDictionary(readFileSync(DEFAULT_DICTIONARY, "utf8"));

  it("server/domain/scan/gs1-ai-table.ts is the current rendering of the syntax dictionary", () => {
    expect(readFileSync(TABLE_FILE, "utf8")).toBe(renderTable(dict, SOURCE_NAME));
  });

  it("reads the repository's vendored dictionary, and the table's header names it", () => {
    expect(path.relative(process.cwd(), DEFAULT_DICTIONARY).split(path.sep).join("/")).toBe(
      "server/domain/scan/gs1/gs1-syntax-dictionary.txt",
    );
    expect(readFileSync(TABLE_FILE, "utf8").split("\n")[1]).toBe("// Source: server/domain/scan/gs1/gs1-syntax-dictionary.txt");
  });

  it("reads the release, expands AI ranges and parses formats and attributes", () => {
    expect(dict.release).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const byAi = new Map(dict.entries.map((e) => [e.ai, e]));
    expect([...byAi.keys()].filter((ai) => ai.startsWith("310"))).toEqual(["3100", "3101", "3102", "3103", "3104", "3105"]);
    expect(byAi.get("95")?.components).toEqual([{ cset: "X", min: 1, max: 90, optional: false, linters: [] }]);
    expect(byAi.get("01")).toMatchObject({
      predefinedLength: true,
      dlDataAttribute: true,
      ex: ["255", "37"],
      dlPrimaryKey: [["22", "10", "21"], ["235"]],
    });
    expect(byAi.get("250")?.req).toEqual([[["01"], ["8006"]], [["21"]]]);
    expect(byAi.get("7004")?.req).toEqual([[["01", "10"]]]);
    expect(byAi.get("253")?.components).toEqual([
      { cset: "N", min: 13, max: 13, optional: false, linters: ["csum", "gcppos1"] },
      { cset: "X", min: 1, max: 17, optional: true, linters: [] },
    ]);
  });

  it("refuses a dictionary line it cannot read", () => {
    expect(() => parseDictionary("01  *?  Q14  # BAD\n")).toThrow(/line 1: unrecognised token "Q14"/);
    expect(() => parseDictionary("10  X..20\n10  X..20\n")).toThrow(/AI 10 defined twice/);
  });
});
