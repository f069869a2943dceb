import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { erpFixture, message } from "@/db/testing/erp-fixture";
import { queryRows, type DbOrTx } from "@/db/client";
import type { Envelope } from "@/server/integrations/erp/messages";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { receiveErpMessages, type Connection } from "./receive-messages";

/**
 * Invariant 8 / scenario 9 as a property: any permutation of a message set, with duplicates, and with some messages
 * dropped and redelivered at the end, ends in the same state as applying each message once in order.
 * Cross-object references (components, routing, manufacturers) are loaded first: a message naming an unknown object is
 * rejected by design, and the ERP sends masters before the documents that use them. A work order's frozen BOM is not
 * master data: it is, by design, the BOM as it stood when the release arrived, so it is not compared. Half the runs
 * send part and BOM messages through the set-based batch path, half one by one: both must converge to the same state.
 *
 * Master data is idempotent by nature (applying a part twice leaves the same part), so it alone cannot show a double
 * application. The set therefore also carries messages whose effect is not: material issues (each posts a ledger
 * movement) and production-order releases and changes (units, sequence), and "re-sends" (the ERP sending the same
 * object version again under a new message id, as SAP does when an IDoc is reprocessed), which only the version guard
 * stops. Compared: the ledger (movements per message, balances per key) and the inbox outcome of every message.
 */
const t = useTestDatabase("empty");
const now = new Date("2026-11-25T15:00:00Z");
const RUNS = Number(process.env.FC_RUNS ?? 200);
const SEED = Number(process.env.FC_SEED ?? Date.now() % 2_147_483_647);

/**
 * One message of the set; `group` names the logical message (a re-send shares its original's group). `superseded`: an
 * older version of an object that carries full state, which is applied or overtaken depending on when it arrives.
 */
type Item = { env: Envelope; group: string; superseded?: true };

function messageSet(plant: string): Item[] {
  const part = (v: number, description: string) => message(plant, "part", "BRK-9", v, { partNumber: "BRK-9", description, uom: "EA", tracking: "lot", revisions: [{ revision: "A" }, ...(v >= 2 ? [{ revision: "B" }] : [])] });
  const line = (n: number, pn: string, qty: string) => ({ findNumber: n, partNumber: pn, revision: "A", quantity: qty, operationSeq: 10 });
  const bom = (v: number, lines: ReturnType<typeof line>[], segment?: { index: number; count: number }) =>
    message(plant, "bom", "ACT-9/A", v, { partNumber: "ACT-9", revision: "A", ...(segment ? { segment } : {}), lines });
  const aml = (v: number, status: "approved" | "disqualified") =>
    message(plant, "approved_manufacturers", "CMP-1", v, { partNumber: "CMP-1", manufacturers: [{ code: "1ABC2", name: "Maker", status }, { code: "3DEF4", name: "Other", status: "approved" }] });
  const order = (v: number, payload: Record<string, unknown>) => message(plant, "production_order", "WO-9", v, { number: "WO-9", ...payload });
  // Issues of one lot carry the same lot attributes: distinct documents have no order between them.
  const issue = (doc: string, pn: string, lot: string, quantity: string, location: string) =>
    message(plant, "material_issue", doc, 1, { partNumber: pn, revision: "A", lotNumber: lot, quantity, location, manufacturer: "5GHI6", inspectionStatus: "accepted", expiresAt: "2027-06-30T00:00:00Z" });
  const resend = (original: Envelope) => message(plant, original.type, original.key, original.version, original.payload);
  const originals: Envelope[] = [
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
    issue("GI-1", "CMP-1", "L-1", "10", "STORES"),
    issue("GI-2", "CMP-1", "L-1", "2.5", "STORES"),
    issue("GI-3", "CMP-2", "L-2", "4", "QUARANTINE"),
  ];
  const superseded = new Set([0, 1, 3, 4, 7]);
  const items: Item[] = originals.map((env, i) => ({ env, group: `m${i}`, ...(superseded.has(i) ? { superseded: true as const } : {}) }));
  // re-sends under new message ids: a material issue (a second movement if applied) and the order's release and change
  const resent = (i: number): Item => ({ env: resend(originals[i]!), group: `m${i}` });
  return [...items, resent(12), resent(9), resent(10)];
}

async function loadReferences(db: DbOrTx, connection: Connection, plant: string) {
  const part = (pn: string) => message(plant, "part", pn, 1, { partNumber: pn, description: pn, uom: "EA", tracking: "lot", revisions: [{ revision: "A" }] });
  const results = await receiveErpMessages(db, connection, [
    part("CMP-1"),
    part("CMP-2"),
    part("CMP-3"),
    part("ACT-9"),
    message(plant, "routing", "R-9", 1, { code: "R-9", partNumber: "ACT-9", revision: "A", operations: [{ seq: 10, code: "ASSY", description: "Assemble", workCenter: "WC1" }] }),
    // the manufacturer the material issues name (the set's own approved-manufacturer messages are versioned objects)
    message(plant, "approved_manufacturers", "CMP-3", 1, { partNumber: "CMP-3", manufacturers: [{ code: "5GHI6", name: "Lot maker", status: "approved" }] }),
  ], now);
  expect(results.every((r) => r.status === "applied")).toBe(true);
}

