import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { canonicalJson } from "@/server/domain/canonical-json/canonical-json";
import { holdSignedContent, type HoldRecord } from "@/server/domain/quality/signature";
import { b2mmlToEnvelopes } from "@/server/integrations/erp/b2mml";
import { payloadHash as erpPayloadHash } from "@/server/services/erp/message-hashes";
import { contentHash } from "@/server/services/quality/hash";
import { payloadHash as requestPayloadHash } from "./idempotent";

/*
 * Hashes already stored in databases must stay verifiable after the four canonical-JSON implementations became one
 * (server/domain/canonical-json): request_log.payload_hash (idempotency), signatures.content_hash, erp_inbox.payload_hash
 * and the B2MML message ids derived from content. Two checks: realistic stored payloads hash to the values the old code
 * computed (recorded from it before the change), and for every value such a column can have been computed from, the
 * new text equals each old implementation's text (frozen copies below, as they were before the change).
 */

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

// ---- the old implementations, verbatim (do not "fix" them: they are the reference for stored hashes) ----
/** Was `stableJson` in server/services/shared/idempotent.ts (request_log). */
function legacyStableJson(value: unknown): string {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(legacyStableJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${legacyStableJson(v)}`).join(",")}}`;
}
/** Was `canonicalJson` in server/services/erp/receive-messages.ts (erp_inbox): wrote an undefined property as null. */
function legacyErpJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(legacyErpJson).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${legacyErpJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
/** Was `canonicalJson` in server/integrations/erp/b2mml.ts (derived message ids). */
function legacyB2mmlJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(legacyB2mmlJson).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${legacyB2mmlJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
/** Was `canonicalContent` in server/domain/quality/signature.ts (signatures), without its refusals. */
function legacySignedJson(value: unknown): string {
  if (value === null) return "null";
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === "string" || typeof value === "boolean" || typeof value === "number") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => legacySignedJson(v)).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${legacySignedJson(obj[k])}`).join(",")}}`;
}

// ---- realistic stored inputs, and the hashes the old code gave them ----
/** ERP messages as a connection sends them (key order as on the wire, escapes, unicode, odd numbers). */
const ERP_WIRE = "[\n {\"type\":\"material_issue\",\"source\":\"SAP-PRD\",\"messageId\":\"GI-4900012345#1.material_issue\",\"key\":\"GI-4900012345#1.material_issue\",\"version\":1,\"plant\":\"1000\",\"occurredAt\":\"2026-11-20T08:00:00Z\",\n  \"payload\":{\"revision\":\"A\",\"partNumber\":\"BOLT-12\",\"lotNumber\":\"L-2026-0441\",\"quantity\":\"250.5\",\"uom\":\"EA\",\"location\":\"STORES\",\"manufacturer\":\"56878\",\"supplier\":\"V-100\",\"supplierLot\":\"SL-99\",\"expiresAt\":\"2027-06-30T00:00:00Z\",\"inspectionStatus\":\"accepted\",\"certificateRef\":\"CoC 77-1 \u00ab\u00dc\u00bb \\\"rev\\\" \\\\ tab\\t\"}},\n {\"source\":\"SAP-PRD\",\"messageId\":\"BOM-ACT-100-A-v7\",\"type\":\"bom\",\"key\":\"ACT-100/A\",\"version\":7,\"plant\":\"1000\",\"occurredAt\":\"2026-11-21T15:30:00.000Z\",\n  \"payload\":{\"partNumber\":\"ACT-100\",\"revision\":\"A\",\"lines\":[{\"findNumber\":10,\"partNumber\":\"BRK-9\",\"revision\":\"B\",\"quantity\":\"2\",\"operationSeq\":20,\"serialFrom\":\"ACT-1001\",\"serialTo\":null,\"effectiveFrom\":\"2026-12-01\",\"effectiveTo\":null,\"backflush\":false},{\"findNumber\":20,\"partNumber\":\"SCREW-4\",\"revision\":\"A\",\"quantity\":\"0.25\",\"operationSeq\":20,\"backflush\":true}]}},\n {\"source\":\"SAP-PRD\",\"messageId\":\"WO-4711-3\",\"type\":\"production_order\",\"key\":\"WO-4711\",\"version\":3,\"plant\":\"1000\",\"occurredAt\":\"2026-11-22T06:00:00+01:00\",\"payload\":{\"action\":\"change\",\"number\":\"WO-4711\",\"quantity\":3,\"serials\":[\"ACT-1001\",\"ACT-1002\",\"ACT-1003\"],\"dueDate\":\"2026-12-05\"}},\n {\"source\":\"SAP-PRD\",\"messageId\":\"weird\",\"type\":\"part\",\"key\":\"\u03a9\",\"version\":1.5,\"plant\":\"1000\",\"occurredAt\":\"x\",\"payload\":{\"\":0,\"a\":-0,\"b\":1e21,\"c\":1e-7,\"Z\":[],\"z\":{},\"\u00e9\":\"\\u2028\",\"\ud834\udd1e\":\"\\ud834\\udd1e\"}}\n]\n";
const ERP_HASHES = ["f2c7979f711386c33d6dc8cc3cfdf831d5c6964d3aeb33becfce208c35cbeb78", "4f43b284c26de72039656ea53a739536871b3ec5df52101699b6a9797035f4a8", "815893205d6b9fdeded3dc4a6b7737b8bc99e45a8eb9224df700bb14755aa4eb", "7256084390d7e0459740a0c542bf66bc352fed0e7a4c5dd8ed208d055b690a3e"];

const consume = {
  requestId: "7d3f0c52-3f0e-4a43-9d0f-2b1c4d5e6f70",
  stationId: "0b6e1a2c-1111-4c2d-8e3f-5a6b7c8d9e0f",
  unitId: "5c7d8e9f-2222-4a1b-9c3d-4e5f6a7b8c9d",
  operationSeq: 20,
  item: { scan: "]d2010950123456789017240630101A2B3C\u001d21X1" },
  quantity: "2.5",
  parameters: { torque: "12.5", temperature: "-4" },
};
const REQUESTS: [string, unknown, string][] = [
  ["station.consumeComponent", consume, "a26d7deb3a3a746cc81ebe2fb28bed741d800e30626b69eff7b9599359378c72"],
  [
    "station.consumeComponent",
    { ...consume, requestId: "7d3f0c52-3f0e-4a43-9d0f-2b1c4d5e6f71", operationSeq: 10, item: { serialItemId: "9a8b7c6d-3333-4e5f-8a9b-0c1d2e3f4a5b" }, quantity: undefined, parameters: undefined },
    "c2a8a2126cb3658262f25ccfdb136415db18b3a846141114bf150b5c3bc8f20a",
  ],
  [
    "kitting.pickToKit",
    {
      requestId: "c0ffee00-4444-4b5c-8d6e-7f8091a2b3c4",
      kitId: "1a2b3c4d-5555-4e6f-9a0b-1c2d3e4f5a6b",
      kitLineId: "2b3c4d5e-6666-4f7a-8b9c-0d1e2f3a4b5c",
      lotId: "3c4d5e6f-7777-4a8b-9c0d-1e2f3a4b5c6d",
      quantity: "40",
      allowExpiredOverride: false,
      lines: [{ a: 1 }, { b: [true, null, "x"] }],
    },
    "6f8c123ee3441443dd2a42dd0d11a2fa41e4880e4691f744391dca48fc80a031",
  ],
  ["quality.placeHold", { target: { kind: "lot", id: "3c4d5e6f-7777-4a8b-9c0d-1e2f3a4b5c6d" }, reason: "Supplier reported contamination — lot 4411 «quarantine»" }, "47e005633b0877540c1f4e53bd4d920fa265ec8b9dde17e99e8c6eb020fbe347"],
];

const hold: HoldRecord = {
  siteId: "8e9f0a1b-8888-4c2d-9e3f-4a5b6c7d8e9f",
  id: "4d5e6f7a-9999-4b8c-9d0e-1f2a3b4c5d6e",
  targetType: "lot",
  targetId: "3c4d5e6f-7777-4a8b-9c0d-1e2f3a4b5c6d",
  reason: "Supplier reported contamination — lot 4411",
  placedBy: "5e6f7a8b-aaaa-4c9d-8e0f-1a2b3c4d5e6f",
  placedAt: new Date("2026-11-25T16:42:07.123Z"),
  releasedBy: "6f7a8b9c-bbbb-4d0e-9f1a-2b3c4d5e6f7a",
  releasedAt: new Date("2026-11-26T09:05:00.000Z"),
  releaseReason: "Retest passed",
};

describe("hashes stored before canonical JSON became one function still verify", () => {
  const wire = (JSON.parse(ERP_WIRE) as unknown[]).map((m, i) => ({ m, i }));
  it.each(wire)("erp_inbox payload hash of wire message $i", ({ m, i }) => {
    expect(erpPayloadHash(m)).toBe(ERP_HASHES[i]);
    expect(erpPayloadHash(m)).toBe(sha256(legacyErpJson(m)));
  });

  it("erp_inbox payload hash of a body that is not JSON (kept as its text)", () => {
    expect(erpPayloadHash("{not json")).toBe("b0e323c410688c1decb1728a0a13819fba9d6740c5eaddcaf35d1f4c30ae87ae");
  });

  it("erp_inbox payload hash of a number beyond a double (read as Infinity) is what it was, not a crash", () => {
    const m = JSON.parse('{"source":"SAP","messageId":"x","payload":{"quantity":1e400,"list":[-1e400]}}') as unknown;
    expect(erpPayloadHash(m)).toBe(sha256(legacyErpJson(m)));
  });

  it.each(REQUESTS.map(([command, payload, hash]) => ({ command, payload, hash })))("request_log payload hash of $command", ({ command, payload, hash }) => {
    expect(requestPayloadHash(command, payload)).toBe(hash);
    expect(requestPayloadHash(command, payload)).toBe(createHash("sha256").update(command).update("\n").update(legacyStableJson(payload)).digest("hex"));
  });

  it.each([
    { meaning: "hold" as const, hash: "03f59122c7854d55fa67a7f126e0a13836c7baa55585ae4d400f770f6fbbbcf2" },
    { meaning: "release" as const, hash: "dace89ecb16bd6b7f16893152052698d3a318dc6b92e8dad29d0cbdb4dc451b9" },
  ])("signature content hash of a hold, signed with meaning $meaning", ({ meaning, hash }) => {
    const content = holdSignedContent(hold, meaning);
    expect(contentHash(content)).toBe(hash);
    expect(contentHash(content)).toBe(sha256(legacySignedJson(content)));
  });

  it("B2MML message ids derived from content (a document without BODID)", () => {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const xml = readFileSync(path.resolve(here, "../../integrations/erp/fixtures/material-lot-serials.xml"), "utf8");
    const { envelopes } = b2mmlToEnvelopes(xml, { source: "SAP-PRD", plant: "1000", receivedAt: new Date("2026-11-25T12:00:00Z") });
    expect(envelopes.map((e) => e.messageId)).toEqual(["b2mml-91f7bef996a99d15b97b69b0278877d05368bf123754b2bd7ed598e48a12ab0c", "b2mml-08e187136231eb714a126771d2f01d9a4857e49b9bd3564e7121f802c56afa27"]);
  });
});

describe("canonical JSON equals each old implementation on the values they hashed", () => {
  it("JSON values (everything a JSON body parses to): all four agree", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = canonicalJson(v);
        expect(text).toBe(legacyErpJson(v));
        expect(text).toBe(legacyStableJson(v));
        expect(text).toBe(legacyB2mmlJson(v));
        expect(text).toBe(legacySignedJson(v));
      }),
      { numRuns: 500 },
    );
  });

  it("command payloads with undefined members and dates: request_log, B2MML ids and signatures agree", () => {
    const leaf = fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.constant(undefined));
    fc.assert(
      fc.property(fc.anything({ values: [leaf], maxDepth: 3 }), (v) => {
        const text = canonicalJson(v);
        expect(text).toBe(legacyStableJson(v));
        expect(text).toBe(legacyB2mmlJson(v));
      }),
      { numRuns: 500 },
    );
    const signable = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.date({ noInvalidDate: true }));
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(signable, fc.constant(undefined), fc.array(signable))), (v) => {
        expect(canonicalJson(v)).toBe(legacySignedJson(v));
      }),
      { numRuns: 500 },
    );
  });

  it("the one difference: the old ERP text wrote an undefined property as null, which a JSON body cannot carry", () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(legacyErpJson({ a: undefined, b: 1 })).toBe('{"a":null,"b":1}');
    // what the ERP path hashes is parsed JSON (or B2MML envelopes, whose payload goes through a JSON round trip)
    expect(JSON.parse(JSON.stringify({ a: undefined, b: 1 }))).toEqual({ b: 1 });
  });
});
