import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { createTestLot, createTestPart, createTestSerial } from "@/db/testing/factories";
import { issueToPointOfUse } from "@/db/testing/genealogy-fixtures";
import { createStationOrder, createStationPlant, operatorActor, rowCounts } from "@/db/testing/station-fixtures";
import * as s from "@/db/schema";
import type { Tx } from "@/db/client";
import { DomainError } from "@/server/domain/shared/errors";
import { gs1CheckDigit } from "@/server/domain/scan/gs1-linters";
import { consumeComponent, type ConsumeCommand } from "./consume-component";

const t = useTestDatabase("empty");
const now = new Date("2026-11-20T15:00:00Z");
const GS = "\u001d";
const RS = "\u001e";
const EOT = "\u0004";
const gtin = (body13: string) => body13 + String(gs1CheckDigit(body13));
const tag = () => randomUUID().slice(0, 6).toUpperCase();

/**
 * A station plant whose order's operation 10 takes a serial bracket (from manufacturer 0CVA5, rev A) and a sealant lot
 * (GTIN on the part, expiry 2029-03-31 in the site's zone, from 4SL88), both staged at the station. Labels are built
 * in the formats suppliers ship (ISO/IEC 15434 format 06 / DD IUID labels, GS1 DataMatrix).
 */
async function setup(tx: Tx) {
  const plant = await createStationPlant(tx);
  const n = tag();
  const [cage, sealCo, fake] = await tx
    .insert(s.manufacturers)
    .values([
      { code: `0C${n.slice(0, 3)}`, name: "Bracket maker" },
      { code: `4S${n.slice(0, 3)}`, name: "Sealant maker" },
      { code: `0F${n.slice(0, 3)}`, name: "Not the maker" },
    ])
    .returning();
  const sealGtin = gtin(`00614141${String(Math.floor(Math.random() * 1e5)).padStart(5, "0")}`);
  const otherGtin = gtin(`00614142${String(Math.floor(Math.random() * 1e5)).padStart(5, "0")}`);
  const bracket = await createTestPart(tx, "serial", { partNumber: `BRK-${n}`, description: "Bracket" });
  const sealant = await createTestPart(tx, "lot", { partNumber: `PS-${n}`, description: "Sealant", uom: "KG", gtin: sealGtin });
  const other = await createTestPart(tx, "lot", { partNumber: `PR-${n}`, description: "Primer", uom: "KG", gtin: otherGtin });
  const order = await createStationOrder(tx, plant, {
    number: `WO-${n}`,
    serials: ["U-001", "U-002"],
    ops: [{ seq: 10 }],
    bom: [
      { find: 10, partRevisionId: bracket.revisionId, qty: "1", op: 10 },
      { find: 20, partRevisionId: sealant.revisionId, qty: "0.3", op: 10 },
    ],
  });
  const serials = [];
  for (const sn of ["674A1", "674A2"]) {
    const item = await createTestSerial(tx, plant.siteId, bracket.revisionId, { serialNumber: sn, manufacturerId: cage!.id, supplierLot: "IC-78" });
    await issueToPointOfUse(tx, plant, { partRevisionId: bracket.revisionId, lotId: null, serialItemId: item.id }, "1", now);
    serials.push(item);
  }
  // expires at the start of 2029-03-31 in the site's zone (America/Chicago: 05:00 UTC)
  const lot = await createTestLot(tx, plant.siteId, sealant.revisionId, { lotNumber: `SEAL-${n}`, manufacturerId: sealCo!.id, expiresAt: new Date("2029-03-31T05:00:00Z") });
  await issueToPointOfUse(tx, plant, { partRevisionId: sealant.revisionId, lotId: lot.id, serialItemId: null }, "1", now);
  const operator = operatorActor(plant);
  const cmd = (scan: string, unit = 0): ConsumeCommand => ({
    requestId: randomUUID(),
    stationId: plant.stationId,
    unitId: order.units[unit]!.unitId,
    operationSeq: 10,
    item: { scan },
    quantity: scan.includes("SEAL-") ? "0.1" : null,
  });
  const labels = {
    /** ISO/IEC 15434 format 06 IUID label: CAGE (17V), part (1P), revision (2P), serial (S), supplier lot (1T) */
    iuid06: (o: { cage?: string; pn?: string; rev?: string; serial?: string; lot?: string } = {}) =>
      `[)>${RS}06${GS}17V${o.cage ?? cage!.code}${GS}1P${o.pn ?? bracket.partNumber}${GS}2P${o.rev ?? "A"}${GS}S${o.serial ?? "674A1"}${GS}1T${o.lot ?? "IC-78"}${RS}${EOT}`,
    /** DoD TEI format DD, construct #1: MFR + SER */
    dd: (o: { cage?: string; serial?: string } = {}) => `[)>${RS}DD${GS}MFR ${o.cage ?? cage!.code}${GS}SER ${o.serial ?? "674A1"}${RS}${EOT}`,
    /** GS1 DataMatrix lot label: GTIN, lot, expiry, part number (AI 240) */
    gs1: (o: { gtin?: string; lot?: string; expiry?: string; pn?: string } = {}) =>
      `]d201${o.gtin ?? sealGtin}10${o.lot ?? lot.lotNumber}${GS}17${o.expiry ?? "290331"}${GS}240${o.pn ?? sealant.partNumber}`,
  };
  return { plant, cage: cage!, fake: fake!, bracket, sealant, other, sealGtin, otherGtin, order, serials, lot, operator, cmd, labels };
}

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

type Setup = Awaited<ReturnType<typeof setup>>;

