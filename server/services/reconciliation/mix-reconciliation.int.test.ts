import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart } from "@/db/testing/factories";
import { createStationPlant, type StationPlant } from "@/db/testing/station-fixtures";
import { seededRandom } from "@/db/testing/race";
import { testTime } from "@/db/testing/clock";
import * as s from "@/db/schema";
import { DEFAULT_RETRY_POLICY } from "@/server/domain/erp/outbound";
import { ReceivingErp } from "@/server/integrations/erp/receiver-sim";
import { postMovement } from "@/server/repos/ledger";
import { claimRun, insertRun } from "@/server/repos/recon-runs";
import { updateOutboundSettings } from "@/server/repos/erp-outbound-settings";
import { createErpConnection } from "@/server/services/erp/connections";
import { deliverDueConfirmations, type DeliveryOptions } from "@/server/services/erp/deliver-confirmations";
import { mixLots, type MixLotsCommand, type MixLotsOutcome } from "@/server/services/material-clock/mix-lots";
import { executeRun } from "./run-reconciliation";

/*
 * A mix on the floor and reconciliation (issue 16 with issue 21's mixing): ERP agrees with the floor; a two-part
 * sealant is mixed (the base and activator lots consumed, a child lot made) and its `lot_mix` message waits in the
 * outbox. ERP's next snapshot, taken before it applied the mix, differs on the three lots: each difference is in flight
 * (the mix's confirmation is not acknowledged), none is an unconfirmed movement. The confirmation worker delivers the
 * message to a simulated ERP (SAP-style format) exactly once; ERP's following snapshot reflects the mix, and the run
 * finds nothing: the in-flight exceptions are resolved. Real commits in this file's own database.
 */

const t = useTestDatabase("empty");
let plant: StationPlant;
let mix: MixLotsOutcome;
let erp: ReceivingErp;
const lotNumbers = { base: `BASE-${randomUUID().slice(0, 4)}`, activator: `ACT-${randomUUID().slice(0, 4)}` };

async function runNow(db: Db, now: Date) {
  const queued = await insertRun(db, { siteId: plant.siteId, trigger: "on_demand", requestedBy: null, now });
  expect(queued?.created).toBe(true);
  const run = await claimRun(db, { owner: "test", now, leaseMs: 60_000, siteId: plant.siteId });
  const out = await executeRun(db, run!, { owner: "test", now: () => now, cancelPollMs: 0 });
  if (out.status !== "completed") throw new Error(out.status === "failed" ? out.error : out.status);
  return out;
}

async function exceptions(db: Db) {
  return queryRows<{ category: string; status: string; lot_number: string | null; resolution: string | null; awaiting: string[] | null; unconfirmed: string | null }>(
    db,
    sql`select category::text, status::text, lot_number, resolution::text, awaiting_message_ids::text[] as awaiting, unconfirmed_quantity::text as unconfirmed
        from recon_exceptions where site_id = ${plant.siteId}::uuid order by lot_number`,
  );
}

/** ERP's view per lot over the floor (no locations), as it stands now in Traceline. */
async function floorLines(db: Db) {
  return queryRows<{ partNumber: string; revision: string; lotNumber: string; quantity: string }>(
    db,
    sql`select p.part_number as "partNumber", pr.revision, lo.lot_number as "lotNumber", trim_scale(sum(b.on_hand))::text as quantity
        from stock_balances b join part_revisions pr on pr.id = b.part_revision_id join parts p on p.id = pr.part_id
        join lots lo on lo.site_id = b.site_id and lo.id = b.lot_id
        where b.site_id = ${plant.siteId}::uuid and b.is_physical
        group by 1, 2, 3 having sum(b.on_hand) <> 0`,
  );
}

async function storeSnapshot(db: Db, key: string, takenAt: Date, lines: object[]) {
  await db.execute(
    sql`insert into erp_stock_snapshots (site_id, snapshot_key, taken_at, lines) values (${plant.siteId}::uuid, ${key}, ${takenAt.toISOString()}::timestamptz, ${JSON.stringify(lines)}::jsonb)`,
  );
}

