import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { useTestDatabase } from "@/db/testing/test-database";
import { DEMO_ERP_API_KEY, demoErpMessages } from "@/db/seed/demo-erp-messages";
import { resolveActor } from "@/server/auth/actor";
import type { Actor } from "@/server/auth/types";
import { createUser, unique } from "@/server/auth/testing/users";

/**
 * The ERP endpoints and the genealogy exports, called as the real route handlers with hostile input (NUL characters,
 * lone surrogates, huge values, deep nesting, wrong types, malformed bodies), the ERP's input derived from the demo
 * plant's own messages with one value replaced, so that hostile values reach every field: no answer is a 500, none
 * carries SQL or a stack, every refusal carries a code, words and the correlation id that is also in X-Correlation-Id.
 */

const t = useTestDatabase("demo");
const saved = { ...process.env };
type Handler = (req: Request) => Promise<Response>;
let routes: { messages: Handler; b2mml: Handler; asBuilt: Handler; whereUsed: Handler };
let quality: Actor;
const ids: string[] = [];

beforeAll(async () => {
  process.env.DATABASE_URL = t.url;
  process.env.TRACELINE_DEMO = "0";
  const { asBuiltExport, whereUsedExport } = await import("@/app/api/genealogy/export-handlers");
  const [{ id: siteId }] = (await queryRows<{ id: string }>(t.db, sql`select id from sites where code = 'WCH'`)) as [{ id: string }];
  const user = await createUser(t.db, { displayName: "Quinn Quality", username: unique("q"), password: "quality pass", roles: [{ siteId, role: "quality_engineer" }] });
  quality = (await resolveActor(t.db, { userId: user.id, sessionVersion: 1, activeSiteId: siteId }))!;
  routes = {
    messages: (await import("@/app/api/erp/v1/messages/route")).POST,
    b2mml: (await import("@/app/api/erp/v1/b2mml/route")).POST,
    asBuilt: asBuiltExport(async () => quality),
    whereUsed: whereUsedExport(async () => quality),
  };
  for (const table of ["serial_items", "lots", "parts", "part_revisions", "manufacturers"]) {
    ids.push(...(await queryRows<{ id: string }>(t.db, sql.raw(`select id::text as id from ${table} order by id limit 6`))).map((r) => r.id));
  }
  vi.spyOn(console, "error").mockImplementation(() => {});
});

afterAll(async () => {
  vi.restoreAllMocks();
  const { getDatabase } = await import("@/db/app-database");
  await (await getDatabase()).close();
  process.env = saved;
});

const HOSTILE = ["\u0000", "a\u0000b", "\uD800", "x\uDFFF", "'; drop table lots; --", "%_\\", "𝔘𝔫𝔦", "", "1e309", "-1", "NaN", "<x>&amp;</x>"];
const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 120_000 }).map((n) => "y".repeat(n)) },
);
function nest(depth: number): unknown {
  let v: unknown = "\u0000";
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constant(1e308), fc.constant(-0)) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, [], {}) },
  { weight: 1, arbitrary: fc.integer({ min: 33, max: 200 }).map(nest) },
);

