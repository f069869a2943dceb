import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { useTestDatabase } from "@/db/testing/test-database";
import { createTestSite, type TestSite } from "@/db/testing/factories";
import { queryRows } from "@/db/client";
import { seedOwnershipDefaults } from "@/db/seed/ownership-defaults";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { createErpConnection } from "@/server/services/erp/connections";
import { skipGap } from "@/server/services/erp/ordered-queues";
import { setUnapprovedMaterialPolicy } from "@/server/services/erp/site-policy";

/*
 * Issue 14, defect class by defect class, through the HTTP route handlers (the exported functions, called with a
 * Request) on a real database: each case asserts the answer and what the database holds afterwards. Then a fuzz of
 * batches mixing valid and hostile messages: every message answered, each valid one applied exactly once.
 */
const t = useTestDatabase("empty");
let POST: (r: Request) => Promise<Response>;
let B2MML: (r: Request) => Promise<Response>;
let STATUS: (r: Request) => Promise<Response>;
let SCHEMA: (r: Request) => Promise<Response>;
let site: TestSite;
let keyA: string;
let keyB: string;
let admin: { userId: string; displayName: string; siteId: string };

const LEAKS = [/Failed query/i, /\binsert\s+into\b/i, /\bselect\s.+\sfrom\s/i, /SQLSTATE|violates|duplicate key|out of range for type/i, /\n\s+at\s+\S+/, /node_modules|\.tsx?:\d+/];
let n = 0;
const uid = (p: string) => `${p}-${Date.now().toString(36)}-${++n}-${randomUUID().slice(0, 6)}`;

beforeAll(async () => {
  process.env.DATABASE_URL = t.url;
  process.env.TRACELINE_DEMO = "0";
  ({ POST } = await import("./messages/route"));
  ({ POST: B2MML } = await import("./b2mml/route"));
  ({ GET: STATUS } = await import("./messages/[id]/route"));
  ({ GET: SCHEMA } = await import("./schema/route"));
  await seedOwnershipDefaults(t.db);
  site = await createTestSite(t.db, "P100");
  const other = await createTestSite(t.db);
  keyA = (await createErpConnection(t.db, { userId: null, displayName: "test" }, { name: "ERP A", source: "ERP-A", plants: { P100: "P100" } })).apiKey;
  keyB = (await createErpConnection(t.db, { userId: null, displayName: "test" }, { name: "ERP B", source: "ERP-B", plants: { P100: "P100", [other.code]: other.code } })).apiKey;
  const [user] = await queryRows<{ id: string }>(t.db, sql`insert into users (username, display_name, password_hash) values (${uid("admin")}, 'Admin', 'x') returning id`);
  admin = { userId: user!.id, displayName: "Admin", siteId: site.siteId };
  // the parts the issues name, and their AML
  const setup = await post(keyA, [part("SEAL-310", 1, "lot"), part("BOLT-12", 1, "untracked"), part("ACT-1", 1, "serial"), aml("SEAL-310", [["81349", "approved"], ["9WQ17", "disqualified"]])]);
  expect(setup.body.results.map((r: { status: string }) => r.status)).toEqual(["applied", "applied", "applied", "applied"]);
});

afterAll(async () => {
  const { getDatabase } = await import("@/db/app-database");
  await (await getDatabase()).close();
});

type Answer = { status: number; text: string; body: { results: { messageId: string; status: string; error?: { code: string; message: string; fields?: { field: string; reason: string }[] }; warnings?: string[]; versionFrom?: string; version?: number }[]; errors?: { field: string; reason: string; line?: number; column?: number; element?: string; rule?: string }[]; code?: string; error?: string; field?: string; [k: string]: unknown } };

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  for (const leak of LEAKS) expect(text, `leaks ${leak}`).not.toMatch(leak);
  expect(res.status, text.slice(0, 300)).not.toBe(500);
  expect(res.headers.get("x-correlation-id")).toMatch(/^[0-9a-f]{16}$/);
  return { status: res.status, text, body: text ? JSON.parse(text) : {} };
}

