import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart, createTestSerial } from "@/db/testing/factories";
import { issueToPointOfUse } from "@/db/testing/genealogy-fixtures";
import { createStationOrder, createStationPlant, onHandAt, operatorActor, rowCounts } from "@/db/testing/station-fixtures";
import * as s from "@/db/schema";
import { queryRows, type Tx } from "@/db/client";
import { DomainError } from "@/server/domain/shared/errors";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { postMovement } from "@/server/repos/ledger";
import { consumeComponent } from "./consume-component";
import { removeComponent } from "./remove-component";
import { scrapMaterial } from "./scrap-material";

const t = useTestDatabase("empty");
const t0 = new Date("2026-11-20T15:00:00Z");
const t1 = new Date("2026-11-21T15:00:00Z");
const t2 = new Date("2026-11-22T15:00:00Z");
const rid = () => randomUUID();

async function expectRefused(tx: Tx, code: string, run: () => Promise<unknown>, message?: RegExp): Promise<DomainError> {
  const before = await rowCounts(tx);
  let err: unknown = null;
  try {
    await run();
  } catch (e) {
    err = e;
  }
  if (!(err instanceof DomainError)) throw err ?? new Error("expected a refusal");
  expect(err.code, err.message).toBe(code);
  if (message) expect(err.message).toMatch(message);
  expect(await rowCounts(tx)).toEqual(before);
  return err;
}

async function setup(tx: Tx) {
  const plant = await createStationPlant(tx);
  const sensor = await createTestPart(tx, "serial");
  const gasket = await createTestPart(tx, "lot", { uom: "EA" });
  const order = await createStationOrder(tx, plant, {
    number: `WO-${randomUUID().slice(0, 6)}`,
    serials: ["A", "B"],
    bom: [
      { find: 1, partRevisionId: sensor.revisionId, qty: "1", op: 10 },
      { find: 2, partRevisionId: gasket.revisionId, qty: "2", op: 10 },
    ],
  });
  const sn = await createTestSerial(tx, plant.siteId, sensor.revisionId, { serialNumber: `SEN-${randomUUID().slice(0, 4)}` });
  await issueToPointOfUse(tx, plant, { partRevisionId: sensor.revisionId, lotId: null, serialItemId: sn.id }, "1", t0);
  const lot = await createTestLot(tx, plant.siteId, gasket.revisionId);
  await issueToPointOfUse(tx, plant, { partRevisionId: gasket.revisionId, lotId: lot.id, serialItemId: null }, "10", t0);
  const op = operatorActor(plant);
  const [a, b] = order.units;
  return { plant, sensor, gasket, order, sn, lot, op, a: a!, b: b! };
}

