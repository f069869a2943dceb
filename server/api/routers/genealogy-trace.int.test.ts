import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import Decimal from "decimal.js";
import { useTestDatabase, inRollback } from "@/db/testing/test-database";
import type { Db, Tx } from "@/db/client";
import * as s from "@/db/schema";
import { createTestLot, createTestPart, createTestSerial } from "@/db/testing/factories";
import {
  completeOperations,
  completeUnit,
  createPlant,
  createWorkOrder,
  install,
  issueToPointOfUse,
  removeInstalled,
  type Plant,
} from "@/db/testing/genealogy-fixtures";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { createCallerFactory, type Context } from "@/server/api/trpc";
import type { Role } from "@/server/auth/types";
import { genealogyRouter } from "./genealogy";
import { walkAsBuilt } from "./as-built-walk.testing";

/* docs/domain.md scenarios 3-6 at the API, plus search, as-designed vs as-built, unlimited depth, site scoping and roles. */

const t = useTestDatabase("empty");
const createCaller = createCallerFactory(genealogyRouter);
const api = (tx: Tx, plant: Plant, roles: Role[] = ["quality_engineer"]) =>
  createCaller({ db: tx as unknown as Db, actor: plant.actor(roles), clientKey: "test", now: () => new Date("2026-11-20T18:00:00Z") } satisfies Context);

const at = (h: number) => new Date(Date.UTC(2026, 10, 10, h, 0, 0));

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    return e instanceof TRPCError ? e.code : String(e);
  }
}

async function ledgerIsConsistent(tx: Tx) {
  expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
}

