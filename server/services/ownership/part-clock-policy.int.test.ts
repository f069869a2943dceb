import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { erpFixture, message } from "@/db/testing/erp-fixture";
import { signingActor, signWith } from "@/db/testing/signing-actor";
import { TEST_NOW } from "@/db/testing/clock";
import * as s from "@/db/schema";
import { DomainError } from "@/server/domain/shared/errors";
import { receiveErpMessages } from "@/server/services/erp/receive-messages";
import { editPartPolicy } from "./edit-part-policy";

const t = useTestDatabase("empty");
const now = TEST_NOW;

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

const partMsg = (plant: string, pn: string, v: number, extra: Record<string, unknown> = {}) =>
  message(plant, "part", pn, v, { partNumber: pn, description: `Sealant ${pn}`, uom: "EA", tracking: "lot", revisions: [{ revision: "A" }], ...extra });

const clockColumns = { storageClass: s.parts.storageClass, minThawMinutes: s.parts.minThawMinutes, potLifeMinutes: s.parts.potLifeMinutes, outTimeMinutes: s.parts.outTimeMinutes };

describe("time-sensitive part attributes follow the ownership registry", () => {
  it("the ERP interface writes the storage class (ERP's) and ignores thaw time, pot life and out-time (Traceline's), naming them", async () => {
    await inRollback(t.db, async (tx) => {
      const { connection, plant } = await erpFixture(tx);
      const [r] = await receiveErpMessages(tx, connection, [partMsg(plant, "SEAL-7", 1, { storageClass: "freezer", minThawMinutes: 30, potLifeMinutes: 90, outTimeMinutes: 480 })], now);
      expect(r).toMatchObject({ status: "applied" });
      expect(r!.warnings).toEqual(
        expect.arrayContaining(["part.out_time_minutes is owned by Traceline: ignored", "part.min_thaw_minutes is owned by Traceline: ignored", "part.pot_life_minutes is owned by Traceline: ignored"]),
      );
      const [part] = await tx.select(clockColumns).from(s.parts).where(eq(s.parts.partNumber, "SEAL-7"));
      expect(part).toEqual({ storageClass: "freezer", minThawMinutes: null, potLifeMinutes: null, outTimeMinutes: null });

      // the registry gives pot life to ERP (change-controlled elsewhere): the next version writes it
      await tx.update(s.ownershipRegistry).set({ owner: "erp", direction: "erp_to_traceline" }).where(and(eq(s.ownershipRegistry.entity, "part"), eq(s.ownershipRegistry.attribute, "pot_life_minutes")));
      await receiveErpMessages(tx, connection, [partMsg(plant, "SEAL-7", 2, { storageClass: "refrigerated", potLifeMinutes: 90 })], now);
      const [after] = await tx.select(clockColumns).from(s.parts).where(eq(s.parts.partNumber, "SEAL-7"));
      expect(after).toEqual({ storageClass: "refrigerated", minThawMinutes: null, potLifeMinutes: 90, outTimeMinutes: null });
    });
  });

  it("an unknown storage class from ERP is rejected with its field and changes nothing", async () => {
    await inRollback(t.db, async (tx) => {
      const { connection, plant } = await erpFixture(tx);
      const [r] = await receiveErpMessages(tx, connection, [partMsg(plant, "SEAL-8", 1, { storageClass: "cellar" })], now);
      expect(r).toMatchObject({ status: "rejected" });
      expect(JSON.stringify(r!.error)).toContain("storageClass");
      expect(await tx.select().from(s.parts).where(eq(s.parts.partNumber, "SEAL-8"))).toHaveLength(0);
    });
  });

  it("the part policy screen sets Traceline's thaw time and pot life, refuses ERP's storage class, and checks the value", async () => {
    await inRollback(t.db, async (tx) => {
      const { connection, plant, site } = await erpFixture(tx);
      await receiveErpMessages(tx, connection, [partMsg(plant, "SEAL-9", 1, { storageClass: "freezer" })], now);
      const actor = await signingActor(tx, site.siteId, ["admin"], "Admin A");
      await editPartPolicy(tx, actor, { partNumber: "SEAL-9", attribute: "min_thaw_minutes", value: 45, reason: "Process spec PS-12 rev B" , signature: signWith() }, { now, clientKey: "test-policy" });
      await editPartPolicy(tx, actor, { partNumber: "SEAL-9", attribute: "pot_life_minutes", value: 120, reason: "Process spec PS-12 rev B" , signature: signWith() }, { now, clientKey: "test-policy" });
      expect(await refusal(editPartPolicy(tx, actor, { partNumber: "SEAL-9", attribute: "storage_class", value: "ambient", reason: "Moved to ambient" , signature: signWith() }, { now, clientKey: "test-policy" }))).toMatchObject({
        code: "OWNED_BY_OTHER_SYSTEM",
        message: expect.stringMatching(/owned by ERP/),
      });
      expect((await refusal(editPartPolicy(tx, actor, { partNumber: "SEAL-9", attribute: "min_thaw_minutes", value: "freezer", reason: "Process spec PS-12" , signature: signWith() }, { now, clientKey: "test-policy" }))).code).toBe("VALIDATION_FAILED");
      const [part] = await tx.select(clockColumns).from(s.parts).where(eq(s.parts.partNumber, "SEAL-9"));
      expect(part).toEqual({ storageClass: "freezer", minThawMinutes: 45, potLifeMinutes: 120, outTimeMinutes: null });
      const audits = await tx.select({ newValue: s.auditLog.newValue }).from(s.auditLog).where(and(eq(s.auditLog.action, "part_policy_edited"), eq(s.auditLog.entityId, "SEAL-9")));
      expect(audits.map((a) => a.newValue)).toEqual(expect.arrayContaining([{ min_thaw_minutes: 45 }, { pot_life_minutes: 120 }]));

      // once the registry gives storage class to Traceline, the screen may set it (and only to a known class)
      await tx.update(s.ownershipRegistry).set({ owner: "traceline", direction: "none" }).where(and(eq(s.ownershipRegistry.entity, "part"), eq(s.ownershipRegistry.attribute, "storage_class")));
      await editPartPolicy(tx, actor, { partNumber: "SEAL-9", attribute: "storage_class", value: "refrigerated", reason: "Supplier data sheet rev 4" , signature: signWith() }, { now, clientKey: "test-policy" });
      expect((await refusal(editPartPolicy(tx, actor, { partNumber: "SEAL-9", attribute: "storage_class", value: 5, reason: "Supplier data sheet rev 4" , signature: signWith() }, { now, clientKey: "test-policy" }))).code).toBe("VALIDATION_FAILED");
      const [again] = await tx.select(clockColumns).from(s.parts).where(eq(s.parts.partNumber, "SEAL-9"));
      expect(again!.storageClass).toBe("refrigerated");
    });
  });
});
