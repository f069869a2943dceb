import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart } from "@/db/testing/factories";
import { createStationOrder, createStationPlant, operatorActor } from "@/db/testing/station-fixtures";
import type { Db, Tx } from "@/db/client";
import { createCallerFactory, type Context } from "@/server/api/trpc";
import type { Actor } from "@/server/auth/types";
import { postMovement } from "@/server/repos/ledger";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { completeOperation } from "@/server/services/station/complete-operation";
import { kittingRouter } from "./kitting";
import { productionRouter } from "./production";

/* Who may ship, scrap and return material to ERP through the API, and the answers the screens rely on. */

const t = useTestDatabase("empty");
const now = new Date("2026-11-21T15:00:00Z");
const production = createCallerFactory(productionRouter);
const kitting = createCallerFactory(kittingRouter);
const ctx = (db: Db, actor: Actor): Context => ({ db, actor, clientKey: "test", now: () => now });

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    return e instanceof TRPCError ? e.code : String(e);
  }
}

/** A site with two completed units (U1, U2) in stores and a lot in quarantine. */
async function setup(tx: Tx) {
  const plant = await createStationPlant(tx);
  const order = await createStationOrder(tx, plant, { number: `WO-${randomUUID().slice(0, 6)}`, serials: ["U1", "U2"], ops: [{ seq: 10 }], bom: [] });
  for (const u of order.units) await completeOperation(tx, operatorActor(plant), { requestId: randomUUID(), stationId: plant.stationId, unitId: u.unitId, operationSeq: 10 }, now);
  const part = await createTestPart(tx, "lot");
  const lot = await createTestLot(tx, plant.siteId, part.revisionId);
  const item = { partRevisionId: part.revisionId, lotId: lot.id, serialItemId: null };
  await postMovement(tx, {
    siteId: plant.siteId,
    kind: "receive_from_erp",
    occurredAt: now,
    legs: [
      { ...item, locationId: plant.loc.erp_supply, quantity: "-5" },
      { ...item, locationId: plant.loc.quarantine, quantity: "5" },
    ],
  });
  const db = tx as unknown as Db;
  const role = (r: Actor["roles"][number]) => operatorActor(plant, [r]);
  return {
    plant,
    order,
    lot,
    item,
    production: (r: Actor["roles"][number]) => production(ctx(db, role(r))),
    kitting: (r: Actor["roles"][number]) => kitting(ctx(db, role(r))),
  };
}

describe("production router", () => {
  it("lists finished units in stores to the clerk and the supervisor; ships by either; scraps by the supervisor or quality only", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const [u1, u2] = f.order.units;
      expect((await f.production("kitting_clerk").finishedUnits()).map((u) => [u.serial, u.locationCode, u.holdReasons])).toEqual([
        ["U1", "STORES", []],
        ["U2", "STORES", []],
      ]);
      for (const r of ["operator", "quality_engineer", "admin"] as const) expect(await codeOf(f.production(r).finishedUnits())).toBe("FORBIDDEN");
      const ship = { requestId: randomUUID(), unitId: u1!.unitId, shipTo: "Customer A", deliveryNote: "DN-1" };
      for (const r of ["operator", "quality_engineer"] as const) expect(await codeOf(f.production(r).shipUnit(ship))).toBe("FORBIDDEN");
      expect((await f.production("kitting_clerk").shipUnit(ship)).serial).toBe("U1");
      // a shipped unit leaves the list
      expect((await f.production("supervisor").finishedUnits()).map((u) => u.serial)).toEqual(["U2"]);

      const scrap = { requestId: randomUUID(), unitId: u2!.unitId, reason: "Failed final inspection" };
      for (const r of ["operator", "kitting_clerk"] as const) expect(await codeOf(f.production(r).scrapUnit(scrap))).toBe("FORBIDDEN");
      expect((await f.production("quality_engineer").scrapUnit(scrap)).serial).toBe("U2");
      expect(await f.production("supervisor").finishedUnits()).toEqual([]);
      // refusals arrive with their transport code
      expect(await codeOf(f.production("supervisor").shipUnit({ ...ship, requestId: randomUUID() }))).toBe("CONFLICT");
      expect(await codeOf(f.production("supervisor").shipUnit({ ...ship, requestId: "not-an-id" }))).toBe("BAD_REQUEST");
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });

  it("does not find a unit of another site", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const other = await setup(tx);
      const unitId = other.order.units[0]!.unitId;
      expect(await codeOf(f.production("supervisor").shipUnit({ requestId: randomUUID(), unitId, shipTo: "X", deliveryNote: "DN" }))).toBe("NOT_FOUND");
      expect(await codeOf(f.production("supervisor").scrapUnit({ requestId: randomUUID(), unitId, reason: "Not ours" }))).toBe("NOT_FOUND");
    });
  });
});

describe("kitting router: return to ERP", () => {
  it("lists the stores, kitting and quarantine locations and their stock; the clerk or the supervisor returns, others may not", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const { locations } = await f.kitting("kitting_clerk").returnableStock({});
      expect(locations.map((l) => l.kind).sort()).toEqual(["kitting", "quarantine", "stores"]);
      const view = await f.kitting("supervisor").returnableStock({ locationId: f.plant.loc.quarantine });
      expect(view.location?.code).toBe("QUARANTINE");
      expect(view.stock.map((s) => [s.lotNumber, s.quantity])).toEqual([[f.lot.lotNumber, "5.000000"]]);
      expect(await codeOf(f.kitting("kitting_clerk").returnableStock({ locationId: f.plant.loc.scrap }))).toBe("NOT_FOUND");
      expect(await codeOf(f.kitting("quality_engineer").returnableStock({}))).toBe("FORBIDDEN");

      const cmd = { requestId: randomUUID(), fromLocationId: f.plant.loc.quarantine, item: f.item, quantity: "5", reason: "Rejected at MRB: back to ERP" };
      for (const r of ["operator", "quality_engineer"] as const) expect(await codeOf(f.kitting(r).returnToErp(cmd))).toBe("FORBIDDEN");
      expect(await codeOf(f.kitting("kitting_clerk").returnToErp({ ...cmd, quantity: "6" }))).toBe("CONFLICT");
      expect(await f.kitting("supervisor").returnToErp(cmd)).toMatchObject({ from: "QUARANTINE", to: "RETURNED_TO_ERP", quantity: "5" });
      expect((await f.kitting("supervisor").returnableStock({ locationId: f.plant.loc.quarantine })).stock).toEqual([]);
    });
  });
});
