import { describe, expect, it } from "vitest";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart, createTestSerial } from "@/db/testing/factories";
import { createStationPlant } from "@/db/testing/station-fixtures";
import { testTime } from "@/db/testing/clock";
import type { Tx } from "@/db/client";
import { postMovement } from "@/server/repos/ledger";
import { DomainError } from "@/server/domain/shared/errors";
import { findByScan, lotLabel, serialLabel } from "./item-label";

const t = useTestDatabase("empty");
const GTIN = "09506000134352";

async function setup(tx: Tx) {
  const a = await createStationPlant(tx);
  const b = await createStationPlant(tx);
  const sealant = await createTestPart(tx, "lot", { description: "Sealant", uom: "KG", gtin: GTIN, outTimeMinutes: 120, minThawMinutes: 30, storageClass: "freezer" });
  const bearing = await createTestPart(tx, "serial", { description: "Bearing" });
  const lot = await createTestLot(tx, a.siteId, sealant.revisionId, { lotNumber: "SEAL-42", expiresAt: new Date("2027-02-28T18:00:00Z"), outTimeStartedAt: testTime(-45), thawStartedAt: testTime(-45) });
  const item = { partRevisionId: sealant.revisionId, lotId: lot.id, serialItemId: null };
  await postMovement(tx, { siteId: a.siteId, kind: "receive_from_erp", occurredAt: testTime(-60), legs: [{ ...item, locationId: a.loc.erp_supply, quantity: "-2" }, { ...item, locationId: a.loc.point_of_use, quantity: "2" }] });
  const serial = await createTestSerial(tx, a.siteId, bearing.revisionId, { serialNumber: "BRG-9" });
  const otherSiteLot = await createTestLot(tx, b.siteId, sealant.revisionId, { lotNumber: "SEAL-B" });
  return { a, b, sealant, lot, serial, otherSiteLot };
}

describe("lot and serial labels", () => {
  it("a lot's label at print time: GS1 code, expiry in the site's calendar, out-time and thaw as they stand, the ZPL", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const label = await lotLabel(tx, f.a.actor(["kitting_clerk"]), f.lot.id, testTime(0));
      expect(label.content).toMatchObject({
        kind: "lot",
        number: "SEAL-42",
        expiresOn: "2027-02-28",
        outTime: { limitMinutes: 120, remainingMinutes: 75, running: true, spent: false },
        thaw: { state: "thawed" },
      });
      expect(label.code).toMatchObject({ syntax: "gs1", bracketed: `(01)${GTIN}(17)270228(10)SEAL-42` });
      expect(label.item.places).toEqual([{ code: "POINT_OF_USE", onHand: "2.000000" }]);
      expect(label.zpl).toContain("^FDLot SEAL-42^FS");
      expect(label.zpl).toContain("^FDOut-time 1 h 15 min left of 120 min^FS");
    });
  });

  it("another site's lot or serial is not found", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      await expect(lotLabel(tx, f.b.actor(["kitting_clerk"]), f.lot.id, testTime(0))).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(serialLabel(tx, f.b.actor(["kitting_clerk"]), f.serial.id, testTime(0))).rejects.toMatchObject({ code: "NOT_FOUND" });
      expect((await serialLabel(tx, f.a.actor(["kitting_clerk"]), f.serial.id, testTime(0))).code).toMatchObject({ syntax: "iso15434" });
    });
  });

  it("find by scan: the label's own 2D content finds the lot; a serial by plain text; unknown and another site's codes are refused naming what was scanned", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const actor = f.a.actor(["supervisor"]);
      const label = await lotLabel(tx, actor, f.lot.id, testTime(0));
      expect(await findByScan(tx, actor, { scan: label.code.scanned }, testTime(0))).toEqual([{ kind: "lot", id: f.lot.id, number: "SEAL-42", partNumber: f.sealant.partNumber, revision: "A" }]);
      expect(await findByScan(tx, actor, { scan: "BRG-9" }, testTime(0))).toMatchObject([{ kind: "serial", id: f.serial.id }]);
      for (const scan of ["NOPE-1", `]d201${GTIN}10SEAL-B`]) {
        const e = await findByScan(tx, actor, { scan }, testTime(0)).then(
          () => null,
          (x: unknown) => x,
        );
        expect(e).toBeInstanceOf(DomainError);
        expect((e as DomainError).code).toBe("SCAN_NOT_RECOGNISED");
        expect((e as DomainError).message).toContain(`is known at ${actor.siteName}`);
      }
      // the label of the lot on the other site finds it there
      expect(await findByScan(tx, f.b.actor(["supervisor"]), { scan: `]d201${GTIN}10SEAL-B` }, testTime(0))).toMatchObject([{ kind: "lot", id: f.otherSiteLot.id }]);
      // a label contradicting the record (another expiry) is refused with the reason
      const wrong = await findByScan(tx, actor, { scan: `]d201${GTIN}1727033110SEAL-42` }, testTime(0)).catch((x: unknown) => x);
      expect(wrong).toBeInstanceOf(DomainError);
    });
  });
});
