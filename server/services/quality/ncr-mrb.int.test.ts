import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart, createTestSerial } from "@/db/testing/factories";
import { issueToPointOfUse } from "@/db/testing/genealogy-fixtures";
import { createStationOrder, createStationPlant, onHandAt, operatorActor, type StationPlant } from "@/db/testing/station-fixtures";
import { testTime } from "@/db/testing/clock";
import * as s from "@/db/schema";
import { queryRows, type Tx } from "@/db/client";
import type { Actor, Role } from "@/server/auth/types";
import { hashSecret } from "@/server/auth/passwords";
import { DomainError } from "@/server/domain/shared/errors";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { consumeComponent } from "@/server/services/station/consume-component";
import { removeComponent } from "@/server/services/station/remove-component";
import { getHoldDetail } from "./hold-views";
import { addNcrAttachment, raiseNcr } from "./ncr";
import { getNcrDetail, listNcrViews, ncrsCsv } from "./ncr-views";
import { setMrbRoles, signDisposition } from "./mrb";

/*
 * Issue 19, Musts 1, 2 and 4: an NCR holds its item; the MRB signs a disposition with the roles the site asks for (two
 * distinct people for two roles), and the last signature carries it out: use as is (hold released), rework, scrap (the
 * ledger's scrap movement and one 551), return to supplier (311 into blocked stock), a unit scrapped as a whole. Every
 * disposition keeps the ledger checkers green; a signature shows INVALID once the report is altered.
 */

const t = useTestDatabase("empty");
const PASSWORD = "correct horse battery staple";
let passwordHash: string;
const t0 = testTime(-60);
const t1 = testTime(-30);
const t2 = testTime(-10);
const rid = () => randomUUID();
const ctx = (now: Date) => ({ now, clientKey: `test-${randomUUID()}` });
const approval = (secret = PASSWORD) => ({ method: "password" as const, secret, meaning: "approval" });

beforeAll(async () => {
  passwordHash = await hashSecret(PASSWORD);
});

