import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { useTestDatabase } from "@/db/testing/test-database";
import { createTestSite, type TestSite } from "@/db/testing/factories";
import { queryRows } from "@/db/client";
import { createErpConnection } from "@/server/services/erp/connections";
import { updateOutboundSettings } from "@/server/repos/erp-outbound-settings";

// The pull side of confirmations through the route handlers, on a real database: a cursor never skips a confirmation
// committed late, reading a cursor again gives the same page, acknowledgements mark delivery once.
const t = useTestDatabase("empty");
let GET: (r: Request) => Promise<Response>;
let ACK: (r: Request) => Promise<Response>;
let site: TestSite;
let apiKey: string;
let pushKey: string;

beforeAll(async () => {
  process.env.DATABASE_URL = t.url;
  process.env.TRACELINE_DEMO = "0";
  ({ GET } = await import("./route"));
  ({ POST: ACK } = await import("./ack/route"));
  site = await createTestSite(t.db);
  const pull = await createErpConnection(t.db, { userId: null, displayName: "test" }, { name: "Puller", source: "MW", plants: { [site.code]: site.code } });
  await t.db.transaction((tx) => updateOutboundSettings(tx, pull.id, { mode: "pull", format: "json", url: null, dedupes: true }));
  apiKey = pull.apiKey;
  const other = await createTestSite(t.db);
  const push = await createErpConnection(t.db, { userId: null, displayName: "test" }, { name: "Pusher", source: "ERP2", plants: { [other.code]: other.code } });
  await t.db.transaction((tx) => updateOutboundSettings(tx, push.id, { mode: "push", format: "json", url: "http://127.0.0.1:9/x", dedupes: true }));
  pushKey = push.apiKey;
});

afterAll(async () => {
  const { getDatabase } = await import("@/db/app-database");
  await (await getDatabase()).close();
});

const insertSql = (messageId: string, order: string) =>
  `insert into erp_outbox (site_id, message_id, type, payload, ordering_key) values ('${site.siteId}', '${messageId}', 'consumption', '{"order":"${order}"}', 'order:${order}')`;

async function pull(after: string | null, key = apiKey, limit = 100) {
  const res = await GET(new Request(`http://x/api/erp/v1/confirmations?limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ""}`, { headers: { authorization: `Bearer ${key}` } }));
  return { status: res.status, body: (await res.json()) as { confirmations: { messageId: string; acknowledged: boolean }[]; next: string | null; more: boolean; code?: string; error?: string; correlationId?: string } };
}

async function ack(ids: unknown, key = apiKey) {
  const res = await ACK(new Request("http://x/api/erp/v1/confirmations/ack", { method: "POST", headers: { authorization: `Bearer ${key}` }, body: JSON.stringify({ messageIds: ids }) }));
  return { status: res.status, body: (await res.json()) as { acknowledged: string[]; already: string[]; unknown: string[]; code?: string } };
}

describe("GET /api/erp/v1/confirmations and POST .../ack", () => {
  it("a confirmation committed after a later one is not skipped by a cursor that moved past the later one", async () => {
    const before = await pull(null);
    const start = before.body.next;
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    await t.db.execute(sql.raw(insertSql(a, "WO-1")));
    // b's transaction starts first and stays open while c commits
    const slow = postgres(t.url, { max: 1, onnotice: () => {} });
    const held = await slow.reserve();
    try {
      await held`begin`;
      await held.unsafe(insertSql(b, "WO-2"));
      await t.db.execute(sql.raw(insertSql(c, "WO-3")));
      const first = await pull(start);
      expect(first.status).toBe(200);
      // b is not committed yet: the feed has a and c, and the cursor moves past c
      expect(first.body.confirmations.map((x) => x.messageId)).toEqual([a, c]);
      await held`commit`;
      // b committed late, with a smaller id than c: it comes after the cursor all the same
      const second = await pull(first.body.next);
      expect(second.body.confirmations.map((x) => x.messageId)).toEqual([b]);
      // the same cursor again: the same page
      expect((await pull(first.body.next)).body.confirmations.map((x) => x.messageId)).toEqual([b]);
      // nothing new after the last cursor: the cursor stays
      const third = await pull(second.body.next);
      expect(third.body).toMatchObject({ confirmations: [], next: second.body.next, more: false });
    } finally {
      held.release();
      await slow.end();
    }
  });

  it("pages with `more`, and acknowledgements mark delivery once (again: already; another site's or unknown: unknown)", async () => {
    const ids = Array.from({ length: 5 }, () => randomUUID());
    for (const id of ids) await t.db.execute(sql.raw(insertSql(id, "WO-9")));
    const all: string[] = [];
    let cursor: string | null = null;
    for (;;) {
      const page = await pull(cursor, apiKey, 2);
      all.push(...page.body.confirmations.map((x) => x.messageId));
      cursor = page.body.next;
      if (!page.body.more) break;
    }
    expect(all.slice(-5)).toEqual(ids);
    const stranger = randomUUID();
    const first = await ack([ids[0], ids[1], stranger]);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ acknowledged: [ids[0], ids[1]], already: [], unknown: [stranger] });
    expect((await ack([ids[0]])).body).toEqual({ acknowledged: [], already: [ids[0]], unknown: [] });
    const rows = await queryRows<{ message_id: string; status: string; delivered_at: Date | null }>(
      t.db,
      sql`select message_id, status::text, delivered_at from erp_outbox where message_id in (${ids[0]!}::uuid, ${ids[2]!}::uuid) order by id`,
    );
    expect(rows.map((r) => [r.status, r.delivered_at !== null])).toEqual([["delivered", true], ["pending", false]]);
    const [events] = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from erp_outbox_events e join erp_outbox o on o.site_id = e.site_id and o.id = e.outbox_id where o.message_id = ${ids[0]!}::uuid and e.kind = 'acknowledged'`);
    expect(events!.n).toBe(1);
    // the feed says which were acknowledged
    const again = await pull(null, apiKey, 100);
    expect(again.body.confirmations.find((x) => x.messageId === ids[0])?.acknowledged).toBe(true);
    expect(again.body.confirmations.find((x) => x.messageId === ids[2])?.acknowledged).toBe(false);
  });

  it.each([
    ["an unknown key", "tl_nope", null, 401, "UNAUTHENTICATED"],
    ["a cursor Traceline never gave", "pull", "bm90LWEtY3Vyc29y", 400, "VALIDATION_FAILED"],
  ])("refuses %s with a code and a message", async (_, which, after, status, code) => {
    const key = which === "push" ? pushKey : which === "pull" ? apiKey : which;
    const res = await pull(after, key);
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
    expect(res.body.error?.length).toBeGreaterThan(10);
    expect(res.body.correlationId).toBeTruthy();
  });

  it("a connection that receives by push may read the feed (to reconcile) but not acknowledge", async () => {
    expect((await pull(null, pushKey)).status).toBe(200);
    const res = await ack([randomUUID()], pushKey);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("VALIDATION_FAILED");
  });

  it.each([[[]], [["not-a-uuid"]], ["nope"]])("refuses acknowledgements of %j", async (ids) => {
    const res = await ack(ids);
    expect(res.status).toBe(400);
    expect(["VALIDATION_FAILED", "MALFORMED_JSON"]).toContain(res.body.code);
  });
});
