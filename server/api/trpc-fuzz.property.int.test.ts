import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import fc from "fast-check";
import superjson from "superjson";
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { useTestDatabase } from "@/db/testing/test-database";
import { appRouter } from "@/server/api/root";
import { handleTrpcRequest } from "@/server/api/trpc-http";
import { resolveActor } from "@/server/auth/actor";
import { ROLES, type Actor } from "@/server/auth/types";
import { createUser, unique } from "@/server/auth/testing/users";

/**
 * Every tRPC procedure, enumerated from the app router, called over the wire format (server/api/trpc-http.ts: the
 * route's handler, superjson, the error formatter) by a signed-in actor with every role at a demo site, with hostile
 * input: NUL characters, lone surrogates, huge strings, deep nesting, wrong types, shaped after each procedure's own
 * input schema so that the hostile values reach every field, mixed with real ids of the demo plant so that calls go
 * past validation into the services and the database. No answer may be an INTERNAL_SERVER_ERROR (HTTP 500), and no
 * answer may carry SQL, parameters or a stack; every error answer carries a code, a message and a correlation id.
 */

const t = useTestDatabase("demo");
let actor: Actor;
let realIds: string[] = [];

type Zodish = { _zod: { def: Record<string, unknown> & { type: string } } };
type ProcedureDef = { _def: { type: "query" | "mutation" | "subscription"; inputs: unknown[] } };
const procedures = Object.entries((appRouter as unknown as { _def: { procedures: Record<string, ProcedureDef> } })._def.procedures);

beforeAll(async () => {
  const [site] = await queryRows<{ id: string }>(t.db, sql`select id from sites where code = 'WCH'`);
  const user = await createUser(t.db, { displayName: "Fuzz Everyrole", badgeId: unique("FUZZ"), pin: "2580", roles: ROLES.map((role) => ({ siteId: site!.id, role })) });
  actor = (await resolveActor(t.db, { userId: user.id, sessionVersion: 1, activeSiteId: site!.id }))!;
  for (const table of ["stations", "units", "work_orders", "kits", "kit_lines", "lots", "serial_items", "holds", "parts", "part_revisions", "storage_locations", "routings", "users", "sites"]) {
    const rows = await queryRows<{ id: string }>(t.db, sql.raw(`select id::text as id from ${table} order by id limit 8`));
    realIds.push(...rows.map((r) => r.id));
  }
  realIds = [...new Set(realIds)];
  // Failures are logged on purpose (and only logged): keep the test output readable, and count them.
  vi.spyOn(console, "error").mockImplementation(() => {});
});

afterAll(() => {
  vi.restoreAllMocks();
});

const HOSTILE_STRINGS = [
  "\u0000", "a\u0000b", "\uD800", "x\uDFFFy", "\uDC00\uD800", "'; drop table users; --", "%_\\", "\u202Eevil", "𝔘𝔫𝔦", "",
  " ", "1e309", "-0.0000001", "99999999999999999999.999999", "NaN", "../../etc/passwd", "<script>alert(1)</script>", "${7*7}",
];

const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) }, // any UTF-16 code unit: lone surrogates, NUL
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 2_001, max: 12_000 }).map((n) => "x".repeat(n)) }, // past every field limit
  { weight: 1, arbitrary: fc.constant("\u0000".repeat(50_000)) },
  { weight: 2, arbitrary: fc.uuid() },
);

function nest(depth: number, leaf: unknown, asArray: boolean): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
}

const hostileLeaf: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.bigInt(), fc.constant(Number.MAX_SAFE_INTEGER + 2), fc.constant(-0)) },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, true, false, new Date(Number.NaN), new Date(8.64e15)) },
  { weight: 1, arbitrary: fc.integer({ min: 33, max: 200 }).chain((d) => fc.boolean().map((a) => nest(d, "\u0000", a))) },
  { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 3 }), { minLength: 0, maxLength: 50 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, fc.constant(1), { maxKeys: 3 }) },
);

const idLike = () => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...(realIds.length ? realIds : ["00000000-0000-0000-0000-000000000000"])) }, { weight: 1, arbitrary: fc.uuid() });

/** Values shaped after a zod schema (so fields are reached), where any node may instead be a hostile leaf. */
function shaped(schema: unknown, depth = 0): fc.Arbitrary<unknown> {
  const def = (schema as Zodish | undefined)?._zod?.def;
  if (!def || depth > 6) return hostileLeaf;
  const inner = (s: unknown) => shaped(s, depth + 1);
  let arb: fc.Arbitrary<unknown>;
  switch (def.type) {
    case "default":
    case "prefault":
    case "optional":
    case "nullable":
    case "readonly":
    case "catch":
      return inner(def.innerType);
    case "pipe":
      return inner(def.in);
    case "object": {
      const shape = def.shape as Record<string, unknown>;
      arb = fc.record(Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, inner(v)])), { requiredKeys: [] });
      break;
    }
    case "array":
      arb = fc.array(inner(def.element), { maxLength: 3 });
      break;
    case "record":
      arb = fc.dictionary(hostileString, inner(def.valueType), { maxKeys: 3 });
      break;
    case "union":
      arb = fc.oneof(...(def.options as unknown[]).map(inner));
      break;
    case "enum":
      arb = fc.constantFrom(...Object.values(def.entries as Record<string, string>));
      break;
    case "literal":
      arb = fc.constantFrom(...(def.values as unknown[]));
      break;
    case "string":
      arb = fc.oneof(idLike(), hostileString, fc.string({ maxLength: 20 }));
      break;
    case "number":
      arb = fc.oneof(fc.integer({ min: -5, max: 1_000 }), fc.double());
      break;
    case "boolean":
      arb = fc.boolean();
      break;
    default:
      return hostileLeaf;
  }
  return fc.oneof({ weight: 4, arbitrary: arb }, { weight: 1, arbitrary: hostileLeaf });
}

