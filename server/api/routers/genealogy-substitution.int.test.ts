import { describe, expect, it } from "vitest";
import { useTestDatabase, inRollback } from "@/db/testing/test-database";
import type { Db, Tx } from "@/db/client";
import * as s from "@/db/schema";
import { createTestPart, createTestSerial } from "@/db/testing/factories";
import { completeOperations, createPlant, createWorkOrder, issueToPointOfUse, type BuiltUnit, type Material, type Plant } from "@/db/testing/genealogy-fixtures";
import { postMovement } from "@/server/repos/ledger";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { createCallerFactory, type Context } from "@/server/api/trpc";
import { genealogyRouter } from "./genealogy";
import { walkAsBuilt } from "./as-built-walk.testing";

/* As-designed vs as-built shows the reason recorded for a substituted revision, and the as-built node carries it. */

const t = useTestDatabase("empty");
const createCaller = createCallerFactory(genealogyRouter);
const at = (h: number) => new Date(Date.UTC(2026, 10, 10, h, 0, 0));
const api = (tx: Tx, plant: Plant) =>
  createCaller({ db: tx as unknown as Db, actor: plant.actor(["quality_engineer"]), clientKey: "test", now: () => new Date("2026-11-20T18:00:00Z") } satisfies Context);

/** A consumption (ledger legs + genealogy edge) with a substitution reason, as a station records it. */
async function installWithReason(tx: Tx, plant: Plant, unit: BuiltUnit, m: Material, reason: string | null) {
  const { movementId } = await postMovement(tx, {
    siteId: plant.siteId,
    kind: "consume",
    actorUserId: plant.operatorId,
    occurredAt: at(2),
    legs: [
      { ...m, locationId: plant.loc.point_of_use, quantity: "-1" },
      { ...m, locationId: plant.loc.consumed, quantity: "1" },
    ],
  });
  await tx.insert(s.genealogyEdges).values({
    siteId: plant.siteId,
    parentSerialItemId: unit.serialItemId,
    parentUnitId: unit.unitId,
    childPartRevisionId: m.partRevisionId,
    childSerialItemId: m.serialItemId,
    childLotId: m.lotId,
    quantity: "1",
    findNumber: 10,
    operationSeq: 10,
    operatorUserId: plant.operatorId,
    stationId: plant.stationId,
    installedAt: at(2),
    parameters: {},
    movementId,
    substitutionReason: reason,
  });
}

describe("substituted revisions", () => {
  it("show the reason recorded at install in the as-built and against the substituted design line", async () => {
    await inRollback(t.db, async (tx) => {
      const plant = await createPlant(tx);
      const designed = await createTestPart(tx, "serial"); // BOM asks for rev A
      const [revB] = await tx.insert(s.partRevisions).values({ partId: designed.partId, revision: "B" }).returning();
      const plain = await createTestPart(tx, "serial"); // installed as designed
      const wo = await createWorkOrder(tx, plant, {
        number: "WO-SUB",
        serials: ["S-1"],
        bom: [
          { find: 10, partRevisionId: designed.revisionId, qty: "1", op: 10 },
          { find: 20, partRevisionId: plain.revisionId, qty: "1", op: 10 },
        ],
      });
      const unit = wo.units[0]!;
      const sB = await createTestSerial(tx, plant.siteId, revB!.id);
      const sPlain = await createTestSerial(tx, plant.siteId, plain.revisionId);
      const mB = { partRevisionId: revB!.id, lotId: null, serialItemId: sB.id };
      const mPlain = { partRevisionId: plain.revisionId, lotId: null, serialItemId: sPlain.id };
      await issueToPointOfUse(tx, plant, mB, "1", at(1));
      await issueToPointOfUse(tx, plant, mPlain, "1", at(1));
      await installWithReason(tx, plant, unit, mB, "Rev A on backorder; rev B approved by deviation D-118");
      await installWithReason(tx, plant, unit, mPlain, null);
      await completeOperations(tx, plant, unit, [10], at(3));

      const { tree } = await walkAsBuilt(api(tx, plant), { serialItemId: unit.serialItemId });
      expect(tree.nodes.find((n) => n.serialItemId === sB.id)?.substitutionReason).toBe("Rev A on backorder; rev B approved by deviation D-118");
      expect(tree.nodes.find((n) => n.serialItemId === sPlain.id)?.substitutionReason).toBeNull();

      const { levels } = await api(tx, plant).asDesigned({ serialItemId: unit.serialItemId });
      const byPart = Object.fromEntries(levels[0]!.rows.map((r) => [r.partNumber, r]));
      expect(byPart[designed.partNumber]).toMatchObject({
        verdict: "substituted",
        designedRevision: "A",
        substitutionReasons: ["Rev A on backorder; rev B approved by deviation D-118"],
      });
      expect(byPart[plain.partNumber]).toMatchObject({ verdict: "as_designed", substitutionReasons: [] });
      expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
    });
  });
});