function workerOptions(): DeliveryOptions {
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

async function outbox(db: Db) {
  return queryRows<{ message_id: string; type: string; status: string; reference: string }>(
    db,
    sql`select message_id::text, type, status::text, payload->>'reference' as reference from erp_outbox where site_id = ${plant.siteId}::uuid`,
  );
}

beforeAll(async () => {
  const db = t.db;
  plant = await createStationPlant(db);
  erp = new ReceivingErp({ dedupe: true, faultRate: 0, faults: [], random: seededRandom(1), holdMs: 0, slowMs: 0, burst: 0, token: null, keepRequests: true });
  const url = await erp.listen();
  const { id } = await createErpConnection(db, { userId: null, displayName: "test" }, { name: `ERP ${plant.code}`, source: `ERP-${plant.code}`, plants: { [plant.code]: plant.code } });
  await db.transaction((tx) => updateOutboundSettings(tx, id, { mode: "push", format: "sap", url, dedupes: true, secret: null }));

  // a two-part sealant: base 10 G + activator 1 G, mixed with a pot life of 4 hours; ERP issued both lots to stores
  const base = await createTestPart(db, "lot", { uom: "G" });
  const activator = await createTestPart(db, "lot", { uom: "G" });
  const mixed = await createTestPart(db, "lot", { uom: "G", potLifeMinutes: 240 });
  const [bom] = await db.insert(s.boms).values({ parentRevisionId: mixed.revisionId }).returning();
  await db.insert(s.bomLines).values([
    { bomId: bom!.id, findNumber: 10, componentRevisionId: base.revisionId, quantity: "10", operationSeq: 10 },
    { bomId: bom!.id, findNumber: 20, componentRevisionId: activator.revisionId, quantity: "1", operationSeq: 10 },
  ]);
  const inputs: MixLotsCommand["inputs"] = [];
  for (const [part, lotNumber, qty, take] of [[base, lotNumbers.base, "500", "100"], [activator, lotNumbers.activator, "50", "10"]] as const) {
    const lot = await createTestLot(db, plant.siteId, part.revisionId, { lotNumber, expiresAt: testTime(60 * 24 * 30) });
    const item = { partRevisionId: part.revisionId, lotId: lot.id, serialItemId: null };
    await db.transaction((tx) =>
      postMovement(tx, {
        siteId: plant.siteId,
        kind: "receive_from_erp",
        occurredAt: testTime(-60),
        legs: [
          { ...item, locationId: plant.loc.erp_supply, quantity: `-${qty}` },
          { ...item, locationId: plant.loc.stores, quantity: qty },
        ],
      }),
    );
    inputs.push({ partRevisionId: part.revisionId, lotId: lot.id, fromLocationId: plant.loc.stores, quantity: take });
  }
  await storeSnapshot(db, "STOCK-T0", testTime(10), await floorLines(db));

  mix = await mixLots(db, plant.actor(["kitting_clerk"]), { requestId: randomUUID(), inputs, toLocation: "POINT_OF_USE" }, testTime(15));
}, 120_000);

afterAll(async () => {
  await erp?.close();
});

describe("a mix and reconciliation", () => {
  it("the mix's one lot_mix message names the mix movement, which reconciliation matches it by", async () => {
    expect(await outbox(t.db)).toEqual([{ message_id: expect.any(String), type: "lot_mix", status: "pending", reference: mix.movementId }]);
  });

  it("before ERP acknowledges it, the mix's three lots are in flight, not unconfirmed movements", async () => {
    // ERP's snapshot taken before it applied the mix: base 500, activator 50, no child lot
    await storeSnapshot(t.db, "STOCK-T1", testTime(20), [
      ...(await floorLines(t.db)).filter((l) => l.lotNumber !== mix.childLotNumber).map((l) => ({ ...l, quantity: l.lotNumber === lotNumbers.base ? "500" : "50" })),
    ]);
    await runNow(t.db, testTime(21));
    const [message] = await outbox(t.db);
    const found = await exceptions(t.db);
    expect(found.map((x) => [x.lot_number, x.category, x.status])).toEqual(
      [
        [lotNumbers.activator, "in_flight", "open"],
        [lotNumbers.base, "in_flight", "open"],
        [mix.childLotNumber, "in_flight", "open"],
      ].sort((a, b) => a[0]!.localeCompare(b[0]!)),
    );
    for (const x of found) {
      expect(x.awaiting).toEqual([message!.message_id]);
      expect(Number(x.unconfirmed ?? 0)).toBe(0);
    }
  });

  it("the worker delivers the message exactly once; once ERP's snapshot reflects the mix, nothing differs", async () => {
    const first = await deliverDueConfirmations(t.db, () => testTime(25), workerOptions());
    expect(first).toMatchObject({ claimed: 1, delivered: 1 });
    expect(await deliverDueConfirmations(t.db, () => testTime(26), workerOptions())).toMatchObject({ claimed: 0 });
    const [message] = await outbox(t.db);
    expect(message!.status).toBe("delivered");
    expect(erp.log.map((c) => [c.messageId, c.type, c.format])).toEqual([[message!.message_id, "lot_mix", "sap"]]);
    expect(erp.doubles()).toEqual([]);

    await storeSnapshot(t.db, "STOCK-T2", testTime(30), await floorLines(t.db));
    const out = await runNow(t.db, testTime(31));
    expect(out.figures.merge.opened).toBe(0);
    const after = await exceptions(t.db);
    expect(after).toHaveLength(3);
    expect(after.filter((x) => x.status === "open" || x.status === "investigating")).toEqual([]);
  });
});
