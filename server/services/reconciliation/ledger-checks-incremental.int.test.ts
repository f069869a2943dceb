import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { useTestDatabase } from "@/db/testing/test-database";
import { testTime } from "@/db/testing/clock";
import { postMovement } from "@/server/repos/ledger";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { claimRun, insertRun } from "@/server/repos/recon-runs";
import { executeRun } from "./run-reconciliation";

/*
 * The ledger checks of a reconciliation run are incremental (server/repos/ledger-checks.ts runSiteLedgerChecks): after
 * a run whose checks all pass, the next one checks only what was chained, written or changed since. What the
 * application role can do wrong after the mark is still found: a balance changed outside the ledger, a leg added to an
 * old movement, an unbalanced new movement; the mark does not move past a failure, so a violation stays reported until
 * it is mended; and a change behind the triggers before the mark is what `npm run check:ledger` (every check, in full)
 * finds. Real commits in this file's own database (a run is its own transaction).
 */

const t = useTestDatabase("demo");
let siteId = "";
let minute = 100;

async function runNow(db: Db) {
  const now = testTime(minute++);
  const queued = await insertRun(db, { siteId, trigger: "on_demand", requestedBy: null, now });
  expect(queued?.created).toBe(true);
  const run = await claimRun(db, { owner: "test", now, leaseMs: 60_000, siteId });
  const out = await executeRun(db, run!, { owner: "test", now: () => now, cancelPollMs: 0 });
  if (out.status !== "completed") throw new Error(out.status === "failed" ? out.error : out.status);
  return out.figures;
}

const liveLedgerExceptions = (db: Db) =>
  queryRows<{ item_key: string }>(
    db,
    sql`select item_key from recon_exceptions where site_id = ${siteId}::uuid and category = 'ledger_integrity' and status in ('open', 'investigating') order by item_key`,
  ).then((rows) => rows.map((r) => r.item_key));

const mark = (db: Db) => queryRows<{ chain_seq: number; leg_id: number }>(db, sql`select chain_seq::int, leg_id::int from ledger_check_marks where site_id = ${siteId}::uuid`).then((r) => r[0] ?? null);

async function aLot(db: Db) {
  const rows = await queryRows<{ id: string; location_id: string; part_revision_id: string; lot_id: string }>(
    db,
    sql`select b.id, b.location_id, b.part_revision_id, b.lot_id from stock_balances b
        where b.site_id = ${siteId}::uuid and b.is_physical and b.lot_id is not null and b.on_hand - b.reserved >= 2 order by b.id limit 1`,
  );
  return rows[0]!;
}

const locationOfKind = async (db: Db, kind: string) =>
  (await queryRows<{ id: string }>(db, sql`select id from storage_locations where site_id = ${siteId}::uuid and kind = ${kind}::location_kind order by code limit 1`))[0]!.id;

beforeAll(async () => {
  siteId = (await queryRows<{ id: string }>(t.db, sql`select id from sites where code = 'WCH'`))[0]!.id;
}, 120_000);