/** What a browser sends for one call: GET ?input= for a query, a POST body for a mutation (superjson-encoded). */
/**
 * The wire form of an input: superjson's, as the client sends it. A generated object may carry an own "__proto__" (or
 * "constructor") key, which superjson refuses to serialise on the sending side; a hostile client can still send it, so it
 * goes as plain JSON in superjson's envelope.
 */
function wireOf(input: unknown): string {
  try {
    return JSON.stringify(superjson.serialize(input));
  } catch {
    return JSON.stringify({ json: input });
  }
}

function requestFor(path: string, type: string, input: unknown, raw: string | null): Request {
  const encoded = raw ?? wireOf(input);
  if (type === "query") return new Request(`http://127.0.0.1/api/trpc/${path}?input=${encodeURIComponent(encoded)}`, { method: "GET" });
  return new Request(`http://127.0.0.1/api/trpc/${path}`, { method: "POST", body: encoded, headers: { "content-type": "application/json" } });
}

/** Text that only a leak would put in an answer: SQL, parameters, driver messages, stack frames, file paths. */
const LEAKS = [
  /Failed query/i,
  /\bselect\s+[\w".*(),\s]+?\s+from\s+"?[a-z_]+/i,
  /\binsert\s+into\b/i,
  /\bupdate\s+"?[a-z_]+"?\s+set\b/i,
  /\bparams:/i,
  /SQLSTATE|syntax error at or near|violates .* constraint|duplicate key|invalid byte sequence|invalid input syntax|password_hash|pin_hash/i,
  /\n\s+at\s+\S+/,
  /node_modules|\.tsx?:\d+/,
];

async function call(path: string, type: string, input: unknown, raw: string | null = null) {
  const req = requestFor(path, type, input, raw);
  const correlationId = `fuzz${Math.random().toString(16).slice(2, 14)}`;
  const res = await handleTrpcRequest(req, correlationId, async () => ({ db: t.db, actor, clientKey: "fuzz-client", now: () => new Date(), correlationId }));
  const text = await res.text();
  return { status: res.status, text, correlationId };
}

function check(answer: { status: number; text: string; correlationId: string }, label: string) {
  expect(answer.status, `${label}: ${answer.text.slice(0, 300)}`).not.toBe(500);
  for (const leak of LEAKS) expect(answer.text, `${label} leaks ${leak}`).not.toMatch(leak);
  const body = JSON.parse(answer.text) as { error?: { json?: { message?: unknown; data?: { code?: unknown; correlationId?: unknown } } } };
  const error = body.error?.json;
  if (error) {
    expect(error.data?.code, label).not.toBe("INTERNAL_SERVER_ERROR");
    expect(typeof error.message, label).toBe("string");
    expect(typeof error.data?.code, label).toBe("string");
    expect(error.data?.correlationId, label).toBe(answer.correlationId);
  }
}

describe("every tRPC procedure under hostile input", () => {
  it("enumerates the whole router", () => {
    expect(procedures.length).toBeGreaterThanOrEqual(60);
  });

  it.each(procedures.map(([path, p]) => [path, p] as const))("%s answers hostile input without a 500 or a leak", async (path, procedure) => {
    const type = procedure._def.type;
    const schema = procedure._def.inputs[0];
    const input = fc.oneof({ weight: 6, arbitrary: shaped(schema) }, { weight: 2, arbitrary: hostileLeaf }, { weight: 1, arbitrary: fc.constant(undefined) });
    const rawWire = fc.oneof(
      fc.constantFrom('{"json":', "not json", '{"json":{"__proto__":{"x":1}}}', '{"json":"\\u0000"}', '{"json":"\\ud800"}', `{"json":${"[".repeat(5000)}${"]".repeat(5000)}}`),
      fc.string({ unit: "binary", maxLength: 30 }),
    );
    await fc.assert(
      fc.asyncProperty(input, async (value) => {
        check(await call(path, type, value), `${path}(${wireOf(value).slice(0, 200)})`);
      }),
      { numRuns: 20, endOnFailure: true },
    );
    await fc.assert(
      fc.asyncProperty(rawWire, async (raw) => {
        check(await call(path, type, undefined, raw), `${path} raw ${JSON.stringify(raw.slice(0, 80))}`);
      }),
      { numRuns: 4, endOnFailure: true },
    );
  });

  it("refuses NUL, lone surrogates and deep nesting as BAD_REQUEST naming the field, before the procedure runs", async () => {
    const cases: [string, unknown, string][] = [
      ["genealogy.search", { q: "AC\u0000" }, "q"],
      ["station.consumeComponent", { scan: "X\uD800" }, "scan"],
      ["kitting.findStationItem", { deep: nest(100, "x", true) }, `deep.${Array(31).fill("0").join(".")}`],
    ];
    for (const [path, input, field] of cases) {
      const procedure = procedures.find(([p]) => p === path)![1];
      const answer = await call(path, procedure._def.type, input);
      expect(answer.status, path).toBe(400);
      const error = (JSON.parse(answer.text) as { error: { json: { message: string; data: { code: string; field: string } } } }).error.json;
      expect(error.data).toMatchObject({ code: "BAD_REQUEST", field });
      expect(error.message).toContain(`"${field}"`);
    }
  });
});