/** Every path to a value in a message, so one can be replaced. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}
function replaced(value: unknown, path: (string | number)[], by: unknown): unknown {
  if (path.length === 0) return by;
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[head!] = replaced(copy[head!], rest, by);
  return copy;
}

const demo = demoErpMessages({ now: new Date() });
const hostileMessage = fc
  .tuple(fc.nat({ max: demo.length - 1 }), fc.nat(), hostileValue, fc.uuid())
  .map(([i, p, by, id]) => {
    const message = { ...demo[i]!, messageId: `fuzz-${id}` };
    const all = paths(message).filter((x) => x.length > 0);
    return replaced(message, all[p % all.length]!, by);
  });

const LEAKS = [/Failed query/i, /\bselect\s+[\w".*(),\s]+?\s+from\s+"?[a-z_]+/i, /\binsert\s+into\b/i, /\bparams:/i, /SQLSTATE|syntax error at or near|violates .* constraint|invalid byte sequence|duplicate key/i, /\n\s+at\s+\S+/, /node_modules|\.tsx?:\d+/];

async function check(res: Response, label: string) {
  const text = await res.text();
  expect(res.status, `${label}: ${text.slice(0, 300)}`).not.toBe(500);
  for (const leak of LEAKS) expect(text, `${label} leaks ${leak}`).not.toMatch(leak);
  const correlationId = res.headers.get("x-correlation-id");
  expect(correlationId, label).toMatch(/^[0-9a-f]{16}$/);
  expect(res.headers.get("x-content-type-options"), label).toBe("nosniff");
  if (res.status >= 400) {
    if ((res.headers.get("content-type") ?? "").includes("json")) {
      const body = JSON.parse(text) as { code?: unknown; error?: unknown; correlationId?: unknown };
      expect(typeof body.code, label).toBe("string");
      expect(typeof body.error, label).toBe("string");
      expect(body.correlationId, label).toBe(correlationId);
    } else {
      expect(text, label).toContain(`Reference: ${correlationId}.`);
      expect(text, label).toMatch(/Code: [A-Z_]+\./);
    }
  }
  return text;
}

/** Percent-encoding as a client would send it, byte by byte (a lone surrogate goes as U+FFFD); raw bytes pass as they are. */
const RAW_ED_A0_80 = "\u0001raw:%ED%A0%80";
const RAW_NUL = "\u0001raw:%00";
function percentEncoded(s: string): string {
  if (s.startsWith("\u0001raw:")) return s.slice(5);
  return [...Buffer.from(s, "utf8")].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
}

const erp = (path: string, body: string, contentType = "application/json") =>
  new Request(`http://127.0.0.1/api/erp/v1/${path}`, { method: "POST", body, headers: { authorization: `Bearer ${DEMO_ERP_API_KEY}`, "content-type": contentType } });

describe("POST /api/erp/v1/messages under hostile input", () => {
  it("answers batches of demo messages with one hostile value each, and raw junk, without a 500 or a leak", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileMessage, { minLength: 1, maxLength: 3 }), fc.boolean(), async (batch, wrapped) => {
        await check(await routes.messages(erp("messages", JSON.stringify(wrapped ? { messages: batch } : batch))), JSON.stringify(batch).slice(0, 200));
      }),
      { numRuns: 60, endOnFailure: true },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: "binary", maxLength: 60 }), fc.constantFrom("[", "{}", "null", '"\\u0000"', "[\"\\ud800\"]", `${"[".repeat(10_000)}${"]".repeat(10_000)}`)), async (raw) => {
        await check(await routes.messages(erp("messages", raw)), JSON.stringify(raw.slice(0, 60)));
      }),
      { numRuns: 40, endOnFailure: true },
    );
  });

  it("answers a message with a NUL or a lone surrogate on its own (rejected, naming the field, kept storable); a raw NUL in the body is 400 and stores nothing", async () => {
    for (const [bad, field] of [
      ["P\u0000N", "payload.partNumber"],
      ["P\uD800", "payload.partNumber"],
    ] as const) {
      const message = { ...demo.find((m) => m.type === "part")!, messageId: unique("nul") };
      const good = { ...demo.find((m) => m.type === "part")!, messageId: unique("ok") };
      const body = [{ ...message, payload: { ...(message.payload as object), partNumber: bad } }, good];
      const res = await routes.messages(erp("messages", JSON.stringify(body)));
      const answer = JSON.parse(await check(res, field)) as { results: { status: string; error?: { code: string; fields: { field: string }[] } }[] };
      expect(res.status).toBe(200);
      expect(answer.results[0]).toMatchObject({ status: "rejected", error: { code: "MESSAGE_INVALID", fields: [{ field }] } });
      expect(answer.results[1]!.status).not.toBe("rejected");
      const [kept] = await queryRows<{ status: string; payload: string }>(t.db, sql`select status::text, payload::text from erp_inbox where message_id = ${message.messageId}`);
      expect(kept!.status).toBe("rejected");
      expect(kept!.payload).toContain("P\uFFFD"); // kept for inspection with the unstorable character replaced
    }
    const before = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from erp_inbox`);
    const raw = await routes.messages(erp("messages", "[\u0000]"));
    expect(raw.status).toBe(400);
    expect(JSON.parse(await raw.text())).toMatchObject({ code: "INVALID_INPUT", field: "body" });
    expect(await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from erp_inbox`)).toEqual(before);
  });

  it("answers an unknown key 401 with a code and a correlation id", async () => {
    const res = await routes.messages(new Request("http://127.0.0.1/api/erp/v1/messages", { method: "POST", body: "[]", headers: { authorization: "Bearer nope" } }));
    expect(res.status).toBe(401);
    expect(JSON.parse(await check(res, "401"))).toMatchObject({ code: "UNAUTHENTICATED", error: "Unknown or revoked API key." });
  });
});

