import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { erpFixture } from "@/db/testing/erp-fixture";
import { createTestPart, createTestUser } from "@/db/testing/factories";
import * as s from "@/db/schema";
import { DomainError } from "@/server/domain/shared/errors";
import { setPartGtin } from "./set-part-gtin";

const t = useTestDatabase("empty");
const now = new Date("2026-11-25T15:00:00Z");

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

describe("setPartGtin", () => {
  it("is refused while ERP owns part.gtin; owned by Traceline, sets it as GTIN-14, audited; refuses a bad check digit and another part's GTIN", async () => {
    await inRollback(t.db, async (tx) => {
      const { site } = await erpFixture(tx);
      const user = await createTestUser(tx, site.siteId, "admin");
      const actor = { userId: user.id, displayName: "Admin A" };
      const a = await createTestPart(tx, "lot");
      const b = await createTestPart(tx, "lot");
      const gtinOf = async (id: string) => (await tx.select({ gtin: s.parts.gtin }).from(s.parts).where(eq(s.parts.id, id)))[0]!.gtin;

      expect(await refusal(setPartGtin(tx, actor, { partNumber: a.partNumber, gtin: "0614141000012", reason: "Label change notice" }, now))).toMatchObject({
        code: "OWNED_BY_OTHER_SYSTEM",
        message: expect.stringMatching(/owned by ERP/),
      });
      expect(await gtinOf(a.partId)).toBeNull();

      await tx.update(s.ownershipRegistry).set({ owner: "traceline", direction: "none" }).where(and(eq(s.ownershipRegistry.entity, "part"), eq(s.ownershipRegistry.attribute, "gtin")));
      expect(await setPartGtin(tx, actor, { partNumber: a.partNumber, gtin: "0614141000012", reason: "Label change notice" }, now)).toEqual({ partNumber: a.partNumber, gtin: "00614141000012" });
      expect(await gtinOf(a.partId)).toBe("00614141000012");
      const [audit] = await tx.select().from(s.auditLog).where(and(eq(s.auditLog.action, "part_gtin_set"), eq(s.auditLog.entityId, a.partNumber)));
      expect(audit).toMatchObject({ oldValue: { gtin: null }, newValue: { gtin: "00614141000012" }, reason: "Label change notice" });

      expect(await refusal(setPartGtin(tx, actor, { partNumber: b.partNumber, gtin: "0614141000013", reason: "Label change notice" }, now))).toMatchObject({
        code: "VALIDATION_FAILED",
        message: expect.stringMatching(/check digit of 0614141000013 should be 2/),
      });
      expect(await refusal(setPartGtin(tx, actor, { partNumber: b.partNumber, gtin: "00614141000012", reason: "Label change notice" }, now))).toMatchObject({
        code: "VALIDATION_FAILED",
        message: expect.stringContaining(`already the GTIN of part ${a.partNumber}`),
      });
      expect(await gtinOf(b.partId)).toBeNull();
      await setPartGtin(tx, actor, { partNumber: a.partNumber, gtin: null, reason: "Part no longer GS1 labelled" }, now);
      expect(await gtinOf(a.partId)).toBeNull();
    });
  });
});
