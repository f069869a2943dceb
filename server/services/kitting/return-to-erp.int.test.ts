import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart, createTestSerial } from "@/db/testing/factories";
import { createStationOrder, createStationPlant, onHandAt, operatorActor, rowCounts } from "@/db/testing/station-fixtures";
import * as s from "@/db/schema";
import { queryRows, type Tx } from "@/db/client";
import { DomainError } from "@/server/domain/shared/errors";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { postMovement } from "@/server/repos/ledger";
import { completeOperation } from "@/server/services/station/complete-operation";
import { returnToErp } from "./return-to-erp";

/*
 * Return to ERP: a lot quantity or a serial goes from a Traceline location back to the ERP warehouse (virtual
 * returned_to_erp location, SAP-style 311), with its audit row and confirmation in one transaction; held material goes
 * back as blocked stock; refusals write nothing; a replayed request answers the first outcome.
 */

const t = useTestDatabase("empty");
const t0 = new Date("2026-11-20T15:00:00Z");
const t1 = new Date("2026-11-21T15:00:00Z");
const rid = () => randomUUID();

async function expectRefused(tx: Tx, code: string, run: () => Promise<unknown>, message?: RegExp): Promise<DomainError> {
  const before = { ...(await rowCounts(tx)), balances: await balances(tx) };
  let err: unknown = null;
  try {
    await run();
  } catch (e) {
    err = e;
  }
  if (!(err instanceof DomainError)) throw err ?? new Error(`expected a refusal with ${code}`);
  expect(err.code, err.message).toBe(code);
  if (message) expect(err.message).toMatch(message);
  expect({ ...(await rowCounts(tx)), balances: await balances(tx) }).toEqual(before);
  return err;
}

async function balances(tx: Tx) {
  return queryRows<{ k: string }>(tx, sql`select location_id::text || coalesce(lot_id::text, '') || coalesce(serial_item_id::text, '') || on_hand::text || '/' || reserved::text as k from stock_balances order by id`);
}

async function receive(tx: Tx, siteId: string, from: string, to: string, item: { partRevisionId: string; lotId: string | null; serialItemId: string | null }, quantity: string) {
  await postMovement(tx, {
    siteId,
    kind: "receive_from_erp",
    occurredAt: t0,
    legs: [
      { ...item, locationId: from, quantity: `-${quantity}` },
      { ...item, locationId: to, quantity },
    ],
  });
}

async function setup(tx: Tx) {
  const plant = await createStationPlant(tx);
  const gasket = await createTestPart(tx, "lot");
  const sensor = await createTestPart(tx, "serial");
  const lot = await createTestLot(tx, plant.siteId, gasket.revisionId);
  const sn = await createTestSerial(tx, plant.siteId, sensor.revisionId);
  const lotItem = { partRevisionId: gasket.revisionId, lotId: lot.id, serialItemId: null };
  const snItem = { partRevisionId: sensor.revisionId, lotId: null, serialItemId: sn.id };
  await receive(tx, plant.siteId, plant.loc.erp_supply, plant.loc.stores, lotItem, "10");
  await receive(tx, plant.siteId, plant.loc.erp_supply, plant.loc.point_of_use, lotItem, "3");
  await receive(tx, plant.siteId, plant.loc.erp_supply, plant.loc.quarantine, snItem, "1");
  return { plant, gasket, sensor, lot, sn, lotItem, snItem, clerk: operatorActor(plant, ["kitting_clerk"]), supervisor: operatorActor(plant, ["supervisor"]) };
}

type Fixture = Awaited<ReturnType<typeof setup>>;

async function returns(tx: Tx) {
  return queryRows<{ message_id: string; ordering_key: string; payload: Record<string, unknown> }>(tx, sql`select message_id::text, ordering_key, payload from erp_outbox where type = 'return' order by id`);
}

