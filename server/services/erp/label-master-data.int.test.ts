import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { erpFixture, message } from "@/db/testing/erp-fixture";
import * as s from "@/db/schema";
import { receiveErpMessages } from "./receive-messages";

const t = useTestDatabase("empty");
const now = new Date("2026-11-25T15:00:00Z");

const partMsg = (plant: string, pn: string, v: number, extra: Record<string, unknown> = {}) =>
  message(plant, "part", pn, v, { partNumber: pn, description: `Part ${pn}`, uom: "EA", tracking: "serial", revisions: [{ revision: "A" }], ...extra });

describe("label master data from ERP: a part's GTIN, a serial's UII", () => {
  it("stores a part's GTIN as GTIN-14 (part.gtin is ERP's by default), clears it with null, and rejects a bad check digit", async () => {
    await inRollback(t.db, async (tx) => {
      const { connection, plant } = await erpFixture(tx);
      const results = await receiveErpMessages(tx, connection, [partMsg(plant, "BRK-G1", 1, { gtin: "0614141000012" }), partMsg(plant, "BRK-G2", 1, { gtin: "0614141000013" })], now);
      expect(results.map((r) => r.status)).toEqual(["applied", "rejected"]);
      expect(results[1]!.error).toMatchObject({ fields: [{ field: "payload.gtin" }] });
      const gtinOf = async (pn: string) => (await tx.select({ gtin: s.parts.gtin }).from(s.parts).where(eq(s.parts.partNumber, pn)))[0]?.gtin;
      expect(await gtinOf("BRK-G1")).toBe("00614141000012");
      await receiveErpMessages(tx, connection, [partMsg(plant, "BRK-G1", 2, { gtin: null })], now);
      expect(await gtinOf("BRK-G1")).toBeNull();
      // owned by Traceline after a registry change: ignored with a warning
      await tx.update(s.ownershipRegistry).set({ owner: "traceline", direction: "none" }).where(eq(s.ownershipRegistry.attribute, "gtin"));
      const [ignored] = await receiveErpMessages(tx, connection, [partMsg(plant, "BRK-G1", 3, { gtin: "0614141000012" })], now);
      expect(ignored).toMatchObject({ status: "applied", warnings: ["part.gtin is owned by Traceline: ignored"] });
      expect(await gtinOf("BRK-G1")).toBeNull();
    });
  });

  it("stores a serial's UII from the material issue, unique per site, and refuses a UII on a lot", async () => {
    await inRollback(t.db, async (tx) => {
      const { connection, plant } = await erpFixture(tx);
      await receiveErpMessages(tx, connection, [
        partMsg(plant, "BRK-U1", 1),
        message(plant, "approved_manufacturers", "BRK-U1", 1, { partNumber: "BRK-U1", manufacturers: [{ code: "0CVA5", name: "Bracket Co", status: "approved" }] }),
      ], now);
      const issue = (doc: string, serial: string, uii?: string, lot?: string) =>
        message(plant, "material_issue", doc, 1, {
          partNumber: "BRK-U1",
          revision: "A",
          ...(lot ? { lotNumber: lot } : { serialNumber: serial }),
          quantity: "1",
          location: "STORES",
          manufacturer: "0CVA5",
          inspectionStatus: "accepted",
          ...(uii ? { uii } : {}),
        });
      const results = await receiveErpMessages(tx, connection, [issue("D-1", "S-1", "d0cva5s-1"), issue("D-2", "S-2", "D0CVA5S-1"), issue("D-3", "S-3")], now);
      expect(results.map((r) => r.status)).toEqual(["applied", "rejected", "applied"]);
      expect(results[1]!.error).toMatchObject({ fields: [{ field: "payload.uii", reason: expect.stringContaining("already the UII of serial S-1") }] });
      const rows = await tx.select({ serial: s.serialItems.serialNumber, uii: s.serialItems.uii }).from(s.serialItems).orderBy(s.serialItems.serialNumber);
      expect(rows).toEqual([
        { serial: "S-1", uii: "D0CVA5S-1" },
        { serial: "S-3", uii: null },
      ]);
    });
  });
});