function request(path: string, key: string, body: BodyInit | null, headers: Record<string, string> = {}, method = "POST") {
  return new Request(`http://127.0.0.1/api/erp/v1/${path}`, { method, body, headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers } });
}
const post = async (key: string, batch: unknown, headers: Record<string, string> = {}) => answer(await POST(request("messages", key, JSON.stringify(batch), headers)));
const postXml = async (key: string, xml: string | Uint8Array, contentType = "application/xml") => answer(await B2MML(request("b2mml", key, xml as BodyInit, { "content-type": contentType })));
const status = async (key: string, messageId: string) => answer(await STATUS(request(`messages/${encodeURIComponent(messageId)}`, key, null, {}, "GET")));

const env = (type: string, key: string, version: number, payload: unknown, extra: Record<string, unknown> = {}) => ({
  messageId: uid(type),
  type,
  key,
  version,
  plant: "P100",
  occurredAt: "2026-11-20T08:00:00-06:00",
  payload,
  ...extra,
});
function part(pn: string, version = 1, tracking = "lot", extra: Record<string, unknown> = {}) {
  return env("part", pn, version, { partNumber: pn, description: `Part ${pn} v${version}`, uom: "EA", tracking, revisions: [{ revision: "A" }], ...extra });
}
function aml(pn: string, entries: [string, string][], version = 1) {
  return env("approved_manufacturers", pn, version, { partNumber: pn, manufacturers: entries.map(([code, status]) => ({ code, name: `Maker ${code}`, status })) });
}
function issue(doc: string, version: number, quantity: string, extra: Record<string, unknown> = {}) {
  return env("material_issue", doc, version, { partNumber: "SEAL-310", revision: "A", lotNumber: "L-4471", quantity, location: "STORES", manufacturer: "81349", inspectionStatus: "accepted", ...extra });
}

const rows = <T extends Record<string, unknown>,>(q: ReturnType<typeof sql>) => queryRows<T>(t.db, q);
const inboxOf = (messageId: string) => rows<{ status: string; source: string; error: { code: string } | null; conn: string }>(sql`select i.status::text, i.source, i.error, c.name as conn from erp_inbox i join erp_connections c on c.id = i.connection_id where i.message_id = ${messageId} order by i.id`);
const partRow = (pn: string) => rows<{ description: string; erp_version: string }>(sql`select description, erp_version::text from parts where part_number = ${pn}`);
const onHand = async (lot: string) => (await rows<{ q: string }>(sql`select coalesce(sum(b.on_hand), 0)::text as q from stock_balances b join lots l on l.site_id = b.site_id and l.id = b.lot_id where l.lot_number = ${lot} and b.is_physical`))[0]!.q;
// in posting order: a movement's legs are numbered as they are written (one transaction shares its recorded_at)
const movementsOf = async (doc: string) =>
  rows<{ kind: string }>(sql`select m.kind::text from movements m where m.reference->>'goodsIssue' = ${doc}
    order by (select min(l.id) from movement_legs l where l.site_id = m.site_id and l.movement_id = m.id)`);

describe("1. the connection, not the envelope, decides the source; message ids count per connection", () => {
  it("a key holder cannot pre-claim another connection's message ids, and a message of A names A's source", async () => {
    const id = uid("shared-id");
    const claim = { ...part(uid("PRE"), 1), messageId: id, source: "ERP-B" };
    const a = await post(keyA, [claim]);
    expect(a.body.results[0]).toMatchObject({ messageId: id, status: "rejected", error: { code: "MESSAGE_INVALID", fields: [{ field: "source" }] } });
    const real = { ...part(uid("REAL"), 1), messageId: id };
    const b = await post(keyB, [real]);
    expect(b.body.results[0]).toMatchObject({ messageId: id, status: "applied" });
    expect(await inboxOf(id)).toEqual([
      { status: "rejected", source: "ERP-A", error: expect.objectContaining({ code: "MESSAGE_INVALID" }), conn: "ERP A" },
      { status: "applied", source: "ERP-B", error: null, conn: "ERP B" },
    ]);
    // without a source, the connection's is used
    const plain = part(uid("NOSRC"), 1);
    expect((await post(keyA, [plain])).body.results[0]!.status).toBe("applied");
    expect((await inboxOf(plain.messageId))[0]).toMatchObject({ source: "ERP-A", status: "applied" });
  });
});

