import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import { createTestLot, createTestPart, createTestSerial } from "@/db/testing/factories";
import { issueToPointOfUse } from "@/db/testing/genealogy-fixtures";
import { createStationOrder, createStationPlant, operatorActor } from "@/db/testing/station-fixtures";
import { signingActor, signWith } from "@/db/testing/signing-actor";
import { DEMO, loadDemoIds, type DemoIds } from "@/db/seed/demo-plant";
import { TEST_NOW } from "@/db/testing/clock";
import * as s from "@/db/schema";
import { queryRows, type DbOrTx, type Tx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { allowedLotContent } from "@/server/domain/quality/rule-signatures";
import { signaturesOf } from "@/server/repos/quality-holds";
import { listDecidedOwnershipChanges } from "@/server/repos/ownership-read";
import { addAllowedLot } from "@/server/services/kitting/add-allowed-lot";
import { allowedLotSignatures, removeAllowedLot } from "@/server/services/kitting/remove-allowed-lot";
import { decideOwnershipChange, proposeOwnershipChange, withDecisionSignatures } from "@/server/services/ownership/change-ownership";
import { editPartPolicy, listPartPolicyChanges } from "@/server/services/ownership/edit-part-policy";
import { completeOperation } from "@/server/services/station/complete-operation";
import { consumeComponent } from "@/server/services/station/consume-component";
import { buyOffOperation, listAwaitingBuyOff, operationStamp } from "./operation-buy-off";
import { createDeviation, deviationRevocationSignature, listDeviationViews, revokeDeviation } from "./deviations";
import { raiseNcr } from "./ncr";
import { getNcrDetail } from "./ncr-views";
import { setMrbRoles, signDisposition } from "./mrb";
import { ncrWithdrawals, withdrawDisposition } from "./withdraw-disposition";
import { localDate } from "@/server/domain/kitting/dates";
import { verifySignature } from "./sign-record";

/*
 * Issue 19, Must 5: electronic signatures (as holds: re-authentication, meaning, bound to the record's content) on an
 * ownership-registry decision, the rule changes (allowed-lot entries, part policies) and an operation's inspector
 * buy-off. For each: the signature binds (valid, printed name and meaning), shows INVALID once the record is altered,
 * is refused without a correct re-authentication (nothing written) and to the wrong role.
 */

const t = useTestDatabase("demo");
const now = TEST_NOW;
const rid = () => randomUUID();
const DEMO_PASSWORD = "demo-password";
const demoSign = (meaning: "approval" | "review" = "approval", secret = DEMO_PASSWORD) => ({ method: "password" as const, secret, meaning });
const ctx = () => ({ now, clientKey: `test-${randomUUID()}` });
let ids: DemoIds;
let alex: Actor;
let claire: Actor;
let priya: Actor;
let jamal: Actor;

beforeAll(async () => {
  ids = await loadDemoIds(t.db);
  alex = await actorFor(t.db, "alex.morgan");
  claire = await actorFor(t.db, "claire.petit");
  priya = await actorFor(t.db, "priya.raman");
  jamal = await actorFor(t.db, "B1002");
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

async function signatureCount(db: DbOrTx): Promise<number> {
  const [row] = await queryRows<{ n: string }>(db, sql`select count(*)::text as n from signatures`);
  return Number(row!.n);
}

describe("an ownership-registry decision is signed", () => {
  it("binds the approval to the change record; altering the record shows it INVALID", async () => {
    await inRollback(t.db, async (tx) => {
      const change = await proposeOwnershipChange(tx, alex, { entity: "part", attribute: "pot_life_minutes", owner: "erp", direction: "erp_to_traceline", reason: "Pot life now comes with the material master (ECO-3001)" }, now);
      const out = await decideOwnershipChange(tx, claire, { changeId: change.id, approve: true, signature: demoSign("approval") }, ctx());
      expect(out).toMatchObject({ status: "approved", signatureId: expect.any(String) });
      const [decided] = await withDecisionSignatures(tx, (await listDecidedOwnershipChanges(tx, 10)).filter((c) => c.id === change.id));
      expect(decided!.signature).toMatchObject({ printedName: "Claire Petit", meaning: "approval", status: "valid", authMethod: "password" });

      await tx.execute(sql`update ownership_changes set reason = 'Pot life stays on the floor' where id = ${change.id}`);
      const [altered] = await withDecisionSignatures(tx, (await listDecidedOwnershipChanges(tx, 10)).filter((c) => c.id === change.id));
      expect(altered!.signature!.status).toBe("invalid");
    });
  });

  it("a rejection is signed too (meaning review); the wrong meaning, password or role decides nothing", async () => {
    await inRollback(t.db, async (tx) => {
      const change = await proposeOwnershipChange(tx, alex, { entity: "lot", attribute: "expires_at", owner: "traceline", direction: "none", reason: "Trial: expiry kept on the floor" }, now);
      const before = await signatureCount(tx);
      expect((await refused(() => decideOwnershipChange(tx, claire, { changeId: change.id, approve: true, signature: demoSign("approval", "wrong-password") }, ctx()))).code).toBe("SIGNATURE_REFUSED");
      expect((await refused(() => decideOwnershipChange(tx, claire, { changeId: change.id, approve: true, signature: demoSign("review") }, ctx()))).code).toBe("VALIDATION_FAILED");
      expect((await refused(() => decideOwnershipChange(tx, priya, { changeId: change.id, approve: true, signature: demoSign("approval") }, ctx()))).code).toBe("FORBIDDEN");
      const [row] = await tx.select().from(s.ownershipChanges).where(eq(s.ownershipChanges.id, change.id));
      expect(row!.status).toBe("proposed");
      expect(await signatureCount(tx)).toBe(before);

      expect(await decideOwnershipChange(tx, claire, { changeId: change.id, approve: false, reason: "Expiry stays with receiving", signature: demoSign("review") }, ctx())).toMatchObject({ status: "rejected" });
      const [decided] = await withDecisionSignatures(tx, (await listDecidedOwnershipChanges(tx, 10)).filter((c) => c.id === change.id));
      expect(decided!.signature).toMatchObject({ printedName: "Claire Petit", meaning: "review", status: "valid" });
    });
  });
});

describe("allowed-lot list changes are signed", () => {
  it("binds an entry and its lifting; altering the entry shows INVALID", async () => {
    await inRollback(t.db, async (tx) => {
      const wo = ids.workOrder("WCH", "WO-100234");
      const added = await addAllowedLot(tx, priya, { requestId: rid(), workOrderId: wo, lot: "SE24-3420", reason: "O-rings from one cure batch only", signature: demoSign() }, ctx());
      const [entry] = (await allowedLotSignatures(tx, priya, wo)).filter((e) => e.allowedLotId === added.allowedLotId);
      expect(entry!.signature).toMatchObject({ id: added.signatureId, printedName: "Priya Raman", meaning: "approval", status: "valid" });

      await tx.execute(sql`update allowed_lots set reason = 'Any batch' where id = ${added.allowedLotId}`);
      const [altered] = (await allowedLotSignatures(tx, priya, wo)).filter((e) => e.allowedLotId === added.allowedLotId);
      expect(altered!.signature!.status).toBe("invalid");

      const removed = await removeAllowedLot(tx, priya, { requestId: rid(), allowedLotId: added.allowedLotId, reason: "Batch question closed", signature: demoSign() }, ctx());
      const [row] = await tx.select().from(s.allowedLots).where(eq(s.allowedLots.id, added.allowedLotId));
      const [sig] = await signaturesOf(tx, priya.siteId, "allowed_lot_removal", [added.allowedLotId]);
      expect(sig!.id).toBe(removed.signatureId);
      expect(verifySignature(sig!, allowedLotContent(row!, "removed")).status).toBe("valid");
      expect(verifySignature(sig!, allowedLotContent({ ...row!, removedAt: new Date(now.getTime() + 60_000) }, "removed")).status).toBe("invalid");
    });
  });

  it("without the right password, or by a kitting clerk, nothing is added or lifted", async () => {
    await inRollback(t.db, async (tx) => {
      const wo = ids.workOrder("WCH", "WO-100234");
      const count = async () => (await tx.select().from(s.allowedLots).where(and(eq(s.allowedLots.workOrderId, wo)))).length;
      const before = { entries: await count(), signatures: await signatureCount(tx) };
      const cmd = { workOrderId: wo, lot: "SE24-3420", reason: "O-rings from one cure batch only" };
      expect((await refused(() => addAllowedLot(tx, priya, { ...cmd, requestId: rid(), signature: demoSign("approval", "nope") }, ctx()))).code).toBe("SIGNATURE_REFUSED");
      expect((await refused(() => addAllowedLot(tx, jamal, { ...cmd, requestId: rid(), signature: demoSign() }, ctx()))).code).toBe("FORBIDDEN");
      expect({ entries: await count(), signatures: await signatureCount(tx) }).toEqual(before);

      const added = await addAllowedLot(tx, priya, { ...cmd, requestId: rid(), signature: demoSign() }, ctx());
      expect((await refused(() => removeAllowedLot(tx, priya, { requestId: rid(), allowedLotId: added.allowedLotId, reason: "Closed", signature: demoSign("approval", "nope") }, ctx()))).code).toBe("SIGNATURE_REFUSED");
      expect((await refused(() => removeAllowedLot(tx, jamal, { requestId: rid(), allowedLotId: added.allowedLotId, reason: "Closed", signature: demoSign() }, ctx()))).code).toBe("FORBIDDEN");
      const [row] = await tx.select().from(s.allowedLots).where(eq(s.allowedLots.id, added.allowedLotId));
      expect(row!.removedAt).toBeNull();
    });
  });
});

describe("part policy changes are signed", () => {
  it("refuses without the right password or by a non-administrator, changing nothing", async () => {
    await inRollback(t.db, async (tx) => {
      const partNumber = DEMO.expiredLot.partNumber;
      const [before] = await tx.select().from(s.parts).where(eq(s.parts.partNumber, partNumber));
      const signatures = await signatureCount(tx);
      const cmd = { partNumber, attribute: "out_time_minutes" as const, value: 95, reason: "Per process spec PS-44 rev D" };
      expect((await refused(() => editPartPolicy(tx, alex, { ...cmd, signature: demoSign("approval", "nope") }, ctx()))).code).toBe("SIGNATURE_REFUSED");
      expect((await refused(() => editPartPolicy(tx, priya, { ...cmd, signature: demoSign() }, ctx()))).code).toBe("FORBIDDEN");
      const [after] = await tx.select().from(s.parts).where(eq(s.parts.partNumber, partNumber));
      expect(after!.outTimeMinutes).toBe(before!.outTimeMinutes);
      expect(await signatureCount(tx)).toBe(signatures);
    });
  });

  it("binds the change to its record (the audit row); altering that row behind the application's back shows INVALID", async () => {
    // committed, so the owner connection can alter the audit row (past its append-only trigger)
    const partNumber = DEMO.expiredLot.partNumber;
    const out = await editPartPolicy(t.db, alex, { partNumber, attribute: "out_time_minutes", value: 95, reason: "Per process spec PS-44 rev D", signature: demoSign() }, ctx());
    const [change] = (await listPartPolicyChanges(t.db, 20)).filter((c) => c.id === out.changeId);
    expect(change).toMatchObject({ partNumber, attribute: "out_time_minutes", newValue: 95, changedByName: "Alex Morgan" });
    expect(change!.signature).toMatchObject({ id: out.signatureId, printedName: "Alex Morgan", meaning: "approval", status: "valid" });

    await t.ownerDb.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
      await tx.execute(sql`update audit_log set new_value = '{"out_time_minutes": 950}'::jsonb where id = ${out.changeId}`);
      await tx.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
    });
    const [altered] = (await listPartPolicyChanges(t.db, 20)).filter((c) => c.id === out.changeId);
    expect(altered!.newValue).toBe(950);
    expect(altered!.signature!.status).toBe("invalid");
  });
});

describe("an operation the routing asks a stamp for is bought off by an inspector, signed", () => {
  async function setup(tx: Tx) {
    const plant = await createStationPlant(tx);
    const shaft = await createTestPart(tx, "serial");
    const order = await createStationOrder(tx, plant, {
      number: `WO-${randomUUID().slice(0, 6)}`,
      serials: ["I-1"],
      ops: [{ seq: 10, parameters: [{ name: "torque", unit: "N·m", min: "4.5", max: "5.5" }] }, { seq: 20 }],
      bom: [{ find: 1, partRevisionId: shaft.revisionId, qty: "1", op: 10 }],
    });
    await tx
      .update(s.workOrderOperations)
      .set({ inspectionRequired: true })
      .where(and(eq(s.workOrderOperations.workOrderId, order.workOrderId), eq(s.workOrderOperations.seq, 10)));
    const item = await createTestSerial(tx, plant.siteId, shaft.revisionId, { serialNumber: `SH-${randomUUID().slice(0, 4)}` });
    await issueToPointOfUse(tx, plant, { partRevisionId: shaft.revisionId, lotId: null, serialItemId: item.id }, "1", now);
    const op = operatorActor(plant);
    const unit = order.units[0]!;
    const base = { stationId: plant.stationId, unitId: unit.unitId };
    await consumeComponent(tx, op, { ...base, requestId: rid(), operationSeq: 10, item: { serialItemId: item.id } }, now);
    const inspector = await signingActor(tx, plant.siteId, ["quality_engineer"], "Ines Inspector");
    const supervisor = await signingActor(tx, plant.siteId, ["supervisor"], "Sam Supervisor");
    const unitOp = async (seq: number) => (await tx.select().from(s.unitOperations).where(and(eq(s.unitOperations.unitId, unit.unitId), eq(s.unitOperations.seq, seq))))[0]!;
    return { plant, op, unit, base, inspector, supervisor, unitOp };
  }

  it("the operator's completion leaves the operation open until an inspector signs; the stamp binds and shows INVALID once altered", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const done = await completeOperation(tx, f.op, { ...f.base, requestId: rid(), operationSeq: 10, parameters: { torque: "5.0" } }, now);
      expect(done).toMatchObject({ awaitingInspection: true, unitCompleted: false });
      expect(await f.unitOp(10)).toMatchObject({ status: "in_progress", workDoneBy: f.op.userId, completedAt: null, inspectedAt: null });
      // the unit goes no further: operation 10 is not completed again, operation 20 is not open
      expect((await refused(() => completeOperation(tx, f.op, { ...f.base, requestId: rid(), operationSeq: 10, parameters: { torque: "5.0" } }, now))).code).toBe("AWAITING_INSPECTION");
      expect((await refused(() => completeOperation(tx, f.op, { ...f.base, requestId: rid(), operationSeq: 20 }, now))).code).toBe("OPERATION_NOT_OPEN");
      expect((await listAwaitingBuyOff(tx, f.inspector)).map((a) => [a.unitSerial, a.seq])).toEqual([["I-1", 10]]);

      const out = await buyOffOperation(tx, f.inspector, { requestId: rid(), unitId: f.unit.unitId, operationSeq: 10, signature: signWith() }, ctx());
      expect(out).toMatchObject({ unitSerial: "I-1", operationSeq: 10, unitCompleted: false });
      expect(await f.unitOp(10)).toMatchObject({ status: "completed", completedBy: f.op.userId, inspectedBy: f.inspector.userId, inspectionSignatureId: out.signatureId });
      const stamp = await operationStamp(tx, f.inspector, f.unit.unitId, 10);
      expect(stamp!.signature).toMatchObject({ printedName: "Ines Inspector", meaning: "approval", status: "valid" });
      expect(await listAwaitingBuyOff(tx, f.inspector)).toEqual([]);

      // the unit proceeds: operation 20 (no stamp asked) completes the unit
      expect(await completeOperation(tx, f.op, { ...f.base, requestId: rid(), operationSeq: 20 }, now)).toMatchObject({ awaitingInspection: false, unitCompleted: true });
      expect((await operationStamp(tx, f.inspector, f.unit.unitId, 10))!.signature!.status).toBe("valid");

      // altering the bought-off record (its recorded torque) shows the stamp INVALID
      await tx.execute(sql`update unit_operations set parameters = '{"torque": "9.0"}'::jsonb where unit_id = ${f.unit.unitId} and seq = 10`);
      expect((await operationStamp(tx, f.inspector, f.unit.unitId, 10))!.signature!.status).toBe("invalid");
    });
  });

  it("is refused without the right password, to the wrong role, before the work is recorded, and to the one who did the work", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const buyOff = (who: Actor, signature = signWith()) => buyOffOperation(tx, who, { requestId: rid(), unitId: f.unit.unitId, operationSeq: 10, signature }, ctx());
      expect((await refused(() => buyOff(f.inspector))).message).toMatch(/not recorded yet/);
      await completeOperation(tx, f.op, { ...f.base, requestId: rid(), operationSeq: 10, parameters: { torque: "5.0" } }, now);
      const signatures = await signatureCount(tx);
      expect((await refused(() => buyOff(f.inspector, signWith("approval", "wrong password")))).code).toBe("SIGNATURE_REFUSED");
      expect((await refused(() => buyOff(f.supervisor))).code).toBe("FORBIDDEN");
      expect((await refused(() => buyOff(f.inspector, signWith("review")))).code).toBe("VALIDATION_FAILED");
      // a quality engineer who recorded the work cannot stamp it
      const both = { ...f.inspector, userId: f.op.userId };
      expect((await refused(() => buyOffOperation(tx, both, { requestId: rid(), unitId: f.unit.unitId, operationSeq: 10, signature: signWith() }, ctx()))).message).toMatch(/other than the person who did the work/);
      expect(await signatureCount(tx)).toBe(signatures);
      expect(await f.unitOp(10)).toMatchObject({ status: "in_progress", inspectedAt: null });
    });
  });
});

