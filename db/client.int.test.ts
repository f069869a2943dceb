import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { acquireEmbeddedLock, openDatabase, queryRows } from "./client";
import { seedDemoPlant } from "./seed/demo-plant";
import { failedChecks, runLedgerChecks } from "../server/repos/ledger-checks";
import { postMovement } from "../server/repos/ledger";
import { consumeComponent } from "../server/services/station/consume-component";
import type { Actor } from "../server/auth/types";
import { createTestLot, createTestPart, createTestUser } from "./testing/factories";
import { createStationOrder } from "./testing/station-fixtures";
import type { Plant } from "./testing/genealogy-fixtures";
import type { Db } from "./client";

/** The quick start's embedded database: the same migrations, the demo plant, the app role, and the one-process lock. */
describe("embedded PostgreSQL (PGlite)", () => {
  it("migrates with the same migrations, loads the demo plant, works as the app role, and survives a restart", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "traceline-pglite-"));
    const previous = process.env.TRACELINE_DATA_DIR;
    const previousUrl = process.env.DATABASE_URL;
    process.env.TRACELINE_DATA_DIR = path.join(dir, "pglite");
    delete process.env.DATABASE_URL;
    try {
      const first = await openDatabase();
      expect(first.kind).toBe("embedded");
      await first.migrate();
      expect((await seedDemoPlant(first.db, { now: new Date() })).created).toBe(true);
      const [who] = await queryRows<{ current_user: string }>(first.db, sql`select current_user`);
      expect(who!.current_user).toBe("traceline_app");
      await expect(first.db.execute(sql`delete from audit_log`)).rejects.toThrow();
      expect(failedChecks(await runLedgerChecks(first.db))).toEqual([]);
      await installAtStation(first.db);
      expect(failedChecks(await runLedgerChecks(first.db))).toEqual([]);
      await first.close();

      const again = await openDatabase();
      await again.migrate();
      expect((await seedDemoPlant(again.db, { now: new Date() })).created).toBe(false);
      const [sites] = await queryRows<{ n: number }>(again.db, sql`select count(*)::int as n from sites`);
      expect(sites!.n).toBe(2);
      await again.close();
    } finally {
      if (previous === undefined) delete process.env.TRACELINE_DATA_DIR;
      else process.env.TRACELINE_DATA_DIR = previous;
      if (previousUrl !== undefined) process.env.DATABASE_URL = previousUrl;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("refuses a second process while one holds the folder, and frees it on release", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "traceline-lock-"));
    const folder = path.join(dir, "pglite");
    try {
      // another live process holds the lock (the test runner's parent stands in for the running app)
      const livePid = process.ppid;
      expect(livePid).not.toBe(process.pid);
      writeFileSync(`${folder}.lock`, `${livePid}\n${new Date().toISOString()}\n`);
      expect(() => acquireEmbeddedLock(folder)).toThrow(/in use by process \d+.*Stop that process first, or point this tool at a PostgreSQL server/);
      // a stale lock (dead pid) is taken over
      writeFileSync(`${folder}.lock`, `999999999\nold\n`);
      const release = acquireEmbeddedLock(folder);
      release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * The station's install on the embedded database as the quick start runs it: its reads and writes are sent together
 * on one transaction (PGlite queues them) and the ledger is posted in one statement. A retry answers the same.
 */
async function installAtStation(db: Db) {
  const [st] = await queryRows<{ site_id: string; code: string; name: string; tz: string; station_id: string; work_center_id: string; pou: string; erp: string }>(
    db,
    sql`select s.id as site_id, s.code, s.name, s.time_zone as tz, st.id as station_id, st.work_center_id,
               (select l.id from storage_locations l where l.site_id = s.id and l.kind = 'point_of_use' and l.station_id = st.id limit 1) as pou,
               (select l.id from storage_locations l where l.site_id = s.id and l.kind = 'erp_supply' order by l.code limit 1) as erp
        from sites s join stations st on st.site_id = s.id where s.code = 'WCH' and st.code = 'SV-01'`,
  );
  const siteId = st!.site_id;
  const part = await createTestPart(db, "lot", { uom: "ML" });
  const order = await createStationOrder(db, { siteId, workCenterId: st!.work_center_id } as Plant, {
    number: "WO-PGLITE-1",
    serials: ["PGLITE-1"],
    ops: [{ seq: 10, workCenterId: st!.work_center_id }],
    bom: [{ find: 10, partRevisionId: part.revisionId, qty: "2", op: 10 }],
  });
  const lot = await createTestLot(db, siteId, part.revisionId);
  const leg = { partRevisionId: part.revisionId, lotId: lot.id, serialItemId: null };
  await db.transaction((tx) =>
    postMovement(tx, { siteId, kind: "receive_from_erp", occurredAt: new Date(), legs: [{ ...leg, locationId: st!.erp, quantity: "-5" }, { ...leg, locationId: st!.pou, quantity: "5" }] }),
  );
  const user = await createTestUser(db, siteId, "operator");
  const site = { id: siteId, code: st!.code, name: st!.name, timeZone: st!.tz, roles: ["operator" as const] };
  const actor: Actor = { userId: user.id, displayName: "Operator", siteId, siteCode: site.code, siteName: site.name, timeZone: site.timeZone, locale: "en", roles: ["operator"], sites: [site] };
  const cmd = { requestId: crypto.randomUUID(), stationId: st!.station_id, unitId: order.units[0]!.unitId, operationSeq: 10, item: { lotId: lot.id }, quantity: "1.5" };
  const first = await consumeComponent(db, actor, cmd, new Date());
  expect(first).toMatchObject({ quantity: "1.5", lineLeft: "0.5", lotNumber: lot.lotNumber });
  expect(await consumeComponent(db, actor, cmd, new Date())).toEqual(first);
  const [left] = await queryRows<{ on_hand: string }>(db, sql`select on_hand::text from stock_balances where site_id = ${siteId} and location_id = ${st!.pou} and lot_id = ${lot.id}`);
  expect(Number(left!.on_hand)).toBe(3.5);
  const [edges] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from genealogy_edges where parent_unit_id = ${order.units[0]!.unitId}`);
  expect(edges!.n).toBe(1);
}