describe("2. every message of a batch answered on its own; a bad one never affects another; permanent errors are MESSAGE_INVALID with the field", () => {
  const DEEP = `${'{"d":'.repeat(5_000)}"leaf"${"}".repeat(5_000)}`;
  const bad: [string, (m: ReturnType<typeof part>) => unknown, string][] = [
    ["null", () => null, "message"],
    ["a number", () => 42, "message"],
    ["a list", () => [], "message"],
    ["a NUL in a string", (m) => ({ ...m, payload: { ...(m.payload as object), description: "a\u0000b" } }), "payload.description"],
    ["a lone surrogate", (m) => ({ ...m, payload: { ...(m.payload as object), description: "a\ud800b" } }), "payload.description"],
    ["nesting 5,000 deep", (m) => ({ ...m, payload: "__DEEP__" }), "payload.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d"],
    ["a string of 200,000 characters", (m) => ({ ...m, payload: { ...(m.payload as object), description: "x".repeat(200_000) } }), "payload.description"],
    ["shelf life above an int4", (m) => ({ ...m, payload: { ...(m.payload as object), shelfLifeDays: 2 ** 31 } }), "payload.shelfLifeDays"],
    ["a version of 1e400 (Infinity)", (m) => ({ ...m, version: "__INF__" }), "version"],
    ["a description over 200 characters", (m) => ({ ...m, payload: { ...(m.payload as object), description: "y".repeat(201) } }), "payload.description"],
    ["a zero-width space in the part number", (m) => ({ ...m, key: "ZW\u200B-1", payload: { ...(m.payload as object), partNumber: "ZW\u200B-1" } }), "key"],
    ["an occurredAt that does not exist", (m) => ({ ...m, occurredAt: "2026-02-30T08:00:00Z" }), "occurredAt"],
  ];
  it.each(bad)("%s: answered rejected on its own, kept, the messages around it applied", async (_name, make, field) => {
    const [before, after] = [part(uid("OK")), part(uid("OK"))];
    const hostile = make(part(uid("BAD")));
    const text = JSON.stringify([before, hostile, after]).replace('"__INF__"', "1e400").replace('"__DEEP__"', DEEP);
    const res = await answer(await POST(request("messages", keyA, text)));
    expect(res.status).toBe(200);
    expect(res.body.results.map((r) => r.status)).toEqual(["applied", "rejected", "applied"]);
    const refused = res.body.results[1]!;
    expect(refused.error!.code).toBe("MESSAGE_INVALID");
    if (field) expect(refused.error!.fields!.map((f) => f.field)).toContain(field);
    expect(await partRow((before.payload as { partNumber: string }).partNumber)).toHaveLength(1);
    expect(await partRow((after.payload as { partNumber: string }).partNumber)).toHaveLength(1);
    // kept for inspection (storable), under this connection, rejected
    const kept = await inboxOf(refused.messageId);
    expect(kept).toEqual([expect.objectContaining({ status: "rejected", conn: "ERP A" })]);
  });

  it("a value the database refuses (SQLSTATE class 22) is rejected at once as MESSAGE_INVALID, never a temporary failure retried into a dead letter", async () => {
    await t.ownerDb.execute(sql`create or replace function test_out_of_range() returns trigger language plpgsql as $$
      begin if new.part_number = 'RANGE-1' then raise exception 'value out of range' using errcode = '22003'; end if; return new; end $$`);
    await t.ownerDb.execute(sql`create trigger test_out_of_range before insert on parts for each row execute function test_out_of_range()`);
    try {
      const m = part("RANGE-1");
      const res = await post(keyA, [m, part(uid("FINE"))]);
      expect(res.body.results.map((r) => r.status)).toEqual(["rejected", "applied"]);
      expect(res.body.results[0]!.error).toMatchObject({ code: "MESSAGE_INVALID", fields: [{ field: "payload" }] });
      expect((await inboxOf(m.messageId))[0]).toMatchObject({ status: "rejected" });
      expect((await post(keyA, [m])).body.results[0]).toMatchObject({ status: "rejected", error: { code: "MESSAGE_INVALID" } });
    } finally {
      await t.ownerDb.execute(sql`drop trigger if exists test_out_of_range on parts`);
    }
  });
});

