import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart } from "@/db/testing/factories";
import { issueToPointOfUse } from "@/db/testing/genealogy-fixtures";
import { createStationOrder, createStationPlant, onHandAt, operatorActor } from "@/db/testing/station-fixtures";
import { TEST_NOW } from "@/db/testing/clock";
import { DatabaseConnectionLost, queryRows } from "@/db/client";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { consumeComponent } from "./consume-component";

// An install whose database connection dies mid-transaction answers a retryable error promptly, and the operator's
// retry with the same request id takes effect exactly once (the pool of one connection recovers in between).
const t = useTestDatabase("empty", { max: 1 });

describe("an install whose connection is lost mid-transaction", () => {
  it("fails with DatabaseConnectionLost within seconds; the retry with the same request id installs once", async () => {
    const plant = await createStationPlant(t.db);
    const oil = await createTestPart(t.db, "lot", { uom: "L" });
    const order = await createStationOrder(t.db, plant, { number: "WO-FAULT-1", serials: ["U1"], bom: [{ find: 1, partRevisionId: oil.revisionId, qty: "1", op: 10 }] });
    const lot = await createTestLot(t.db, plant.siteId, oil.revisionId);
    await t.db.transaction((tx) => issueToPointOfUse(tx, plant, { partRevisionId: oil.revisionId, lotId: lot.id, serialItemId: null }, "3", TEST_NOW));
    const unitId = order.units[0]!.unitId;
    const cmd = { requestId: randomUUID(), stationId: plant.stationId, unitId, operationSeq: 10, item: { lotId: lot.id }, quantity: "1" };
    const op = operatorActor(plant);

    // another session holds the unit operation's row: the install blocks on its first statement, inside its transaction
    const other = postgres(t.url, { max: 1, onnotice: () => {} });
    const holder = await other.reserve();
    try {
      await holder`begin`;
      await holder`select id from unit_operations where unit_id = ${unitId} for update`;
      const started = Date.now();
      const install = consumeComponent(t.db, op, cmd, TEST_NOW).then(
        () => null,
        (e: unknown) => e,
      );
      // find the blocked backend and kill it, as a network drop or failover would
      let pid: number | undefined;
      for (let i = 0; i < 100 && pid === undefined; i++) {
        const rows = await holder<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`;
        pid = rows[0]?.pid;
        if (pid === undefined) await new Promise((r) => setTimeout(r, 20));
      }
      expect(pid).toBeDefined();
      await holder`select pg_terminate_backend(${pid!})`;
      const failure = await install;
      expect(failure).toBeInstanceOf(DatabaseConnectionLost);
      expect(Date.now() - started).toBeLessThan(5_000);
      await holder`rollback`;
    } finally {
      holder.release();
      await other.end();
    }

    // the retry, as the tablet sends it: same request id, same payload
    const first = await consumeComponent(t.db, op, cmd, TEST_NOW);
    const again = await consumeComponent(t.db, op, cmd, TEST_NOW);
    expect(again).toEqual(first);
    expect(await onHandAt(t.db, plant.siteId, plant.loc.point_of_use, { partRevisionId: oil.revisionId, lotId: lot.id })).toBe("2");
    const [moves] = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from movements where site_id = ${plant.siteId} and kind = 'consume'`);
    expect(moves!.n).toBe(1);
    expect(failedChecks(await runLedgerChecks(t.db))).toEqual([]);
  });
});
