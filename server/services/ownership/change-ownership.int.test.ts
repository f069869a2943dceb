import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { erpFixture, message } from "@/db/testing/erp-fixture";
import { signingActor, signWith } from "@/db/testing/signing-actor";
import * as s from "@/db/schema";
import type { DbOrTx } from "@/db/client";
import { receiveErpMessages } from "@/server/services/erp/receive-messages";
import { decideOwnershipChange, proposeOwnershipChange } from "./change-ownership";
import { editPartPolicy } from "./edit-part-policy";

const t = useTestDatabase("empty");
const now = new Date("2026-11-25T15:00:00Z");

async function registryRow(db: DbOrTx, entity: string, attribute: string) {
  const [row] = await db.select().from(s.ownershipRegistry).where(and(eq(s.ownershipRegistry.entity, entity), eq(s.ownershipRegistry.attribute, attribute)));
  return row!;
}

async function admins(db: DbOrTx, siteId: string) {
  return [await signingActor(db, siteId, ["admin"], "Admin A"), await signingActor(db, siteId, ["admin"], "Admin B")] as const;
}
const sctx = { now, clientKey: "test-ownership" };

describe("ownership registry change control", () => {
  it("needs a proposal with a reason and a second person's approval, and audits both", async () => {
    await inRollback(t.db, async (tx) => {
      const { site } = await erpFixture(tx);
      const [a, b] = await admins(tx, site.siteId);
      await expect(proposeOwnershipChange(tx, a, { entity: "part", attribute: "shelf_life_days", owner: "traceline", direction: "none", reason: "short" }, now)).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
      const change = await proposeOwnershipChange(tx, a, { entity: "part", attribute: "shelf_life_days", owner: "traceline", direction: "traceline_to_erp", reason: "Quality sets shelf life per MRB decision 2026-114" }, now);
      expect((await registryRow(tx, "part", "shelf_life_days")).owner).toBe("erp");
      await expect(decideOwnershipChange(tx, a, { changeId: change.id, approve: true, signature: signWith("approval") }, sctx)).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(proposeOwnershipChange(tx, b, { entity: "part", attribute: "shelf_life_days", owner: "traceline", direction: "none", reason: "A competing proposal here" }, now)).rejects.toMatchObject({ code: "REQUEST_CONFLICT" });
      await decideOwnershipChange(tx, b, { changeId: change.id, approve: true, signature: signWith("approval") }, sctx);
      expect(await registryRow(tx, "part", "shelf_life_days")).toMatchObject({ owner: "traceline", direction: "traceline_to_erp" });
      await expect(decideOwnershipChange(tx, b, { changeId: change.id, approve: false, signature: signWith("review") }, sctx)).rejects.toMatchObject({ code: "REQUEST_CONFLICT" });
      const audit = await tx.select().from(s.auditLog).where(eq(s.auditLog.entityId, "part.shelf_life_days"));
      expect(audit.map((x) => x.action)).toEqual(["ownership_change_proposed", "ownership_change_approved"]);
      expect(audit[1]).toMatchObject({ actorName: "Admin B", oldValue: { owner: "erp", direction: "erp_to_traceline" }, newValue: { owner: "traceline", direction: "traceline_to_erp" } });
    });
  });

  it("a rejected proposal changes nothing", async () => {
    await inRollback(t.db, async (tx) => {
      const { site } = await erpFixture(tx);
      const [a, b] = await admins(tx, site.siteId);
      const change = await proposeOwnershipChange(tx, a, { entity: "lot", attribute: "expires_at", owner: "traceline", direction: "none", reason: "Trial: expiry maintained on the floor" }, now);
      await decideOwnershipChange(tx, b, { changeId: change.id, approve: false, reason: "Expiry stays with receiving", signature: signWith("review") }, sctx);
      expect((await registryRow(tx, "lot", "expires_at")).owner).toBe("erp");
    });
  });
});

describe("the registry decides who may write", () => {
  it("a screen edits a Traceline-owned attribute and is refused an ERP-owned one, naming the owner", async () => {
    await inRollback(t.db, async (tx) => {
      const { site, connection, plant } = await erpFixture(tx);
      const [a, b] = await admins(tx, site.siteId);
      await receiveErpMessages(tx, connection, [message(plant, "part", "SEAL-2", 1, { partNumber: "SEAL-2", description: "Sealant", uom: "KG", tracking: "lot", shelfLifeDays: 180, revisions: [{ revision: "A" }] })], now);
      await editPartPolicy(tx, a, { partNumber: "SEAL-2", attribute: "out_time_minutes", value: 240, reason: "Per process spec PS-44" , signature: signWith() }, sctx);
      await expect(editPartPolicy(tx, a, { partNumber: "SEAL-2", attribute: "shelf_life_days", value: 90, reason: "Try to override" , signature: signWith() }, sctx)).rejects.toMatchObject({
        code: "OWNED_BY_OTHER_SYSTEM",
        message: expect.stringMatching(/owned by ERP/),
      });
      const [part] = await tx.select().from(s.parts).where(eq(s.parts.partNumber, "SEAL-2"));
      expect(part).toMatchObject({ outTimeMinutes: 240, shelfLifeDays: 180 });

      // after an approved change, the roles swap: ERP's shelf life is ignored, the screen may edit it
      const change = await proposeOwnershipChange(tx, a, { entity: "part", attribute: "shelf_life_days", owner: "traceline", direction: "none", reason: "Shelf life now set by quality" }, now);
      await decideOwnershipChange(tx, b, { changeId: change.id, approve: true, signature: signWith("approval") }, sctx);
      const [r] = await receiveErpMessages(tx, connection, [message(plant, "part", "SEAL-2", 2, { partNumber: "SEAL-2", description: "Sealant", uom: "KG", tracking: "lot", shelfLifeDays: 365, revisions: [{ revision: "A" }] })], now);
      expect(r!.warnings).toContain("part.shelf_life_days is owned by Traceline: ignored");
      await editPartPolicy(tx, b, { partNumber: "SEAL-2", attribute: "shelf_life_days", value: 120, reason: "Quality decision QD-7" , signature: signWith() }, sctx);
      const [after] = await tx.select().from(s.parts).where(eq(s.parts.partNumber, "SEAL-2"));
      expect(after!.shelfLifeDays).toBe(120);
    });
  });
});
