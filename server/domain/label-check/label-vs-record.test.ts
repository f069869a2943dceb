import { describe, expect, it } from "vitest";
import { parseScan, scanIdentifiers } from "../scan/parse-scan";
import { gs1CheckDigit } from "../scan/gs1-linters";
import { DomainError } from "../shared/errors";
import { assertLabelMatchesRecord, consistentWithLabel, labelContradictions, recordName, uiiToRecord, type ItemRecord } from "./label-vs-record";

const today = new Date("2026-11-20T15:00:00Z");
const tz = "America/Chicago";
const GS = "\u001d";
const RS = "\u001e";
const EOT = "\u0004";
const withCheck = (body13: string) => body13 + String(gs1CheckDigit(body13));
const GTIN = withCheck("0061414100001"); // the record's
const OTHER_GTIN = withCheck("0061414199999");

/** The identifiers of a real label, through the one parser (the label formats of contracts/labels and vectors/). */
function label(raw: string) {
  const r = parseScan(raw, { today });
  if (!r.valid) throw new Error(`test label does not parse: ${r.error}`);
  return scanIdentifiers(r);
}

// the labels (each a format a supplier ships) and the record each one is true to
const LABELS = {
  gs1DataMatrix: `]d201${GTIN}10SEAL-2291${GS}17290331${GS}240PS-870-B2`,
  gs1DigitalLink: `https://id.gs1.org/01/${GTIN}/10/SEAL-2291?17=290331`,
  iso06Lot: `[)>${RS}06${GS}1PPS-870-B2${GS}1TSEAL-2291${GS}14D20290331${RS}${EOT}`,
  iso06Serial: `[)>${RS}06${GS}17V0CVA5${GS}1PBRK-1234${GS}2PC${GS}S674A36458${RS}${EOT}`,
  ataText12: `[)>${RS}12${GS}MFR 0CVA5${GS}PNO BRK-1234${GS}SEQ 674A36458${RS}${EOT}`,
  dodTextDD: `[)>${RS}DD${GS}MFR 0CVA5${GS}SER 674A36458${RS}${EOT}`,
};

const lotRecord: ItemRecord = {
  partNumber: "PS-870-B2",
  revision: "A",
  gtin: GTIN,
  lotNumber: "SEAL-2291",
  serialNumber: null,
  uii: null,
  manufacturerCode: "4SL88",
  expiresAt: new Date("2029-03-31T05:00:00Z"), // 2029-03-31 00:00 in Chicago
};
const serialRecord: ItemRecord = {
  partNumber: "BRK-1234",
  revision: "C",
  gtin: null,
  lotNumber: null,
  serialNumber: "674A36458",
  uii: null,
  manufacturerCode: "0CVA5",
  expiresAt: null,
};

describe("labelContradictions: a label true to its record", () => {
  it.each([
    ["GS1 DataMatrix (]d2: GTIN, lot, expiry, part number)", LABELS.gs1DataMatrix, lotRecord],
    ["GS1 Digital Link", LABELS.gs1DigitalLink, lotRecord],
    ["ISO/IEC 15434 format 06 lot label (1P, 1T, 14D)", LABELS.iso06Lot, lotRecord],
    ["ISO/IEC 15434 format 06 IUID label (17V, 1P, 2P, S)", LABELS.iso06Serial, serialRecord],
    ["ATA Spec 2000 TEI, format 12 (MFR, PNO, SEQ)", LABELS.ataText12, serialRecord],
    ["DoD TEI, format DD (MFR, SER)", LABELS.dodTextDD, serialRecord],
  ])("%s: no contradiction", (_name, raw, record) => {
    expect(labelContradictions(label(raw), record, tz)).toEqual([]);
  });

  it("a value Traceline does not know is no contradiction (no GTIN, no expiry, no manufacturer on record)", () => {
    expect(labelContradictions(label(LABELS.gs1DataMatrix), { ...lotRecord, gtin: null, expiresAt: null, manufacturerCode: null }, tz)).toEqual([]);
  });

  it("an EAN-13 on the label is the part's GTIN-14", () => {
    expect(labelContradictions(label(`]E0${GTIN.slice(1)}`), lotRecord, tz)).toEqual([]);
  });
});