describe("genealogy trace", () => {
  it("scenario 3: five units with one shared lot and five serials: each as-built shows its own serial, the lot is under all five", async () => {
    await inRollback(t.db, async (tx) => {
      const plant = await createPlant(tx);
      const serialPart = await createTestPart(tx, "serial");
      const lotPart = await createTestPart(tx, "lot");
      const lot = await createTestLot(tx, plant.siteId, lotPart.revisionId, { lotNumber: "SHARED-1" });
      const wo = await createWorkOrder(tx, plant, { number: "WO-S3", serials: ["U-1", "U-2", "U-3", "U-4", "U-5"] });
      await issueToPointOfUse(tx, plant, { partRevisionId: lotPart.revisionId, lotId: lot.id, serialItemId: null }, "2.5", at(1));
      for (const [i, unit] of wo.units.entries()) {
        const comp = await createTestSerial(tx, plant.siteId, serialPart.revisionId, { serialNumber: `C-${i + 1}` });
        const m = { partRevisionId: serialPart.revisionId, lotId: null, serialItemId: comp.id };
        await issueToPointOfUse(tx, plant, m, "1", at(1));
        await install(tx, plant, unit, m, { at: at(2 + i), find: 10 });
        await install(tx, plant, unit, { partRevisionId: lotPart.revisionId, lotId: lot.id, serialItemId: null }, { quantity: "0.5", at: at(2 + i), find: 20 });
      }
      const q = api(tx, plant);
      for (const [i, unit] of wo.units.entries()) {
        const { tree } = await walkAsBuilt(q, { serialItemId: unit.serialItemId });
        expect(tree.nodes.filter((n) => n.serialNumber !== null).map((n) => n.serialNumber)).toEqual([`C-${i + 1}`]);
        const shared = tree.nodes.filter((n) => n.lotNumber === "SHARED-1");
        expect(shared).toHaveLength(1);
        expect(new Decimal(shared[0]!.quantity).eq("0.5")).toBe(true);
      }
      const used = await q.whereUsed({ target: { kind: "lot", id: lot.id } });
      expect(used.total).toBe(5);
      expect(used.rows.map((r) => r.unitSerialNumber)).toEqual(["U-1", "U-2", "U-3", "U-4", "U-5"]);
      expect(used.rows.every((r) => r.current && r.level === 1 && r.topLevel)).toBe(true);
      await ledgerIsConsistent(tx);
    });
  });

  it("scenario 4: a serial removed from A in rework and installed into B: current, past and history views, where-used shows both with dates", async () => {
    await inRollback(t.db, async (tx) => {
      const plant = await createPlant(tx);
      const part = await createTestPart(tx, "serial");
      const wo = await createWorkOrder(tx, plant, { number: "WO-S4", serials: ["A-1", "B-1"] });
      const [a, b] = wo.units as [(typeof wo.units)[0], (typeof wo.units)[0]];
      const x = await createTestSerial(tx, plant.siteId, part.revisionId, { serialNumber: "X-42" });
      const m = { partRevisionId: part.revisionId, lotId: null, serialItemId: x.id };
      await issueToPointOfUse(tx, plant, m, "1", at(1));
      const edgeA = await install(tx, plant, a, m, { at: at(2) });
      await removeInstalled(tx, plant, edgeA, { at: at(4), reason: "Connector pin bent" });
      await install(tx, plant, b, m, { at: at(6) });
      const q = api(tx, plant);

      const aNow = await walkAsBuilt(q, { serialItemId: a.serialItemId, includeRemoved: false });
      expect(aNow.tree.nodes).toEqual([]);
      const aHistory = await walkAsBuilt(q, { serialItemId: a.serialItemId });
      expect(aHistory.tree.nodes).toHaveLength(1);
      expect(aHistory.tree.nodes[0]).toMatchObject({ serialNumber: "X-42", removed: true, removalReason: "Connector pin bent", removedByName: "Test User" });
      expect(aHistory.tree.nodes[0]!.removedAt?.toISOString()).toBe(at(4).toISOString());
      // As it stood at 03:00: installed in A, not yet removed; B had nothing.
      const aThen = await walkAsBuilt(q, { serialItemId: a.serialItemId, at: at(3), includeRemoved: false });
      expect(aThen.tree.nodes.map((n) => [n.serialNumber, n.removed])).toEqual([["X-42", false]]);
      expect((await walkAsBuilt(q, { serialItemId: b.serialItemId, at: at(3) })).tree.nodes).toEqual([]);
      // At 05:00 it was out of both.
      expect((await walkAsBuilt(q, { serialItemId: a.serialItemId, at: at(5), includeRemoved: false })).tree.nodes).toEqual([]);
      const bNow = await walkAsBuilt(q, { serialItemId: b.serialItemId });
      expect(bNow.tree.nodes.map((n) => [n.serialNumber, n.removed])).toEqual([["X-42", false]]);

      const used = await q.whereUsed({ target: { kind: "serial", id: x.id } });
      expect(used.total).toBe(2);
      expect(used.currentTotal).toBe(1);
      const byUnit = Object.fromEntries(used.rows.map((r) => [r.unitSerialNumber, r]));
      expect(byUnit["B-1"]).toMatchObject({ current: true, removedAt: null });
      expect(byUnit["B-1"]!.installedAt.toISOString()).toBe(at(6).toISOString());
      expect(byUnit["A-1"]).toMatchObject({ current: false });
      expect(byUnit["A-1"]!.installedAt.toISOString()).toBe(at(2).toISOString());
      expect(byUnit["A-1"]!.removedAt?.toISOString()).toBe(at(4).toISOString());
      expect(used.rows[0]!.unitSerialNumber).toBe("B-1"); // units that contain it now come first
      expect((await q.whereUsed({ target: { kind: "serial", id: x.id }, currentOnly: true })).rows.map((r) => r.unitSerialNumber)).toEqual(["B-1"]);
      await ledgerIsConsistent(tx);
    });
  });

  it("scenario 5: supplier lot -> sub-assembly serial -> top-level unit, with status and location (WIP, then in stock)", async () => {
    await inRollback(t.db, async (tx) => {
      const plant = await createPlant(tx);
      const lotPart = await createTestPart(tx, "lot");
      const lot = await createTestLot(tx, plant.siteId, lotPart.revisionId, { lotNumber: "MM-1", supplierLot: "SUP-77" });
      const sub = await createWorkOrder(tx, plant, { number: "WO-SUB", serials: ["SA-1"] });
      const top = await createWorkOrder(tx, plant, { number: "WO-TOP", serials: ["TOP-1"] });
      const sa = sub.units[0]!;
      const tu = top.units[0]!;
      await issueToPointOfUse(tx, plant, { partRevisionId: lotPart.revisionId, lotId: lot.id, serialItemId: null }, "3", at(1));
      await install(tx, plant, sa, { partRevisionId: lotPart.revisionId, lotId: lot.id, serialItemId: null }, { quantity: "3", at: at(2) });
      await completeUnit(tx, plant, sa, sub.partRevisionId, plant.loc.point_of_use, at(3));
      await install(tx, plant, tu, { partRevisionId: sub.partRevisionId, lotId: null, serialItemId: sa.serialItemId }, { at: at(4) });
      await completeOperations(tx, plant, tu, [10], at(4));
      const q = api(tx, plant);

      const used = await q.whereUsed({ target: { kind: "supplier_lot", supplierLot: "SUP-77" } });
      expect(used.target).toMatchObject({ kind: "supplier_lot", label: "SUP-77" });
      expect(used.total).toBe(2);
      const [first, second] = used.rows;
      expect(first).toMatchObject({ unitSerialNumber: "TOP-1", level: 2, topLevel: true, current: true, status: "in_progress", workOrderNumber: "WO-TOP" });
      expect(first!.path.map((p) => p.serialNumber)).toEqual(["SA-1", "TOP-1"]);
      expect(first!.location).toMatchObject({ kind: "wip", operationSeq: 20, operationCode: "TRQ", operationStatus: "pending" });
      expect(second).toMatchObject({ unitSerialNumber: "SA-1", level: 1, topLevel: false, status: "completed" });
      expect(second!.location).toMatchObject({ kind: "installed", parentSerialNumber: "TOP-1", topSerialNumber: "TOP-1", topStatus: "in_progress" });
      expect((await q.whereUsed({ target: { kind: "supplier_lot", supplierLot: "SUP-77" }, topLevelOnly: true })).rows.map((r) => r.unitSerialNumber)).toEqual(["TOP-1"]);

      await completeUnit(tx, plant, tu, top.partRevisionId, plant.loc.stores, at(5));
      const after = await q.whereUsed({ target: { kind: "lot", id: lot.id }, topLevelOnly: true });
      expect(after.rows[0]).toMatchObject({ unitSerialNumber: "TOP-1", status: "completed" });
      expect(after.rows[0]!.location).toMatchObject({ kind: "in_stock", locationCode: "STORES" });

      // The as-built from the top goes down to the lot, with the supplier lot's quantity.
      const { tree } = await walkAsBuilt(q, { serialItemId: tu.serialItemId });
      expect(tree.nodes.map((n) => [n.depth, n.serialNumber ?? n.lotNumber])).toEqual([
        [1, "SA-1"],
        [2, "MM-1"],
      ]);
      await ledgerIsConsistent(tx);
    });
  });

  it("scenario 6: where-used is paged with an exact total on every page, never cut silently", async () => {
    await inRollback(t.db, async (tx) => {
      const plant = await createPlant(tx);
      const lotPart = await createTestPart(tx, "lot");
      const lot = await createTestLot(tx, plant.siteId, lotPart.revisionId);
      const m = { partRevisionId: lotPart.revisionId, lotId: lot.id, serialItemId: null };
      const wo = await createWorkOrder(tx, plant, { number: "WO-S6", serials: Array.from({ length: 7 }, (_, i) => `P-${i + 1}`) });
      await issueToPointOfUse(tx, plant, m, "7", at(1));
      for (const u of wo.units) await install(tx, plant, u, m, { at: at(2) });
      const q = api(tx, plant);
      const seen: string[] = [];
      for (const offset of [0, 3, 6]) {
        const page = await q.whereUsed({ target: { kind: "lot", id: lot.id }, offset, limit: 3 });
        expect(page.total).toBe(7);
        expect(page.rows).toHaveLength(offset === 6 ? 1 : 3);
        seen.push(...page.rows.map((r) => r.unitSerialNumber));
      }
      expect(new Set(seen).size).toBe(7);
      const past = await q.whereUsed({ target: { kind: "lot", id: lot.id }, offset: 50, limit: 3 });
      expect(past).toMatchObject({ total: 7, currentTotal: 7, rows: [] });
      await ledgerIsConsistent(tx);
    });
  });

  it("walks the whole tree at any depth (30 levels, past the old cap of 25) and gives parameters their units", async () => {
    await inRollback(t.db, async (tx) => {
      const plant = await createPlant(tx);
      const levels = 30;
      const wos = [];
      for (let i = 0; i < levels; i++) wos.push(await createWorkOrder(tx, plant, { number: `WO-D${i}`, serials: [`D-${i}`], parameterSpecs: [{ name: "Torque", unit: "N·m" }] }));
      // D-(i+1) goes into D-i: D-0 is the top, D-29 the deepest.
      for (let i = levels - 1; i >= 1; i--) {
        const child = wos[i]!.units[0]!;
        await completeUnit(tx, plant, child, wos[i]!.partRevisionId, plant.loc.point_of_use, at(1));
        await install(tx, plant, wos[i - 1]!.units[0]!, { partRevisionId: wos[i]!.partRevisionId, lotId: null, serialItemId: child.serialItemId }, { at: at(2), op: 20, parameters: { Torque: "4.3" } });
      }
      const { tree } = await walkAsBuilt(api(tx, plant), { serialItemId: wos[0]!.units[0]!.serialItemId });
      expect(tree.nodes).toHaveLength(levels - 1);
      expect(tree.nodes[0]!.below).toBe(levels - 2); // the first level says how much lies below, exactly
      expect(tree.nodes.map((n) => n.depth)).toEqual(Array.from({ length: levels - 1 }, (_, i) => i + 1));
      expect(tree.nodes[0]!.parameterValues).toEqual([{ name: "Torque", value: "4.3", unit: "N·m" }]);
      expect(tree.nodes[0]!.operationCode).toBe("TRQ");
      // Where-used from the deepest serial reaches the top, 29 levels up.
      const used = await api(tx, plant).whereUsed({ target: { kind: "serial", id: wos[levels - 1]!.units[0]!.serialItemId }, topLevelOnly: true });
      expect(used.rows.map((r) => [r.unitSerialNumber, r.level])).toEqual([["D-0", levels - 1]]);
      await ledgerIsConsistent(tx);
    });
  });

  it("compares as-designed with as-built per level: substituted revision, missing, extra, not yet due, serial effectivity", async () => {
    await inRollback(t.db, async (tx) => {
      const plant = await createPlant(tx);
      const p = await createTestPart(tx, "serial"); // designed rev A, built rev B
      const [revB] = await tx.insert(s.partRevisions).values({ partId: p.partId, revision: "B" }).returning();
      const q1 = await createTestPart(tx, "serial"); // designed, never installed (op 10 done): missing
      const lotPart = await createTestPart(tx, "lot"); // designed 2 at op 20, installed 2: as designed
      const later = await createTestPart(tx, "serial"); // op 20 line, nothing yet, op 20 not done: not yet due
      const extra = await createTestPart(tx, "serial"); // not on the BOM: extra
      const effectiveOnlyLater = await createTestPart(tx, "serial"); // only for serials from E-5: not expected on E-1
      const wo = await createWorkOrder(tx, plant, {
        number: "WO-DES",
        serials: ["E-1"],
        bom: [
          { find: 10, partRevisionId: p.revisionId, qty: "1", op: 10 },
          { find: 20, partRevisionId: q1.revisionId, qty: "1", op: 10 },
          { find: 30, partRevisionId: lotPart.revisionId, qty: "2", op: 10 },
          { find: 40, partRevisionId: later.revisionId, qty: "1", op: 20 },
          { find: 50, partRevisionId: effectiveOnlyLater.revisionId, qty: "1", op: 10, serialFrom: "E-5" },
        ],
      });
      const unit = wo.units[0]!;
      const sB = await createTestSerial(tx, plant.siteId, revB!.id);
      const sX = await createTestSerial(tx, plant.siteId, extra.revisionId);
      const lot = await createTestLot(tx, plant.siteId, lotPart.revisionId);
      for (const [m, qty] of [
        [{ partRevisionId: revB!.id, lotId: null, serialItemId: sB.id }, "1"],
        [{ partRevisionId: extra.revisionId, lotId: null, serialItemId: sX.id }, "1"],
        [{ partRevisionId: lotPart.revisionId, lotId: lot.id, serialItemId: null }, "2"],
      ] as const) {
        await issueToPointOfUse(tx, plant, m, qty, at(1));
        await install(tx, plant, unit, m, { quantity: qty, at: at(2) });
      }
      await completeOperations(tx, plant, unit, [10], at(3));
      const { levels } = await api(tx, plant).asDesigned({ serialItemId: unit.serialItemId });
      expect(levels).toHaveLength(1);
      const byPart = Object.fromEntries(levels[0]!.rows.map((r) => [r.partNumber, r]));
      expect(byPart[p.partNumber]).toMatchObject({ verdict: "substituted", designedRevision: "A", built: [{ revision: "B", quantity: "1" }] });
      expect(byPart[q1.partNumber]).toMatchObject({ verdict: "missing", shortBy: "1" });
      expect(byPart[lotPart.partNumber]).toMatchObject({ verdict: "as_designed", builtQuantity: "2" });
      expect(byPart[later.partNumber]).toMatchObject({ verdict: "not_yet_due" });
      expect(byPart[extra.partNumber]).toMatchObject({ verdict: "extra", findNumber: null });
      expect(byPart[effectiveOnlyLater.partNumber]).toBeUndefined();
      expect(levels[0]!.deviations).toBe(3);
      await ledgerIsConsistent(tx);
    });
  });

  it("searches any identifier, typed or scanned; unknown text answers not found with close matches", async () => {
    await inRollback(t.db, async (tx) => {
      const plant = await createPlant(tx);
      const lotPart = await createTestPart(tx, "lot", { partNumber: "BKT-4410-07" });
      const [mfr] = await tx.insert(s.manufacturers).values({ code: "1ZZ77", name: "Kestrel Precision" }).returning();
      const lot = await createTestLot(tx, plant.siteId, lotPart.revisionId, { lotNumber: "KP24-0901", supplierLot: "KS-5510", manufacturerId: mfr!.id });
      const wo = await createWorkOrder(tx, plant, { number: "WO-900001", serials: ["ACT-7001"] });
      const q = api(tx, plant);

      const unit = await q.search({ q: "  ACT-7001 " });
      expect(unit.hits.map((h) => [h.kind, h.label, h.serialItemId])).toEqual([["unit", "ACT-7001", wo.units[0]!.serialItemId]]);
      expect((await q.search({ q: "KP24-0901" })).hits.map((h) => [h.kind, h.id])).toEqual([["lot", lot.id]]);
      expect((await q.search({ q: "KS-5510" })).hits.map((h) => [h.kind, h.id])).toEqual([["supplier_lot", "KS-5510"]]);
      expect((await q.search({ q: "WO-900001" })).hits.map((h) => h.kind)).toEqual(["work_order"]);
      expect((await q.search({ q: "1ZZ77" })).hits.map((h) => [h.kind, h.id])).toEqual([["manufacturer", mfr!.id]]);
      expect((await q.search({ q: "kestrel precision" })).hits.map((h) => h.kind)).toEqual(["manufacturer"]);
      const pn = await q.search({ q: "BKT-4410-07" });
      expect(pn.hits.map((h) => h.kind)).toEqual(["part_revision", "part"]);
      expect((await q.search({ q: "BKT-4410-07 rev A" })).hits.map((h) => [h.kind, h.revision])).toEqual([["part_revision", "A"]]);
      // Scanned: a GS1 label with GTIN and lot (AI 10), and an ISO 15434 ATA Spec 2000 text element envelope.
      const gs1 = await q.search({ q: "]C1010950600013435210KP24-0901" });
      expect(gs1.hits.map((h) => [h.kind, h.label])).toEqual([["lot", "KP24-0901"]]);
      const ata = await q.search({ q: "[)>\u001e12\u001dMFR 1ZZ77\u001dSER ACT-7001\u001e\u0004" });
      expect(ata.hits.map((h) => h.kind).sort()).toEqual(["manufacturer", "unit"]);

      const typo = await q.search({ q: "ACT-7010" });
      expect(typo.hits).toEqual([]);
      expect(typo.suggestions[0]).toEqual({ kind: "serial", text: "ACT-7001" });
      const nothing = await q.search({ q: "QQQ-NOTHING" });
      expect(nothing).toMatchObject({ hits: [], suggestions: [] });
      const wild = await q.search({ q: "%" });
      expect(wild.hits).toEqual([]);
    });
  });

  it("keeps other sites out: their serials, lots and supplier lots are not found", async () => {
    await inRollback(t.db, async (tx) => {
      const here = await createPlant(tx);
      const there = await createPlant(tx);
      const part = await createTestPart(tx, "lot");
      const lot = await createTestLot(tx, there.siteId, part.revisionId, { lotNumber: "THERE-1", supplierLot: "SUP-THERE" });
      const wo = await createWorkOrder(tx, there, { number: "WO-THERE", serials: ["THERE-U1"] });
      const q = api(tx, here);
      expect((await q.search({ q: "THERE-U1" })).hits).toEqual([]);
      expect((await q.search({ q: "THERE-1" })).hits).toEqual([]);
      expect((await q.search({ q: "THERE" })).suggestions).toEqual([]);
      expect(await codeOf(q.asBuilt({ serialItemId: wo.units[0]!.serialItemId }))).toBe("NOT_FOUND");
      expect(await codeOf(q.asDesigned({ serialItemId: wo.units[0]!.serialItemId }))).toBe("NOT_FOUND");
      expect(await codeOf(q.whereUsed({ target: { kind: "lot", id: lot.id } }))).toBe("NOT_FOUND");
      expect(await codeOf(q.whereUsed({ target: { kind: "serial", id: wo.units[0]!.serialItemId } }))).toBe("NOT_FOUND");
      expect(await codeOf(q.whereUsed({ target: { kind: "supplier_lot", supplierLot: "SUP-THERE" } }))).toBe("NOT_FOUND");
      expect((await api(tx, there).search({ q: "THERE-U1" })).hits).toHaveLength(1);
    });
  });

  it("lets quality engineers and supervisors trace; refuses operators, kitting clerks and admins", async () => {
    await inRollback(t.db, async (tx) => {
      const plant = await createPlant(tx);
      const part = await createTestPart(tx, "lot");
      const lot = await createTestLot(tx, plant.siteId, part.revisionId);
      const wo = await createWorkOrder(tx, plant, { number: "WO-R", serials: ["R-1"] });
      const si = wo.units[0]!.serialItemId;
      for (const role of ["quality_engineer", "supervisor"] as const) {
        const q = api(tx, plant, [role]);
        expect(await codeOf(q.search({ q: "R-1" }))).toBe("OK");
        expect(await codeOf(q.whereUsed({ target: { kind: "lot", id: lot.id } }))).toBe("OK");
        expect(await codeOf(q.asDesigned({ serialItemId: si }))).toBe("OK");
      }
      for (const role of ["operator", "kitting_clerk", "admin"] as const) {
        const q = api(tx, plant, [role]);
        expect(await codeOf(q.search({ q: "R-1" }))).toBe("FORBIDDEN");
        expect(await codeOf(q.whereUsed({ target: { kind: "lot", id: lot.id } }))).toBe("FORBIDDEN");
        expect(await codeOf(q.asDesigned({ serialItemId: si }))).toBe("FORBIDDEN");
        expect(await codeOf(q.asBuilt({ serialItemId: si }))).toBe("FORBIDDEN");
      }
    });
  });
});