describe("POST /api/erp/v1/b2mml under hostile input", () => {
  const doc = (value: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><SyncMaterialDefinition xmlns="http://www.mesa.org/xml/B2MML" releaseID="7.0"><DataArea><Sync/><MaterialDefinition><ID>${value}</ID><Description>${value}</Description><HierarchyScope><EquipmentID>${value}</EquipmentID><EquipmentLevel>Site</EquipmentLevel></HierarchyScope></MaterialDefinition></DataArea></SyncMaterialDefinition>`;
  it("answers documents with hostile values, raw junk and hostile ?plant= without a 500 or a leak", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileString.map(doc), fc.string({ unit: "binary", maxLength: 80 })), fc.option(fc.oneof(hostileString, fc.constantFrom(RAW_ED_A0_80, RAW_NUL))), async (body, plant) => {
        const query = plant === null ? "" : `?plant=${percentEncoded(plant)}`;
        await check(await routes.b2mml(erp(`b2mml${query}`, body, "application/xml")), JSON.stringify(body.slice(0, 80)));
      }),
      { numRuns: 60, endOnFailure: true },
    );
  });
});

describe("GET /api/genealogy/*/export under hostile parameters", () => {
  // Real ids of the demo plant (read in beforeAll, hence looked up when drawn), hostile strings and unknown ids.
  const param = fc.oneof(hostileString, fc.nat().map((i) => ids[i % ids.length] ?? "x"), fc.uuid());
  it("answers as-built exports without a 500 or a leak, refusals in words with their code and reference", async () => {
    await fc.assert(
      fc.asyncProperty(fc.option(param), fc.option(param), fc.option(fc.constantFrom("csv", "pdf", "\u0000", "xml")), async (item, at, format) => {
        const sp = new URLSearchParams();
        if (item !== null) sp.set("item", item);
        if (at !== null) sp.set("at", at);
        if (format !== null) sp.set("format", format);
        await check(await routes.asBuilt(new Request(`http://127.0.0.1/api/genealogy/as-built/export?${sp}`)), sp.toString().slice(0, 200));
      }),
      { numRuns: 50, endOnFailure: true },
    );
  });
  it("answers where-used exports without a 500 or a leak", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("lot", "serial", "part_revision", "part", "manufacturer", "supplier_lot", "\u0000", ""), fc.option(param), fc.option(param), async (kind, id, supplierLot) => {
        const sp = new URLSearchParams({ kind });
        if (id !== null) sp.set("id", id);
        if (supplierLot !== null) sp.set("supplierLot", supplierLot);
        await check(await routes.whereUsed(new Request(`http://127.0.0.1/api/genealogy/where-used/export?${sp}`)), sp.toString().slice(0, 200));
      }),
      { numRuns: 50, endOnFailure: true },
    );
  });
  it("refuses a NUL in a parameter as 400 naming it, in words with the reference", async () => {
    const res = await routes.whereUsed(new Request(`http://127.0.0.1/api/genealogy/where-used/export?kind=supplier_lot&supplierLot=${encodeURIComponent("L\u0000T")}`));
    expect(res.status).toBe(400);
    const text = await check(res, "nul");
    expect(text).toMatch(/^The field "query\.supplierLot" contains a NUL character/);
    expect(text).toContain("Code: INVALID_INPUT.");
  });
});
