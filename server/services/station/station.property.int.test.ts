import { describe, expect, it } from "vitest";
import fc from "fast-check";
import Decimal from "decimal.js";
import { randomUUID } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart, createTestSerial } from "@/db/testing/factories";
import { issueToPointOfUse } from "@/db/testing/genealogy-fixtures";
import { createStationOrder, createStationPlant, onHandAt, operatorActor } from "@/db/testing/station-fixtures";
import * as s from "@/db/schema";
import { queryRows, type Tx } from "@/db/client";
import { DomainError } from "@/server/domain/shared/errors";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { postMovement } from "@/server/repos/ledger";
import { consumeComponent } from "./consume-component";
import { completeOperation } from "./complete-operation";
import { removeComponent } from "./remove-component";
import { scrapMaterial } from "./scrap-material";

/**
 * Model-based: random sequences of consume (serial, lot quantity), scrap, remove (to stores, quarantine, scrap),
 * re-stage and reinstall, complete (with backflush) and duplicated requests run against the database and against a
 * small in-memory model of the plant. After every step the outcome (recorded, or the refusal code) and the state
 * (point-of-use stock, each unit's open as-built, operation and unit status, outbox rows) agree; at the end the ledger
 * checkers are green.
 *
 * The plant: units U1..U3; op 10 takes one serial S (find 1) and 0.5 of lot L (find 2); op 20 backflushes 2 washers
 * (untracked, find 3). Point of use: serials S1..S4, 1.0 of L, 5 washers.
 */
const t = useTestDatabase("empty");
const RUNS = Number(process.env.FC_RUNS ?? 25);
const SEED = Number(process.env.FC_SEED ?? Date.now() % 2_147_483_647);
const T0 = new Date("2026-11-20T15:00:00Z").getTime();

type Cmd =
  | { kind: "consumeSerial"; unit: number; serial: number }
  | { kind: "consumeLot"; unit: number; qty: string }
  | { kind: "complete"; unit: number; seq: 10 | 20 }
  | { kind: "remove"; unit: number; pick: number; destination: "stores" | "quarantine" | "scrap" }
  | { kind: "restage"; serial: number }
  | { kind: "scrapLot"; qty: string }
  | { kind: "scrapSerial"; serial: number }
  | { kind: "duplicate" };

const unitArb = fc.integer({ min: 0, max: 2 });
const serialArb = fc.integer({ min: 0, max: 3 });
const qtyArb = fc.constantFrom("0.1", "0.2", "0.25", "0.3", "0.5");
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("consumeSerial" as const), unit: unitArb, serial: serialArb }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("consumeLot" as const), unit: unitArb, qty: qtyArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("complete" as const), unit: unitArb, seq: fc.constantFrom(10 as const, 20 as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("remove" as const), unit: unitArb, pick: fc.nat(5), destination: fc.constantFrom("stores" as const, "quarantine" as const, "scrap" as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("restage" as const), serial: serialArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("scrapLot" as const), qty: qtyArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("scrapSerial" as const), serial: serialArb }) },
  { weight: 2, arbitrary: fc.constant({ kind: "duplicate" as const }) },
);

type Edge = { id: string; item: "S" | "L" | "W"; serial: number | null; qty: Decimal };
type SerialPlace = "pou" | "stores" | "quarantine" | "scrap" | { unit: number };

class Model {
  serials: SerialPlace[] = ["pou", "pou", "pou", "pou"];
  lotPou = new Decimal("1");
  washersPou = new Decimal("5");
  edges: Edge[][] = [[], [], []];
  ops: { 10: boolean; 20: boolean }[] = [0, 1, 2].map(() => ({ 10: false, 20: false }));
  outbox = 0;

