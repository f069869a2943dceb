import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart, createTestSerial } from "@/db/testing/factories";
import { issueToPointOfUse } from "@/db/testing/genealogy-fixtures";
import { createStationOrder, createStationPlant, onHandAt, operatorActor, rowCounts, type StationPlant } from "@/db/testing/station-fixtures";
import * as s from "@/db/schema";
import { queryRows, type Tx } from "@/db/client";
import { DomainError } from "@/server/domain/shared/errors";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { postMovement } from "@/server/repos/ledger";
import { consumeComponent, type ConsumeCommand } from "./consume-component";

const t = useTestDatabase("empty");
const now = new Date("2026-11-20T15:00:00Z");
const rid = () => randomUUID();

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

/** Refused with this code (and message), and nothing written. */
async function expectRefused(tx: Tx, code: string, run: () => Promise<unknown>, message?: RegExp): Promise<DomainError> {
  const before = await rowCounts(tx);
  const e = await refusal(run());
  expect(e.code, e.message).toBe(code);
  if (message) expect(e.message).toMatch(message);
  expect(await rowCounts(tx)).toEqual(before);
  return e;
}

/**
 * A plant with one order (units U-001..U-003): op 10 takes a serial bracket (find 10), 0.3 of a sealant lot (find 20)
 * and 4 untracked rivets (find 30); op 20 records torque 10..12 N·m. Stock staged at station ST1's point of use.
 */
async function setup(tx: Tx) {
  const plant = await createStationPlant(tx);
  const bracket = await createTestPart(tx, "serial", { description: "Bracket" });
  const sealant = await createTestPart(tx, "lot", { description: "Sealant", uom: "KG" });
  const rivet = await createTestPart(tx, "untracked", { description: "Rivet" });
  const order = await createStationOrder(tx, plant, {
    number: `WO-${randomUUID().slice(0, 6)}`,
    serials: ["U-001", "U-002", "U-003"],
    ops: [{ seq: 10 }, { seq: 20, parameters: [{ name: "torque", unit: "N·m", min: "10", max: "12" }] }],
    bom: [
      { find: 10, partRevisionId: bracket.revisionId, qty: "1", op: 10 },
      { find: 20, partRevisionId: sealant.revisionId, qty: "0.3", op: 10 },
      { find: 30, partRevisionId: rivet.revisionId, qty: "4", op: 10 },
      { find: 40, partRevisionId: bracket.revisionId, qty: "1", op: 20 },
    ],
  });
  const serials = [];
  for (let i = 1; i <= 3; i++) {
    const item = await createTestSerial(tx, plant.siteId, bracket.revisionId, { serialNumber: `BR-${i}` });
    await issueToPointOfUse(tx, plant, { partRevisionId: bracket.revisionId, lotId: null, serialItemId: item.id }, "1", now);
    serials.push(item);
  }
  const lot = await createTestLot(tx, plant.siteId, sealant.revisionId, { lotNumber: `SEAL-${randomUUID().slice(0, 6)}`, expiresAt: new Date("2027-06-01T00:00:00Z") });
  await issueToPointOfUse(tx, plant, { partRevisionId: sealant.revisionId, lotId: lot.id, serialItemId: null }, "1", now);
  await issueToPointOfUse(tx, plant, { partRevisionId: rivet.revisionId, lotId: null, serialItemId: null }, "100", now);
  const operator = operatorActor(plant);
  const cmd = (over: Partial<ConsumeCommand> & Pick<ConsumeCommand, "item">): ConsumeCommand => ({
    requestId: rid(),
    stationId: plant.stationId,
    unitId: order.units[0]!.unitId,
    operationSeq: 10,
    ...over,
  });
  return { plant, bracket, sealant, rivet, order, serials, lot, operator, cmd };
}

async function checksGreen(tx: Tx) {
  expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
}

