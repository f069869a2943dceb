import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { useTestDatabase } from "@/db/testing/test-database";
import { createStationOrder, createStationPlant, operatorActor } from "@/db/testing/station-fixtures";
import { seededRandom, staggered } from "@/db/testing/race";
import * as s from "@/db/schema";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { completeOperation } from "@/server/services/station/complete-operation";
import { scrapUnit } from "./scrap-unit";
import { shipUnit } from "./ship-unit";

/* A unit's fate under races, with real commits: it ships or is scrapped once, and never behind a station's back. */

const t = useTestDatabase("empty", { max: 12 });
const now = new Date("2026-11-21T15:00:00Z");

describe("unit fate races (real commits)", () => {
  it("two shipments and a scrap of the same completed unit at once: exactly one takes effect, the others are told it left", async () => {
    const seed = Number(process.env.FATE_RACE_SEED ?? Date.now() % 100000);
    const random = seededRandom(seed);
    for (let round = 0; round < 6; round++) {
      const plant = await createStationPlant(t.db);
      const order = await createStationOrder(t.db, plant, { number: `WO-F1-${round}`, serials: ["U1"], ops: [{ seq: 10 }], bom: [] });
      const unit = order.units[0]!;
      await completeOperation(t.db, operatorActor(plant), { requestId: randomUUID(), stationId: plant.stationId, unitId: unit.unitId, operationSeq: 10 }, now);
      const supervisor = operatorActor(plant, ["supervisor"]);
      const { ok, failed } = await staggered<{ serial: string }>([
        { delayMs: Math.floor(random() * 20), run: () => shipUnit(t.db, supervisor, { requestId: randomUUID(), unitId: unit.unitId, shipTo: "Customer 1", deliveryNote: "DN-1" }, now) },
        { delayMs: Math.floor(random() * 20), run: () => shipUnit(t.db, supervisor, { requestId: randomUUID(), unitId: unit.unitId, shipTo: "Customer 2", deliveryNote: "DN-2" }, now) },
        { delayMs: Math.floor(random() * 20), run: () => scrapUnit(t.db, supervisor, { requestId: randomUUID(), unitId: unit.unitId, reason: "Dropped on the floor" }, now) },
      ]);
      expect(ok, `seed ${seed}, round ${round}: ${failed.join(", ")}`).toHaveLength(1);
      expect(failed, `seed ${seed}, round ${round}`).toEqual(["UNIT_NOT_OPEN", "UNIT_NOT_OPEN"]);
    }
    expect(failedChecks(await runLedgerChecks(t.db))).toEqual([]);
  });

  it("a unit scrapped while its last operation is completed: either the completion lands first (scrap from stores) or it is refused", async () => {
    const seed = Number(process.env.FATE_RACE_SEED ?? Date.now() % 100000);
    const random = seededRandom(seed);
    const outcomes = new Set<string>();
    for (let round = 0; round < 8; round++) {
      const plant = await createStationPlant(t.db);
      const order = await createStationOrder(t.db, plant, { number: `WO-F2-${round}`, serials: ["U1"], ops: [{ seq: 10 }], bom: [] });
      const unit = order.units[0]!;
      const { ok, failed } = await staggered<{ kind: string; from?: string }>([
        {
          delayMs: Math.floor(random() * 15),
          run: async () => ({ kind: "completed", ...(await completeOperation(t.db, operatorActor(plant), { requestId: randomUUID(), stationId: plant.stationId, unitId: unit.unitId, operationSeq: 10 }, now)) }),
        },
        { delayMs: Math.floor(random() * 15), run: async () => ({ kind: "scrapped", ...(await scrapUnit(t.db, operatorActor(plant, ["quality_engineer"]), { requestId: randomUUID(), unitId: unit.unitId, reason: "Housing cracked" }, now)) }) },
      ]);
      // the scrap always takes effect; the completion either came first or is refused
      expect(failed.every((c) => c === "UNIT_NOT_OPEN"), `seed ${seed}, round ${round}: ${failed.join(", ")}`).toBe(true);
      const scrapped = ok.find((o) => o.kind === "scrapped");
      expect(scrapped, `seed ${seed}, round ${round}`).toBeDefined();
      expect(scrapped!.from).toBe(ok.length === 2 ? "STORES" : "PRODUCTION");
      outcomes.add(ok.length === 2 ? "completed first" : "scrapped first");
      const [row] = await t.db.select({ status: s.units.status }).from(s.units).where(eq(s.units.id, unit.unitId));
      expect(row!.status).toBe("scrapped");
    }
    expect(failedChecks(await runLedgerChecks(t.db))).toEqual([]);
    expect(outcomes.size).toBeGreaterThan(0);
  });
});
