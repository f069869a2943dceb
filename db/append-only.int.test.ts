import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { useTestDatabase } from "./testing/test-database";
import { createTestLot, createTestPart, createTestSerial, createTestSite, createTestUser } from "./testing/factories";
import { postMovement } from "../server/repos/ledger";
import { writeAudit } from "../server/repos/audit";
import * as s from "./schema";
import type { Db } from "./client";

/** Invariants 1, 10, 11: the app's role cannot change or remove ledger and audit rows; triggers stop even the owner. */
const t = useTestDatabase("empty");

async function expectRefused(db: Db, statement: ReturnType<typeof sql>, reason: RegExp) {
  let error: unknown = null;
  try {
    await db.execute(statement);
  } catch (e) {
    error = e;
  }
  expect(error, "statement should have been refused").not.toBeNull();
  const message = String((error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message);
  expect(message).toMatch(reason);
}

async function seedRows(db: Db) {
  const site = await createTestSite(db);
  const part = await createTestPart(db, "lot");
  const lot = await createTestLot(db, site.siteId, part.revisionId);
  const user = await createTestUser(db, site.siteId, "operator");
  await db.insert(s.signatures).values({
    siteId: site.siteId, signerUserId: user.id, printedName: "Test User", meaning: "review", signedAt: new Date(),
    timeZone: "America/Chicago", recordType: "lot", recordId: lot.id, contentHash: "a".repeat(64), authMethod: "password",
  });
  const leg = { partRevisionId: part.revisionId, lotId: lot.id, serialItemId: null };
  await db.transaction(async (tx) => {
    await postMovement(tx, { siteId: site.siteId, kind: "receive_from_erp", occurredAt: new Date(), legs: [
      { ...leg, locationId: site.loc.erp_supply, quantity: "-2" },
      { ...leg, locationId: site.loc.stores, quantity: "2" },
    ] });
    await writeAudit(tx, { siteId: site.siteId, actorUserId: user.id, actorName: "Test", action: "test", entity: "lot", entityId: lot.id });
  });
  return { site, part, lot, user };
}

describe("append-only ledger and audit", () => {
  for (const table of ["movements", "movement_legs", "audit_log", "signatures"]) {
    it(`the app role cannot UPDATE, DELETE or TRUNCATE ${table}`, async () => {
      await seedRows(t.db);
      const name = sql.identifier(table);
      const column = sql.identifier({ audit_log: "action", movements: "reason", movement_legs: "quantity", signatures: "printed_name" }[table]!);
      const value = table === "movement_legs" ? sql`quantity * 2` : sql`'tampered'`;
      await expectRefused(t.db, sql`update ${name} set ${column} = ${value}`, /permission denied/);
      await expectRefused(t.db, sql`delete from ${name}`, /permission denied/);
      await expectRefused(t.db, sql`truncate ${name} cascade`, /permission denied/);
    });

    it(`even the owner cannot UPDATE, DELETE or TRUNCATE ${table} (trigger)`, async () => {
      await seedRows(t.ownerDb);
      const name = sql.identifier(table);
      await expectRefused(t.ownerDb, sql`update ${name} set site_id = site_id`, /APPEND_ONLY/);
      await expectRefused(t.ownerDb, sql`delete from ${name}`, /APPEND_ONLY/);
      await expectRefused(t.ownerDb, sql`truncate ${name} cascade`, /APPEND_ONLY/);
    });
  }

  it("the app role can still append and read", async () => {
    const { site } = await seedRows(t.db);
    const rows = await t.db.select().from(s.movements).where(sql`${s.movements.siteId} = ${site.siteId}`);
    expect(rows).toHaveLength(1);
  });
});

describe("genealogy edges are closed, never deleted", () => {
  it("allows one removal, refuses a second, refuses edits and deletes", async () => {
    const site = await createTestSite(t.db);
    const unitPart = await createTestPart(t.db, "serial");
    const compPart = await createTestPart(t.db, "serial");
    const user = await createTestUser(t.db, site.siteId, "operator");
    const unitSerial = await createTestSerial(t.db, site.siteId, unitPart.revisionId, { builtHere: true });
    const comp = await createTestSerial(t.db, site.siteId, compPart.revisionId);
    const [wo] = await t.db.insert(s.workOrders).values({ siteId: site.siteId, number: "WO-1", partRevisionId: unitPart.revisionId, quantity: 1, dueDate: "2026-12-01" }).returning();
    const [unit] = await t.db.insert(s.units).values({ siteId: site.siteId, workOrderId: wo!.id, serialItemId: unitSerial.id, serial: unitSerial.serialNumber }).returning();
    const leg = { partRevisionId: compPart.revisionId, lotId: null, serialItemId: comp.id };
    const { movementId } = await t.db.transaction(async (tx) => {
      await postMovement(tx, { siteId: site.siteId, kind: "receive_from_erp", occurredAt: new Date(), legs: [
        { ...leg, locationId: site.loc.erp_supply, quantity: "-1" },
        { ...leg, locationId: site.loc.point_of_use, quantity: "1" },
      ] });
      return postMovement(tx, { siteId: site.siteId, kind: "consume", occurredAt: new Date(), legs: [
        { ...leg, locationId: site.loc.point_of_use, quantity: "-1" },
        { ...leg, locationId: site.loc.consumed, quantity: "1" },
      ] });
    });
    const [edge] = await t.db.insert(s.genealogyEdges).values({
      siteId: site.siteId, parentSerialItemId: unitSerial.id, parentUnitId: unit!.id, childPartRevisionId: compPart.revisionId,
      childSerialItemId: comp.id, quantity: "1", operationSeq: 10, operatorUserId: user.id, stationId: site.stationId,
      installedAt: new Date(), movementId,
    }).returning();
    const id = edge!.id;
    await expectRefused(t.db, sql`delete from genealogy_edges where id = ${id}`, /permission denied/);
    await expectRefused(t.ownerDb, sql`delete from genealogy_edges where id = ${id}`, /APPEND_ONLY/);
    await expectRefused(t.db, sql`update genealogy_edges set quantity = 2 where id = ${id}`, /APPEND_ONLY/);
    await t.db.execute(sql`update genealogy_edges set removed_at = now(), removed_by = ${user.id}, removal_reason = 'rework' where id = ${id}`);
    await expectRefused(t.db, sql`update genealogy_edges set removal_reason = 'changed my mind' where id = ${id}`, /already closed/);
  });
});