describe("a deviation is revoked, signed, and the station refuses its substitute at once", () => {
  it("binds the revocation; refused without the password or to the wrong role; the install is refused after it", async () => {
    await inRollback(t.db, async (tx) => {
      const plant = await createStationPlant(tx);
      const valve = await createTestPart(tx, "lot", { uom: "EA" });
      const [revB] = await tx.insert(s.partRevisions).values({ partId: valve.partId, revision: "B" }).returning();
      const order = await createStationOrder(tx, plant, { number: `WO-${randomUUID().slice(0, 6)}`, serials: ["R1"], ops: [{ seq: 10 }], bom: [{ find: 1, partRevisionId: valve.revisionId, qty: "2", op: 10 }] });
      const lotB = await createTestLot(tx, plant.siteId, revB!.id);
      await issueToPointOfUse(tx, plant, { partRevisionId: revB!.id, lotId: lotB.id, serialItemId: null }, "10", now);
      const quality = await signingActor(tx, plant.siteId, ["quality_engineer"], "Quinn Quality");
      const supervisor = await signingActor(tx, plant.siteId, ["supervisor"], "Sam Supervisor");
      const op = operatorActor(plant);
      const dev = await createDeviation(
        tx,
        quality,
        {
          requestId: rid(),
          designed: { partNumber: valve.partNumber, revision: "A" },
          substitute: { kind: "revision", partNumber: valve.partNumber, revision: "B" },
          scope: { unitSerials: ["R1"] },
          reason: "Rev B is form-fit-function equivalent per ECN-881",
          validThrough: localDate(now, "America/Chicago"),
          quantityLimit: "2",
          signature: signWith(),
        },
        ctx(),
      );
      const install = () => consumeComponent(tx, op, { requestId: rid(), stationId: plant.stationId, unitId: order.units[0]!.unitId, operationSeq: 10, item: { lotId: lotB.id }, quantity: "1" }, now);
      await install();

      const revoke = (who: Actor, signature = signWith()) => revokeDeviation(tx, who, { requestId: rid(), deviationId: dev.deviationId, reason: "ECN-881 withdrawn by engineering", signature }, ctx());
      const before = await signatureCount(tx);
      expect((await refused(() => revoke(quality, signWith("approval", "wrong password")))).code).toBe("SIGNATURE_REFUSED");
      expect((await refused(() => revoke(supervisor))).code).toBe("FORBIDDEN");
      expect((await refused(() => revokeDeviation(tx, quality, { requestId: rid(), deviationId: dev.deviationId, reason: "", signature: signWith() }, ctx()))).code).toBe("VALIDATION_FAILED");
      expect(await signatureCount(tx)).toBe(before);

      const out = await revoke(quality);
      expect(out.number).toBe(dev.number);
      expect((await listDeviationViews(tx, quality, { state: null, q: null }, now)).find((d) => d.id === dev.deviationId)).toMatchObject({ state: "revoked", signature: "valid" });
      expect(await deviationRevocationSignature(tx, quality, dev.deviationId)).toMatchObject({ printedName: "Quinn Quality", meaning: "approval", status: "valid" });
      const refusedInstall = await refused(install);
      expect(refusedInstall.code).toBe("WRONG_REVISION");
      expect(refusedInstall.message).toMatch(/was revoked/);
      expect((await refused(() => revoke(quality))).message).toMatch(/already revoked/);

      await tx.execute(sql`update deviations set revoke_reason = 'No reason' where id = ${dev.deviationId}`);
      expect((await deviationRevocationSignature(tx, quality, dev.deviationId))!.status).toBe("invalid");
    });
  });
});

