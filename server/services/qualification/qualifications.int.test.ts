import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { erpFixture, message } from "@/db/testing/erp-fixture";
import { createTestUser } from "@/db/testing/factories";
import * as s from "@/db/schema";
import type { Actor } from "@/server/auth/types";
import { receiveErpMessages } from "@/server/services/erp/receive-messages";
import { defineSkill, recordQualification, revokeQualification } from "./qualifications";
import { setOperationRequirements } from "./operation-requirements";

const t = useTestDatabase("empty");
const now = new Date("2026-11-25T15:00:00Z");

async function people(tx: Parameters<Parameters<typeof inRollback>[1]>[0]) {
  const fx = await erpFixture(tx);
  const quality = await createTestUser(tx, fx.site.siteId, "quality_engineer");
  const operator = await createTestUser(tx, fx.site.siteId, "operator");
  const actor = (roles: Actor["roles"]): Actor => ({ userId: quality.id, displayName: "Quinn Quality", siteId: fx.site.siteId, siteCode: fx.site.code, siteName: "Test plant", timeZone: "America/Chicago", locale: "en", roles, sites: [] });
  return { ...fx, quality, operator, actor };
}

describe("operator qualifications", () => {
  it("are recorded, renewed and withdrawn by quality or a supervisor, each change audited; an operator may not", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await people(tx);
      const q = f.actor(["quality_engineer"]);
      await defineSkill(tx, q, { code: "seal-870", name: "Sealing PS-870" }, now);
      await expect(defineSkill(tx, q, { code: "SEAL-870", name: "Again" }, now)).rejects.toMatchObject({ code: "VALIDATION_FAILED", message: /exists already/ });
      const out = await recordQualification(tx, q, { userId: f.operator.id, skillCode: "SEAL-870", qualifiedOn: "2026-11-01", validThrough: "2027-03-31", reason: "Certificate 4471" }, now);
      // valid through 2027-03-31 in Chicago: expires at the start of 2027-04-01 there
      expect(out.expiresAt!.toISOString()).toBe("2027-04-01T05:00:00.000Z");
      await recordQualification(tx, f.actor(["supervisor"]), { userId: f.operator.id, skillCode: "SEAL-870", qualifiedOn: "2026-11-01", validThrough: null, reason: "Renewed, no expiry" }, now);
      await revokeQualification(tx, q, { userId: f.operator.id, skillCode: "SEAL-870", reason: "Failed audit sample" }, now);
      await expect(revokeQualification(tx, q, { userId: f.operator.id, skillCode: "SEAL-870", reason: "Again please" }, now)).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
      const [row] = await tx.select().from(s.operatorQualifications).where(eq(s.operatorQualifications.userId, f.operator.id));
      expect(row).toMatchObject({ expiresAt: null, revokedAt: now, updatedBy: f.quality.id });
      const audit = await tx.select({ action: s.auditLog.action, reason: s.auditLog.reason }).from(s.auditLog).where(eq(s.auditLog.entity, "operator_qualification")).orderBy(s.auditLog.id);
      expect(audit).toEqual([
        { action: "qualification_granted", reason: "Certificate 4471" },
        { action: "qualification_renewed", reason: "Renewed, no expiry" },
        { action: "qualification_withdrawn", reason: "Failed audit sample" },
      ]);
      await expect(recordQualification(tx, f.actor(["operator"]), { userId: f.operator.id, skillCode: "SEAL-870", qualifiedOn: "2026-11-01", validThrough: null, reason: "Self-certified" }, now)).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(recordQualification(tx, q, { userId: f.operator.id, skillCode: "SEAL-870", qualifiedOn: "2026-11-01", validThrough: "2026-10-01", reason: "Backwards" }, now)).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
      await expect(recordQualification(tx, q, { userId: f.operator.id, skillCode: "NOPE", qualifiedOn: "2026-11-01", validThrough: null, reason: "Unknown skill" }, now)).rejects.toMatchObject({ code: "NOT_FOUND" });
    });
  });

  it("required skills: set in Traceline (kept across ERP routing versions), frozen at release; ERP's when the registry says so", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await people(tx);
      const q = f.actor(["quality_engineer"]);
      await receiveErpMessages(tx, f.connection, [
        message(f.plant, "part", "ACT-1", 1, { partNumber: "ACT-1", description: "Actuator", uom: "EA", tracking: "serial", revisions: [{ revision: "A" }] }),
        message(f.plant, "routing", "R-ACT", 1, { code: "R-ACT", partNumber: "ACT-1", revision: "A", operations: [{ seq: 10, code: "SEAL", description: "Seal", workCenter: "WC1" }] }),
      ], now);
      await expect(setOperationRequirements(tx, q, { routingCode: "R-ACT", seq: 10, requiredSkills: ["SEAL-870"], requiredToolClasses: [], reason: "Special process" }, now)).rejects.toMatchObject({ message: /SEAL-870 is not defined/ });
      await defineSkill(tx, q, { code: "SEAL-870", name: "Sealing PS-870" }, now);
      await setOperationRequirements(tx, q, { routingCode: "R-ACT", seq: 10, requiredSkills: ["seal-870"], requiredToolClasses: ["torque-wrench"], reason: "Special process PS-44" }, now);
      // a new routing version from ERP carrying other skills: Traceline owns them, so they are ignored and kept
      const [r2] = await receiveErpMessages(tx, f.connection, [
        message(f.plant, "routing", "R-ACT", 2, { code: "R-ACT", partNumber: "ACT-1", revision: "A", operations: [{ seq: 10, code: "SEAL", description: "Seal v2", workCenter: "WC1", requiredSkills: ["OTHER"] }] }),
      ], now);
      expect(r2!.warnings).toContain("routing.required_skills is owned by Traceline: ignored");
      const release = message(f.plant, "production_order", "WO-Q1", 1, { action: "release", number: "WO-Q1", partNumber: "ACT-1", revision: "A", routing: "R-ACT", quantity: 1, dueDate: "2026-12-10", serials: ["Q1"] });
      expect((await receiveErpMessages(tx, f.connection, [release], now))[0]!.status).toBe("applied");
      const frozen = await tx
        .select({ skills: s.workOrderOperations.requiredSkills, tools: s.workOrderOperations.requiredToolClasses, description: s.workOrderOperations.description })
        .from(s.workOrderOperations)
        .innerJoin(s.workOrders, and(eq(s.workOrders.siteId, s.workOrderOperations.siteId), eq(s.workOrders.id, s.workOrderOperations.workOrderId)))
        .where(eq(s.workOrders.number, "WO-Q1"));
      expect(frozen).toEqual([{ skills: ["SEAL-870"], tools: ["TORQUE-WRENCH"], description: "Seal v2" }]);

      // handed to ERP: ERP's routing sets them, and Traceline's edit is refused naming the owner
      await tx.update(s.ownershipRegistry).set({ owner: "erp", direction: "erp_to_traceline" }).where(and(eq(s.ownershipRegistry.entity, "routing"), eq(s.ownershipRegistry.attribute, "required_skills")));
      await receiveErpMessages(tx, f.connection, [
        message(f.plant, "routing", "R-ACT", 3, { code: "R-ACT", partNumber: "ACT-1", revision: "A", operations: [{ seq: 10, code: "SEAL", description: "Seal v3", workCenter: "WC1", requiredSkills: ["crimp-a"] }] }),
      ], now);
      const [op] = await tx.select({ skills: s.routingOperations.requiredSkills, tools: s.routingOperations.requiredToolClasses }).from(s.routingOperations).where(eq(s.routingOperations.siteId, f.site.siteId));
      expect(op).toEqual({ skills: ["CRIMP-A"], tools: ["TORQUE-WRENCH"] });
      await expect(setOperationRequirements(tx, q, { routingCode: "R-ACT", seq: 10, requiredSkills: ["SEAL-870"], requiredToolClasses: ["TORQUE-WRENCH"], reason: "Back to sealing" }, now)).rejects.toMatchObject({
        code: "OWNED_BY_OTHER_SYSTEM",
        message: /routing.required_skills is owned by ERP/,
      });
    });
  });
});
