import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart } from "@/db/testing/factories";
import { issueToPointOfUse } from "@/db/testing/genealogy-fixtures";
import { createStationOrder, createStationPlant } from "@/db/testing/station-fixtures";
import * as s from "@/db/schema";
import { readWipBoard } from "./read-board";

/*
 * The WIP board's upcoming blockers (issue 21): material the operation's units still need, staged at its stations or
 * picked into an open kit for them, that expires or runs out of out-time within the site's alert horizons.
 */

const t = useTestDatabase("empty");
const now = new Date("2026-11-20T15:00:00Z");
const min = (m: number) => new Date(now.getTime() + m * 60_000);

describe("WIP board: upcoming blockers from material alerts", () => {
  it("lists the sealant running out at the operation's point of use and the primer expiring in an open kit for its station; not material the units do not need", async () => {
    await inRollback(t.db, async (tx) => {
      const plant = await createStationPlant(tx);
      const sealant = await createTestPart(tx, "lot", { description: "Sealant", uom: "KG", outTimeMinutes: 240 });
      const primer = await createTestPart(tx, "lot", { description: "Primer", uom: "L" });
      const other = await createTestPart(tx, "lot", { description: "Other", uom: "L" });
      const order = await createStationOrder(tx, plant, {
        number: `WO-${randomUUID().slice(0, 6)}`,
        serials: ["U-001", "U-002"],
        ops: [{ seq: 10 }],
        bom: [
          { find: 10, partRevisionId: sealant.revisionId, qty: "0.3", op: 10 },
          { find: 20, partRevisionId: primer.revisionId, qty: "0.1", op: 10 },
        ],
      });
      // sealant out of storage since -120: runs out at +120 (within 24 h); a second, healthy lot keeps it from blocking now
      const seal = await createTestLot(tx, plant.siteId, sealant.revisionId, { lotNumber: "SEAL-UP", outTimeStartedAt: min(-120) });
      await issueToPointOfUse(tx, plant, { partRevisionId: sealant.revisionId, lotId: seal.id, serialItemId: null }, "1", now);
      const otherLot = await createTestLot(tx, plant.siteId, other.revisionId, { lotNumber: "OTHER-UP", expiresAt: min(60 * 24) });
      await issueToPointOfUse(tx, plant, { partRevisionId: other.revisionId, lotId: otherLot.id, serialItemId: null }, "1", now);
      // primer expiring in 10 days, in stores, picked into an open kit for ST1
      const prim = await createTestLot(tx, plant.siteId, primer.revisionId, { lotNumber: "PRIM-UP", expiresAt: min(10 * 24 * 60) });
      const [bomLine] = await tx.select().from(s.workOrderBomLines).where(eq(s.workOrderBomLines.componentRevisionId, primer.revisionId));
      const [kit] = await tx
        .insert(s.kits)
        .values({ siteId: plant.siteId, number: "K-UP-01", workOrderId: order.workOrderId, scope: "work_order", stationId: plant.stationId, status: "picking", createdBy: plant.operatorId, createdAt: now })
        .returning();
      const [line] = await tx.insert(s.kitLines).values({ siteId: plant.siteId, kitId: kit!.id, workOrderBomLineId: bomLine!.id, partRevisionId: primer.revisionId, requiredQty: "0.2" }).returning();
      await tx.insert(s.kitPicks).values({ siteId: plant.siteId, kitId: kit!.id, kitLineId: line!.id, locationId: plant.loc.stores, partRevisionId: primer.revisionId, lotId: prim.id, quantity: "0.2", pickedBy: plant.operatorId, pickedAt: now });

      const board = await readWipBoard(tx, { siteId: plant.siteId, timeZone: "America/Chicago" }, {}, now);
      const cell = board.lines[0]!.cells[0]!;
      expect(cell.upcoming).toEqual([
        { item: "SEAL-UP", partNumber: sealant.partNumber, lotId: seal.id, serialItemId: null, stationCode: "ST1", kitId: null, kitNumber: null, cause: "out_time", at: min(120) },
        { item: "PRIM-UP", partNumber: primer.partNumber, lotId: prim.id, serialItemId: null, stationCode: "ST1", kitId: kit!.id, kitNumber: "K-UP-01", cause: "expiry", at: min(10 * 24 * 60) },
      ]);
      expect(board.totals.upcoming).toBe(2);

      // the site's horizon narrowed to 7 days of shelf life: the primer is no longer upcoming
      await tx.update(s.sites).set({ alertShelfLifeDays: 7 }).where(eq(s.sites.id, plant.siteId));
      const narrowed = await readWipBoard(tx, { siteId: plant.siteId, timeZone: "America/Chicago" }, {}, now);
      expect(narrowed.lines[0]!.cells[0]!.upcoming.map((u) => u.item)).toEqual(["SEAL-UP"]);
    });
  });
});
