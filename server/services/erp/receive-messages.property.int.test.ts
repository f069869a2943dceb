import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { erpFixture, message } from "@/db/testing/erp-fixture";
import { queryRows, type DbOrTx } from "@/db/client";
import type { Envelope } from "@/server/integrations/erp/messages";
import { receiveErpMessages, type Connection } from "./receive-messages";

/**
 * Invariant 8 / scenario 9 as a property: any permutation of a message set, with duplicates, and with some messages
 * dropped and redelivered at the end, ends in the same master data as applying each message once in order.
 * Cross-object references (components, routing) are loaded first: a message naming an unknown object is rejected by
 * design, and the ERP sends masters before the documents that use them. A work order's frozen BOM is not master data:
 * it is, by design, the BOM as it stood when the release arrived, so it is not compared. Half the runs send part and
 * BOM messages through the set-based batch path, half one by one: both must converge to the same state.
 */
const t = useTestDatabase("empty");
const now = new Date("2026-11-25T15:00:00Z");
const RUNS = Number(process.env.FC_RUNS ?? 200);
const SEED = Number(process.env.FC_SEED ?? Date.now() % 2_147_483_647);

function messageSet(plant: string): Envelope[] {
  const part = (v: number, description: string) => message(plant, "part", "BRK-9", v, { partNumber: "BRK-9", description, uom: "EA", tracking: "lot", revisions: [{ revision: "A" }, ...(v >= 2 ? [{ revision: "B" }] : [])] });
  const line = (n: number, pn: string, qty: string) => ({ findNumber: n, partNumber: pn, revision: "A", quantity: qty, operationSeq: 10 });
  const bom = (v: number, lines: ReturnType<typeof line>[], segment?: { index: number; count: number }) =>
    message(plant, "bom", "ACT-9/A", v, { partNumber: "ACT-9", revision: "A", ...(segment ? { segment } : {}), lines });
  const aml = (v: number, status: "approved" | "disqualified") =>
    message(plant, "approved_manufacturers", "CMP-1", v, { partNumber: "CMP-1", manufacturers: [{ code: "1ABC2", name: "Maker", status }, { code: "3DEF4", name: "Other", status: "approved" }] });
  const order = (v: number, payload: Record<string, unknown>) => message(plant, "production_order", "WO-9", v, { number: "WO-9", ...payload });
  return [
    part(1, "Bracket"),
    part(2, "Bracket, machined"),
    part(3, "Bracket, machined, anodised"),
    bom(1, [line(1, "CMP-1", "2")]),
    bom(2, [line(1, "CMP-1", "2"), line(2, "CMP-2", "0.5")]),
    bom(3, [line(1, "CMP-1", "3")], { index: 1, count: 2 }),
    bom(3, [line(2, "CMP-2", "0.25"), line(3, "CMP-3", "1")], { index: 2, count: 2 }),
    aml(1, "approved"),
    aml(2, "disqualified"),
    order(1, { action: "release", partNumber: "ACT-9", revision: "A", quantity: 2, dueDate: "2026-12-01", serials: ["A1", "A2"] }),
    order(2, { action: "change", dueDate: "2026-12-05", quantity: 3, serials: ["A1", "A2", "A3"] }),
    order(3, { action: "close" }),
  ];
}

async function loadReferences(db: DbOrTx, connection: Connection, plant: string) {
  const part = (pn: string) => message(plant, "part", pn, 1, { partNumber: pn, description: pn, uom: "EA", tracking: "lot", revisions: [{ revision: "A" }] });
  const results = await receiveErpMessages(db, connection, [
    part("CMP-1"),
    part("CMP-2"),
    part("CMP-3"),
    part("ACT-9"),
    message(plant, "routing", "R-9", 1, { code: "R-9", partNumber: "ACT-9", revision: "A", operations: [{ seq: 10, code: "ASSY", description: "Assemble", workCenter: "WC1" }] }),
  ], now);
  expect(results.every((r) => r.status === "applied")).toBe(true);
}

async function masterData(db: DbOrTx): Promise<unknown> {
  const q = (text: ReturnType<typeof sql>) => queryRows(db, text);
  return {
    parts: await q(sql`select p.part_number, p.description, p.erp_version, array_agg(r.revision order by r.revision) as revisions
                      from parts p join part_revisions r on r.part_id = p.id group by p.id order by p.part_number`),
    bom: await q(sql`select l.find_number, cp.part_number, l.quantity::text, b.erp_version from bom_lines l join boms b on b.id = l.bom_id
                    join part_revisions cr on cr.id = l.component_revision_id join parts cp on cp.id = cr.part_id order by l.find_number`),
    aml: await q(sql`select p.part_number, m.code, a.status, a.erp_version from approved_manufacturers a join parts p on p.id = a.part_id
                    join manufacturers m on m.id = a.manufacturer_id order by m.code`),
    orders: await q(sql`select w.number, w.quantity, w.status, w.due_date::text, w.erp_version, array_agg(u.serial order by u.serial) as serials
                       from work_orders w join units u on u.site_id = w.site_id and u.work_order_id = w.id group by w.site_id, w.id order by w.number`),
  };
}

describe("ERP inbound property", () => {
  it(`converges whatever the order, duplicates and redeliveries (${RUNS} runs, seed ${SEED})`, async () => {
    console.log(`ERP property test: fc seed ${SEED}, ${RUNS} runs (FC_SEED / FC_RUNS to change)`);
    const expected = await inRollback(t.db, async (tx) => {
      const { connection, plant } = await erpFixture(tx);
      await loadReferences(tx, connection, plant);
      for (const m of messageSet(plant)) await receiveErpMessages(tx, connection, [m], now);
      return masterData(tx);
    });
    expect(JSON.stringify(expected)).toContain("anodised");

    const n = messageSet("X").length;
    const scenario = fc.record({
      order: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
      duplicates: fc.array(fc.nat({ max: n - 1 }), { maxLength: 6 }),
      dropped: fc.uniqueArray(fc.nat({ max: n - 1 }), { maxLength: 4 }),
      batchSize: fc.integer({ min: 1, max: 14 }),
      setBased: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ order, duplicates, dropped, batchSize, setBased }) => {
        const actual = await inRollback(t.db, async (tx) => {
          const { connection, plant } = await erpFixture(tx);
          await loadReferences(tx, connection, plant);
          const set = messageSet(plant);
          const dropSet = new Set(dropped);
          // first delivery: shuffled, some lost in transit, some sent twice
          const first = [...order.filter((i) => !dropSet.has(i)), ...duplicates].map((i) => set[i]!);
          // redelivery of what was lost (ERP retries), in reverse order to make it harder
          const sequence = [...first, ...[...dropSet].reverse().map((i) => set[i]!)];
          for (let i = 0; i < sequence.length; i += batchSize) await receiveErpMessages(tx, connection, sequence.slice(i, i + batchSize), now, { fastPathMinBatch: setBased ? 1 : 1_000 });
          return masterData(tx);
        });
        expect(actual).toEqual(expected);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 300_000);
});