async function placeHold(tx: Tx, plant: StationPlant, targetType: "lot" | "serial" | "part_revision" | "manufacturer" | "supplier", targetId: string, reason: string) {
  await tx.insert(s.holds).values({ siteId: plant.siteId, targetType, targetId, reason, placedBy: plant.qualityId, placedAt: new Date("2026-11-19T12:00:00Z") });
}

describe("consumeComponent", () => {
  it("installs a serial: ledger legs, edge with full context, operation started, audit, ERP confirmation 261", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const before = await rowCounts(tx);
      const cmd = f.cmd({ item: { scan: "BR-1" } });
      const out = await consumeComponent(tx, f.operator, cmd, now);
      expect(out).toMatchObject({ unitSerial: "U-001", findNumber: 10, serialNumber: "BR-1", quantity: "1", lineLeft: "0" });
      const [audit] = await queryRows<{ entity: string; entity_id: string; request_id: string; actor_user_id: string; occurred_at: string; action: string; new_value: Record<string, unknown> }>(
        tx,
        sql`select entity, entity_id, request_id::text, actor_user_id::text, occurred_at::text, action, new_value from audit_log order by id desc limit 1`,
      );
      expect(audit).toMatchObject({ entity: "genealogy_edge", entity_id: out.edgeId, request_id: cmd.requestId, actor_user_id: f.plant.operatorId, action: "station.consumeComponent" });
      expect(new Date(audit!.occurred_at).toISOString()).toBe(now.toISOString());
      expect(audit!.new_value).toMatchObject({ unit: "U-001", serialNumber: "BR-1", movementId: out.movementId });
      const after = await rowCounts(tx);
      expect(after.movements - before.movements).toBe(1);
      expect(after.edges - before.edges).toBe(1);
      expect(after.outbox - before.outbox).toBe(1);
      expect(after.audit - before.audit).toBe(1);
      expect(after.requests - before.requests).toBe(1);
      const item = { partRevisionId: f.bracket.revisionId, serialItemId: f.serials[0]!.id };
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.point_of_use, item)).toBe("0");
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.consumed, item)).toBe("1");
      const [edge] = await tx.select().from(s.genealogyEdges).where(eq(s.genealogyEdges.id, out.edgeId));
      expect(edge).toMatchObject({
        parentUnitId: f.order.units[0]!.unitId,
        parentSerialItemId: f.order.units[0]!.serialItemId,
        childSerialItemId: f.serials[0]!.id,
        operationSeq: 10,
        operatorUserId: f.plant.operatorId,
        stationId: f.plant.stationId,
        movementId: out.movementId,
      });
      expect(edge!.installedAt.toISOString()).toBe(now.toISOString());
      const [op] = await tx
        .select()
        .from(s.unitOperations)
        .where(and(eq(s.unitOperations.unitId, f.order.units[0]!.unitId), eq(s.unitOperations.seq, 10)));
      expect(op).toMatchObject({ status: "in_progress", stationId: f.plant.stationId });
      const [outbox] = await queryRows<{ type: string; payload: Record<string, unknown> }>(tx, sql`select type, payload from erp_outbox order by id desc limit 1`);
      expect(outbox!.type).toBe("consumption");
      expect(outbox!.payload).toMatchObject({ movementType: "261", serial: "BR-1", quantity: "1", plant: f.plant.code, postingDate: "2026-11-20", reference: out.movementId });
      const [u] = await tx.select().from(s.units).where(eq(s.units.id, f.order.units[0]!.unitId));
      expect(u!.status).toBe("in_progress");
      await checksGreen(tx);
    });
  });

  it("draws one lot across units by id and by scan, refuses a draw over the line, installs untracked by part number", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const [, , u3] = f.order.units;
      await consumeComponent(tx, f.operator, f.cmd({ item: { lotId: f.lot.id }, quantity: "0.3" }), now);
      await consumeComponent(tx, f.operator, f.cmd({ unitId: f.order.units[1]!.unitId, item: { lotId: f.lot.id }, quantity: "0.3" }), now);
      await consumeComponent(tx, f.operator, f.cmd({ unitId: u3!.unitId, item: { lotId: f.lot.id }, quantity: "0.1" }), now);
      const lotItem = { partRevisionId: f.sealant.revisionId, lotId: f.lot.id };
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.point_of_use, lotItem)).toBe("0.3");
      // unit 3 needs 0.2 more of its 0.3
      await consumeComponent(tx, f.operator, f.cmd({ unitId: u3!.unitId, item: { scan: f.lot.lotNumber }, quantity: "0.1" }), now);
      await consumeComponent(tx, f.operator, f.cmd({ unitId: u3!.unitId, item: { lotId: f.lot.id }, quantity: "0.1" }), now);
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.point_of_use, lotItem)).toBe("0.1");
      await expectRefused(tx, "OVER_INSTALL", () => consumeComponent(tx, f.operator, f.cmd({ unitId: u3!.unitId, item: { lotId: f.lot.id }, quantity: "0.1" }), now));
      const rivets = await consumeComponent(tx, f.operator, f.cmd({ item: { scan: (await partNumber(tx, f.rivet.revisionId)) }, quantity: "4" }), now);
      expect(rivets).toMatchObject({ findNumber: 30, quantity: "4", lotNumber: null, serialNumber: null });
      await checksGreen(tx);
    });
  });

  it("a lot label: the one lot it names is judged on its facts (hold, stock); a lot number two parts share installs the lot of the part on the BOM", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const sealant = await partNumber(tx, f.sealant.revisionId);
      // as a scanner sends a GS1 DataMatrix: AIM identifier, GTIN (01, GS1's example), lot (10), group separator, part number (240)
      const label = (lotNumber: string) => `]d2010950600013435210${lotNumber}\u001d240${sealant}`;
      const held = await createTestLot(tx, f.plant.siteId, f.sealant.revisionId);
      await issueToPointOfUse(tx, f.plant, { partRevisionId: f.sealant.revisionId, lotId: held.id, serialItemId: null }, "1", now);
      await placeHold(tx, f.plant, "lot", held.id, "Suspect cure");
      await expectRefused(tx, "LOT_ON_HOLD", () => consumeComponent(tx, f.operator, f.cmd({ item: { scan: label(held.lotNumber) }, quantity: "0.1" }), now), /Suspect cure/);
      const unstaged = await createTestLot(tx, f.plant.siteId, f.sealant.revisionId);
      await expectRefused(tx, "NOT_STAGED", () => consumeComponent(tx, f.operator, f.cmd({ item: { scan: label(unstaged.lotNumber) }, quantity: "0.1" }), now));
      const first = await consumeComponent(tx, f.operator, f.cmd({ item: { scan: label(f.lot.lotNumber) }, quantity: "0.1" }), now);
      expect(first).toMatchObject({ findNumber: 20, partNumber: sealant, lotNumber: f.lot.lotNumber, quantity: "0.1" });
      // the same lot number on a primer (not on this BOM), staged at the same point of use: two candidates
      const primer = await createTestPart(tx, "lot", { description: "Primer", uom: "KG" });
      const twin = await createTestLot(tx, f.plant.siteId, primer.revisionId, { lotNumber: f.lot.lotNumber });
      await issueToPointOfUse(tx, f.plant, { partRevisionId: primer.revisionId, lotId: twin.id, serialItemId: null }, "1", now);
      const second = await consumeComponent(tx, f.operator, f.cmd({ item: { scan: label(f.lot.lotNumber) }, quantity: "0.1" }), now);
      expect(second).toMatchObject({ findNumber: 20, partNumber: sealant, lotNumber: f.lot.lotNumber });
      const sealantLot = { partRevisionId: f.sealant.revisionId, lotId: f.lot.id };
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.point_of_use, sealantLot)).toBe("0.8");
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.point_of_use, { partRevisionId: primer.revisionId, lotId: twin.id })).toBe("1");
      // a hold on the BOM's lot is seen when the label names two lots too
      await placeHold(tx, f.plant, "lot", f.lot.id, "Contaminated");
      await expectRefused(tx, "LOT_ON_HOLD", () => consumeComponent(tx, f.operator, f.cmd({ item: { scan: label(f.lot.lotNumber) }, quantity: "0.1" }), now), /Contaminated/);
      await checksGreen(tx);
    });
  });

  it("scenario 8 exactly: 0.1 three times from a lot of 0.3 leaves 0, not 1e-17", async () => {
    await inRollback(t.db, async (tx) => {
      const plant = await createStationPlant(tx);
      const glue = await createTestPart(tx, "lot", { uom: "L" });
      const order = await createStationOrder(tx, plant, { number: "WO-S8", serials: ["A1", "A2", "A3"], bom: [{ find: 1, partRevisionId: glue.revisionId, qty: "0.1", op: 10 }] });
      const lot = await createTestLot(tx, plant.siteId, glue.revisionId);
      await issueToPointOfUse(tx, plant, { partRevisionId: glue.revisionId, lotId: lot.id, serialItemId: null }, "0.3", now);
      const op = operatorActor(plant);
      for (const u of order.units) {
        await consumeComponent(tx, op, { requestId: rid(), stationId: plant.stationId, unitId: u.unitId, operationSeq: 10, item: { lotId: lot.id }, quantity: "0.1" }, now);
      }
      const [row] = await queryRows<{ on_hand: string; is_zero: boolean }>(
        tx,
        sql`select on_hand::text as on_hand, on_hand = 0 as is_zero from stock_balances where lot_id = ${lot.id} and location_id = ${plant.loc.point_of_use}`,
      );
      expect(row!.is_zero).toBe(true);
      expect(row!.on_hand).toBe("0.000000");
      await checksGreen(tx);
    });
  });

  it("scenario 3: five units, one shared lot and five distinct serials: each as-built has its own serial and the shared lot", async () => {
    await inRollback(t.db, async (tx) => {
      const plant = await createStationPlant(tx);
      const valve = await createTestPart(tx, "serial");
      const grease = await createTestPart(tx, "lot", { uom: "G" });
      const serials = ["S1", "S2", "S3", "S4", "S5"];
      const order = await createStationOrder(tx, plant, {
        number: "WO-S3",
        serials,
        bom: [
          { find: 1, partRevisionId: valve.revisionId, qty: "1", op: 10 },
          { find: 2, partRevisionId: grease.revisionId, qty: "2.5", op: 10 },
        ],
      });
      const lot = await createTestLot(tx, plant.siteId, grease.revisionId);
      await issueToPointOfUse(tx, plant, { partRevisionId: grease.revisionId, lotId: lot.id, serialItemId: null }, "20", now);
      const valves = [];
      for (let i = 0; i < 5; i++) {
        const v = await createTestSerial(tx, plant.siteId, valve.revisionId, { serialNumber: `V-${i}` });
        await issueToPointOfUse(tx, plant, { partRevisionId: valve.revisionId, lotId: null, serialItemId: v.id }, "1", now);
        valves.push(v);
      }
      const op = operatorActor(plant);
      for (const [i, u] of order.units.entries()) {
        const base = { stationId: plant.stationId, unitId: u.unitId, operationSeq: 10 };
        await consumeComponent(tx, op, { ...base, requestId: rid(), item: { scan: `V-${i}` } }, now);
        await consumeComponent(tx, op, { ...base, requestId: rid(), item: { lotId: lot.id }, quantity: "2.5" }, now);
      }
      for (const [i, u] of order.units.entries()) {
        const edges = await tx.select().from(s.genealogyEdges).where(eq(s.genealogyEdges.parentUnitId, u.unitId));
        expect(edges.filter((e) => e.childSerialItemId).map((e) => e.childSerialItemId)).toEqual([valves[i]!.id]);
        expect(edges.filter((e) => e.childLotId).map((e) => [e.childLotId, e.quantity])).toEqual([[lot.id, "2.500000"]]);
      }
      expect(await onHandAt(tx, plant.siteId, plant.loc.point_of_use, { partRevisionId: grease.revisionId, lotId: lot.id })).toBe("7.5");
      await checksGreen(tx);
    });
  });

  it("replays a request id with the same answer and one effect; another payload under the same id is a conflict", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const c = f.cmd({ item: { lotId: f.lot.id }, quantity: "0.2" });
      const first = await consumeComponent(tx, f.operator, c, now);
      const before = await rowCounts(tx);
      const again = await consumeComponent(tx, f.operator, c, new Date(now.getTime() + 5000));
      expect(again).toEqual(first);
      expect(await rowCounts(tx)).toEqual(before);
      await expectRefused(tx, "REQUEST_CONFLICT", () => consumeComponent(tx, f.operator, { ...c, quantity: "0.1" }, now));
      await checksGreen(tx);
    });
  });

  it("scenario 7: expired, on hold, unapproved manufacturer, wrong revision, not on the allowed-lot list: refused with the reason, nothing written", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const stage = async (extra: Partial<typeof s.lots.$inferInsert>) => {
        const lot = await createTestLot(tx, f.plant.siteId, f.sealant.revisionId, extra);
        await issueToPointOfUse(tx, f.plant, { partRevisionId: f.sealant.revisionId, lotId: lot.id, serialItemId: null }, "1", now);
        return lot;
      };
      const expired = await stage({ expiresAt: new Date("2026-11-01T00:00:00Z") });
      await expectRefused(tx, "LOT_EXPIRED", () => consumeComponent(tx, f.operator, f.cmd({ item: { scan: expired.lotNumber }, quantity: "0.1" }), now), /expired on 2026-10-31/);

      const held = await stage({});
      await placeHold(tx, f.plant, "lot", held.id, "Suspect cure");
      await expectRefused(tx, "LOT_ON_HOLD", () => consumeComponent(tx, f.operator, f.cmd({ item: { lotId: held.id }, quantity: "0.1" }), now), /Suspect cure/);

      const [mfr] = await tx.insert(s.manufacturers).values({ code: `M-${randomUUID().slice(0, 5)}`, name: "Acme" }).returning();
      const [good] = await tx.insert(s.manufacturers).values({ code: `G-${randomUUID().slice(0, 5)}`, name: "Good" }).returning();
      await tx.insert(s.approvedManufacturers).values({ partId: f.sealant.partId, manufacturerId: good!.id, status: "approved" });
      const unapproved = await stage({ manufacturerId: mfr!.id });
      await expectRefused(tx, "MANUFACTURER_NOT_APPROVED", () => consumeComponent(tx, f.operator, f.cmd({ item: { lotId: unapproved.id }, quantity: "0.1" }), now), /not listed/);

      // a serial of another revision of the bracket part
      const [revB] = await tx.insert(s.partRevisions).values({ partId: f.bracket.partId, revision: "B" }).returning();
      const wrongRev = await createTestSerial(tx, f.plant.siteId, revB!.id, { serialNumber: "BR-B-1" });
      await issueToPointOfUse(tx, f.plant, { partRevisionId: revB!.id, lotId: null, serialItemId: wrongRev.id }, "1", now);
      await expectRefused(tx, "WRONG_REVISION", () => consumeComponent(tx, f.operator, f.cmd({ item: { scan: "BR-B-1" } }), now), /rev B is not the revision.*rev A/);

      const other = await stage({});
      const allowedOnly = await stage({});
      await tx.insert(s.allowedLots).values({ siteId: f.plant.siteId, workOrderId: f.order.workOrderId, partRevisionId: f.sealant.revisionId, lotId: allowedOnly.id, reason: "Qualified batch", addedBy: f.plant.qualityId, addedAt: now });
      await expectRefused(tx, "LOT_NOT_ALLOWED", () => consumeComponent(tx, f.operator, f.cmd({ item: { lotId: other.id }, quantity: "0.1" }), now), /allowed-lot list/);
      await consumeComponent(tx, f.operator, f.cmd({ item: { lotId: allowedOnly.id }, quantity: "0.1" }), now);
      await checksGreen(tx);
    });
  });

  it("serial effectivity: a unit outside a line's serial range gets the other revision's line", async () => {
    await inRollback(t.db, async (tx) => {
      const plant = await createStationPlant(tx);
      const pump = await createTestPart(tx, "serial");
      const [revB] = await tx.insert(s.partRevisions).values({ partId: pump.partId, revision: "B" }).returning();
      const order = await createStationOrder(tx, plant, {
        number: "WO-EFF",
        serials: ["ACT-99", "ACT-100"],
        bom: [
          { find: 1, partRevisionId: pump.revisionId, qty: "1", op: 10, serialTo: "ACT-99" },
          { find: 1, partRevisionId: revB!.id, qty: "1", op: 10, serialFrom: "ACT-100" },
        ],
      });
      const a = await createTestSerial(tx, plant.siteId, pump.revisionId, { serialNumber: "P-A" });
      const b = await createTestSerial(tx, plant.siteId, revB!.id, { serialNumber: "P-B" });
      for (const [rev, item] of [[pump.revisionId, a], [revB!.id, b]] as const) {
        await issueToPointOfUse(tx, plant, { partRevisionId: rev, lotId: null, serialItemId: item.id }, "1", now);
      }
      const op = operatorActor(plant);
      const at = (u: number, scan: string) => ({ requestId: rid(), stationId: plant.stationId, unitId: order.units[u]!.unitId, operationSeq: 10, item: { scan } });
      await expectRefused(tx, "WRONG_REVISION", () => consumeComponent(tx, op, at(1, "P-A"), now), /ACT-100.*rev B/);
      await consumeComponent(tx, op, at(1, "P-B"), now);
      await consumeComponent(tx, op, at(0, "P-A"), now);
      await checksGreen(tx);
    });
  });

  it("refuses every other bad install with a clear reason and writes nothing", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const u1 = f.order.units[0]!;
      const c = f.cmd;
      // wrong part: a part not on the BOM at op 10
      const stray = await createTestPart(tx, "lot");
      const strayLot = await createTestLot(tx, f.plant.siteId, stray.revisionId);
      await issueToPointOfUse(tx, f.plant, { partRevisionId: stray.revisionId, lotId: strayLot.id, serialItemId: null }, "5", now);
      await expectRefused(tx, "WRONG_PART", () => consumeComponent(tx, f.operator, c({ item: { lotId: strayLot.id }, quantity: "1" }), now), /not on the bill of materials/);
      // unknown and unreadable scans
      await expectRefused(tx, "SCAN_NOT_RECOGNISED", () => consumeComponent(tx, f.operator, c({ item: { scan: "NO-SUCH-THING" } }), now), /NO-SUCH-THING/);
      await expectRefused(tx, "SCAN_NOT_RECOGNISED", () => consumeComponent(tx, f.operator, c({ item: { scan: "]d2\u001d" } }), now));
      // bad quantities
      for (const q of ["0.1234567", "-0.1", "0", "1e-1", "abc"]) {
        await expectRefused(tx, "VALIDATION_FAILED", () => consumeComponent(tx, f.operator, c({ item: { lotId: f.lot.id }, quantity: q }), now));
      }
      await expectRefused(tx, "VALIDATION_FAILED", () => consumeComponent(tx, f.operator, c({ item: { lotId: f.lot.id } }), now), /How much of .* goes in\? 0.3 KG is still needed/);
      await expectRefused(tx, "VALIDATION_FAILED", () => consumeComponent(tx, f.operator, c({ item: { scan: "BR-1" }, quantity: "2" }), now));
      // over-install: the line needs 0.3
      await expectRefused(tx, "OVER_INSTALL", () => consumeComponent(tx, f.operator, c({ item: { lotId: f.lot.id }, quantity: "0.31" }), now), /Only 0.3 KG/);
      // not inspected, shelf life too short, out-time exceeded
      const uninspected = await createTestLot(tx, f.plant.siteId, f.sealant.revisionId, { inspectionStatus: "pending" });
      await issueToPointOfUse(tx, f.plant, { partRevisionId: f.sealant.revisionId, lotId: uninspected.id, serialItemId: null }, "1", now);
      await expectRefused(tx, "LOT_NOT_INSPECTED", () => consumeComponent(tx, f.operator, c({ item: { lotId: uninspected.id }, quantity: "0.1" }), now));
      await tx.update(s.parts).set({ minRemainingShelfLifeDays: 30, outTimeMinutes: 120 }).where(eq(s.parts.id, f.sealant.partId));
      const shortLife = await createTestLot(tx, f.plant.siteId, f.sealant.revisionId, { expiresAt: new Date("2026-12-01T00:00:00Z") });
      await issueToPointOfUse(tx, f.plant, { partRevisionId: f.sealant.revisionId, lotId: shortLife.id, serialItemId: null }, "1", now);
      await expectRefused(tx, "LOT_SHELF_LIFE_TOO_SHORT", () => consumeComponent(tx, f.operator, c({ item: { lotId: shortLife.id }, quantity: "0.1" }), now), /30 days/);
      const thawed = await createTestLot(tx, f.plant.siteId, f.sealant.revisionId, { outTimeStartedAt: new Date(now.getTime() - 121 * 60_000) });
      await issueToPointOfUse(tx, f.plant, { partRevisionId: f.sealant.revisionId, lotId: thawed.id, serialItemId: null }, "1", now);
      await expectRefused(tx, "OUT_TIME_EXCEEDED", () => consumeComponent(tx, f.operator, c({ item: { lotId: thawed.id }, quantity: "0.1" }), now), /120 minutes/);
      const fresh = await createTestLot(tx, f.plant.siteId, f.sealant.revisionId, { outTimeStartedAt: new Date(now.getTime() - 60 * 60_000) });
      await issueToPointOfUse(tx, f.plant, { partRevisionId: f.sealant.revisionId, lotId: fresh.id, serialItemId: null }, "1", now);
      await consumeComponent(tx, f.operator, c({ item: { lotId: fresh.id }, quantity: "0.1" }), now);
      // hold on the part revision and on the serial
      await placeHold(tx, f.plant, "serial", f.serials[1]!.id, "Dropped on the floor");
      await expectRefused(tx, "LOT_ON_HOLD", () => consumeComponent(tx, f.operator, c({ item: { scan: "BR-2" } }), now), /Dropped/);
      // not staged here (in stores), and not enough here
      const inStores = await createTestSerial(tx, f.plant.siteId, f.bracket.revisionId, { serialNumber: "BR-STORES" });
      await postMovement(tx, {
        siteId: f.plant.siteId,
        kind: "receive_from_erp",
        occurredAt: now,
        legs: [
          { partRevisionId: f.bracket.revisionId, lotId: null, serialItemId: inStores.id, locationId: f.plant.loc.erp_supply, quantity: "-1" },
          { partRevisionId: f.bracket.revisionId, lotId: null, serialItemId: inStores.id, locationId: f.plant.loc.stores, quantity: "1" },
        ],
      });
      await expectRefused(tx, "NOT_STAGED", () => consumeComponent(tx, f.operator, c({ item: { scan: "BR-STORES" } }), now), /not staged at station ST1; it is in stores/);
      const lowLot = await createTestLot(tx, f.plant.siteId, f.sealant.revisionId);
      await issueToPointOfUse(tx, f.plant, { partRevisionId: f.sealant.revisionId, lotId: lowLot.id, serialItemId: null }, "0.05", now);
      await expectRefused(tx, "INSUFFICIENT_STOCK", () => consumeComponent(tx, f.operator, c({ item: { lotId: lowLot.id }, quantity: "0.1" }), now), /Only 0.05 KG/);
      // a serial installed elsewhere
      await consumeComponent(tx, f.operator, c({ item: { scan: "BR-1" } }), now);
      await expectRefused(tx, "SERIAL_ALREADY_INSTALLED", () => consumeComponent(tx, f.operator, c({ unitId: f.order.units[1]!.unitId, item: { scan: "BR-1" } }), now), /installed in unit U-001/);
      // op 20 before op 10 is complete; wrong station; parameter out of limits
      await expectRefused(tx, "OPERATION_NOT_OPEN", () => consumeComponent(tx, f.operator, c({ operationSeq: 20, item: { scan: "BR-3" }, parameters: { torque: "11" } }), now), /Operation 10/);
      await expectRefused(tx, "WRONG_STATION", () => consumeComponent(tx, f.operator, c({ stationId: f.plant.station3Id, item: { scan: "BR-3" } }), now));
      await tx.update(s.unitOperations).set({ status: "completed", completedAt: now }).where(and(eq(s.unitOperations.unitId, u1.unitId), eq(s.unitOperations.seq, 10)));
      await expectRefused(tx, "OPERATION_NOT_OPEN", () => consumeComponent(tx, f.operator, c({ item: { scan: "BR-3" } }), now), /already complete/);
      await expectRefused(tx, "PARAMETER_OUT_OF_LIMITS", () => consumeComponent(tx, f.operator, c({ operationSeq: 20, item: { scan: "BR-3" }, parameters: { torque: "12.01" } }), now), /torque 12.01 N·m.*10 to 12 N·m/);
      await expectRefused(tx, "VALIDATION_FAILED", () => consumeComponent(tx, f.operator, c({ operationSeq: 20, item: { scan: "BR-3" }, parameters: { pressure: "1" } }), now));
      const ok = await consumeComponent(tx, f.operator, c({ operationSeq: 20, item: { scan: "BR-3" }, parameters: { torque: "12.000" } }), now);
      const [edge] = await tx.select().from(s.genealogyEdges).where(eq(s.genealogyEdges.id, ok.edgeId));
      expect(edge!.parameters).toEqual({ torque: "12" });
      await checksGreen(tx);
    });
  });

  it("refuses a unit of another site, a closed order, a missing role", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const other = await createStationPlant(tx);
      const otherOrder = await createStationOrder(tx, other, { number: "WO-X", serials: ["X1"], bom: [] });
      await expectRefused(tx, "NOT_FOUND", () => consumeComponent(tx, f.operator, f.cmd({ unitId: otherOrder.units[0]!.unitId, item: { scan: "BR-1" } }), now));
      await expectRefused(tx, "NOT_FOUND", () => consumeComponent(tx, f.operator, f.cmd({ stationId: other.stationId, item: { scan: "BR-1" } }), now));
      await expectRefused(tx, "FORBIDDEN", () => consumeComponent(tx, operatorActor(f.plant, ["kitting_clerk"]), f.cmd({ item: { scan: "BR-1" } }), now));
      await tx.update(s.workOrders).set({ status: "closed" }).where(eq(s.workOrders.id, f.order.workOrderId));
      await expectRefused(tx, "WORK_ORDER_NOT_OPEN", () => consumeComponent(tx, f.operator, f.cmd({ item: { scan: "BR-1" } }), now), /closed/);
    });
  });
});

async function partNumber(tx: Tx, revisionId: string): Promise<string> {
  const [row] = await queryRows<{ part_number: string }>(tx, sql`select p.part_number from part_revisions pr join parts p on p.id = pr.part_id where pr.id = ${revisionId}`);
  return row!.part_number;
}
