import { afterAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { useTestDatabase } from "@/db/testing/test-database";
import { createTestSite } from "@/db/testing/factories";
import { seededRandom } from "@/db/testing/race";
import { queryRows } from "@/db/client";
import { confirmationOrderingKey, DEFAULT_RETRY_POLICY } from "@/server/domain/erp/outbound";
import { FORMAT_CONTENT_TYPES, OUTBOUND_FORMATS, type OutboundFormat } from "@/server/integrations/erp/outbound/formats";
import { b2mmlSchemaErrorsOf } from "@/server/integrations/erp/b2mml-schema.test-helper";
import { CONFIRMATION_EXAMPLES } from "@/server/integrations/erp/outbound/examples.test-helper";
import { ReceivingErp } from "@/server/integrations/erp/receiver-sim";
import { updateOutboundSettings } from "@/server/repos/erp-outbound-settings";
import { createErpConnection } from "./connections";
import { deliverDueConfirmations, type DeliveryOptions } from "./deliver-confirmations";

// Push delivery in every format, against the simulated receiving ERP (no faults): every confirmation of every type is
// applied exactly once, in order per ordering key, and the ERP reads back from each format the message ids and
// ordering keys its rules need (a refused message makes it skip the later ones of the same key in the same request).
const t = useTestDatabase("empty", { max: 4 });
const erps: ReceivingErp[] = [];
afterAll(async () => {
  for (const e of erps) await e.close();
});

async function plantReceivingIn(format: OutboundFormat) {
  const erp = new ReceivingErp({ dedupe: true, faultRate: 0, faults: [], random: seededRandom(1), holdMs: 0, slowMs: 0, burst: 0, token: null, keepRequests: true });
  erps.push(erp);
  const url = await erp.listen();
  const site = await createTestSite(t.db);
  const { id } = await createErpConnection(t.db, { userId: null, displayName: "test" }, { name: `ERP ${site.code}`, source: `ERP-${site.code}`, plants: { [site.code]: site.code } });
  await t.db.transaction((tx) => updateOutboundSettings(tx, id, { mode: "push", format, url, dedupes: true, secret: null }));
  return { erp, site };
}

type Row = { messageId: string; type: string; orderingKey: string };

/** Every example confirmation, `copies` times over as many orders (and lots), recorded in that order. */
async function recordEveryType(siteId: string, copies: number): Promise<Row[]> {
  const rows: Row[] = [];
  for (let k = 1; k <= copies; k++) {
    for (const example of Object.values(CONFIRMATION_EXAMPLES)) {
      const p = example.payload as { order?: string | null; builtOnOrder?: string; batch?: string | null; target?: { type: string; key: string } };
      const payload = {
        ...example.payload,
        ...(p.order ? { order: `${p.order}-${k}` } : {}),
        ...(p.builtOnOrder ? { builtOnOrder: `${p.builtOnOrder}-${k}` } : {}),
        ...(p.batch ? { batch: `${p.batch}-${k}` } : {}),
        // a lot's hold names the lot it holds
        ...(p.target?.type === "lot" ? { target: { ...p.target, key: `${p.target.key}-${k}` } } : {}),
      };
      rows.push({ messageId: randomUUID(), type: example.type, orderingKey: confirmationOrderingKey(payload as Parameters<typeof confirmationOrderingKey>[0]) });
      const last = rows.at(-1)!;
      await t.db.execute(
        sql`insert into erp_outbox (site_id, message_id, type, payload, ordering_key) values (${siteId}::uuid, ${last.messageId}::uuid, ${last.type}, ${JSON.stringify(payload)}::jsonb, ${last.orderingKey})`,
      );
    }
  }
  return rows;
}

/**
 * The delivery round's clock, one millisecond ahead: a confirmation recorded in the same millisecond as the round starts
 * is due (its next_attempt_at has PostgreSQL's microseconds, a JS Date only milliseconds; on a quiet machine the round
 * can start within that millisecond and leave the last one for the next round).
 */
const justAfterNow = () => new Date(Date.now() + 1);

function options(): DeliveryOptions {
  return {
    owner: `test-${randomUUID().slice(0, 8)}`,
    leaseMs: 30_000,
    keys: 100,
    perKey: 16,
    timeoutMs: 5_000,
    policy: { ...DEFAULT_RETRY_POLICY, baseMs: 1, capMs: 4 },
    installationSecret: "test-installation-secret-of-enough-length",
    random: seededRandom(2),
  };
}

async function statuses(siteId: string): Promise<Map<string, string>> {
  const rows = await queryRows<{ message_id: string; status: string }>(t.db, sql`select message_id, status::text from erp_outbox where site_id = ${siteId}::uuid`);
  return new Map(rows.map((r) => [r.message_id, r.status]));
}

describe.each(OUTBOUND_FORMATS.map((f) => [f]))("push delivery in the %s format", (format) => {
  it("applies every confirmation of every type exactly once, in order per key", async () => {
    const { erp, site } = await plantReceivingIn(format);
    const rows = await recordEveryType(site.siteId, 3);
    for (let round = 0; round < 20 && [...(await statuses(site.siteId)).values()].some((s) => s !== "delivered"); round++) {
      await deliverDueConfirmations(t.db, justAfterNow, options());
    }
    expect([...(await statuses(site.siteId)).entries()].filter(([, s]) => s !== "delivered")).toEqual([]);
    expect(erp.doubles()).toEqual([]);
    expect(erp.log).toHaveLength(rows.length);
    // what the ERP read from each request: the message ids, types and ordering keys, in the order recorded per key
    const read = new Map(erp.log.map((c, i) => [c.messageId, { c, i }]));
    for (const r of rows) {
      const got = read.get(r.messageId);
      expect(got, r.messageId).toBeDefined();
      expect({ format: got!.c.format, type: got!.c.type, orderingKey: got!.c.orderingKey, plant: got!.c.plant }).toEqual({ format, type: r.type, orderingKey: r.orderingKey, plant: site.code });
    }
    const byKey = new Map<string, number[]>();
    for (const r of rows) byKey.set(r.orderingKey, [...(byKey.get(r.orderingKey) ?? []), read.get(r.messageId)!.i]);
    expect(byKey.size).toBeGreaterThan(6);
    for (const [key, positions] of byKey) expect(positions, key).toEqual([...positions].sort((a, b) => a - b));
    // every request in the format's content type; every B2MML request valid against the V0700 schemas
    expect(erp.requests.length).toBeGreaterThan(0);
    expect(new Set(erp.requests.map((r) => r.contentType))).toEqual(new Set([FORMAT_CONTENT_TYPES[format]]));
    if (format === "b2mml") {
      const errors = await b2mmlSchemaErrorsOf(Object.fromEntries(erp.requests.map((r, i) => [`request ${i + 1}`, r.body])));
      expect(Object.entries(errors).filter(([, e]) => e.length > 0)).toEqual([]);
    }
  });

  it("a refused message stops the later ones of its ordering key in the same request, not the other keys", async () => {
    const { erp, site } = await plantReceivingIn(format);
    const rows = await recordEveryType(site.siteId, 2);
    const key = rows[0]!.orderingKey;
    const ofKey = rows.filter((r) => r.orderingKey === key);
    expect(ofKey.length).toBeGreaterThanOrEqual(3);
    // the second confirmation of the first order key is refused for good
    const refused = ofKey[1]!.messageId;
    erp.options.rejectIds = new Set([refused]);

    const report = await deliverDueConfirmations(t.db, justAfterNow, options());
    expect(report.claimed).toBe(rows.length);
    const status = await statuses(site.siteId);
    expect(status.get(ofKey[0]!.messageId)).toBe("delivered");
    expect(status.get(refused)).toBe("dead");
    for (const later of ofKey.slice(2)) {
      expect(erp.applied.has(later.messageId), later.messageId).toBe(false);
      expect(status.get(later.messageId)).not.toBe("delivered");
    }
    const others = rows.filter((r) => r.orderingKey !== key);
    expect(others.filter((r) => status.get(r.messageId) !== "delivered" || !erp.applied.has(r.messageId))).toEqual([]);
  });

  it("a confirmation the format cannot express becomes a dead letter with the reason; its order waits, the round goes on", async () => {
    const { erp, site } = await plantReceivingIn(format);
    const rows = await recordEveryType(site.siteId, 1);
    const key = rows[0]!.orderingKey;
    // an unknown type in the middle of the first key's confirmations
    const odd = randomUUID();
    await t.db.execute(
      sql`insert into erp_outbox (site_id, message_id, type, payload, ordering_key) values (${site.siteId}::uuid, ${odd}::uuid, 'teleport', '{"order":"X"}'::jsonb, ${key})`,
    );
    const after = randomUUID();
    await t.db.execute(
      sql`insert into erp_outbox (site_id, message_id, type, payload, ordering_key) select site_id, ${after}::uuid, type, payload, ordering_key from erp_outbox where message_id = ${rows[0]!.messageId}::uuid`,
    );
    await deliverDueConfirmations(t.db, justAfterNow, options());
    const status = await statuses(site.siteId);
    if (format === "json") {
      // Traceline's own JSON carries any type: nothing is dead
      expect(status.get(odd)).toBe("delivered");
      return;
    }
    expect(status.get(odd)).toBe("dead");
    const [row] = await queryRows<{ last_error: string }>(t.db, sql`select last_error from erp_outbox where message_id = ${odd}::uuid`);
    expect(row!.last_error).toMatch(new RegExp(`Cannot be written in the ${format} format`));
    expect(erp.applied.has(after)).toBe(false);
    expect(status.get(after)).toBe("pending");
    const others = rows.filter((r) => r.orderingKey !== key);
    expect(others.filter((r) => status.get(r.messageId) !== "delivered")).toEqual([]);
  });
});
