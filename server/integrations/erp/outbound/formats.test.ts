import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { CONFIRMATION_TYPES, isMappedType } from "./confirmation-types";
import { CONFIRMATION_EXAMPLES } from "./examples.test-helper";
import { encodeBatch, encodeOne, FORMAT_CONTENT_TYPES, isSupportedFormat, OUTBOUND_FORMATS, pulledDocument, unmappableReason } from "./formats";

// The format registry, and the guard that keeps it complete: every confirmation type the floor writes into the outbox
// must be mapped explicitly for the SAP and B2MML formats (a new type fails here, not silently at the ERP).

const ROOT = process.cwd();

/** Every non-test .ts file under these folders. */
function sources(...dirs: string[]): string[] {
  return dirs.flatMap((dir) =>
    readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.includes("test-helper"))
      .map((f) => path.join(dir, f)),
  );
}

/**
 * The confirmation types written by the code: the `type` of each enqueueConfirmation call and of each install's
 * `confirmation` (installSteps). A call whose type is not a string literal is reported as such, so it cannot slip by.
 */
function enqueuedTypes(): { types: Map<string, string[]>; unreadable: string[]; calls: number } {
  const types = new Map<string, string[]>();
  const unreadable: string[] = [];
  let calls = 0;
  for (const file of sources("server/services", "server/repos", "server/api", "app")) {
    const text = readFileSync(path.join(ROOT, file), "utf8");
    const sites = [...text.matchAll(/enqueueConfirmation\(\s*tx\s*,|\bconfirmation:\s*\{\s*messageId:(?!\s*string\b)/g)];
    for (const site of sites) {
      calls++;
      const line = text.slice(0, site.index).split("\n").length;
      const window = text.slice(site.index, site.index + 600);
      const m = /\btype:\s*(?:"([a-z_]+)"|([^,}\s]+))/.exec(window);
      if (!m?.[1]) {
        unreadable.push(`${file}:${line} (${m ? `type: ${m[2]}` : "no type"})`);
        continue;
      }
      types.set(m[1], [...(types.get(m[1]) ?? []), `${file}:${line}`]);
    }
  }
  return { types, unreadable, calls };
}

describe("confirmation types", () => {
  it("every type the floor enqueues is mapped for the SAP and B2MML formats", () => {
    const { types, unreadable, calls } = enqueuedTypes();
    // the scan finds the station's confirmations (install, backflush, completion, confirmation, removal, scrap)
    expect(calls).toBeGreaterThanOrEqual(7);
    expect(unreadable, "enqueue sites whose type is not a string literal: give it as a literal, or teach this scan").toEqual([]);
    const unmapped = [...types].filter(([type]) => !isMappedType(type)).map(([type, where]) => `${type} (${where.join(", ")})`);
    expect(unmapped, "map these in server/integrations/erp/outbound/confirmation-types.ts (SAP and B2MML)").toEqual([]);
    for (const type of ["consumption", "reversal", "scrap", "completion", "confirmation"]) expect(types.has(type), type).toBe(true);
  });

  it("the examples cover every mapped type", () => {
    expect([...new Set(Object.values(CONFIRMATION_EXAMPLES).map((c) => c.type))].sort()).toEqual(Object.keys(CONFIRMATION_TYPES).sort());
  });

  it("an unknown type is refused by every format but json, with the reason", () => {
    const unknown = { ...CONFIRMATION_EXAMPLES.consumption, type: "teleport" };
    for (const format of ["sap", "b2mml"] as const) {
      expect(() => encodeBatch(format, [unknown])).toThrow(/type "teleport" cannot be encoded: the type is not one of/);
      expect(unmappableReason(format, unknown)).toMatch(/teleport/);
      expect(pulledDocument(format, unknown)).toEqual({ documentError: expect.stringMatching(/teleport/) });
    }
    // Traceline's own JSON carries the payload as it is
    expect(unmappableReason("json", unknown)).toBeNull();
  });
});

describe("format registry", () => {
  it("offers json, b2mml and sap, each with its content type", () => {
    expect([...OUTBOUND_FORMATS]).toEqual(["json", "b2mml", "sap"]);
    for (const format of OUTBOUND_FORMATS) {
      expect(isSupportedFormat(format)).toBe(true);
      expect(encodeBatch(format, Object.values(CONFIRMATION_EXAMPLES)).contentType).toBe(FORMAT_CONTENT_TYPES[format]);
    }
    expect(FORMAT_CONTENT_TYPES).toEqual({ json: "application/json", b2mml: "application/xml", sap: "application/json" });
    expect(isSupportedFormat("xml")).toBe(false);
    expect(isSupportedFormat("idoc")).toBe(false);
  });

  it("a pulled document is the request body that would carry that confirmation alone", () => {
    const c = CONFIRMATION_EXAMPLES.completion;
    expect(pulledDocument("json", c)).toEqual({});
    for (const format of ["sap", "b2mml"] as const) {
      expect(pulledDocument(format, c)).toEqual({ document: encodeBatch(format, [c]).body });
      expect(encodeOne(format, c)).toBe(encodeBatch(format, [c]).body);
    }
  });
});