describe("3. a request that cannot be read at all gets a 4xx with a reason, and stores nothing", () => {
  const big = `[${JSON.stringify({ pad: "z".repeat(10 * 1024 * 1024) })}]`;
  const cases: [string, () => Request, number, string][] = [
    ["no Content-Type", () => new Request("http://127.0.0.1/api/erp/v1/messages", { method: "POST", body: "[]", headers: { authorization: `Bearer ${keyA}` } }), 415, "UNSUPPORTED_MEDIA_TYPE"],
    ["text/plain", () => request("messages", keyA, "[]", { "content-type": "text/plain" }), 415, "UNSUPPORTED_MEDIA_TYPE"],
    ["charset latin-1", () => request("messages", keyA, "[]", { "content-type": "application/json; charset=iso-8859-1" }), 415, "UNSUPPORTED_MEDIA_TYPE"],
    ["a body over 10 MB", () => request("messages", keyA, big), 413, "BODY_TOO_LARGE"],
    ["a Content-Length over 10 MB", () => request("messages", keyA, "[]", { "content-length": String(50 * 1024 * 1024) }), 413, "BODY_TOO_LARGE"],
    ["bytes that are not UTF-8", () => request("messages", keyA, new Uint8Array([0x5b, 0x22, 0xff, 0xfe, 0x22, 0x5d])), 400, "INVALID_ENCODING"],
    ["UTF-16 JSON", () => request("messages", keyA, Buffer.from("\ufeff[]", "utf16le")), 415, "UNSUPPORTED_MEDIA_TYPE"],
    ["1,001 messages", () => request("messages", keyA, JSON.stringify(Array.from({ length: 1001 }, () => ({})))), 413, "BATCH_TOO_LARGE"],
    ["a body that is an object without messages", () => request("messages", keyA, '{"x":1}'), 400, "MALFORMED_BATCH"],
  ];
  it.each(cases)("%s: %s %s", async (_name, make, code, name) => {
    const before = await rows<{ n: number }>(sql`select count(*)::int as n from erp_inbox`);
    const res = await answer(await POST(make()));
    expect(res.status).toBe(code);
    expect(res.body).toMatchObject({ code: name, error: expect.any(String), correlationId: expect.any(String) });
    expect(await rows<{ n: number }>(sql`select count(*)::int as n from erp_inbox`)).toEqual(before);
  });

  it("names every limit in the published schema (the same limits the answers name)", async () => {
    const res = await answer(await SCHEMA(new Request("http://127.0.0.1/api/erp/v1/schema")));
    expect(res.body.limits).toMatchObject({ maxBodyBytes: 10 * 1024 * 1024, maxMessagesPerBatch: 1000, maxWholeNumber: 2_147_483_647, maxStringLength: 100_000 });
    const partSchema = JSON.stringify((res.body.schemas as Record<string, unknown>).part);
    expect(partSchema).toContain('"maximum":2147483647');
    expect(partSchema).toContain('"maxLength":200');
  });
});

const DOC = (body: string, created = "2026-11-21T09:30:00-06:00", bodId = uid("BOD")) => `<?xml version="1.0" encoding="UTF-8"?>
<SyncMaterialDefinition xmlns="http://www.mesa.org/xml/B2MML" releaseID="7.0">
  <ApplicationArea><CreationDateTime>${created}</CreationDateTime><BODID>${bodId}</BODID></ApplicationArea>
  <DataArea>
    <Sync/>
${body}
  </DataArea>
</SyncMaterialDefinition>`;
const definition = (pn: string, extra = "", descriptions = `<Description>Part ${pn}</Description>`) => `    <MaterialDefinition>
      <ID>${pn}</ID>${descriptions}${extra}
      <HierarchyScope><EquipmentID>P100</EquipmentID><EquipmentLevel>Site</EquipmentLevel></HierarchyScope>
      <MaterialDefinitionProperty><ID>UnitOfMeasure</ID><Value><ValueString>EA</ValueString></Value></MaterialDefinitionProperty>
      <MaterialDefinitionProperty><ID>TrackingType</ID><Value><ValueString>lot</ValueString></Value></MaterialDefinitionProperty>
      <MaterialDefinitionProperty><ID>Revision</ID><Value><ValueString>A</ValueString></Value></MaterialDefinitionProperty>
    </MaterialDefinition>`;

