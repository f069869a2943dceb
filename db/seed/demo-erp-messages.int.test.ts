import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows, type Db, type DbOrTx } from "@/db/client";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { authenticateConnection } from "@/server/services/erp/connections";
import { receiveErpMessages } from "@/server/services/erp/receive-messages";
import { DEMO, loadDemoIds } from "./demo-plant";
import { DEMO_CHANGED_ORDER, DEMO_ERP_API_KEY, demoAnchorDay, demoErpMessages } from "./demo-erp-messages";
import { TEST_NOW } from "@/db/testing/clock";

const t = useTestDatabase("demo");
const DAY_MS = 86_400_000;

async function rows<T extends Record<string, unknown>>(db: DbOrTx, query: ReturnType<typeof sql>): Promise<T[]> {
  return queryRows<T>(db, query);
}

/** The `now` the demo template was seeded with (the seed's audit row), so the test rebuilds the very same message set. */
async function seededAt(db: DbOrTx): Promise<Date> {
  const [row] = await rows<{ at: Date }>(db, sql`select occurred_at as at from audit_log where action = 'seed demo plant'`);
  return new Date(row!.at);
}

describe("demo plant through the ERP interface", () => {
  it("arrived as ERP messages on the SAP demo connection, each applied, with the published key stored hashed", async () => {
    const connection = await authenticateConnection(t.db, `Bearer ${DEMO_ERP_API_KEY}`);
    const ids = await loadDemoIds(t.db);
    expect(connection).toMatchObject({ source: DEMO.erp.source, plantSites: { "1000": ids.site("WCH"), "2000": ids.site("TLS") } });
    const [stored] = await rows<{ name: string; key_hash: string }>(t.db, sql`select name, key_hash from erp_connections`);
    expect(stored!.name).toBe(DEMO.erp.connectionName);
    expect(stored!.key_hash).not.toContain(DEMO_ERP_API_KEY);
    expect(await rows(t.db, sql`select action from audit_log where action = 'erp_connection_created'`)).toHaveLength(1);

    const messages = demoErpMessages({ now: await seededAt(t.db) });
    const inbox = await rows<{ message_id: string; status: string; warnings: string[] }>(t.db, sql`select message_id, status::text, warnings from erp_inbox order by id`);
    expect(inbox.map((r) => r.message_id).sort()).toEqual(messages.map((m) => m.messageId).sort());
    expect([...new Set(inbox.map((r) => r.status))]).toEqual(["applied"]);
    // Every type ERP owns came this way, and a BOM in two segments.
    expect([...new Set(messages.map((m) => m.type))].sort()).toEqual(
      ["approved_manufacturers", "bom", "material_issue", "part", "production_order", "routing", "stock_snapshot", "supplier"],
    );
    expect(messages.filter((m) => m.type === "bom" && (m.payload as { segment?: unknown }).segment)).toHaveLength(2);
    expect(await rows(t.db, sql`select 1 from erp_stock_snapshots`)).toHaveLength(2);

    // The registry at work: ERP's out-time was ignored (warned), Traceline's own value is set.
    expect(inbox.find((r) => r.message_id.includes("-part-1000-PR-1422-B2-"))!.warnings).toEqual(["part.out_time_minutes is owned by Traceline: ignored"]);
    expect(await rows(t.db, sql`select out_time_minutes from parts where part_number = 'PR-1422-B2'`)).toEqual([{ out_time_minutes: 120 }]);

    // The changed order: released for three units, changed (version 2) to four with a later due date.
    const anchor = demoAnchorDay(await seededAt(t.db));
    const [order] = await rows<{ erp_version: number; quantity: number; due: string; units: number }>(
      t.db,
      sql`select w.erp_version::int as erp_version, w.quantity, w.due_date::text as due, (select count(*)::int from units u where u.work_order_id = w.id) as units
          from work_orders w where w.number = ${DEMO_CHANGED_ORDER.number}`,
    );
    expect(order).toEqual({ erp_version: 2, quantity: 4, due: new Date(anchor.getTime() + 24 * DAY_MS).toISOString().slice(0, 10), units: 4 });
  });

  it("answers a re-send as duplicate, and the next day's set as overtaken: stock is never issued twice", async () => {
    await inRollback(t.db, async (tx) => {
      const db = tx as unknown as Db;
      const connection = (await authenticateConnection(tx, `Bearer ${DEMO_ERP_API_KEY}`))!;
      const seeded = await seededAt(tx);
      const issued = async () => (await rows<{ n: number }>(tx, sql`select count(*)::int as n from movements where kind = 'receive_from_erp'`))[0]!.n;
      const before = await issued();
      expect(before).toBe(demoErpMessages({ now: seeded }).filter((m) => m.type === "material_issue").length);

      const again = await receiveErpMessages(db, connection, demoErpMessages({ now: seeded }), TEST_NOW);
      expect([...new Set(again.map((a) => a.status))]).toEqual(["duplicate"]);

      const tomorrow = new Date(seeded.getTime() + DAY_MS);
      const next = demoErpMessages({ now: tomorrow });
      const answers = await receiveErpMessages(db, connection, next, tomorrow);
      const byType = new Map<string, Set<string>>();
      next.forEach((m, i) => byType.set(m.type, (byType.get(m.type) ?? new Set()).add(answers[i]!.status)));
      for (const [type, statuses] of byType) expect([...statuses], type).toEqual([type === "stock_snapshot" ? "applied" : "overtaken"]);
      expect(await issued()).toBe(before);
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });
});