  installed(unit: number, item: "S" | "L" | "W"): Decimal {
    return this.edges[unit]!.filter((e) => e.item === item).reduce((a, e) => a.plus(e.qty), new Decimal(0));
  }
  unitDone(unit: number) {
    return this.ops[unit]![20];
  }
  /** The refusal code the service must give, or "OK". Mirrors the documented order of the checks. */
  expect(c: Exclude<Cmd, { kind: "duplicate" | "restage" }>): string {
    switch (c.kind) {
      case "consumeSerial": {
        if (this.unitDone(c.unit)) return "UNIT_NOT_OPEN";
        if (this.ops[c.unit]![10]) return "OPERATION_NOT_OPEN";
        if (this.installed(c.unit, "S").gte(1)) return "OVER_INSTALL";
        const place = this.serials[c.serial]!;
        if (typeof place === "object") return "SERIAL_ALREADY_INSTALLED";
        // removed to quarantine: under the removal's NCR, the serial is held (the hold is checked before staging)
        if (place === "quarantine") return "LOT_ON_HOLD";
        return place === "pou" ? "OK" : "NOT_STAGED";
      }
      case "consumeLot": {
        if (this.unitDone(c.unit)) return "UNIT_NOT_OPEN";
        if (this.ops[c.unit]![10]) return "OPERATION_NOT_OPEN";
        if (this.installed(c.unit, "L").plus(c.qty).gt("0.5")) return "OVER_INSTALL";
        return this.lotPou.gte(c.qty) ? "OK" : "INSUFFICIENT_STOCK";
      }
      case "complete": {
        if (this.unitDone(c.unit)) return "UNIT_NOT_OPEN";
        if (c.seq === 10) {
          if (this.ops[c.unit]![10]) return "OPERATION_NOT_OPEN";
          return this.installed(c.unit, "S").eq(1) && this.installed(c.unit, "L").eq("0.5") ? "OK" : "MISSING_COMPONENTS";
        }
        if (!this.ops[c.unit]![10]) return "OPERATION_NOT_OPEN";
        const need = Decimal.max(new Decimal(2).minus(this.installed(c.unit, "W")), 0);
        return this.washersPou.gte(need) ? "OK" : "BACKFLUSH_SHORT";
      }
      case "remove":
        return "OK";
      case "scrapLot":
        return this.lotPou.gte(c.qty) ? "OK" : "INSUFFICIENT_STOCK";
      case "scrapSerial":
        return this.serials[c.serial] === "pou" ? "OK" : "INSUFFICIENT_STOCK";
    }
  }
}

async function plant(tx: Tx) {
  const p = await createStationPlant(tx);
  const S = await createTestPart(tx, "serial");
  const L = await createTestPart(tx, "lot", { uom: "L" });
  const W = await createTestPart(tx, "untracked");
  const order = await createStationOrder(tx, p, {
    number: "WO-PROP",
    serials: ["U1", "U2", "U3"],
    bom: [
      { find: 1, partRevisionId: S.revisionId, qty: "1", op: 10 },
      { find: 2, partRevisionId: L.revisionId, qty: "0.5", op: 10 },
      { find: 3, partRevisionId: W.revisionId, qty: "2", op: 20, backflush: true },
    ],
  });
  const at = new Date(T0);
  const serials = [];
  for (let i = 0; i < 4; i++) {
    const item = await createTestSerial(tx, p.siteId, S.revisionId, { serialNumber: `S${i + 1}` });
    await issueToPointOfUse(tx, p, { partRevisionId: S.revisionId, lotId: null, serialItemId: item.id }, "1", at);
    serials.push(item.id);
  }
  const lot = await createTestLot(tx, p.siteId, L.revisionId, { lotNumber: "L-PROP" });
  await issueToPointOfUse(tx, p, { partRevisionId: L.revisionId, lotId: lot.id, serialItemId: null }, "1", at);
  await issueToPointOfUse(tx, p, { partRevisionId: W.revisionId, lotId: null, serialItemId: null }, "5", at);
  return { p, S: S.revisionId, L: L.revisionId, W: W.revisionId, order, serials, lotId: lot.id, actor: operatorActor(p) };
}