describe("4. B2MML is validated against the V0700 schemas at run time", () => {
  it("a misspelled optional element refuses its element with the line, column, element and rule; the valid element beside it applies", async () => {
    const [good, bad] = [uid("XG"), uid("XB")];
    const xml = DOC(`${definition(good)}\n${definition(bad).replace("</ID>", "</ID><EffectivityEndDate>2027-01-01T00:00:00Z</EffectivityEndDate>")}`);
    const res = await postXml(keyA, xml);
    expect(res.status).toBe(200);
    expect(res.body.results.map((r) => r.status)).toEqual(["applied"]);
    const line = xml.split("\n").findIndex((l) => l.includes("EffectivityEndDate")) + 1;
    expect(res.body.errors).toEqual([
      expect.objectContaining({ field: "/SyncMaterialDefinition/DataArea/MaterialDefinition[2]/EffectivityEndDate", line, column: expect.any(Number), element: "EffectivityEndDate", rule: expect.stringContaining("This element is not expected") }),
    ]);
    expect(res.body.errors![0]!.column).toBeGreaterThan(1);
    expect(await partRow(good)).toHaveLength(1);
    expect(await partRow(bad)).toHaveLength(0);
  });

  it("an error outside every mapped element refuses the document 422 SCHEMA_INVALID, nothing applied", async () => {
    const pn = uid("XS");
    const res = await postXml(keyA, DOC(definition(pn)).replace("<BODID>", "<Unexpected>x</Unexpected><BODID>"));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: "SCHEMA_INVALID", errors: [expect.objectContaining({ element: "Unexpected", rule: expect.any(String) })] });
    expect(await partRow(pn)).toHaveLength(0);
  });

  it.each([
    ["UTF-16 with its byte order mark is read", (xml: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml.replace('encoding="UTF-8"', 'encoding="UTF-16"'), "utf16le")]), "application/xml", 200],
    ["a JSON media type is refused", (xml: string) => Buffer.from(xml), "application/json", 415],
    ["bytes that are not UTF-8 are refused", (xml: string) => Buffer.concat([Buffer.from(xml.slice(0, 60)), Buffer.from([0xc3, 0x28]), Buffer.from(xml.slice(60))]), "text/xml", 400],
  ] as const)("%s", async (_name, encode, contentType, code) => {
    const pn = uid("X16");
    const res = await postXml(keyA, new Uint8Array(encode(DOC(definition(pn)))), contentType);
    expect(res.status).toBe(code);
    expect(await partRow(pn)).toHaveLength(code === 200 ? 1 : 0);
  });
});

describe("5. versions without <Version>: the change stamp decides, and the answer says which was used", () => {
  it("a later document of the same object applies (not overtaken), an older one is overtaken; PublishedDate before CreationDateTime", async () => {
    const pn = uid("NV");
    const first = await postXml(keyA, DOC(definition(pn), "2026-11-21T09:30:00-06:00"));
    expect(first.body.results[0]).toMatchObject({ status: "applied", versionFrom: "CreationDateTime", version: Date.parse("2026-11-21T09:30:00-06:00") });
    const later = await postXml(keyA, DOC(definition(pn, "", "<Description>Second</Description>"), "2026-11-22T09:30:00-06:00"));
    expect(later.body.results[0]).toMatchObject({ status: "applied", versionFrom: "CreationDateTime" });
    const older = await postXml(keyA, DOC(definition(pn, "", "<Description>Stale</Description>"), "2026-11-20T09:30:00-06:00"));
    expect(older.body.results[0]).toMatchObject({ status: "overtaken" });
    const published = await postXml(keyA, DOC(definition(pn, "", "<Description>Published</Description><PublishedDate>2026-11-23T00:00:00Z</PublishedDate>"), "2026-11-19T00:00:00Z"));
    expect(published.body.results[0]).toMatchObject({ status: "applied", versionFrom: "PublishedDate", version: Date.parse("2026-11-23T00:00:00Z") });
    expect(await partRow(pn)).toEqual([{ description: "Published", erp_version: String(Date.parse("2026-11-23T00:00:00Z")) }]);
  });

  it("descriptions are taken in the installation's language", async () => {
    const pn = uid("LANG");
    await postXml(keyA, DOC(definition(pn, "", '<Description languageID="de">Dichtring</Description><Description languageID="en-US">Sealing ring</Description>')));
    expect((await partRow(pn))[0]!.description).toBe("Sealing ring");
  });
});