describe("incremental ledger checks of reconciliation runs", () => {
  it("the first run checks everything and sets the site's mark; the next checks only what changed since", async () => {
    const db = t.db;
    expect(await mark(db)).toBeNull();
    const first = await runNow(db);
    expect(first.ledgerChecks).toBe("full");
    expect(first.ledgerChecksFailed).toBe(0);
    const m1 = (await mark(db))!;
    expect(m1.chain_seq).toBeGreaterThan(0);

    // a movement through the ledger after the mark: checked, and the mark moves past it
    const lot = await aLot(db);
    const quarantine = await locationOfKind(db, "quarantine");
    await db.transaction((tx) =>
      postMovement(tx, { siteId, kind: "transfer", occurredAt: testTime(minute), legs: [
        { locationId: lot.location_id, partRevisionId: lot.part_revision_id, lotId: lot.lot_id, serialItemId: null, quantity: "-1" },
        { locationId: quarantine, partRevisionId: lot.part_revision_id, lotId: lot.lot_id, serialItemId: null, quantity: "1" },
      ] }),
    );
    const second = await runNow(db);
    expect(second.ledgerChecks).toBe("incremental");
    expect(second.ledgerChecksFailed).toBe(0);
    expect((await mark(db))!.chain_seq).toBeGreaterThan(m1.chain_seq);
  });

  it("finds a balance changed outside the ledger after the mark, keeps reporting it, and resolves it once mended", async () => {
    const db = t.db;
    const lot = await aLot(db);
    const before = (await mark(db))!;
    await db.execute(sql`update stock_balances set on_hand = on_hand + 1 where site_id = ${siteId}::uuid and id = ${lot.id}::uuid`);
    const found = await runNow(db);
    expect(found.ledgerChecks).toBe("incremental");
    expect(await liveLedgerExceptions(db)).toEqual(["ledger|balances equal the ledger", "ledger|item totals conserved across locations"]);
    // the mark stayed where it was: the next run looks at the same change again
    expect(await mark(db)).toEqual(before);
    await runNow(db);
    expect(await liveLedgerExceptions(db)).toEqual(["ledger|balances equal the ledger", "ledger|item totals conserved across locations"]);
    await db.execute(sql`update stock_balances set on_hand = on_hand - 1 where site_id = ${siteId}::uuid and id = ${lot.id}::uuid`);
    const mended = await runNow(db);
    expect(mended.ledgerChecks).toBe("incremental");
    expect(mended.ledgerChecksFailed).toBe(0);
    expect(await liveLedgerExceptions(db)).toEqual([]);
  });

  it("finds a leg added to a movement chained before the mark (the application role can insert legs)", async () => {
    const db = t.db;
    await runNow(db);
    const old = (await queryRows<{ movement_id: string; location_id: string; part_revision_id: string; lot_id: string | null; serial_item_id: string | null }>(
      db,
      sql`select l.movement_id, l.location_id, l.part_revision_id, l.lot_id, l.serial_item_id from movement_legs l
          join hash_chain h on h.site_key = l.site_id::text and h.kind = 'movement' and h.row_id = l.movement_id::text
          where l.site_id = ${siteId}::uuid and l.serial_item_id is null and h.seq < (select chain_seq from ledger_check_marks where site_id = ${siteId}::uuid)
          order by h.seq limit 1`,
    ))[0]!;
    await db.execute(sql`insert into movement_legs (site_id, movement_id, location_id, part_revision_id, lot_id, serial_item_id, quantity)
      values (${siteId}::uuid, ${old.movement_id}::uuid, ${old.location_id}::uuid, ${old.part_revision_id}::uuid, ${old.lot_id}::uuid, null, 1)`);
    const found = await runNow(db);
    expect(found.ledgerChecks).toBe("incremental");
    const live = await liveLedgerExceptions(db);
    expect(live).toContain("ledger|movement legs balance per item");
    expect(live).toContain("ledger|balances equal the ledger");
  });

  it("a change behind the triggers to a row chained before the mark is found by check:ledger's full checks", async () => {
    const owner = t.ownerDb;
    const m = (await mark(owner))!;
    const chained = (await queryRows<{ row_id: string }>(owner, sql`select row_id from hash_chain where site_key = ${siteId} and kind = 'movement' and seq < ${m.chain_seq} order by seq limit 1`))[0]!;
    await owner.transaction(async (tx) => {
      await tx.execute(sql`alter table movements disable trigger user`);
      await tx.execute(sql`update movements set reason = 'changed behind the triggers' where site_id = ${siteId}::uuid and id = ${chained.row_id}::uuid`);
      await tx.execute(sql`alter table movements enable trigger user`);
    });
    const full = failedChecks(await runLedgerChecks(owner, { siteId }));
    expect(full.map((c) => c.name)).toContain("hash chain intact");
    expect(full.find((c) => c.name === "hash chain intact")!.examples.map((e) => e.row_id)).toContain(chained.row_id);
  });
});
