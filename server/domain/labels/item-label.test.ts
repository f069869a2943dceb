import { describe, expect, it } from "vitest";
import { parseScan, scanIdentifiers } from "../scan/parse-scan";
import { itemLabelWords } from "@/i18n/label-words";
import { itemLabelCode, itemLabelZpl, type ItemLabelContent } from "./item-label";

const en = itemLabelWords("en");

const lot: ItemLabelContent = {
  kind: "lot",
  partNumber: "PR-1776-B2",
  revision: "C",
  description: "Sealant PR-1776 B2",
  number: "PR1776-0042",
  gtin: "09506000134352",
  expiresOn: "2027-02-28",
  outTime: { limitMinutes: 120, remainingMinutes: 75, running: true, spent: false, endsAtLocal: "2026-11-25 21:42" },
  thaw: { state: "thawed", completeAtLocal: "2026-11-25 20:30" },
  printedAtLocal: "2026-11-25 20:27",
  siteCode: "WCH",
};
const today = new Date("2026-11-25T12:00:00Z");
const readBack = (scanned: string) => scanIdentifiers(parseScan(scanned, { today }));

describe("lot and serial label codes", () => {
  it("a lot of a part with a GTIN: GS1 (01)(17)(10), read back by the scan parser", () => {
    const code = itemLabelCode(lot);
    expect(code).toMatchObject({ syntax: "gs1", bracketed: "(01)09506000134352(17)270228(10)PR1776-0042", scanned: "]d2010950600013435217270228" + "10PR1776-0042" });
    expect(readBack(code.scanned)).toMatchObject({ gtin: "09506000134352", lot: "PR1776-0042", expiry: "2027-02-28" });
  });

  it("a serial without expiry: (01)(21)", () => {
    const code = itemLabelCode({ ...lot, kind: "serial", number: "SN-000123", expiresOn: null });
    expect(code).toMatchObject({ syntax: "gs1", bracketed: "(01)09506000134352(21)SN-000123" });
    expect(readBack(code.scanned)).toMatchObject({ gtin: "09506000134352", serial: "SN-000123" });
  });

  it("a part without a GTIN: an ISO/IEC 15434 format 06 envelope with part, revision, lot and expiry", () => {
    const code = itemLabelCode({ ...lot, gtin: null });
    expect(code.syntax).toBe("iso15434");
    expect(code.scanned).toBe("[)>\u001e06\u001d1PPR-1776-B2\u001d2PC\u001d1TPR1776-0042\u001d14D20270228\u001e\u0004");
    expect(readBack(code.scanned)).toMatchObject({ partNumber: "PR-1776-B2", revision: "C", lot: "PR1776-0042", expiry: "2027-02-28" });
  });

  it("a lot number outside GS1's character set falls back to the envelope", () => {
    expect(itemLabelCode({ ...lot, number: "LOT (A)" }).syntax).toBe("iso15434");
    expect(itemLabelCode({ ...lot, number: "X".repeat(21) }).syntax).toBe("iso15434");
  });
});

describe("lot and serial label ZPL", () => {
  it("carries part, revision, lot, expiry, the out-time and thaw state at print time, and the GS1 DataMatrix with FNC1", () => {
    const zpl = itemLabelZpl(lot, en);
    expect(zpl.startsWith("^XA\n")).toBe(true);
    expect(zpl.trimEnd().endsWith("^XZ")).toBe(true);
    expect(zpl).toContain("^FDPR-1776-B2^FS");
    expect(zpl).toContain("^FDRev C  Sealant PR-1776 B2^FS");
    expect(zpl).toContain("^FDLot PR1776-0042^FS");
    expect(zpl).toContain("^FDExp 2027-02-28^FS");
    expect(zpl).toContain("^FDOut-time 1 h 15 min left of 120 min^FS");
    expect(zpl).toContain("^FDRunning: ends 2026-11-25 21:42^FS");
    expect(zpl).toContain("^FDThawed^FS");
    expect(zpl).toContain("^BXN,7,200,,,,_^FD_1010950600013435217270228" + "10PR1776-0042^FS");
    expect(zpl).toContain("^FDPrinted 2026-11-25 20:27 WCH^FS");
    expect(zpl).toContain("^FD(01)09506000134352(17)270228(10)PR1776-0042^FS");
  });

  it("says when the out-time is used up, and escapes the envelope's control characters and ZPL's own", () => {
    const zpl = itemLabelZpl({ ...lot, gtin: null, partNumber: "A^B~C_D", outTime: { limitMinutes: 120, remainingMinutes: -5, running: false, spent: true, endsAtLocal: null }, thaw: null }, en);
    expect(zpl).toContain("^FDOUT-TIME USED UP (120 min)^FS");
    expect(zpl).toContain("^BXN,6,200^FH_^FD[)>_1E06_1D1PA_5EB_7EC_5FD_1D2PC_1D1TPR1776-0042_1D14D20270228_1E_04^FS");
    expect(zpl).toContain("^FDA B C_D^FS");
    expect(zpl).not.toMatch(/[\x00-\x09\x0b-\x1f]/);
  });
  it("prints in the language of the person printing: French words, accents kept (UTF-8, ^CI28), the same codes", () => {
    const zpl = itemLabelZpl(lot, itemLabelWords("fr"));
    expect(zpl).toContain("^CI28");
    expect(zpl).toContain("^FDInd. C  Sealant PR-1776 B2^FS");
    expect(zpl).toContain("^FDLot PR1776-0042^FS");
    expect(zpl).toContain("^FDPér. 2027-02-28^FS");
    expect(zpl).toContain("^FDHors froid : reste 1 h 15 min sur 120 min^FS");
    expect(zpl).toContain("^FDEn cours : fin 2026-11-25 21:42^FS");
    expect(zpl).toContain("^FDDécongelé^FS");
    expect(zpl).toContain("^FDImprimé 2026-11-25 20:27 WCH^FS");
    expect(zpl).toContain("^BXN,7,200,,,,_^FD_1010950600013435217270228" + "10PR1776-0042^FS");
    const spent = itemLabelZpl({ ...lot, kind: "serial", expiresOn: null, outTime: { limitMinutes: 120, remainingMinutes: 0, running: false, spent: true, endsAtLocal: null }, thaw: { state: "frozen", completeAtLocal: null } }, itemLabelWords("fr"));
    expect(spent).toContain("^FDN° série PR1776-0042^FS");
    expect(spent).toContain("^FDSans péremption^FS");
    expect(spent).toContain("^FDTEMPS HORS FROID ÉPUISÉ (120 min)^FS");
    expect(spent).toContain("^FDCongelé : décongeler avant emploi^FS");
  });
});