describe("6. goods issues: once per business key; a new version is a correction; retries re-stamped by middleware are duplicates", () => {
  it("resend under a new id, re-stamped retry, conflicting content, correction", async () => {
    const doc = uid("4900");
    const first = issue(doc, 1, "40");
    expect((await post(keyA, [first])).body.results[0]!.status).toBe("applied");
    const lotBefore = await onHand("L-4471");
    // the same document again under another message id: not booked again
    expect((await post(keyA, [{ ...first, messageId: uid("resend") }])).body.results[0]!.status).toBe("overtaken");
    // middleware re-stamped the retry: another occurredAt, a padded id, whitespace: the same message
    const retry = { ...first, messageId: `  ${first.messageId} `, occurredAt: "2026-11-21T10:00:00+01:00", payload: { ...(first.payload as object), location: " STORES " } };
    expect((await post(keyA, [retry])).body.results[0]).toMatchObject({ messageId: first.messageId, status: "duplicate" });
    // the same id with other business content is a conflict
    expect((await post(keyA, [{ ...first, payload: { ...(first.payload as object), quantity: "41" } }])).body.results[0]!.error!.code).toBe("MESSAGE_ID_CONFLICT");
    expect(await onHand("L-4471")).toBe(lotBefore);
    expect(await movementsOf(doc)).toEqual([{ kind: "receive_from_erp" }]);
    // version 2 of the same issue: 40 becomes 25 (reversal + new posting), never 65
    const correction = await post(keyA, [issue(doc, 2, "25")]);
    expect(correction.body.results[0]!.status).toBe("applied");
    expect(await movementsOf(doc)).toEqual([{ kind: "receive_from_erp" }, { kind: "erp_issue_reversal" }, { kind: "receive_from_erp" }]);
    expect(Number(await onHand("L-4471")) - Number(lotBefore)).toBe(-15);
    expect(await rows(sql`select version::int, quantity::text, corrections from erp_goods_issues where issue_key = ${doc}`)).toEqual([{ version: 2, quantity: "25.000000", corrections: 1 }]);
    expect(failedChecks(await runLedgerChecks(t.db))).toEqual([]);
  });

  it("a B2MML lot issued again under a new BODID is not booked twice", async () => {
    const lot = uid("LB");
    const lotDoc = (bod: string, created: string) => `<?xml version="1.0" encoding="UTF-8"?>
<SyncMaterialLot xmlns="http://www.mesa.org/xml/B2MML" releaseID="7.0">
  <ApplicationArea><CreationDateTime>${created}</CreationDateTime><BODID>${bod}</BODID></ApplicationArea>
  <DataArea><Sync/><MaterialLot><ID>${lot}</ID>
    <HierarchyScope><EquipmentID>P100</EquipmentID><EquipmentLevel>Site</EquipmentLevel></HierarchyScope>
    <MaterialDefinitionID>SEAL-310</MaterialDefinitionID>
    <MaterialLotProperty><ID>Revision</ID><Value><ValueString>A</ValueString></Value></MaterialLotProperty>
    <MaterialLotProperty><ID>Manufacturer</ID><Value><ValueString>81349</ValueString></Value></MaterialLotProperty>
    <MaterialLotProperty><ID>InspectionStatus</ID><Value><ValueString>accepted</ValueString></Value></MaterialLotProperty>
    <StorageLocation><Location>STORES</Location><LocationType>Operational Location ID</LocationType></StorageLocation>
    <Quantity><QuantityString>12</QuantityString><UnitOfMeasure>EA</UnitOfMeasure></Quantity>
  </MaterialLot></DataArea></SyncMaterialLot>`;
    const first = await postXml(keyA, lotDoc(uid("GI"), "2026-11-21T09:30:00-06:00"));
    expect(first.body.results[0]?.status, first.text).toBe("applied");
    const again = await postXml(keyA, lotDoc(uid("GI"), "2026-11-21T11:30:00-06:00"));
    expect(again.body.results[0]).toMatchObject({ status: "applied", warnings: [expect.stringContaining("nothing moved again")] });
    expect(await onHand(lot)).toBe("12.000000");
  });
});