describe("station model-based property", () => {
  it(`random station sequences agree with the model and keep the ledger sound (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmdArb, { minLength: 1, maxLength: 25 }), async (cmds) => {
        await inRollback(t.db, async (tx) => {
          const w = await plant(tx);
          const m = new Model();
          let last: { run: () => Promise<unknown>; result: unknown } | null = null;
          for (const [step, c] of cmds.entries()) {
            const now = new Date(T0 + (step + 1) * 60_000);
            const unitOf = (i: number) => w.order.units[i]!;
            const base = (unit: number) => ({ requestId: randomUUID(), stationId: w.p.stationId, unitId: unitOf(unit).unitId });
            if (c.kind === "duplicate") {
              if (!last) continue;
              const before = await snapshot(tx, w);
              const again = await outcome(last.run);
              expect(again).toEqual(last.result);
              expect(await snapshot(tx, w)).toEqual(before);
              continue;
            }
            if (c.kind === "restage") {
              if (m.serials[c.serial] !== "stores") continue;
              const item = { partRevisionId: w.S, lotId: null, serialItemId: w.serials[c.serial]! };
              await postMovement(tx, { siteId: w.p.siteId, kind: "stage", occurredAt: now, legs: [{ ...item, locationId: w.p.loc.stores, quantity: "-1" }, { ...item, locationId: w.p.loc.point_of_use, quantity: "1" }] });
              m.serials[c.serial] = "pou";
              last = null;
              continue;
            }
            let run: () => Promise<unknown>;
            let apply: (result: Record<string, unknown>) => Promise<void>;
            let expected: string;
            if (c.kind === "remove") {
              const open = m.edges[c.unit]!;
              if (open.length === 0) continue;
              const edge = open[c.pick % open.length]!;
              const cmd = { requestId: randomUUID(), edgeId: edge.id, reason: "Rework per NCR", destination: c.destination };
              run = () => removeComponent(tx, w.actor, cmd, now);
              expected = "OK";
              apply = async () => {
                m.edges[c.unit] = open.filter((e) => e !== edge);
                if (edge.item === "S") m.serials[edge.serial!] = c.destination;
                m.outbox += c.destination === "scrap" ? 2 : 1;
              };
            } else {
              expected = m.expect(c);
              switch (c.kind) {
                case "consumeSerial": {
                  const cmd = { ...base(c.unit), operationSeq: 10, item: { scan: `S${c.serial + 1}` } };
                  run = () => consumeComponent(tx, w.actor, cmd, now);
                  apply = async (r) => {
                    m.edges[c.unit]!.push({ id: r.edgeId as string, item: "S", serial: c.serial, qty: new Decimal(1) });
                    m.serials[c.serial] = { unit: c.unit };
                    m.outbox += 1;
                  };
                  break;
                }
                case "consumeLot": {
                  const cmd = { ...base(c.unit), operationSeq: 10, item: { lotId: w.lotId }, quantity: c.qty };
                  run = () => consumeComponent(tx, w.actor, cmd, now);
                  apply = async (r) => {
                    m.edges[c.unit]!.push({ id: r.edgeId as string, item: "L", serial: null, qty: new Decimal(c.qty) });
                    m.lotPou = m.lotPou.minus(c.qty);
                    m.outbox += 1;
                  };
                  break;
                }
                case "complete": {
                  const cmd = { ...base(c.unit), operationSeq: c.seq };
                  run = () => completeOperation(tx, w.actor, cmd, now);
                  apply = async () => {
                    m.ops[c.unit]![c.seq] = true;
                    if (c.seq === 20) {
                      const need = Decimal.max(new Decimal(2).minus(m.installed(c.unit, "W")), 0);
                      if (need.gt(0)) {
                        const [edge] = await tx
                          .select({ id: s.genealogyEdges.id })
                          .from(s.genealogyEdges)
                          .where(and(eq(s.genealogyEdges.parentUnitId, unitOf(c.unit).unitId), eq(s.genealogyEdges.childPartRevisionId, w.W), isNull(s.genealogyEdges.removedAt)));
                        m.edges[c.unit]!.push({ id: edge!.id, item: "W", serial: null, qty: need });
                        m.washersPou = m.washersPou.minus(need);
                        m.outbox += 1;
                      }
                      m.outbox += 1; // goods receipt 101
                    } else {
                      m.outbox += 1; // operation confirmation
                    }
                  };
                  break;
                }
                case "scrapLot": {
                  const cmd = { requestId: randomUUID(), locationId: w.p.loc.point_of_use, item: { lotId: w.lotId }, quantity: c.qty, reasonCode: "DAMAGED" as const };
                  run = () => scrapMaterial(tx, w.actor, cmd, now);
                  apply = async () => {
                    m.lotPou = m.lotPou.minus(c.qty);
                    m.outbox += 1;
                  };
                  break;
                }
                case "scrapSerial": {
                  const cmd = { requestId: randomUUID(), locationId: w.p.loc.point_of_use, item: { serialItemId: w.serials[c.serial]! }, reasonCode: "DROPPED" as const };
                  run = () => scrapMaterial(tx, w.actor, cmd, now);
                  apply = async () => {
                    m.serials[c.serial] = "scrap";
                    m.outbox += 1;
                  };
                  break;
                }
              }
            }
            const result = await outcome(run);
            expect(typeof result === "string" ? result : "OK", `step ${step}: ${JSON.stringify(c)}`).toBe(expected);
            if (typeof result !== "string") await apply(result as Record<string, unknown>);
            last = { run, result };
            expect(await snapshot(tx, w), `after step ${step}: ${JSON.stringify(c)}`).toEqual(modelSnapshot(m, w));
          }
          expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
        });
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 300_000);
});

async function outcome(run: () => Promise<unknown>): Promise<unknown> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
}

type World = Awaited<ReturnType<typeof plant>>;

async function snapshot(tx: Tx, w: World) {
  const serialPou = [];
  for (const id of w.serials) serialPou.push(await onHandAt(tx, w.p.siteId, w.p.loc.point_of_use, { partRevisionId: w.S, serialItemId: id }));
  const units = [];
  for (const u of w.order.units) {
    const edges = await queryRows<{ child: string; qty: string }>(
      tx,
      sql`select coalesce(child_serial_item_id::text, child_lot_id::text, child_part_revision_id::text) as child, quantity::text as qty
          from genealogy_edges where parent_unit_id = ${u.unitId} and removed_at is null`,
    );
    const ops = await queryRows<{ seq: number; status: string }>(tx, sql`select seq, status::text as status from unit_operations where unit_id = ${u.unitId} order by seq`);
    units.push({
      asBuilt: edges.map((e) => `${e.child}:${new Decimal(e.qty).toFixed()}`).sort(),
      done: ops.filter((o) => o.status === "completed").map((o) => o.seq),
    });
  }
  const [ob] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from erp_outbox`);
  return {
    serialPou,
    lotPou: await onHandAt(tx, w.p.siteId, w.p.loc.point_of_use, { partRevisionId: w.L, lotId: w.lotId }),
    washersPou: await onHandAt(tx, w.p.siteId, w.p.loc.point_of_use, { partRevisionId: w.W }),
    units,
    outbox: ob!.n,
    ids: { S: w.serials, L: w.lotId, W: w.W },
  };
}

function modelSnapshot(m: Model, w: World) {
  const child = (e: Edge) => (e.item === "S" ? w.serials[e.serial!]! : e.item === "L" ? w.lotId : w.W);
  return {
    serialPou: m.serials.map((p) => (p === "pou" ? "1" : "0")),
    lotPou: m.lotPou.toFixed(),
    washersPou: m.washersPou.toFixed(),
    units: m.edges.map((edges, i) => ({
      asBuilt: edges.map((e) => `${child(e)}:${e.qty.toFixed()}`).sort(),
      done: ([10, 20] as const).filter((seq) => m.ops[i]![seq]),
    })),
    outbox: m.outbox,
    ids: { S: w.serials, L: w.lotId, W: w.W },
  };
}
