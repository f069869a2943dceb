import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { createTestPart, createTestSerial } from "@/db/testing/factories";
import { issueToPointOfUse } from "@/db/testing/genealogy-fixtures";
import { createStationOrder, createStationPlant, onHandAt, operatorActor, rowCounts } from "@/db/testing/station-fixtures";
import * as s from "@/db/schema";
import { queryRows, type Tx } from "@/db/client";
import { DomainError } from "@/server/domain/shared/errors";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { postMovement } from "@/server/repos/ledger";
import { findSerialItem } from "@/server/repos/genealogy-read";
import { traceWhereUsed } from "@/server/repos/genealogy-where-used";
import { completeOperation } from "@/server/services/station/complete-operation";
import { consumeComponent } from "@/server/services/station/consume-component";
import { exportWhereUsed, type WhereUsedExportInput } from "@/server/services/genealogy/export-where-used";
import { readAll } from "@/server/services/genealogy/export-stream";
import { scrapUnit } from "./scrap-unit";
import { shipUnit } from "./ship-unit";

/*
 * A unit's fate: shipped to a customer (from stores, completed, not held) or scrapped as a whole (in work or completed),
 * each in one transaction with its movement, unit status, audit row and ERP confirmation; refusals write nothing; a
 * replayed request answers the first outcome; where-used and as-built then say what became of the unit.
 */

const t = useTestDatabase("empty");
const t0 = new Date("2026-11-20T15:00:00Z");
const t1 = new Date("2026-11-21T15:00:00Z");
const t2 = new Date("2026-11-22T15:00:00Z");
const rid = () => randomUUID();
/** the where-used export's CSV text (the file streams; read it whole) */
const whereUsedCsv = async (tx: Tx, actor: Parameters<typeof exportWhereUsed>[1], input: WhereUsedExportInput, now: Date) =>
  (await readAll((await exportWhereUsed(tx, actor, input, now)).body)).toString("utf8");

async function expectRefused(tx: Tx, code: string, run: () => Promise<unknown>, message?: RegExp): Promise<DomainError> {
  const before = { ...(await rowCounts(tx)), units: await unitRows(tx) };
  let err: unknown = null;
  try {
    await run();
  } catch (e) {
    err = e;
  }
  if (!(err instanceof DomainError)) throw err ?? new Error(`expected a refusal with ${code}`);
  expect(err.code, err.message).toBe(code);
  if (message) expect(err.message).toMatch(message);
  expect({ ...(await rowCounts(tx)), units: await unitRows(tx) }).toEqual(before);
  return err;
}

/** Every unit's status and fate columns (a refusal changes none). */
async function unitRows(tx: Tx) {
  return queryRows<Record<string, string | null>>(
    tx,
    sql`select serial, status::text, shipped_to, shipment_reference, scrap_reason, shipped_at::text, scrapped_at::text from units order by serial`,
  );
}

/** Three units of one order (A, B, C), operations 10 and 20, one sensor serial per unit at operation 10. */
async function setup(tx: Tx) {
  const plant = await createStationPlant(tx);
  const sensor = await createTestPart(tx, "serial");
  const order = await createStationOrder(tx, plant, {
    number: `WO-${randomUUID().slice(0, 6)}`,
    serials: ["A", "B", "C"],
    bom: [{ find: 1, partRevisionId: sensor.revisionId, qty: "1", op: 10 }],
  });
  const sensors = [];
  for (const n of [1, 2]) {
    const sn = await createTestSerial(tx, plant.siteId, sensor.revisionId, { serialNumber: `SEN-${n}-${randomUUID().slice(0, 4)}` });
    await issueToPointOfUse(tx, plant, { partRevisionId: sensor.revisionId, lotId: null, serialItemId: sn.id }, "1", t0);
    sensors.push(sn);
  }
  const op = operatorActor(plant);
  const [a, b, c] = order.units;
  const at = (unitId: string, operationSeq: number) => ({ requestId: rid(), stationId: plant.stationId, unitId, operationSeq });
  // A: built and completed into stores; B: under way at operation 20; C: planned
  await consumeComponent(tx, op, { ...at(a!.unitId, 10), item: { serialItemId: sensors[0]!.id } }, t0);
  await completeOperation(tx, op, at(a!.unitId, 10), t0);
  await completeOperation(tx, op, at(a!.unitId, 20), t0);
  await consumeComponent(tx, op, { ...at(b!.unitId, 10), item: { serialItemId: sensors[1]!.id } }, t0);
  await completeOperation(tx, op, at(b!.unitId, 10), t0);
  return {
    plant,
    order,
    sensor,
    sensors,
    a: a!,
    b: b!,
    c: c!,
    op,
    clerk: operatorActor(plant, ["kitting_clerk"]),
    supervisor: operatorActor(plant, ["supervisor"]),
    quality: plant.actor(["quality_engineer"]),
  };
}