describe("7. ordered objects: a late predecessor resumes its successors; an administrator skips a gap, audited; status by id", () => {
  const routing = (code: string, pn: string) => env("routing", code, 1, { code, partNumber: pn, revision: "A", operations: [{ seq: 10, code: "ASSY", description: "Assemble", workCenter: "WC1" }] });
  const order = (wo: string, v: number, payload: Record<string, unknown>) => env("production_order", wo, v, { number: wo, ...payload });

  it("successors dead-lettered for waiting too long apply when the predecessor arrives", async () => {
    const wo = uid("WO");
    await post(keyA, [routing(`R-${wo}`, "ACT-1")]);
    const change = order(wo, 2, { action: "change", dueDate: "2026-12-20" });
    const close = order(wo, 3, { action: "close" });
    expect((await post(keyA, [close, change])).body.results.map((r) => r.status)).toEqual(["held", "held"]);
    expect((await status(keyA, change.messageId)).body).toMatchObject({ status: "held", final: false });
    // 31 minutes pass: the next request dead-letters them
    await t.db.execute(sql`update erp_inbox set received_at = received_at - interval '31 minutes' where message_id in (${change.messageId}, ${close.messageId})`);
    await post(keyA, []);
    expect((await status(keyA, change.messageId)).body).toMatchObject({ status: "dead_letter", error: { code: "HELD_TOO_LONG" } });
    const release = order(wo, 1, { action: "release", partNumber: "ACT-1", revision: "A", routing: `R-${wo}`, quantity: 1, dueDate: "2026-12-10", serials: [uid("SN")] });
    expect((await post(keyA, [release])).body.results[0]!.status).toBe("applied");
    const view = await status(keyA, close.messageId);
    expect(view.body).toMatchObject({ status: "applied", final: true });
    expect(JSON.stringify(view.body.history)).toContain("resumed: version 2 arrived");
    expect(await rows(sql`select status::text, due_date::text from work_orders where number = ${wo}`)).toEqual([{ status: "closed", due_date: "2026-12-20" }]);
    // another connection does not see this connection's messages
    expect((await status(keyB, close.messageId)).status).toBe(404);
  });

  it("a refused version no longer blocks later ones forever: an administrator skips it with a reason (audited)", async () => {
    const wo = uid("WO");
    await post(keyA, [routing(`R-${wo}`, "ACT-1")]);
    const release = order(wo, 1, { action: "release", partNumber: "ACT-1", revision: "A", routing: `R-${wo}`, quantity: 1, dueDate: "2026-12-10", serials: [uid("SN")] });
    const badChange = order(wo, 2, { action: "change", serials: [] }); // would drop a unit on the floor: refused
    const close = order(wo, 3, { action: "close" });
    expect((await post(keyA, [release, badChange, close])).body.results.map((r) => r.status)).toEqual(["applied", "rejected", "held"]);
    const result = await skipGap(t.db, admin, { objectKey: wo, plant: "P100", reason: "ERP cancelled change 2" }, new Date());
    expect(result).toMatchObject({ skipped: { from: 2, to: 2 }, outcome: { messageId: close.messageId, status: "applied" }, appliedVersion: 3 });
    expect(await rows(sql`select status::text from work_orders where number = ${wo}`)).toEqual([{ status: "closed" }]);
    expect(await rows(sql`select action, reason from audit_log where entity_id = ${`production_order:P100:${wo}`}`)).toEqual([{ action: "erp_sequence_gap_skipped", reason: "ERP cancelled change 2" }]);
  });

  it("answers 404 for an unknown id", async () => {
    expect((await status(keyA, "never-sent")).status).toBe(404);
  });
});