describe("a proposed MRB disposition is withdrawn, signed, and the board decides again", () => {
  it("binds the withdrawal; refused without the password or to a non-member; the report reopens in a new round", async () => {
    await inRollback(t.db, async (tx) => {
      const plant = await createStationPlant(tx);
      const gasket = await createTestPart(tx, "lot", { uom: "EA" });
      const lot = await createTestLot(tx, plant.siteId, gasket.revisionId);
      await issueToPointOfUse(tx, plant, { partRevisionId: gasket.revisionId, lotId: lot.id, serialItemId: null }, "10", now);
      const quality = await signingActor(tx, plant.siteId, ["quality_engineer"], "Quinn Quality");
      const supervisor = await signingActor(tx, plant.siteId, ["supervisor"], "Sam Supervisor");
      const admin = await signingActor(tx, plant.siteId, ["admin"], "Ada Admin");
      await setMrbRoles(tx, admin, { requestId: rid(), roles: ["quality_engineer", "supervisor"] }, now);
      const ncr = await raiseNcr(tx, quality, { requestId: rid(), source: "quality", defect: "damaged", target: { kind: "lot", lotId: lot.id }, quantity: "3", locationId: plant.loc.point_of_use, description: "Torn gaskets" }, now);
      await signDisposition(tx, quality, { requestId: rid(), ncrId: ncr.ncrId, disposition: "scrap", reason: "Torn beyond repair", signature: signWith() }, ctx());

      const withdraw = (who: Actor, signature: ReturnType<typeof signWith> | { method: "password"; secret: string; meaning: string } = { ...signWith(), meaning: "responsibility" }) =>
        withdrawDisposition(tx, who, { requestId: rid(), ncrId: ncr.ncrId, reason: "Use as is may do: the tear is outside the seal face", signature }, ctx());
      const before = await signatureCount(tx);
      expect((await refused(() => withdraw(supervisor, { method: "password", secret: "wrong password", meaning: "responsibility" }))).code).toBe("SIGNATURE_REFUSED");
      expect((await refused(() => withdraw(operatorActor(plant)))).code).toBe("FORBIDDEN");
      expect((await refused(() => withdraw(supervisor, signWith()))).code).toBe("VALIDATION_FAILED");
      expect(await signatureCount(tx)).toBe(before);

      const out = await withdraw(supervisor);
      expect(out.number).toBe("NCR-000001");
      const reopened = await getNcrDetail(tx, quality, ncr.ncrId);
      expect(reopened).toMatchObject({ status: "open", disposition: null, signoffs: [], holdActive: true, tampered: false });
      const [w] = await ncrWithdrawals(tx, quality, ncr.ncrId);
      expect(w).toMatchObject({ round: 1, disposition: "scrap", withdrawnByName: "Sam Supervisor" });
      expect(w!.signature).toMatchObject({ printedName: "Sam Supervisor", meaning: "responsibility", status: "valid" });
      expect((await refused(() => withdraw(supervisor))).code).toBe("NCR_NOT_OPEN");

      // the same people decide again in the next round; the disposition is carried out
      await signDisposition(tx, quality, { requestId: rid(), ncrId: ncr.ncrId, disposition: "use_as_is", reason: "Tear outside the seal face", signature: signWith() }, ctx());
      expect(await signDisposition(tx, supervisor, { requestId: rid(), ncrId: ncr.ncrId, signature: signWith() }, ctx())).toMatchObject({ closed: true, disposition: "use_as_is" });
      const closed = await getNcrDetail(tx, quality, ncr.ncrId);
      expect(closed.signoffs.map((g) => [g.role, g.signature?.status])).toEqual([
        ["quality_engineer", "valid"],
        ["supervisor", "valid"],
      ]);
      expect((await ncrWithdrawals(tx, quality, ncr.ncrId))[0]!.signature!.status).toBe("valid");
    });
  });
});