type Fixture = Awaited<ReturnType<typeof setup>>;

const unitItem = (f: Fixture, u: { serialItemId: string }) => ({ partRevisionId: f.order.partRevisionId, serialItemId: u.serialItemId });

async function confirmations(tx: Tx, type: string) {
  return queryRows<{ message_id: string; ordering_key: string; payload: Record<string, unknown> }>(
    tx,
    sql`select message_id::text, ordering_key, payload from erp_outbox where type = ${type} order by id`,
  );
}

describe("shipUnit", () => {
  it("ships a completed unit from stores to the shipped location, with to whom and the delivery note, a 601 ordered after its receipt, once per request", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.stores, unitItem(f, f.a))).toBe("1");
      const before = await rowCounts(tx);
      const cmd = { requestId: rid(), unitId: f.a.unitId, shipTo: "  Airbus Toulouse, dock 4 ", deliveryNote: "DN-4471" };
      const out = await shipUnit(tx, f.clerk, cmd, t1);
      expect(out).toMatchObject({ unitId: f.a.unitId, serial: "A", from: "STORES", shipTo: "Airbus Toulouse, dock 4", deliveryNote: "DN-4471" });
      expect(await rowCounts(tx)).toMatchObject({ movements: before.movements + 1, audit: before.audit + 1, outbox: before.outbox + 1, requests: before.requests + 1 });
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.stores, unitItem(f, f.a))).toBe("0");
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.shipped, unitItem(f, f.a))).toBe("1");
      const [unit] = await tx.select().from(s.units).where(sql`${s.units.id} = ${f.a.unitId}`);
      expect(unit).toMatchObject({ status: "shipped", shippedTo: "Airbus Toulouse, dock 4", shipmentReference: "DN-4471", shippedAt: t1 });
      const [mv] = await queryRows<{ kind: string; reason: string }>(tx, sql`select kind::text, reason from movements where id = ${out.movementId}`);
      expect(mv).toEqual({ kind: "ship", reason: "Shipped to Airbus Toulouse, dock 4 (DN-4471)" });
      const [audit] = await queryRows<{ action: string; entity_id: string }>(tx, sql`select action, entity_id::text from audit_log where action = 'production.shipUnit'`);
      expect(audit).toEqual({ action: "production.shipUnit", entity_id: f.a.unitId });

      const [shipment] = await confirmations(tx, "shipment");
      expect(shipment!.payload).toEqual({
        movementType: "601",
        plant: f.plant.code,
        order: null,
        builtOnOrder: expect.stringMatching(/^WO-/),
        material: expect.stringMatching(/^P-/),
        revision: "A",
        batch: null,
        serial: "A",
        quantity: "1",
        uom: "EA",
        postingDate: "2026-11-21",
        reference: out.movementId,
        fromLocation: "STORES",
        shipTo: "Airbus Toulouse, dock 4",
        deliveryNote: "DN-4471",
      });
      // the same ordering key as the unit's receipt 101: the shipment never overtakes it
      const [receipt] = await confirmations(tx, "completion");
      expect(receipt!.payload).toMatchObject({ movementType: "101", serial: "A" });
      expect(shipment!.ordering_key).toBe(receipt!.ordering_key);

      // the same request again: the first outcome, nothing more written; the same id for another shipment: a conflict
      const counts = await rowCounts(tx);
      expect(await shipUnit(tx, f.clerk, cmd, t2)).toEqual(out);
      expect(await rowCounts(tx)).toEqual(counts);
      await expectRefused(tx, "REQUEST_CONFLICT", () => shipUnit(tx, f.clerk, { ...cmd, deliveryNote: "DN-9999" }, t2));
      // shipped once: a new request to ship it again says where it went
      await expectRefused(tx, "UNIT_NOT_OPEN", () => shipUnit(tx, f.supervisor, { ...cmd, requestId: rid() }, t2), /shipped to Airbus Toulouse, dock 4 on 2026-11-21 \(DN-4471\)/);
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it.each([
    ["FORBIDDEN for an operator", "FORBIDDEN", (f: Fixture) => ({ actor: f.op, unitId: f.a.unitId }), /supervisor or kitting_clerk/],
    ["NOT_FOUND for an unknown unit", "NOT_FOUND", (f: Fixture) => ({ actor: f.clerk, unitId: randomUUID() }), /does not exist/],
    ["without to whom", "VALIDATION_FAILED", (f: Fixture) => ({ actor: f.clerk, unitId: f.a.unitId, shipTo: "  " }), /to whom/],
    ["without a delivery note", "VALIDATION_FAILED", (f: Fixture) => ({ actor: f.clerk, unitId: f.a.unitId, deliveryNote: "" }), /delivery note/],
    ["a unit in work", "UNIT_NOT_COMPLETED", (f: Fixture) => ({ actor: f.clerk, unitId: f.b.unitId }), /Unit B is in progress: only a completed unit ships/],
    ["a planned unit", "UNIT_NOT_COMPLETED", (f: Fixture) => ({ actor: f.supervisor, unitId: f.c.unitId }), /Unit C is planned/],
  ])("refuses %s, writing nothing", async (_name, code, make, message) => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const { actor, unitId, ...over } = make(f);
      await expectRefused(tx, code, () => shipUnit(tx, actor, { requestId: rid(), unitId, shipTo: "Customer", deliveryNote: "DN-1", ...over }, t1), message);
    });
  });

  it("refuses a unit that is not in stores (quarantine), and one on hold with the hold's reason, writing nothing", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const cmd = () => ({ requestId: rid(), unitId: f.a.unitId, shipTo: "Customer", deliveryNote: "DN-1" });
      const hold = await tx
        .insert(s.holds)
        .values({ siteId: f.plant.siteId, targetType: "serial", targetId: f.a.serialItemId, reason: "Leak test record missing", placedBy: f.plant.qualityId, placedAt: t0 })
        .returning();
      await expectRefused(tx, "UNIT_ON_HOLD", () => shipUnit(tx, f.clerk, cmd(), t1), /Unit A is on quality hold: Leak test record missing\. It must not ship/);
      await tx.update(s.holds).set({ releasedAt: t1, releasedBy: f.plant.qualityId, releaseReason: "Record found" }).where(sql`${s.holds.id} = ${hold[0]!.id}`);
      // a hold on the finished part's revision covers the unit too
      await tx.insert(s.holds).values({ siteId: f.plant.siteId, targetType: "part_revision", targetId: f.order.partRevisionId, reason: "Drawing change pending", placedBy: f.plant.qualityId, placedAt: t1 });
      await expectRefused(tx, "UNIT_ON_HOLD", () => shipUnit(tx, f.clerk, cmd(), t1), /Drawing change pending/);
      await tx.update(s.holds).set({ releasedAt: t1, releasedBy: f.plant.qualityId, releaseReason: "Released" }).where(sql`${s.holds.targetType} = 'part_revision'`);

      await postMovement(tx, {
        siteId: f.plant.siteId,
        kind: "transfer",
        occurredAt: t1,
        legs: [
          { ...unitItem(f, f.a), lotId: null, locationId: f.plant.loc.stores, quantity: "-1" },
          { ...unitItem(f, f.a), lotId: null, locationId: f.plant.loc.quarantine, quantity: "1" },
        ],
      });
      await expectRefused(tx, "UNIT_NOT_IN_STORES", () => shipUnit(tx, f.clerk, cmd(), t1), /Unit A is at QUARANTINE, not in stores/);
    });
  });
});