describe("returnToErp", () => {
  it("returns a lot quantity from stores to the ERP warehouse: ledger movement, audit row, a 311 confirmation, once per request", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const before = await rowCounts(tx);
      const cmd = { requestId: rid(), fromLocationId: f.plant.loc.stores, item: f.lotItem, quantity: "4", reason: "Surplus after the order closed" };
      const out = await returnToErp(tx, f.clerk, cmd, t1);
      expect(out).toMatchObject({ quantity: "4", uom: "EA", from: "STORES", to: "RETURNED_TO_ERP", lotNumber: f.lot.lotNumber, serialNumber: null, onHold: false });
      expect(await rowCounts(tx)).toMatchObject({ movements: before.movements + 1, audit: before.audit + 1, outbox: before.outbox + 1, requests: before.requests + 1 });
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.stores, f.lotItem)).toBe("6");
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.returned_to_erp, f.lotItem)).toBe("4");
      const [mv] = await queryRows<{ kind: string; reason: string }>(tx, sql`select kind::text, reason from movements where id = ${out.movementId}`);
      expect(mv).toEqual({ kind: "return_to_erp", reason: "Surplus after the order closed" });
      const [audit] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from audit_log where action = 'stock.return_to_erp' and entity_id = ${out.movementId}`);
      expect(audit!.n).toBe(1);
      const [c] = await returns(tx);
      expect(c!.payload).toEqual({
        movementType: "311",
        plant: f.plant.code,
        order: null,
        material: f.gasket.partNumber,
        revision: "A",
        batch: f.lot.lotNumber,
        serial: null,
        quantity: "4",
        uom: "EA",
        postingDate: "2026-11-21",
        reference: out.movementId,
        reason: "Surplus after the order closed",
        fromLocation: "STORES",
        stockType: "unrestricted",
      });
      expect(c!.ordering_key).toBe(`item:${f.gasket.partNumber}|${f.lot.lotNumber}|`);

      const counts = await rowCounts(tx);
      expect(await returnToErp(tx, f.clerk, cmd, t1)).toEqual(out);
      expect(await rowCounts(tx)).toEqual(counts);
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.stores, f.lotItem)).toBe("6");
      await expectRefused(tx, "REQUEST_CONFLICT", () => returnToErp(tx, f.clerk, { ...cmd, quantity: "5" }, t1));
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it("returns held material as blocked stock, keeping the hold's reasons; a supervisor returns from a point of use", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      await tx.insert(s.holds).values({ siteId: f.plant.siteId, targetType: "serial", targetId: f.sn.id, reason: "Connector pins bent", placedBy: f.plant.qualityId, placedAt: t0 });
      const held = await returnToErp(tx, f.clerk, { requestId: rid(), fromLocationId: f.plant.loc.quarantine, item: f.snItem, quantity: "1", reason: "Back to the supplier via ERP" }, t1);
      expect(held).toMatchObject({ onHold: true, from: "QUARANTINE", serialNumber: f.sn.serialNumber, quantity: "1" });
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.returned_to_erp, f.snItem)).toBe("1");
      const pou = await returnToErp(tx, f.supervisor, { requestId: rid(), fromLocationId: f.plant.loc.point_of_use, item: f.lotItem, quantity: "3", reason: "Line stopped, material back" }, t1);
      expect(pou).toMatchObject({ onHold: false, from: "POINT_OF_USE", quantity: "3" });
      const rows = await returns(tx);
      expect(rows.map((r) => [r.payload.serial, r.payload.stockType, r.payload.holdReasons ?? null])).toEqual([
        [f.sn.serialNumber, "blocked", ["Connector pins bent"]],
        [null, "unrestricted", null],
      ]);
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it("refuses more than is free at the location (reserved picks stay), saying what is free, writing nothing", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const cmd = (quantity: string) => ({ requestId: rid(), fromLocationId: f.plant.loc.stores, item: f.lotItem, quantity, reason: "Surplus" });
      await expectRefused(tx, "INSUFFICIENT_STOCK", () => returnToErp(tx, f.clerk, cmd("10.5"), t1), /There is not 10\.5 EA of lot .+ at STORES to return: 10 EA free\./);
      await tx.execute(sql`update stock_balances set reserved = 4 where location_id = ${f.plant.loc.stores} and lot_id = ${f.lot.id}`);
      await expectRefused(tx, "INSUFFICIENT_STOCK", () => returnToErp(tx, f.clerk, cmd("7"), t1), /6 EA free \(4 reserved for kits\)/);
      // nothing of it at the kitting area
      await expectRefused(tx, "INSUFFICIENT_STOCK", () => returnToErp(tx, f.clerk, { ...cmd("1"), fromLocationId: f.plant.loc.kitting }, t1), /at KITTING/);
      expect((await returnToErp(tx, f.clerk, cmd("6"), t1)).quantity).toBe("6");
    });
  });

  it.each([
    ["FORBIDDEN for an operator", "FORBIDDEN", (f: Fixture) => ({ actor: operatorActor(f.plant), cmd: {} }), /kitting_clerk or supervisor/],
    ["FORBIDDEN for a quality engineer", "FORBIDDEN", (f: Fixture) => ({ actor: f.plant.actor(["quality_engineer"]), cmd: {} }), undefined],
    ["an unknown location", "NOT_FOUND", (f: Fixture) => ({ actor: f.clerk, cmd: { fromLocationId: randomUUID() } }), /location does not exist/],
    ["a virtual location (scrap)", "VALIDATION_FAILED", (f: Fixture) => ({ actor: f.clerk, cmd: { fromLocationId: f.plant.loc.scrap } }), /not from SCRAP/],
    ["a kit cart", "VALIDATION_FAILED", (f: Fixture) => ({ actor: f.clerk, cmd: { fromLocationId: f.plant.loc.kit_cart } }), /not from KIT_CART/],
    ["no reason", "VALIDATION_FAILED", (f: Fixture) => ({ actor: f.clerk, cmd: { reason: " " } }), /Say why/],
    ["a zero quantity", "VALIDATION_FAILED", (f: Fixture) => ({ actor: f.clerk, cmd: { quantity: "0" } }), undefined],
    ["two of a serial", "VALIDATION_FAILED", (f: Fixture) => ({ actor: f.clerk, cmd: { fromLocationId: f.plant.loc.quarantine, item: f.snItem, quantity: "2" } }), /one piece at a time/],
  ])("refuses %s, writing nothing", async (_name, code, make, message) => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const { actor, cmd } = make(f);
      await expectRefused(
        tx,
        code,
        () => returnToErp(tx, actor, { requestId: rid(), fromLocationId: f.plant.loc.stores, item: f.lotItem, quantity: "1", reason: "Surplus material", ...cmd }, t1),
        message,
      );
    });
  });

  it("refuses a unit built here: a finished unit leaves by shipment or scrap", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const order = await createStationOrder(tx, f.plant, { number: `WO-${randomUUID().slice(0, 6)}`, serials: ["U1"], ops: [{ seq: 10 }], bom: [] });
      const unit = order.units[0]!;
      await completeOperation(tx, operatorActor(f.plant), { requestId: rid(), stationId: f.plant.stationId, unitId: unit.unitId, operationSeq: 10 }, t0);
      const item = { partRevisionId: order.partRevisionId, lotId: null, serialItemId: unit.serialItemId };
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.stores, item)).toBe("1");
      await expectRefused(tx, "VALIDATION_FAILED", () => returnToErp(tx, f.clerk, { requestId: rid(), fromLocationId: f.plant.loc.stores, item, quantity: "1", reason: "Finished goods" }, t1), /U1 is a unit built here: ship it/);
    });
  });
});