async function refused(run: () => Promise<unknown>): Promise<DomainError> {
  try {
    await run();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

/** A user of the plant's site with a real password and these roles, as an Actor. */
async function person(tx: Tx, plant: StationPlant, roles: Role[], name: string): Promise<Actor> {
  const [u] = await tx.insert(s.users).values({ username: `u-${randomUUID().slice(0, 8)}`, displayName: name, passwordHash }).returning();
  await tx.insert(s.userSiteRoles).values(roles.map((role) => ({ userId: u!.id, siteId: plant.siteId, role })));
  return { ...plant.actor(roles), userId: u!.id, displayName: name };
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
  const sn = await createTestSerial(tx, plant.siteId, sensor.revisionId);
  await issueToPointOfUse(tx, plant, { partRevisionId: sensor.revisionId, lotId: null, serialItemId: sn.id }, "1", t0);
  const lot = await createTestLot(tx, plant.siteId, gasket.revisionId);
  await issueToPointOfUse(tx, plant, { partRevisionId: gasket.revisionId, lotId: lot.id, serialItemId: null }, "10", t0);
  const op = operatorActor(plant);
  const quality = await person(tx, plant, ["quality_engineer"], "Quinn Quality");
  const quality2 = await person(tx, plant, ["quality_engineer"], "Quentin Second");
  const supervisor = await person(tx, plant, ["supervisor"], "Sam Supervisor");
  const admin = await person(tx, plant, ["admin"], "Ada Admin");
  const [a, b] = order.units;
  return { plant, sensor, gasket, order, sn, lot, op, quality, quality2, supervisor, admin, a: a!, b: b! };
}

type F = Awaited<ReturnType<typeof setup>>;

const install = (tx: Tx, f: F, unitId: string, item: { lotId: string } | { serialItemId: string }, quantity?: string, at = t1) =>
  consumeComponent(tx, f.op, { requestId: rid(), stationId: f.plant.stationId, unitId, operationSeq: 10, item, ...(quantity ? { quantity } : {}) }, at);

async function outboxOf(tx: Tx, type: string) {
  return queryRows<{ message_id: string; payload: Record<string, unknown> }>(tx, sql`select message_id, payload from erp_outbox where type = ${type} order by id`);
}

async function ledgerGreen(tx: Tx) {
  expect(failedChecks(await runLedgerChecks(tx))).toEqual([]);
}

describe("NCRs and MRB dispositions", () => {
  it("an NCR raised at the station holds its lot; bad reports are refused with nothing written; numbers run per site", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const base = { source: "station" as const, defect: "damaged" as const, target: { kind: "lot" as const, lotId: f.lot.id }, quantity: "3", locationId: f.plant.loc.point_of_use };
      const count = async () => (await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from ncrs`))[0]!.n;
      expect((await refused(() => raiseNcr(tx, f.op, { ...base, requestId: rid(), description: " " }, t1))).code).toBe("VALIDATION_FAILED");
      expect((await refused(() => raiseNcr(tx, f.op, { ...base, requestId: rid(), quantity: null, description: "Torn gaskets" }, t1))).message).toMatch(/quantity/);
      expect((await refused(() => raiseNcr(tx, f.op, { ...base, requestId: rid(), source: "quality", description: "Torn gaskets" }, t1))).code).toBe("FORBIDDEN");
      expect((await refused(() => raiseNcr(tx, f.op, { ...base, requestId: rid(), target: { kind: "lot", lotId: randomUUID() }, description: "Torn" }, t1))).code).toBe("NOT_FOUND");
      expect(await count()).toBe(0);

      const first = await raiseNcr(tx, f.op, { ...base, requestId: rid(), description: "Three gaskets torn in the bag" }, t1);
      expect(first).toMatchObject({ number: "NCR-000001", held: expect.stringContaining(f.lot.lotNumber) });
      const retry = { ...base, requestId: rid(), description: "Scratched serial" , target: { kind: "serial" as const, serialItemId: f.sn.id }, quantity: null };
      const second = await raiseNcr(tx, f.op, retry, t1);
      expect(await raiseNcr(tx, f.op, retry, t1)).toEqual(second); // a retried request raises once
      expect(second.number).toBe("NCR-000002");
      // from the commit on the station refuses the held lot and serial, naming the report
      const e = await refused(() => install(tx, f, f.a.unitId, { lotId: f.lot.id }, "2", t2));
      expect(e.code).toBe("LOT_ON_HOLD");
      expect(e.message).toMatch(/NCR-000001: Three gaskets torn/);
      expect((await refused(() => install(tx, f, f.a.unitId, { serialItemId: f.sn.id }, undefined, t2))).code).toBe("LOT_ON_HOLD");
      const list = await listNcrViews(tx, f.quality, { status: "open" });
      expect(list.rows.map((r) => r.numberText)).toEqual(["NCR-000002", "NCR-000001"]);
      expect((await listNcrViews(tx, f.quality, { q: f.lot.lotNumber })).rows.map((r) => r.numberText)).toEqual(["NCR-000001"]);
      // another site does not see them
      const other = await createStationPlant(tx);
      expect((await listNcrViews(tx, other.actor(["quality_engineer"]), {})).rows).toEqual([]);
      expect((await refused(() => getNcrDetail(tx, other.actor(["quality_engineer"]), first.ncrId))).code).toBe("NOT_FOUND");
    });
  });

  it("scrap signed by quality + supervisor (two distinct people): one scrap movement, one 551, hold released, checkers green", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      await setMrbRoles(tx, f.admin, { requestId: rid(), roles: ["quality_engineer", "supervisor"] }, t0);
      const ncr = await raiseNcr(tx, f.op, { requestId: rid(), source: "station", defect: "damaged", target: { kind: "lot", lotId: f.lot.id }, quantity: "3", locationId: f.plant.loc.point_of_use, description: "Three gaskets torn" }, t1);
      const item = { partRevisionId: f.gasket.revisionId, lotId: f.lot.id };

      // a disposition that does not fit, or no reason: refused before any signing
      expect((await refused(() => signDisposition(tx, f.quality, { requestId: rid(), ncrId: ncr.ncrId, disposition: "scrap", reason: "", signature: approval() }, ctx(t2)))).code).toBe("VALIDATION_FAILED");
      expect((await refused(() => signDisposition(tx, f.op, { requestId: rid(), ncrId: ncr.ncrId, disposition: "scrap", reason: "Torn", signature: approval() }, ctx(t2)))).code).toBe("FORBIDDEN");
      expect((await refused(() => signDisposition(tx, f.quality, { requestId: rid(), ncrId: ncr.ncrId, disposition: "scrap", reason: "Torn", signature: approval("wrong") }, ctx(t2)))).code).toBe("SIGNATURE_REFUSED");

      const proposed = await signDisposition(tx, f.quality, { requestId: rid(), ncrId: ncr.ncrId, disposition: "scrap", reason: "Torn beyond repair", signature: approval() }, ctx(t2));
      expect(proposed).toMatchObject({ disposition: "scrap", signedAs: "quality_engineer", missing: ["supervisor"], closed: false, movementId: null });
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.point_of_use, item)).toBe("10");
      expect(await outboxOf(tx, "scrap")).toEqual([]);
      // the same person cannot sign for the second role, another quality engineer does not hold it
      expect((await refused(() => signDisposition(tx, f.quality, { requestId: rid(), ncrId: ncr.ncrId, signature: approval() }, ctx(t2)))).code).toBe("MRB_SIGNER_ALREADY_SIGNED");
      expect((await refused(() => signDisposition(tx, f.quality2, { requestId: rid(), ncrId: ncr.ncrId, signature: approval() }, ctx(t2)))).code).toBe("FORBIDDEN");
      expect((await refused(() => signDisposition(tx, f.supervisor, { requestId: rid(), ncrId: ncr.ncrId, disposition: "use_as_is", signature: approval() }, ctx(t2)))).message).toMatch(/proposed is "Scrap"/);

      const cmd = { requestId: rid(), ncrId: ncr.ncrId, signature: approval() };
      const done = await signDisposition(tx, f.supervisor, cmd, ctx(t2));
      expect(done).toMatchObject({ disposition: "scrap", signedAs: "supervisor", missing: [], closed: true, movementId: expect.any(String) });
      expect(await signDisposition(tx, f.supervisor, cmd, ctx(t2))).toEqual(done); // a retry carries nothing out twice
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.point_of_use, item)).toBe("7");
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.scrap, item)).toBe("3");
      const [movement] = await tx.select().from(s.movements).where(eq(s.movements.id, done.movementId!));
      expect(movement).toMatchObject({ kind: "scrap" });
      const scraps = await outboxOf(tx, "scrap");
      expect(scraps).toHaveLength(1);
      expect(scraps[0]!.payload).toMatchObject({ movementType: "551", batch: f.lot.lotNumber, quantity: "3", reference: done.movementId, fromLocation: "POINT_OF_USE" });
      expect((await refused(() => signDisposition(tx, f.supervisor, { requestId: rid(), ncrId: ncr.ncrId, signature: approval() }, ctx(t2)))).code).toBe("NCR_NOT_OPEN");

      // the hold is released, signed by the last signer, and that signature is valid
      const { hold } = await getHoldDetail(tx, f.quality, ncr.holdId!, { offset: 0, limit: 10 });
      expect(hold).toMatchObject({ active: false, releaseReason: expect.stringMatching(/^NCR-000001: Scrap: Torn beyond repair/) });
      expect(hold.signatures.map((g) => [g.printedName, g.meaning, g.status])).toEqual([["Sam Supervisor", "approval", "valid"]]);
      const detail = await getNcrDetail(tx, f.quality, ncr.ncrId);
      expect(detail).toMatchObject({ status: "closed", statusText: "Closed", dispositionText: "Scrap", missingRoles: [], tampered: false, holdActive: false });
      expect(detail.signoffs.map((g) => [g.role, g.signature?.printedName, g.signature?.status])).toEqual([
        ["quality_engineer", "Quinn Quality", "valid"],
        ["supervisor", "Sam Supervisor", "valid"],
      ]);
      // the rest of the lot installs again
      await install(tx, f, f.a.unitId, { lotId: f.lot.id }, "2", t2);
      await ledgerGreen(tx);

      // altering the report after signing shows every signature INVALID
      await tx.execute(sql`update ncrs set description = 'Two gaskets torn' where id = ${ncr.ncrId}`);
      const altered = await getNcrDetail(tx, f.quality, ncr.ncrId);
      expect(altered.tampered).toBe(true);
      expect(altered.signoffs.map((g) => g.signature?.status)).toEqual(["invalid", "invalid"]);
    });
  });

  it("use as is releases the hold (one role); return to supplier sends a serial out with a 311 into blocked stock", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const useAsIs = await raiseNcr(tx, f.quality, { requestId: rid(), source: "quality", defect: "other", target: { kind: "lot", lotId: f.lot.id }, quantity: "10", locationId: f.plant.loc.point_of_use, description: "Certificate of conformance missing" }, t1);
      expect((await refused(() => install(tx, f, f.a.unitId, { lotId: f.lot.id }, "2", t1))).code).toBe("LOT_ON_HOLD");
      const done = await signDisposition(tx, f.quality2, { requestId: rid(), ncrId: useAsIs.ncrId, disposition: "use_as_is", reason: "Certificate received from the supplier", signature: approval() }, ctx(t2));
      expect(done).toMatchObject({ closed: true, missing: [], movementId: null });
      await install(tx, f, f.a.unitId, { lotId: f.lot.id }, "2", t2);

      // the serial: removed to quarantine at the station (held under the NCR the removal raises), returned to the supplier
      const edge = await install(tx, f, f.a.unitId, { serialItemId: f.sn.id }, undefined, t2);
      const removed = await removeComponent(tx, f.op, { requestId: rid(), edgeId: edge.edgeId, reason: "Intermittent signal", destination: "quarantine" }, t2);
      expect(removed).toMatchObject({ ncrRaised: true, ncrNumber: "NCR-000002", locationCode: "QUARANTINE" });
      const detail = await getNcrDetail(tx, f.quality, removed.ncrId);
      expect(detail).toMatchObject({ source: "station", defect: "removed", targetType: "serial", unitSerial: "A", operationSeq: 10, holdActive: true, locationCode: "QUARANTINE", dispositions: expect.arrayContaining([{ value: "return_to_supplier", label: "Return to supplier" }]) });
      const ret = await signDisposition(tx, f.quality, { requestId: rid(), ncrId: removed.ncrId, disposition: "return_to_supplier", reason: "Supplier warranty claim", signature: approval() }, ctx(t2));
      expect(ret).toMatchObject({ closed: true, movementId: expect.any(String) });
      const item = { partRevisionId: f.sensor.revisionId, serialItemId: f.sn.id };
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.quarantine, item)).toBe("0");
      expect(await onHandAt(tx, f.plant.siteId, f.plant.loc.returned_to_erp, item)).toBe("1");
      const returns = await outboxOf(tx, "return");
      expect(returns).toHaveLength(1);
      expect(returns[0]!.payload).toMatchObject({ movementType: "311", serial: f.sn.serialNumber, stockType: "blocked", fromLocation: "QUARANTINE", holdReasons: [expect.stringMatching(/^NCR-000002: Return to supplier/)] });
      await ledgerGreen(tx);
    });
  });

  it("a unit's NCR holds the unit; rework releases it; scrap scraps the unit as a whole", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const onOp = await raiseNcr(tx, f.op, { requestId: rid(), source: "station", defect: "failed_parameter", target: { kind: "operation", unitId: f.a.unitId, operationSeq: 10 }, description: "Leak test failed" }, t1);
      expect((await refused(() => raiseNcr(tx, f.op, { requestId: rid(), source: "station", defect: "failed_parameter", target: { kind: "operation", unitId: f.a.unitId, operationSeq: 99 }, description: "Leak test failed" }, t1))).code).toBe("NOT_FOUND");
      const [hold] = await tx.select().from(s.holds).where(eq(s.holds.id, onOp.holdId!));
      expect(hold).toMatchObject({ targetType: "serial", targetId: f.a.serialItemId, releasedAt: null });
      expect((await refused(() => signDisposition(tx, f.quality, { requestId: rid(), ncrId: onOp.ncrId, disposition: "return_to_supplier", reason: "No", signature: approval() }, ctx(t2)))).code).toBe("VALIDATION_FAILED");
      await signDisposition(tx, f.quality, { requestId: rid(), ncrId: onOp.ncrId, disposition: "rework", reason: "Reseat the seal and test again", signature: approval() }, ctx(t2));
      const [after] = await tx.select().from(s.holds).where(eq(s.holds.id, onOp.holdId!));
      expect(after!.releasedAt).not.toBeNull();

      const onUnit = await raiseNcr(tx, f.quality, { requestId: rid(), source: "quality", defect: "damaged", target: { kind: "unit", unitId: f.b.unitId }, description: "Housing cracked" }, t1);
      const scrapped = await signDisposition(tx, f.quality, { requestId: rid(), ncrId: onUnit.ncrId, disposition: "scrap", reason: "Housing cannot be repaired", signature: approval() }, ctx(t2));
      expect(scrapped).toMatchObject({ closed: true, movementId: expect.any(String) });
      const [unit] = await tx.select().from(s.units).where(eq(s.units.id, f.b.unitId));
      expect(unit).toMatchObject({ status: "scrapped", scrapReason: expect.stringMatching(/^NCR-000002: Scrap/) });
      await ledgerGreen(tx);
    });
  });

  it("rework at the station is done under an NCR: the one named (open, about this unit or item), or one raised with the removal", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const e1 = await install(tx, f, f.a.unitId, { lotId: f.lot.id }, "2");
      const onB = await raiseNcr(tx, f.quality, { requestId: rid(), source: "quality", defect: "other", target: { kind: "unit", unitId: f.b.unitId }, description: "Unit B dropped" }, t1);
      expect((await refused(() => removeComponent(tx, f.op, { requestId: rid(), edgeId: e1.edgeId, reason: "Torn", destination: "scrap", ncrId: onB.ncrId }, t2))).message).toMatch(/other material or another unit/);
      expect((await refused(() => removeComponent(tx, f.op, { requestId: rid(), edgeId: e1.edgeId, reason: "Torn", destination: "scrap", ncrId: randomUUID() }, t2))).code).toBe("NOT_FOUND");
      const onA = await raiseNcr(tx, f.quality, { requestId: rid(), source: "quality", defect: "other", target: { kind: "operation", unitId: f.a.unitId, operationSeq: 10 }, description: "Gasket misaligned" }, t1);
      const out = await removeComponent(tx, f.op, { requestId: rid(), edgeId: e1.edgeId, reason: "Torn", destination: "scrap", ncrId: onA.ncrId }, t2);
      expect(out).toMatchObject({ ncrId: onA.ncrId, ncrRaised: false });
      expect(await queryRows(tx, sql`select 1 from ncrs`)).toHaveLength(2);
      // a scrap removal without one raises a report about the component (nothing to hold: it is in scrap)
      const e2 = await install(tx, f, f.a.unitId, { lotId: f.lot.id }, "2");
      const out2 = await removeComponent(tx, f.op, { requestId: rid(), edgeId: e2.edgeId, reason: "Torn again", destination: "scrap" }, t2);
      const raised = await getNcrDetail(tx, f.quality, out2.ncrId);
      expect(raised).toMatchObject({ targetType: "lot", quantity: "2.000000", locationCode: "SCRAP", holdId: null, edgeId: e2.edgeId });
      // the board confirms the scrap: the material is in scrap already (its 551 went with the removal), nothing moves
      const before = (await outboxOf(tx, "scrap")).length;
      const confirmed = await signDisposition(tx, f.quality, { requestId: rid(), ncrId: out2.ncrId, disposition: "scrap", reason: "Confirmed torn", signature: approval() }, ctx(t2));
      expect(confirmed).toMatchObject({ closed: true, movementId: null });
      expect((await outboxOf(tx, "scrap")).length).toBe(before);
      await ledgerGreen(tx);
    });
  });

  it("attachments: photos and PDFs up to 5 MB, checked by content; CSV export of the list", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const ncr = await raiseNcr(tx, f.op, { requestId: rid(), source: "station", defect: "damaged", target: { kind: "serial", serialItemId: f.sn.id }, description: "Connector bent, =cmd" }, t1);
      const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
      const added = await addNcrAttachment(tx, f.op, { ncrId: ncr.ncrId, fileName: "photo.png", data: png }, t1);
      expect(added).toMatchObject({ contentType: "image/png", sizeBytes: 11 });
      expect((await refused(() => addNcrAttachment(tx, f.op, { ncrId: ncr.ncrId, fileName: "notes.txt", data: new TextEncoder().encode("hello") }, t1))).message).toMatch(/not a photo/);
      const big = new Uint8Array(5 * 1024 * 1024 + 1);
      big.set([0xff, 0xd8, 0xff]);
      expect((await refused(() => addNcrAttachment(tx, f.op, { ncrId: ncr.ncrId, fileName: "big.jpg", data: big }, t1))).message).toMatch(/too large/);
      const other = await person(tx, f.plant, ["operator"], "Other Operator");
      expect((await refused(() => addNcrAttachment(tx, other, { ncrId: ncr.ncrId, fileName: "p.png", data: png }, t1))).code).toBe("FORBIDDEN");
      expect((await getNcrDetail(tx, f.quality, ncr.ncrId)).attachments.map((a) => a.fileName)).toEqual(["photo.png"]);
      const csv = await ncrsCsv(tx, f.quality, {}, t2);
      const lines = csv.body.trim().split("\r\n");
      expect(lines[0]).toMatch(/^NCR,Status,Raised at/);
      expect(lines[1]).toMatch(/^NCR-000001,Open,/);
      expect(lines[1]).toContain("Connector bent, =cmd");
    });
  });
});