describe("scrapUnit", () => {
  it("scraps a unit in work: production -> scrap, open operations kept, an order confirmation with scrap 1 at its operation; the station then refuses it", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const before = await rowCounts(tx);
      const cmd = { requestId: rid(), unitId: f.b.unitId, reason: "Housing cracked in pressure test" };
      const out = await scrapUnit(tx, f.quality, cmd, t1);
      expect(out).toMatchObject({ serial: "B", from: "PRODUCTION", inWork: true, operationSeq: 20 });
      expect(await rowCounts(tx)).toMatchObject({ movements: before.movements + 1, audit: before.audit + 1, outbox: before.outbox + 1, requests: before.requests + 1 });
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.production, unitItem(f, f.b))).toBe("-1");
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.scrap, unitItem(f, f.b))).toBe("1");
      const [unit] = await tx.select().from(s.units).where(sql`${s.units.id} = ${f.b.unitId}`);
      expect(unit).toMatchObject({ status: "scrapped", scrappedAt: t1, scrapReason: "Housing cracked in pressure test" });
      const ops = await queryRows<{ seq: number; status: string }>(tx, sql`select seq, status::text from unit_operations where unit_id = ${f.b.unitId} order by seq`);
      expect(ops).toEqual([
        { seq: 10, status: "completed" },
        { seq: 20, status: "pending" },
      ]);
      const rows = await queryRows<{ type: string; ordering_key: string; payload: Record<string, unknown> }>(
        tx,
        sql`select type, ordering_key, payload from erp_outbox where payload->'confirmation'->>'unitSerial' = 'B' order by id`,
      );
      const scrapped = rows.at(-1)!;
      expect(scrapped.type).toBe("confirmation");
      expect(scrapped.payload).toMatchObject({
        order: expect.stringMatching(/^WO-/),
        confirmation: { operation: 20, finalConfirmation: false, unitSerial: "B", yield: "0", scrap: "1" },
        reason: "Housing cracked in pressure test",
        reference: out.movementId,
      });
      expect(scrapped.ordering_key).toBe(`order:${String(scrapped.payload.order)}`);
      expect(await confirmations(tx, "scrap")).toEqual([]);

      // replay: the same outcome, nothing written
      const counts = await rowCounts(tx);
      expect(await scrapUnit(tx, f.quality, cmd, t2)).toEqual(out);
      expect(await rowCounts(tx)).toEqual(counts);
      // the station refuses a scrapped unit; scrapping it again says when and why it was scrapped
      await expectRefused(tx, "UNIT_NOT_OPEN", () => completeOperation(tx, f.op, { requestId: rid(), stationId: f.plant.stationId, unitId: f.b.unitId, operationSeq: 20 }, t2));
      await expectRefused(tx, "UNIT_NOT_OPEN", () => scrapUnit(tx, f.supervisor, { ...cmd, requestId: rid() }, t2), /scrapped on 2026-11-21: Housing cracked in pressure test/);
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it("scraps a completed unit from its stock location: 551 of the finished part, ordered after its receipt", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const out = await scrapUnit(tx, f.supervisor, { requestId: rid(), unitId: f.a.unitId, reason: "Dropped during handling" }, t1);
      expect(out).toMatchObject({ serial: "A", from: "STORES", inWork: false, operationSeq: null });
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.stores, unitItem(f, f.a))).toBe("0");
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.scrap, unitItem(f, f.a))).toBe("1");
      const [scrap] = await confirmations(tx, "scrap");
      expect(scrap!.payload).toMatchObject({ movementType: "551", serial: "A", quantity: "1", order: null, reason: "Dropped during handling", fromLocation: "STORES", reference: out.movementId });
      const [receipt] = await confirmations(tx, "completion");
      expect(scrap!.ordering_key).toBe(receipt!.ordering_key);
      // a scrapped unit does not ship
      await expectRefused(tx, "UNIT_NOT_OPEN", () => shipUnit(tx, f.clerk, { requestId: rid(), unitId: f.a.unitId, shipTo: "X", deliveryNote: "DN" }, t2), /scrapped on 2026-11-21: Dropped during handling/);
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it("the order completes when its last open unit is scrapped", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      await scrapUnit(tx, f.quality, { requestId: rid(), unitId: f.b.unitId, reason: "Housing cracked" }, t1);
      const status = async () => (await tx.select({ status: s.workOrders.status }).from(s.workOrders).where(sql`${s.workOrders.id} = ${f.order.workOrderId}`))[0]!.status;
      expect(await status()).toBe("in_progress");
      await scrapUnit(tx, f.quality, { requestId: rid(), unitId: f.c.unitId, reason: "Order reduced by the customer" }, t1);
      expect(await status()).toBe("completed");
      const planned = (await confirmations(tx, "confirmation")).at(-1)!;
      // C never started: its scrap is confirmed at its first operation
      expect(planned.payload).toMatchObject({ confirmation: { operation: 10, unitSerial: "C", scrap: "1" } });
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it.each([
    ["FORBIDDEN for a kitting clerk", "FORBIDDEN", (f: Fixture) => ({ actor: f.clerk, unitId: f.b.unitId, reason: "Cracked housing" }), /supervisor or quality_engineer/],
    ["FORBIDDEN for an operator", "FORBIDDEN", (f: Fixture) => ({ actor: f.op, unitId: f.b.unitId, reason: "Cracked housing" }), undefined],
    ["NOT_FOUND for an unknown unit", "NOT_FOUND", (f: Fixture) => ({ actor: f.quality, unitId: randomUUID(), reason: "Cracked housing" }), undefined],
    ["without a reason", "VALIDATION_FAILED", (f: Fixture) => ({ actor: f.quality, unitId: f.b.unitId, reason: " x " }), /Say why/],
  ])("refuses %s, writing nothing", async (_name, code, make, message) => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const { actor, ...cmd } = make(f);
      await expectRefused(tx, code, () => scrapUnit(tx, actor, { requestId: rid(), ...cmd }, t1), message);
    });
  });
});

