import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { useTestDatabase } from "@/db/testing/test-database";
import { testTime } from "@/db/testing/clock";
import { insertStockSnapshot } from "@/server/repos/master-data";
import { latestSnapshot } from "@/server/repos/reconciliation";

/*
 * The reconciliation compares a snapshot's lines as rows (erp_stock_snapshot_lines), which the database writes from the
 * snapshot as ERP sent it: at arrival, and again when ERP resends the same snapshot key with other lines. The
 * application role reads them and cannot write them, so they cannot drift from what was received.
 */

const t = useTestDatabase("demo");

const lines = (db: Parameters<typeof queryRows>[0], snapshotId: string) =>
  queryRows<{ line_no: number; part_number: string; lot_number: string | null; location: string | null; quantity: string }>(
    db,
    sql`select line_no, part_number, lot_number, location, quantity::text as quantity from erp_stock_snapshot_lines
        where snapshot_id = ${snapshotId}::uuid order by line_no`,
  );

describe("ERP stock snapshot lines", () => {
  it("are the snapshot's lines in order, replaced when the same snapshot key is resent, and not writable by the application", async () => {
    const [site] = await queryRows<{ id: string }>(t.db, sql`select id from sites where code = 'WCH'`);
    const siteId = site!.id;
    await insertStockSnapshot(t.db, {
      siteId,
      snapshotKey: "LINES-1",
      takenAt: testTime(5000),
      lines: [
        { partNumber: "P-1", revision: "A", lotNumber: "L-1", location: "ST-01", quantity: "2.5" },
        { partNumber: "P-2", revision: "B", quantity: "0.0000015" },
      ],
    });
    const first = (await latestSnapshot(t.db, siteId))!;
    expect(first.key).toBe("LINES-1");
    expect(first.lines).toBe(2);
    expect(await lines(t.db, first.id)).toEqual([
      { line_no: 1, part_number: "P-1", lot_number: "L-1", location: "ST-01", quantity: "2.5" },
      { line_no: 2, part_number: "P-2", lot_number: null, location: null, quantity: "0.0000015" },
    ]);

    // ERP resends the key with one line: the rows follow
    await insertStockSnapshot(t.db, {
      siteId,
      snapshotKey: "LINES-1",
      takenAt: testTime(5000),
      lines: [{ partNumber: "P-3", revision: "A", serialNumber: "S-9", quantity: "1" }],
    });
    const second = (await latestSnapshot(t.db, siteId))!;
    expect(second.id).toBe(first.id);
    expect(second.lines).toBe(1);
    expect(await lines(t.db, first.id)).toEqual([{ line_no: 1, part_number: "P-3", lot_number: null, location: null, quantity: "1" }]);

    // the application role (t.db) may not write them: the rows stay as received
    for (const attempt of [
      sql`insert into erp_stock_snapshot_lines (site_id, snapshot_id, line_no, part_number, quantity) values (${siteId}::uuid, ${first.id}::uuid, 7, 'X', 1)`,
      sql`update erp_stock_snapshot_lines set quantity = 5 where snapshot_id = ${first.id}::uuid`,
      sql`delete from erp_stock_snapshot_lines where snapshot_id = ${first.id}::uuid`,
    ]) {
      const error = await t.db.execute(attempt).then(() => null, (e: unknown) => e as { cause?: { message?: string }; message?: string });
      expect(error, "the application role wrote a snapshot line").not.toBeNull();
      expect(String(error!.cause?.message ?? error!.message)).toMatch(/permission denied/);
    }
    expect(await lines(t.db, first.id)).toHaveLength(1);
  });
});