describe("8. lot status, identifiers, unapproved manufacturers, snapshots", () => {
  it("a blocked lot is not usable stock: inspection rejected, with a warning (JSON stockStatus and B2MML Status)", async () => {
    const res = await post(keyA, [issue(uid("BLK"), 1, "5", { lotNumber: "L-BLK", stockStatus: "blocked" })]);
    expect(res.body.results[0]).toMatchObject({ status: "applied", warnings: [expect.stringContaining("blocked")] });
    expect(await rows(sql`select inspection_status::text from lots where lot_number = 'L-BLK'`)).toEqual([{ inspection_status: "rejected" }]);
    const q = await post(keyA, [issue(uid("QI"), 1, "5", { lotNumber: "L-QI", stockStatus: "quality_inspection" })]);
    expect(q.body.results[0]!.status).toBe("applied");
    expect(await rows(sql`select inspection_status::text from lots where lot_number = 'L-QI'`)).toEqual([{ inspection_status: "pending" }]);
  });

  it("identifiers are NFC-normalised: a decomposed part number is the same part, not a new one", async () => {
    const composed = `CAF\u00C9-${uid("N")}`;
    await post(keyA, [part(composed)]);
    const decomposed = composed.normalize("NFD");
    const res = await post(keyA, [part(decomposed, 2)]);
    expect(res.body.results[0]!.status).toBe("applied");
    expect(await rows(sql`select count(*)::int as n from parts where part_number in (${composed}, ${decomposed})`)).toEqual([{ n: 1 }]);
  });

  it("material from a disqualified manufacturer: a warning, or refused when the site says so", async () => {
    const warned = await post(keyA, [issue(uid("DQ"), 1, "1", { lotNumber: "L-DQ1", manufacturer: "9WQ17" })]);
    expect(warned.body.results[0]).toMatchObject({ status: "applied", warnings: [expect.stringContaining("disqualified")] });
    await setUnapprovedMaterialPolicy(t.db, admin, "refuse", "Quality directive 12", new Date());
    try {
      const refused = await post(keyA, [issue(uid("DQ"), 1, "1", { lotNumber: "L-DQ2", manufacturer: "9WQ17" })]);
      expect(refused.body.results[0]).toMatchObject({ status: "rejected", error: { code: "MESSAGE_INVALID", fields: [{ field: "payload.manufacturer" }] } });
      expect(await rows(sql`select count(*)::int as n from lots where lot_number = 'L-DQ2'`)).toEqual([{ n: 0 }]);
    } finally {
      await setUnapprovedMaterialPolicy(t.db, admin, "warn", "back to the default", new Date());
    }
  });

  it.each([
    ["an unknown part", { partNumber: "NOPE-1", revision: "A", quantity: "1" }, "payload.lines.0.partNumber"],
    ["a negative quantity", { partNumber: "BOLT-12", revision: "A", quantity: "-3" }, "payload.lines.0.quantity"],
    ["an unknown location", { partNumber: "BOLT-12", revision: "A", location: "MOON", quantity: "3" }, "payload.lines.0.location"],
    ["a lot-tracked part without its lot", { partNumber: "SEAL-310", revision: "A", quantity: "3" }, "payload.lines.0.lotNumber"],
  ])("a stock snapshot with %s is refused with the field, and not kept", async (_name, line, field) => {
    const key = uid("SNAP");
    const res = await post(keyA, [env("stock_snapshot", key, 1, { takenAt: "2026-11-20T00:00:00Z", lines: [line] })]);
    expect(res.body.results[0]).toMatchObject({ status: "rejected", error: { code: "MESSAGE_INVALID", fields: [{ field }] } });
    expect(await rows(sql`select count(*)::int as n from erp_stock_snapshots where snapshot_key = ${key}`)).toEqual([{ n: 0 }]);
  });
});

describe("9. fuzz: batches mixing valid and hostile messages", () => {
  const hostile = fc.oneof(
    fc.constantFrom<unknown>(null, 0, "x", [], {}, true),
    fc.record({ messageId: fc.string({ maxLength: 20 }), type: fc.constantFrom("part", "bom", "nope"), key: fc.string({ maxLength: 10 }), version: fc.oneof(fc.integer(), fc.double()), payload: fc.anything({ maxDepth: 3 }) }),
    fc.string({ unit: "binary", maxLength: 30 }).map((s) => ({ ...part("H"), messageId: uid("h"), payload: { partNumber: s, description: s, uom: "EA", tracking: "lot", revisions: [{ revision: "A" }] } })),
  );
  it("answers every message in order; each valid one is applied exactly once", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.constant("valid" as const), hostile), { minLength: 1, maxLength: 12 }), fc.boolean(), async (shape, resend) => {
        const batch = shape.map((s) => (s === "valid" ? part(uid("FZ")) : s));
        const res = await post(keyA, batch);
        expect(res.status).toBe(200);
        expect(res.body.results).toHaveLength(batch.length);
        for (const [i, s] of shape.entries()) {
          const r = res.body.results[i]!;
          if (s === "valid") {
            expect(r.status, JSON.stringify(r)).toBe("applied");
            const pn = (batch[i] as ReturnType<typeof part>).key;
            expect(await partRow(pn)).toHaveLength(1);
          } else {
            expect(["rejected", "applied", "duplicate", "overtaken"]).toContain(r.status);
            if (r.status === "rejected") expect(r.error!.code).not.toBe("TEMPORARY_FAILURE");
          }
        }
        if (resend) {
          const again = await post(keyA, batch);
          shape.forEach((s, i) => {
            if (s === "valid") expect(again.body.results[i]!.status).toBe("duplicate");
          });
        }
      }),
      { numRuns: 25, endOnFailure: true },
    );
  }, 120_000);
});