async function state(db: DbOrTx, connection: Connection, siteId: string, items: Item[]) {
  const q = (text: ReturnType<typeof sql>) => queryRows(db, text);
  const groupOf = new Map(items.map((i) => [i.env.messageId, i.group]));
  const supersededGroups = new Set(items.filter((i) => i.superseded).map((i) => i.group));
  const byGroup = <R,>(rows: R[], id: (r: R) => string, value: (r: R) => string) => {
    const out: Record<string, string[]> = {};
    for (const r of rows) {
      const g = groupOf.get(id(r));
      if (g) (out[g] ??= []).push(value(r));
    }
    for (const v of Object.values(out)) v.sort();
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
  };
  const inbox = await q(sql`select message_id, status::text as status from erp_inbox where connection_id = ${connection.id}`);
  const movements = await q(sql`select m.reference->>'erpMessageId' as message_id, count(l.*)::int as legs
                               from movements m join movement_legs l on l.site_id = m.site_id and l.movement_id = m.id
                               where m.site_id = ${siteId} group by m.site_id, m.id`);
  return {
    parts: await q(sql`select p.part_number, p.description, p.erp_version, array_agg(r.revision order by r.revision) as revisions
                      from parts p join part_revisions r on r.part_id = p.id group by p.id order by p.part_number`),
    bom: await q(sql`select l.find_number, cp.part_number, l.quantity::text, b.erp_version from bom_lines l join boms b on b.id = l.bom_id
                    join part_revisions cr on cr.id = l.component_revision_id join parts cp on cp.id = cr.part_id order by l.find_number`),
    aml: await q(sql`select p.part_number, m.code, a.status, a.erp_version from approved_manufacturers a join parts p on p.id = a.part_id
                    join manufacturers m on m.id = a.manufacturer_id order by p.part_number, m.code`),
    orders: await q(sql`select w.number, w.quantity, w.status, w.due_date::text, w.erp_version, array_agg(u.serial order by u.serial) as serials
                       from work_orders w join units u on u.site_id = w.site_id and u.work_order_id = w.id group by w.site_id, w.id order by w.number`),
    // every inbox outcome, per logical message (a re-send and its original: one applied, the other overtaken)
    inbox: byGroup(
      inbox as { message_id: string; status: string }[],
      (r) => r.message_id,
      (r) => (supersededGroups.has(groupOf.get(r.message_id)!) && (r.status === "applied" || r.status === "overtaken") ? "applied or overtaken" : r.status),
    ),
    // the ledger: movements (with their legs) per logical message, and every balance by its key
    movements: byGroup(movements as { message_id: string; legs: number }[], (r) => r.message_id, (r) => `movement of ${r.legs} legs`),
    balances: await q(sql`select sl.code as location, p.part_number, pr.revision, lt.lot_number, b.on_hand::text, b.reserved::text
                         from stock_balances b join storage_locations sl on sl.site_id = b.site_id and sl.id = b.location_id
                         join part_revisions pr on pr.id = b.part_revision_id join parts p on p.id = pr.part_id
                         left join lots lt on lt.site_id = b.site_id and lt.id = b.lot_id
                         where b.site_id = ${siteId} order by sl.code, p.part_number, lt.lot_number`),
    units: await q(sql`select (select count(*)::int from units where site_id = ${siteId}) as units,
                              (select count(*)::int from serial_items where site_id = ${siteId} and built_here) as built_serials`),
  };
}

describe("ERP inbound property", () => {
  it(`converges whatever the order, duplicates, re-sends and redeliveries (${RUNS} runs, seed ${SEED})`, async () => {
    console.log(`ERP property test: fc seed ${SEED}, ${RUNS} runs (FC_SEED / FC_RUNS to change)`);
    const expected = await inRollback(t.db, async (tx) => {
      const { connection, plant, site } = await erpFixture(tx);
      await loadReferences(tx, connection, plant);
      const set = messageSet(plant);
      for (const m of set) await receiveErpMessages(tx, connection, [m.env], now);
      return state(tx, connection, site.siteId, set);
    });
    // the reference state is the one intended, not merely whatever one delivery produced
    expect(JSON.stringify(expected.parts)).toContain("anodised");
    expect(expected.inbox).toMatchObject({ m9: ["applied", "overtaken"], m10: ["applied", "overtaken"], m11: ["applied"], m12: ["applied", "overtaken"], m13: ["applied"], m14: ["applied"] });
    expect(expected.movements).toEqual({ m12: ["movement of 2 legs"], m13: ["movement of 2 legs"], m14: ["movement of 2 legs"] });
    expect(expected.balances).toEqual([
      { location: "ERP_SUPPLY", part_number: "CMP-1", revision: "A", lot_number: "L-1", on_hand: "-12.500000", reserved: "0.000000" },
      { location: "ERP_SUPPLY", part_number: "CMP-2", revision: "A", lot_number: "L-2", on_hand: "-4.000000", reserved: "0.000000" },
      { location: "QUARANTINE", part_number: "CMP-2", revision: "A", lot_number: "L-2", on_hand: "4.000000", reserved: "0.000000" },
      { location: "STORES", part_number: "CMP-1", revision: "A", lot_number: "L-1", on_hand: "12.500000", reserved: "0.000000" },
    ]);
    expect(expected.units).toEqual([{ units: 3, built_serials: 3 }]);

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
          const { connection, plant, site } = await erpFixture(tx);
          await loadReferences(tx, connection, plant);
          const set = messageSet(plant);
          const dropSet = new Set(dropped);
          // first delivery: shuffled, some lost in transit, some sent twice
          const first = [...order.filter((i) => !dropSet.has(i)), ...duplicates].map((i) => set[i]!.env);
          // redelivery of what was lost (ERP retries), in reverse order to make it harder
          const sequence = [...first, ...[...dropSet].reverse().map((i) => set[i]!.env)];
          for (let i = 0; i < sequence.length; i += batchSize) await receiveErpMessages(tx, connection, sequence.slice(i, i + batchSize), now, { fastPathMinBatch: setBased ? 1 : 1_000 });
          expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
          return state(tx, connection, site.siteId, set);
        });
        expect(actual).toEqual(expected);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 300_000);
});