describe("consumeComponent: the label against the record", () => {
  it.each<[string, (f: Setup) => string, (f: Setup) => [string, string], ((tx: Tx, f: Setup) => Promise<void>)?]>([
    ["CAGE of another manufacturer on an IUID serial label", (f) => f.labels.iuid06({ cage: f.fake.code }), (f) => [`CAGE on the label is ${f.fake.code}`, `the record says ${f.cage.code}`]],
    ["another part number on a serial label", (f) => f.labels.iuid06({ pn: f.other.partNumber }), (f) => [`part number on the label is ${f.other.partNumber}`, `the record says ${f.bracket.partNumber}`]],
    ["another revision (2P)", (f) => f.labels.iuid06({ rev: "B" }), () => ["revision on the label is B", "the record says A"]],
    ["another supplier lot on a serial label (1T)", (f) => f.labels.iuid06({ lot: "IC-99" }), () => ["lot on the label is IC-99", "the record says IC-78"]],
    ["a GS1 lot label carrying the part's GTIN mistyped", (f) => f.labels.gs1({ gtin: gtin("0061414100000") }), (f) => [`GTIN on the label is ${gtin("0061414100000")}`, `the record says ${f.sealGtin}`]],
    [
      "a GS1 lot label carrying another part's GTIN (the part has none)",
      (f) => f.labels.gs1({ gtin: f.otherGtin }),
      (f) => [`GTIN on the label is ${f.otherGtin} (part ${f.other.partNumber})`, `the record says part ${f.sealant.partNumber}`],
      async (tx, f) => void (await tx.update(s.parts).set({ gtin: null }).where(eq(s.parts.id, f.sealant.partId))),
    ],
    ["another expiry on a GS1 lot label", (f) => f.labels.gs1({ expiry: "300331" }), () => ["expiry on the label is 2030-03-31", "the record says 2029-03-31"]],
    ["another part number on a GS1 lot label (AI 240)", (f) => f.labels.gs1({ pn: f.other.partNumber }), (f) => [`part number on the label is ${f.other.partNumber}`, `the record says ${f.sealant.partNumber}`]],
    [
      "a UII other than the one stored on the serial",
      (f) => f.labels.dd(),
      (f) => [`UII on the label is D${f.cage.code}674A1`, `the record says D${f.cage.code}999`],
      async (tx, f) => void (await tx.update(s.serialItems).set({ uii: `D${f.cage.code}999` }).where(eq(s.serialItems.id, f.serials[0]!.id))),
    ],
    [
      "a UII that another serial holds: its item is found, and its serial contradicts the label",
      (f) => f.labels.dd(),
      () => ["serial on the label is 674A1", "the record says 674A2"],
      async (tx, f) => void (await tx.update(s.serialItems).set({ uii: `D${f.cage.code}674A1` }).where(eq(s.serialItems.id, f.serials[1]!.id))),
    ],
  ])("%s: refused with both values, nothing written", async (_name, scan, named, arrange) => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      if (arrange) await arrange(tx, f);
      const before = await rowCounts(tx);
      const uiisBefore = await tx.select({ id: s.serialItems.id, uii: s.serialItems.uii }).from(s.serialItems).where(eq(s.serialItems.siteId, f.plant.siteId));
      const e = await refusal(consumeComponent(tx, f.operator, f.cmd(scan(f)), now));
      expect(e.code, e.message).toBe("LABEL_CONTRADICTS_RECORD");
      for (const words of named(f)) expect(e.message).toContain(words);
      expect(await rowCounts(tx)).toEqual(before);
      expect(await tx.select({ id: s.serialItems.id, uii: s.serialItems.uii }).from(s.serialItems).where(eq(s.serialItems.siteId, f.plant.siteId))).toEqual(uiisBefore);
    });
  });

  it("installs from labels true to the record; stores the UII at the serial's first scan; a UII scan then finds the serial", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const lotOut = await consumeComponent(tx, f.operator, f.cmd(f.labels.gs1()), now);
      expect(lotOut).toMatchObject({ lotNumber: f.lot.lotNumber, quantity: "0.1" });

      const out = await consumeComponent(tx, f.operator, f.cmd(f.labels.iuid06()), now);
      expect(out).toMatchObject({ serialNumber: "674A1" });
      const uii = `D${f.cage.code}${f.bracket.partNumber}674A1`;
      const [stored] = await tx.select({ uii: s.serialItems.uii }).from(s.serialItems).where(eq(s.serialItems.id, f.serials[0]!.id));
      expect(stored!.uii).toBe(uii);

      // the second serial gets its UII from ERP (or an earlier scan); a label that carries only the UII (DI 25S) finds it
      await tx.update(s.serialItems).set({ uii: `D${f.cage.code}X674A2` }).where(eq(s.serialItems.id, f.serials[1]!.id));
      const byUii = await consumeComponent(tx, f.operator, f.cmd(`[)>${RS}06${GS}25SD${f.cage.code}X674A2${RS}${EOT}`, 1), now);
      expect(byUii).toMatchObject({ serialNumber: "674A2", unitSerial: "U-002" });
      // the UII recorded at the first scan is in the install's audit row
      const [audit] = await tx.select({ newValue: s.auditLog.newValue }).from(s.auditLog).where(eq(s.auditLog.entityId, out.edgeId));
      expect(audit!.newValue).toMatchObject({ serialNumber: "674A1", uiiRecorded: uii });
    });
  });

  it("a UII no serial holds, alone on the label, is not recognised", async () => {
    await inRollback(t.db, async (tx) => {
      const f = await setup(tx);
      const e = await refusal(consumeComponent(tx, f.operator, f.cmd(`[)>${RS}06${GS}25SD${f.cage.code}NOPE1${RS}${EOT}`), now));
      expect(e.code).toBe("SCAN_NOT_RECOGNISED");
      expect(e.message).toContain(`D${f.cage.code}NOPE1`);
    });
  });
});