describe("removeComponent (rework) and scrapMaterial", () => {
  it("scenario 4: install a serial in A, remove it in rework with a reason, install it in B; A's history keeps it, where-used shows both with dates", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const at = (unitId: string) => ({ requestId: rid(), stationId: f.plant.stationId, unitId, operationSeq: 10 });
      const inA = await consumeComponent(tx, f.op, { ...at(f.a.unitId), item: { scan: f.sn.serialNumber } }, t0);
      await expectRefused(tx, "SERIAL_ALREADY_INSTALLED", () => consumeComponent(tx, f.op, { ...at(f.b.unitId), item: { scan: f.sn.serialNumber } }, t0));

      const before = await rowCounts(tx);
      const out = await removeComponent(tx, f.op, { requestId: rid(), edgeId: inA.edgeId, reason: "Failed functional test", destination: "stores" }, t1);
      expect(out).toMatchObject({ unitSerial: "A", serialNumber: f.sn.serialNumber, destination: "stores", locationCode: "STORES", quantity: "1" });
      const after = await rowCounts(tx);
      // audit: the removal and the NCR the removal raised (issue 19, Must 4: the unit's rework; back to stores, nothing is held)
      expect(after).toMatchObject({ movements: before.movements + 1, edges: before.edges, closedEdges: before.closedEdges + 1, outbox: before.outbox + 1, audit: before.audit + 2 });
      expect(out).toMatchObject({ ncrRaised: true, ncrNumber: "NCR-000001" });
      const [ncr] = await tx.select().from(s.ncrs).where(eq(s.ncrs.id, out.ncrId));
      expect(ncr).toMatchObject({ targetType: "operation", unitId: f.a.unitId, operationSeq: 10, edgeId: inA.edgeId, description: "Failed functional test", status: "open" });
      expect(ncr!.holdId).toBeNull();
      const [reversal] = await queryRows<{ payload: Record<string, unknown> }>(tx, sql`select payload from erp_outbox where type = 'reversal'`);
      expect(reversal!.payload).toMatchObject({ movementType: "262", serial: f.sn.serialNumber, reason: "Failed functional test" });
      const item = { partRevisionId: f.sensor.revisionId, serialItemId: f.sn.id };
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.stores, item)).toBe("1");
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.consumed, item)).toBe("0");
      await expectRefused(tx, "ALREADY_REMOVED", () => removeComponent(tx, f.op, { requestId: rid(), edgeId: inA.edgeId, reason: "Again", destination: "scrap" }, t1), /already removed from unit A/);

      // kitting stages it at the station again; it goes into B
      await postMovement(tx, {
        siteId: f.plant.siteId,
        kind: "stage",
        occurredAt: t1,
        legs: [
          { ...item, lotId: null, locationId: f.plant.loc.stores, quantity: "-1" },
          { ...item, lotId: null, locationId: f.plant.loc.point_of_use, quantity: "1" },
        ],
      });
      await consumeComponent(tx, f.op, { ...at(f.b.unitId), item: { scan: f.sn.serialNumber } }, t2);

      const openOf = async (unitId: string) =>
        tx.select().from(s.genealogyEdges).where(and(eq(s.genealogyEdges.parentUnitId, unitId), isNull(s.genealogyEdges.removedAt)));
      expect((await openOf(f.a.unitId)).map((e) => e.childSerialItemId)).toEqual([]);
      expect((await openOf(f.b.unitId)).map((e) => e.childSerialItemId)).toEqual([f.sn.id]);
      const history = await tx.select().from(s.genealogyEdges).where(eq(s.genealogyEdges.parentUnitId, f.a.unitId));
      expect(history).toEqual([expect.objectContaining({ childSerialItemId: f.sn.id, removalReason: "Failed functional test", removedBy: f.plant.operatorId })]);
      const whereUsed = await queryRows<{ serial: string; installed_at: string; removed_at: string | null }>(
        tx,
        sql`select u.serial, to_char(e.installed_at at time zone 'UTC', 'YYYY-MM-DD') as installed_at, to_char(e.removed_at at time zone 'UTC', 'YYYY-MM-DD') as removed_at
            from genealogy_edges e join units u on u.id = e.parent_unit_id where e.child_serial_item_id = ${f.sn.id} order by e.installed_at`,
      );
      expect(whereUsed).toEqual([
        { serial: "A", installed_at: "2026-11-20", removed_at: "2026-11-21" },
        { serial: "B", installed_at: "2026-11-22", removed_at: null },
      ]);
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it("a lot quantity removed to quarantine or scrap; bad removals are refused with nothing written", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const e1 = await consumeComponent(tx, f.op, { requestId: rid(), stationId: f.plant.stationId, unitId: f.a.unitId, operationSeq: 10, item: { lotId: f.lot.id }, quantity: "2" }, t0);
      await expectRefused(tx, "VALIDATION_FAILED", () => removeComponent(tx, f.op, { requestId: rid(), edgeId: e1.edgeId, reason: " ", destination: "quarantine" }, t1), /Say why/);
      await expectRefused(tx, "VALIDATION_FAILED", () => removeComponent(tx, f.op, { requestId: rid(), edgeId: e1.edgeId, reason: "Torn", destination: "quarantine", locationId: f.plant.loc.stores }, t1), /not a quarantine/);
      await expectRefused(tx, "NOT_FOUND", () => removeComponent(tx, f.op, { requestId: rid(), edgeId: randomUUID(), reason: "Torn", destination: "quarantine" }, t1));
      await expectRefused(tx, "FORBIDDEN", () => removeComponent(tx, operatorActor(f.plant, ["kitting_clerk"]), { requestId: rid(), edgeId: e1.edgeId, reason: "Torn", destination: "quarantine" }, t1));
      const out = await removeComponent(tx, f.op, { requestId: rid(), edgeId: e1.edgeId, reason: "Torn on install", destination: "quarantine" }, t1);
      expect(out).toMatchObject({ quantity: "2", locationCode: "QUARANTINE", lotNumber: f.lot.lotNumber });
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.quarantine, { partRevisionId: f.gasket.revisionId, lotId: f.lot.id })).toBe("2");
      // reinstall from the point of use, then remove to scrap: reversal 262 and scrap 551
      const e2 = await consumeComponent(tx, f.op, { requestId: rid(), stationId: f.plant.stationId, unitId: f.a.unitId, operationSeq: 10, item: { lotId: f.lot.id }, quantity: "2" }, t1);
      const cmd = { requestId: rid(), edgeId: e2.edgeId, reason: "Crushed", destination: "scrap" as const };
      const first = await removeComponent(tx, f.op, cmd, t2);
      const counts = await rowCounts(tx);
      expect(await removeComponent(tx, f.op, cmd, t2)).toEqual(first);
      expect(await rowCounts(tx)).toEqual(counts);
      const types = await queryRows<{ type: string; mt: string }>(tx, sql`select type, payload->>'movementType' as mt from erp_outbox where type in ('reversal', 'scrap') order by id`);
      expect(types).toEqual([
        { type: "reversal", mt: "262" },
        { type: "reversal", mt: "262" },
        { type: "scrap", mt: "551" },
      ]);
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.scrap, { partRevisionId: f.gasket.revisionId, lotId: f.lot.id })).toBe("2");
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it("scraps a lot quantity from the point of use with a reason code; refuses more than is there, no reason, a virtual location", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const base = { locationId: f.plant.loc.point_of_use, item: { scan: f.lot.lotNumber } };
      await expectRefused(tx, "INSUFFICIENT_STOCK", () => scrapMaterial(tx, f.op, { ...base, requestId: rid(), quantity: "10.5", reasonCode: "DAMAGED" }, t1), /not 10.5 EA/);
      await expectRefused(tx, "VALIDATION_FAILED", () => scrapMaterial(tx, f.op, { ...base, requestId: rid(), quantity: "1", reasonCode: "BORED" as never }, t1), /scrap reason/);
      await expectRefused(tx, "VALIDATION_FAILED", () => scrapMaterial(tx, f.op, { ...base, requestId: rid(), quantity: "0.0000001", reasonCode: "DAMAGED" }, t1));
      await expectRefused(tx, "VALIDATION_FAILED", () => scrapMaterial(tx, f.op, { ...base, locationId: f.plant.loc.consumed, requestId: rid(), quantity: "1", reasonCode: "DAMAGED" }, t1));
      const out = await scrapMaterial(tx, f.op, { ...base, requestId: rid(), quantity: "1.5", reasonCode: "CONTAMINATED", note: "oil spill" }, t1);
      expect(out).toMatchObject({ quantity: "1.5", fromCode: "POINT_OF_USE" });
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.point_of_use, { partRevisionId: f.gasket.revisionId, lotId: f.lot.id })).toBe("8.5");
      const [row] = await queryRows<{ payload: Record<string, unknown> }>(tx, sql`select payload from erp_outbox where type = 'scrap'`);
      expect(row!.payload).toMatchObject({ movementType: "551", quantity: "1.5", batch: f.lot.lotNumber, reason: "CONTAMINATED: Contaminated (oil spill)" });
      const [mv] = await tx.select().from(s.movements).where(eq(s.movements.id, out.movementId)).orderBy(asc(s.movements.occurredAt));
      expect(mv).toMatchObject({ kind: "scrap", reason: "CONTAMINATED: Contaminated (oil spill)" });
      // a serial: scrapped whole
      await scrapMaterial(tx, f.op, { requestId: rid(), locationId: f.plant.loc.point_of_use, item: { serialItemId: f.sn.id }, reasonCode: "DROPPED" }, t1);
      await expectRefused(tx, "NOT_STAGED", () => consumeComponent(tx, f.op, { requestId: rid(), stationId: f.plant.stationId, unitId: f.a.unitId, operationSeq: 10, item: { serialItemId: f.sn.id } }, t2));
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });
});
