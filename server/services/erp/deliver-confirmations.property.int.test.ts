import { afterAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { useTestDatabase } from "@/db/testing/test-database";
import { createTestSite } from "@/db/testing/factories";
import { seededRandom } from "@/db/testing/race";
import { queryRows } from "@/db/client";
import { DEFAULT_RETRY_POLICY } from "@/server/domain/erp/outbound";
import { ReceivingErp, RECEIVER_FAULTS, type ReceiverFault } from "@/server/integrations/erp/receiver-sim";
import { updateOutboundSettings } from "@/server/repos/erp-outbound-settings";
import { createErpConnection } from "./connections";
import { deliverDueConfirmations, type DeliveryOptions } from "./deliver-confirmations";

// Invariant 9 and scenario 10 under every fault a link and an ERP produce: whatever happens to each push (an error
// before or after applying, a timeout after applying, a reset, slow answers, a burst of 5xx), once the outbox has
// drained the ERP has applied every confirmation exactly once, and each order's confirmations in the order recorded.
const t = useTestDatabase("empty", { max: 8 });
const SEED = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
const RUNS = Number(process.env.FC_RUNS ?? 4);
const erps: ReceivingErp[] = [];
afterAll(async () => {
  for (const e of erps) await e.close();
});

async function plantWithReceiver(erp: ReceivingErp, dedupe: boolean) {
  const site = await createTestSite(t.db);
  const url = await erp.listen();
  const { id } = await createErpConnection(t.db, { userId: null, displayName: "test" }, { name: `ERP ${site.code}`, source: `ERP-${site.code}`, plants: { [site.code]: site.code } });
  await t.db.transaction((tx) => updateOutboundSettings(tx, id, { mode: "push", format: "json", url, dedupes: dedupe, secret: null }));
  return site;
}

/** n confirmations over `orders` orders (and some stock outside orders), in one transaction per handful, like the floor. */
async function recordConfirmations(siteId: string, n: number, orders: number, random: () => number): Promise<void> {
  for (let i = 0; i < n; ) {
    const chunk = Math.min(n - i, 1 + Math.floor(random() * 5));
    const rows = Array.from({ length: chunk }, (_, k) => {
      const o = Math.floor(random() * (orders + 1));
      const order = o < orders ? `WO-${o}` : null;
      const payload = { movementType: random() < 0.8 ? "261" : "262", plant: "P", order, material: `PN-${o}`, revision: "A", batch: `L-${i + k}`, serial: null, quantity: "1", uom: "EA", postingDate: "2026-11-25", reference: `m${i + k}` };
      return sql`(${siteId}::uuid, ${randomUUID()}::uuid, 'consumption', ${JSON.stringify(payload)}::jsonb, ${order ? `order:${order}` : `item:PN-${o}|L-${i + k}|`})`;
    });
    await t.db.execute(sql`insert into erp_outbox (site_id, message_id, type, payload, ordering_key) values ${sql.join(rows, sql`, `)}`);
    i += chunk;
  }
}

function options(random: () => number): DeliveryOptions {
  return {
    owner: `test-${randomUUID().slice(0, 8)}`,
    leaseMs: 30_000,
    keys: 50,
    perKey: 8,
    timeoutMs: 250,
    // retries come quickly here; the backoff itself is tested in outbound.test.ts
    policy: { ...DEFAULT_RETRY_POLICY, baseMs: 1, capMs: 4, maxAttempts: 10_000 },
    installationSecret: "test-installation-secret-of-enough-length",
    random,
  };
}

/** Rounds until nothing is left to deliver (or a bound that would mean a stuck outbox). */
async function drain(siteId: string, o: DeliveryOptions): Promise<number> {
  for (let round = 1; round <= 2_000; round++) {
    await deliverDueConfirmations(t.db, () => new Date(), o);
    const [left] = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from erp_outbox where site_id = ${siteId}::uuid and status <> 'delivered'`);
    if (left!.n === 0) return round;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error("the outbox did not drain in 2,000 rounds");
}

async function expectExactlyOnceInOrder(erp: ReceivingErp, siteId: string) {
  const rows = await queryRows<{ message_id: string; ordering_key: string; status: string }>(
    t.db,
    sql`select message_id, ordering_key, status::text from erp_outbox where site_id = ${siteId}::uuid order by id`,
  );
  expect(rows.filter((r) => r.status !== "delivered")).toEqual([]);
  expect(erp.doubles()).toEqual([]);
  expect(rows.filter((r) => !erp.applied.has(r.message_id)).map((r) => r.message_id)).toEqual([]);
  expect(erp.applied.size).toBe(rows.length);
  // per ordering key, the ERP applied them in the order they were recorded
  const appliedOrder = new Map(erp.log.map((c, i) => [c.messageId, i]));
  const byKey = new Map<string, number[]>();
  for (const r of rows) byKey.set(r.ordering_key, [...(byKey.get(r.ordering_key) ?? []), appliedOrder.get(r.message_id)!]);
  for (const [key, positions] of byKey) expect(positions, `order of ${key}`).toEqual([...positions].sort((a, b) => a - b));
}

describe("confirmation delivery under faults (fast-check)", () => {
  it(`every confirmation applied exactly once and in order per order, whatever the faults (seed ${SEED}, ${RUNS} runs)`, async () => {
    console.log(`deliver-confirmations property: FC_SEED=${SEED} FC_RUNS=${RUNS} to replay`);
    let total = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          n: fc.integer({ min: 100, max: 300 }),
          orders: fc.integer({ min: 1, max: 25 }),
          faultRate: fc.double({ min: 0.05, max: 0.6, noNaN: true }),
          faults: fc.subarray([...RECEIVER_FAULTS] as ReceiverFault[], { minLength: 1 }),
          seed: fc.integer({ min: 1, max: 2 ** 30 }),
        }),
        async (p) => {
          // the same run against an ERP that recognises resent message ids, and one that applies them again
          for (const dedupe of [true, false]) {
            const random = seededRandom(p.seed);
            const erp = new ReceivingErp({ dedupe, faultRate: p.faultRate, faults: p.faults, random, holdMs: 400, slowMs: 30, burst: 4, token: null });
            erps.push(erp);
            const site = await plantWithReceiver(erp, dedupe);
            await recordConfirmations(site.siteId, p.n, p.orders, random);
            await drain(site.siteId, options(random));
            await expectExactlyOnceInOrder(erp, site.siteId);
            total += p.n;
            await erp.close();
          }
        },
      ),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    console.log(`deliver-confirmations property: ${total} confirmations delivered exactly once`);
  });

  it("an ERP that does not recognise resent ids is asked before anything ambiguous is sent again", async () => {
    const erp = new ReceivingErp({ dedupe: false, faultRate: 1, faults: ["error-after", "timeout-after", "reset-after"], random: seededRandom(7), holdMs: 400, slowMs: 0, burst: 0, token: null });
    erps.push(erp);
    const site = await plantWithReceiver(erp, false);
    await recordConfirmations(site.siteId, 40, 3, seededRandom(8));
    // every first push fails after applying; from then on the link is healthy
    const o = options(seededRandom(9));
    await deliverDueConfirmations(t.db, () => new Date(), o);
    erp.options.faultRate = 0;
    await drain(site.siteId, o);
    await expectExactlyOnceInOrder(erp, site.siteId);
    expect(erp.stats.statusQueries).toBeGreaterThan(0);
    const [queries] = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from erp_outbox_events where site_id = ${site.siteId}::uuid and kind = 'status_query'`);
    expect(queries!.n).toBe(erp.stats.statusQueries);
  });
});