describe("where-used and as-built show a unit's fate", () => {
  it("shipped to whom, when (delivery note); scrapped when, why; instead of in stock", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const trace = async (sensor: { id: string }) => (await traceWhereUsed(tx, f.plant.siteId, { kind: "serial", id: sensor.id })).rows[0]!.location;
      expect(await trace(f.sensors[0]!)).toEqual({ kind: "in_stock", locationCode: "STORES", locationName: "stores" });
      await shipUnit(tx, f.clerk, { requestId: rid(), unitId: f.a.unitId, shipTo: "Airbus Toulouse", deliveryNote: "DN-4471" }, t1);
      await scrapUnit(tx, f.quality, { requestId: rid(), unitId: f.b.unitId, reason: "Housing cracked" }, t2);
      expect(await trace(f.sensors[0]!)).toEqual({ kind: "shipped", at: t1, to: "Airbus Toulouse", reference: "DN-4471" });
      expect(await trace(f.sensors[1]!)).toEqual({ kind: "scrapped", at: t2, reason: "Housing cracked" });

      expect((await findSerialItem(tx, f.plant.siteId, f.a.serialItemId))?.fate).toEqual({ kind: "shipped", at: t1, to: "Airbus Toulouse", reference: "DN-4471" });
      expect((await findSerialItem(tx, f.plant.siteId, f.b.serialItemId))?.fate).toEqual({ kind: "scrapped", at: t2, reason: "Housing cracked" });
      expect((await findSerialItem(tx, f.plant.siteId, f.c.serialItemId))?.fate).toBeNull();

      // the where-used export says it in words, dated in the site's zone
      const csv = await whereUsedCsv(tx, f.quality, { target: { kind: "serial", id: f.sensors[0]!.id } }, t2);
      expect(csv).toContain("shipped to Airbus Toulouse on 2026-11-21 (DN-4471)");
      const csvB = await whereUsedCsv(tx, f.quality, { target: { kind: "serial", id: f.sensors[1]!.id } }, t2);
      expect(csvB).toContain("scrapped on 2026-11-22: Housing cracked");
    });
  });

  it("a sub-assembly installed in a unit that shipped says where the top unit went", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      // A (completed, in stores) goes to the point of use and into top-level unit T of another order
      await postMovement(tx, {
        siteId: f.plant.siteId,
        kind: "stage",
        occurredAt: t0,
        legs: [
          { ...unitItem(f, f.a), lotId: null, locationId: f.plant.loc.stores, quantity: "-1" },
          { ...unitItem(f, f.a), lotId: null, locationId: f.plant.loc.point_of_use, quantity: "1" },
        ],
      });
      const top = await createStationOrder(tx, f.plant, { number: `WO-T-${randomUUID().slice(0, 4)}`, serials: ["T"], ops: [{ seq: 10 }], bom: [{ find: 1, partRevisionId: f.order.partRevisionId, qty: "1", op: 10 }] });
      const tUnit = top.units[0]!;
      await consumeComponent(tx, f.op, { requestId: rid(), stationId: f.plant.stationId, unitId: tUnit.unitId, operationSeq: 10, item: { serialItemId: f.a.serialItemId } }, t0);
      await completeOperation(tx, f.op, { requestId: rid(), stationId: f.plant.stationId, unitId: tUnit.unitId, operationSeq: 10 }, t0);
      await shipUnit(tx, f.supervisor, { requestId: rid(), unitId: tUnit.unitId, shipTo: "Safran Landing Systems", deliveryNote: "DN-77" }, t1);
      const rows = (await traceWhereUsed(tx, f.plant.siteId, { kind: "serial", id: f.sensors[0]!.id })).rows;
      const inA = rows.find((r) => r.unitSerialNumber === "A")!;
      expect(inA.location).toMatchObject({ kind: "installed", parentSerialNumber: "T", topSerialNumber: "T", topFate: { kind: "shipped", at: t1, to: "Safran Landing Systems", reference: "DN-77" } });
      expect(rows.find((r) => r.unitSerialNumber === "T")!.location).toEqual({ kind: "shipped", at: t1, to: "Safran Landing Systems", reference: "DN-77" });
      const csv = await whereUsedCsv(tx, f.quality, { target: { kind: "serial", id: f.sensors[0]!.id } }, t2);
      expect(csv).toContain("installed in T; shipped to Safran Landing Systems on 2026-11-21 (DN-77)");
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });
});
