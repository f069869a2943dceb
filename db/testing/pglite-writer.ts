// A process that writes to an embedded (PGlite) database as the quick start's app does, for the PGlite kill fault test
// (server/services/station/fault-pglite-kill.int.test.ts), which kills it with SIGKILL in the middle of its load:
//   TRACELINE_DATA_DIR=<folder> tsx --conditions=react-server db/testing/pglite-writer.ts <units>
// It migrates the folder's database, makes a plant with a lot staged at a station and a work order of <units> units,
// then installs one unit after the other. Its standard output is the log the test checks against, one JSON per line:
// {"ready": {...}} with what a retry needs, then per install {"sent": {requestId, unitId}} before it and
// {"ack": {requestId, movementId}} once it is acknowledged.
import { randomUUID } from "node:crypto";
import { openDatabase } from "../client";
import { consumeComponent } from "../../server/services/station/consume-component";
import { TEST_NOW } from "./clock";
import { createTestLot, createTestPart } from "./factories";
import { issueToPointOfUse } from "./genealogy-fixtures";
import { createStationOrder, createStationPlant, operatorActor } from "./station-fixtures";

async function main() {
  const units = Number(process.argv[2] ?? "20");
  if (process.env.DATABASE_URL) throw new Error("pglite-writer writes to the embedded database: unset DATABASE_URL");
  const database = await openDatabase();
  await database.migrate();
  const db = database.db;
  const plant = await createStationPlant(db);
  const oil = await createTestPart(db, "lot", { uom: "L" });
  const serials = Array.from({ length: units }, (_, i) => `U${i + 1}`);
  const order = await createStationOrder(db, plant, { number: "WO-PGLITE", serials, bom: [{ find: 1, partRevisionId: oil.revisionId, qty: "1", op: 10 }] });
  const lot = await createTestLot(db, plant.siteId, oil.revisionId);
  await db.transaction((tx) => issueToPointOfUse(tx, plant, { partRevisionId: oil.revisionId, lotId: lot.id, serialItemId: null }, "100", TEST_NOW));
  const actor = operatorActor(plant);
  const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
  say({ ready: { actor, stationId: plant.stationId, lotId: lot.id, partRevisionId: oil.revisionId, pointOfUse: plant.loc.point_of_use, units: order.units.map((u) => u.unitId) } });
  for (const unit of order.units) {
    const cmd = { requestId: randomUUID(), stationId: plant.stationId, unitId: unit.unitId, operationSeq: 10, item: { lotId: lot.id }, quantity: "1" };
    say({ sent: { requestId: cmd.requestId, unitId: unit.unitId } });
    const outcome = await consumeComponent(db, actor, cmd, TEST_NOW);
    say({ ack: { requestId: cmd.requestId, movementId: outcome.movementId } });
  }
  await database.close();
  say({ done: true });
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(2);
});