describe("labelContradictions: each kind named with both values", () => {
  it.each([
    ["GTIN other than the part's", LABELS.gs1DataMatrix.replace(GTIN, OTHER_GTIN), lotRecord, { identifier: "GTIN", label: OTHER_GTIN, record: GTIN }],
    [
      "GTIN of another part (the part has none)",
      LABELS.gs1DataMatrix.replace(GTIN, OTHER_GTIN),
      { ...lotRecord, gtin: null, gtinOwnerPartNumber: "PR-1422-B1/2" },
      { identifier: "GTIN", label: `${OTHER_GTIN} (part PR-1422-B1/2)`, record: "part PS-870-B2" },
    ],
    ["CAGE of another manufacturer (format 06, 17V)", LABELS.iso06Serial.replace("17V0CVA5", "17V0FAKE"), serialRecord, { identifier: "CAGE", label: "0FAKE", record: "0CVA5" }],
    ["CAGE of another manufacturer (format DD, MFR)", LABELS.dodTextDD.replace("MFR 0CVA5", "MFR 0FAKE"), serialRecord, { identifier: "CAGE", label: "0FAKE", record: "0CVA5" }],
    ["part number (GS1 AI 240)", LABELS.gs1DataMatrix.replace("240PS-870-B2", "240PS-890-B2"), lotRecord, { identifier: "part number", label: "PS-890-B2", record: "PS-870-B2" }],
    ["part number (ATA TEI PNO)", LABELS.ataText12.replace("PNO BRK-1234", "PNO BRK-1235"), serialRecord, { identifier: "part number", label: "BRK-1235", record: "BRK-1234" }],
    ["revision (MH10.8.2 DI 2P)", LABELS.iso06Serial.replace("2PC", "2PB"), serialRecord, { identifier: "revision", label: "B", record: "C" }],
    ["lot (the serial's supplier lot, DI 1T)", `${LABELS.iso06Serial.slice(0, -2)}${GS}1TIC-77${RS}${EOT}`, { ...serialRecord, supplierLot: "IC-78" }, { identifier: "lot", label: "IC-77", record: "IC-78" }],
    ["serial of an item found by its UII", LABELS.dodTextDD, { ...serialRecord, serialNumber: "674A36459", uii: "D0CVA5674A36458" }, { identifier: "serial", label: "674A36458", record: "674A36459" }],
    ["UII other than the one stored", LABELS.dodTextDD, { ...serialRecord, uii: "D0CVA5674A99999" }, { identifier: "UII", label: "D0CVA5674A36458", record: "D0CVA5674A99999" }],
    [
      "UII held by another serial",
      LABELS.dodTextDD,
      { ...serialRecord, uiiOwnerSerial: "674A11111" },
      { identifier: "UII", label: "D0CVA5674A36458 (serial 674A11111)", record: "serial 674A36458" },
    ],
    ["expiry (GS1 AI 17)", LABELS.gs1DataMatrix.replace("17290331", "17300331"), lotRecord, { identifier: "expiry", label: "2030-03-31", record: "2029-03-31" }],
    ["expiry (MH10.8.2 DI 14D)", LABELS.iso06Lot.replace("14D20290331", "14D20290330"), lotRecord, { identifier: "expiry", label: "2029-03-30", record: "2029-03-31" }],
  ] as const)("%s", (_name, raw, record, expected) => {
    expect(labelContradictions(label(raw), record, tz)).toEqual([expected]);
  });

  it("names every contradiction of one label, and the refusal carries both values of each", () => {
    const raw = LABELS.iso06Serial.replace("17V0CVA5", "17V0FAKE").replace("2PC", "2PB");
    let caught: unknown;
    try {
      assertLabelMatchesRecord(label(raw), serialRecord, tz, recordName(serialRecord));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DomainError);
    const e = caught as DomainError;
    expect(e.code).toBe("LABEL_CONTRADICTS_RECORD");
    expect(e.message).toContain("CAGE on the label is 0FAKE, the record says 0CVA5");
    expect(e.message).toContain("revision on the label is B, the record says C");
    expect(e.message).toContain("serial 674A36458 (BRK-1234)");
    expect(e.details.contradictions).toHaveLength(2);
  });
});

describe("consistentWithLabel", () => {
  const a = { ...lotRecord, partNumber: "PS-870-B2", tag: "a" };
  const b = { ...lotRecord, partNumber: "PS-890-B2", gtin: null, tag: "b" };
  it("keeps the items the label does not contradict", () => {
    expect(consistentWithLabel([b, a], label(LABELS.gs1DataMatrix), tz, recordName).map((i) => i.tag)).toEqual(["a"]);
  });
  it("refuses naming the preferred item's contradictions when every item is contradicted", () => {
    const raw = LABELS.gs1DataMatrix.replace("240PS-870-B2", "240PS-999");
    expect(() => consistentWithLabel([a, b], label(raw), tz, recordName, (i) => i.tag === "b")).toThrow(/lot SEAL-2291 \(PS-890-B2\).*part number on the label is PS-999, the record says PS-890-B2/);
  });
  it("finds nothing to refuse in an empty list", () => {
    expect(consistentWithLabel([], label(LABELS.gs1DataMatrix), tz, recordName)).toEqual([]);
  });
});

describe("uiiToRecord", () => {
  it("records the label's UII on a serial that has none, never over a stored one, never on a lot", () => {
    const ids = label(LABELS.iso06Serial);
    expect(uiiToRecord(ids, serialRecord)).toBe("D0CVA5BRK-1234674A36458");
    expect(uiiToRecord(ids, { ...serialRecord, uii: "D0CVA5BRK-1234674A36458" })).toBeNull();
    expect(uiiToRecord(ids, lotRecord)).toBeNull();
    expect(uiiToRecord(label(LABELS.iso06Lot), serialRecord)).toBeNull();
  });
});
