import { describe, expect, it } from "vitest";
import { XMLParser } from "fast-xml-parser";
import type { Confirmation } from "@/server/domain/erp/outbound";
import { b2mmlSchemaErrors, b2mmlSchemaErrorsOf } from "../b2mml-schema.test-helper";
import { b2mmlDocument, b2mmlOperationsResponse, encodeB2mmlBatch } from "./b2mml";
import { ConfirmationNotMappable } from "./confirmation-types";
import { CONFIRMATION_EXAMPLES, type ExampleName } from "./examples.test-helper";

// The B2MML V0700 mapping, one row per kind of confirmation, and every document produced here validated against the
// repository's copy of the official schemas (xmllint).

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (name) => ["OperationsResponse", "SegmentData", "MaterialActualProperty"].includes(name),
});

type X = Record<string, unknown>;
const at = (node: unknown, ...path: string[]): unknown => path.reduce<unknown>((n, k) => (n as X | undefined)?.[k], node);

function responseOf(c: Confirmation): X {
  const doc = parser.parse(b2mmlDocument([c])) as X;
  const responses = at(doc, "SyncOperationsPerformance", "DataArea", "OperationsPerformance", "OperationsResponse") as X[];
  expect(responses).toHaveLength(1);
  return responses[0]!;
}

function segmentData(segment: unknown): Record<string, string> {
  return Object.fromEntries(((at(segment, "SegmentData") as X[] | undefined) ?? []).map((d) => [at(d, "ID") as string, at(d, "Value", "ValueString") as string]));
}

function properties(material: unknown): Record<string, string> {
  return Object.fromEntries(((at(material, "MaterialActualProperty") as X[] | undefined) ?? []).map((d) => [at(d, "ID") as string, at(d, "Value", "ValueString") as string]));
}

type Expected = {
  operationsType: string;
  order?: string;
  segment: string;
  operation?: string;
  state?: string;
  description?: string;
  use?: string | { "#text": string; "@_OtherValue": string };
  quantity?: string;
  uom?: string;
  lot?: string;
  serial?: string;
  material?: string;
  /** MaterialActual/ID: Traceline's movement id (a hold: its id) */
  materialId?: string;
  data?: Record<string, string>;
  properties?: Record<string, string>;
};

const REF = "0f7d3c2a-9b41-4e8a-b6d5-1a2b3c4d5e0";
const scrapped = { "#text": "Other", "@_OtherValue": "Scrapped" };

/** A mix has a MaterialActual per lot: checked on its own below. */
const EXPECTED: Record<Exclude<ExampleName, "lot_mix">, Expected> = {
  consumption: { operationsType: "Production", order: "WO-100240", segment: "30", operation: "30", use: "Consumed", quantity: "12.5", uom: "G", lot: "AC24-0519", material: "PR-1422-B2", materialId: `${REF}1`, properties: { Revision: "-", MovementType: "261" } },
  // a reversal is a negative consumption: summed per order, it cancels the consumption it reverses
  reversal: {
    operationsType: "Production",
    order: "WO-100240",
    segment: "10",
    operation: "10",
    description: "Failed functional test: bore out of tolerance",
    use: "Consumed",
    quantity: "-1",
    uom: "EA",
    lot: "BK-2611-04",
    material: "BKT-4410-07",
    materialId: `${REF}2`,
    properties: { Revision: "A", MovementType: "262" },
  },
  scrap: {
    operationsType: "Production",
    segment: "10",
    operation: "10",
    description: "Failed functional test: bore out of tolerance",
    use: scrapped,
    quantity: "1",
    uom: "EA",
    lot: "BK-2611-04",
    material: "BKT-4410-07",
    materialId: `${REF}2`,
    properties: { Revision: "A", MovementType: "551" },
  },
  "scrap-unit": {
    operationsType: "Production",
    segment: "scrap",
    description: "Cracked housing found at final inspection; MRB decision: scrap",
    use: scrapped,
    quantity: "1",
    uom: "EA",
    serial: "ACT-1103",
    material: "FCA-7740-100",
    materialId: `${REF}4`,
    properties: { Revision: "C", MovementType: "551", FromLocation: "FG-01", BuiltOnOrder: "WO-100240" },
  },
  completion: {
    operationsType: "Production",
    order: "WO-100240",
    segment: "30",
    operation: "30",
    state: "Completed",
    use: "Produced",
    quantity: "1",
    uom: "EA",
    serial: "ACT-1101",
    material: "FCA-7740-100",
    materialId: `${REF}5`,
    properties: { Revision: "C", MovementType: "101" },
    data: { UnitSerial: "ACT-1101", Yield: "1", Scrap: "0", FinalConfirmation: "true" },
  },
  confirmation: { operationsType: "Production", order: "WO-100240", segment: "10", operation: "10", state: "Completed", data: { UnitSerial: "ACT-1102", Yield: "1", Scrap: "0", FinalConfirmation: "false" } },
  // a unit scrapped in work: the operation it stood at is aborted with scrap 1; the unit is the material, without a quantity
  "confirmation-scrap": {
    operationsType: "Production",
    order: "WO-100240",
    segment: "20",
    operation: "20",
    state: "Aborted",
    description: "Housing cracked at press fit",
    use: scrapped,
    serial: "ACT-1104",
    material: "FCA-7740-100",
    materialId: `${REF}6`,
    properties: { Revision: "C" },
    data: { UnitSerial: "ACT-1104", Yield: "0", Scrap: "1", FinalConfirmation: "false" },
  },
  return: {
    operationsType: "Inventory",
    segment: "return",
    description: "Unused after order close",
    use: { "#text": "Other", "@_OtherValue": "Returned" },
    quantity: "250",
    uom: "G",
    lot: "AC24-0519",
    material: "PR-1422-B2",
    materialId: `${REF}7`,
    properties: { Revision: "-", MovementType: "311", StockType: "unrestricted", FromLocation: "STORES-01" },
  },
  "return-blocked": {
    operationsType: "Inventory",
    segment: "return",
    description: "Held lot back to the supplier's returns area",
    use: { "#text": "Other", "@_OtherValue": "Returned" },
    quantity: "40",
    uom: "EA",
    lot: "BK-2611-09",
    material: "BKT-4410-07",
    materialId: `${REF}b`,
    properties: { Revision: "A", MovementType: "311", StockType: "blocked", HoldReason: "Supplier notice SN-2211: possible contamination of heat lot 7", FromLocation: "QUAR-01" },
  },
  shipment: {
    operationsType: "Inventory",
    segment: "shipment",
    use: { "#text": "Other", "@_OtherValue": "Shipped" },
    quantity: "1",
    uom: "EA",
    serial: "ACT-1101",
    material: "FCA-7740-100",
    materialId: `${REF}8`,
    properties: { Revision: "C", MovementType: "601", FromLocation: "FG-01", BuiltOnOrder: "WO-100240", ShipTo: "Airbus Toulouse, dock 4", DeliveryNote: "80004711" },
  },
  stock_transfer: {
    operationsType: "Inventory",
    segment: "stock_transfer",
    use: { "#text": "Other", "@_OtherValue": "Transferred" },
    quantity: "4",
    uom: "EA",
    lot: "BRG-2611-04",
    material: "BRG-2210-04",
    materialId: `${REF}c`,
    properties: { Revision: "B", MovementType: "303", FromLocation: "ST-A01", Transfer: "TR-3B6F0E2A51", IssuingPlant: "1000", ReceivingPlant: "2100" },
  },
  "hold_status-lot": {
    operationsType: "Quality",
    segment: "hold",
    state: "Held",
    description: "Supplier notice SN-2211: possible contamination",
    use: { "#text": "Other", "@_OtherValue": "Hold placed" },
    lot: "AC24-0519",
    material: "PR-1422-B2",
    materialId: "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e09",
    properties: { Revision: "-" },
    data: { HoldID: "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e09", HoldAction: "placed", HoldTargetType: "lot", HoldTarget: "AC24-0519" },
  },
  "hold_status-serial": {
    operationsType: "Quality",
    segment: "hold",
    state: "Completed",
    description: "Re-inspected: conforming",
    use: { "#text": "Other", "@_OtherValue": "Hold released" },
    serial: "ACT-1102",
    material: "FCA-7740-100",
    materialId: "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e10",
    properties: { Revision: "C" },
    data: { HoldID: "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e10", HoldAction: "released", HoldTargetType: "serial", HoldTarget: "ACT-1102", HoldReason: "Dropped during handling" },
  },
  // a part revision: every lot and serial of it (no lot, no serial)
  "hold_status-part_revision": {
    operationsType: "Quality",
    segment: "hold",
    state: "Held",
    description: "Drawing change pending: rev A bore tolerance under review",
    use: { "#text": "Other", "@_OtherValue": "Hold placed" },
    material: "BKT-4410-07",
    materialId: "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e13",
    properties: { Revision: "A" },
    data: { HoldID: "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e13", HoldAction: "placed", HoldTargetType: "part_revision", HoldTarget: "BKT-4410-07" },
  },
  // a manufacturer or supplier: all material of it, named by a property (no material definition)
  "hold_status-manufacturer": {
    operationsType: "Quality",
    segment: "hold",
    state: "Held",
    description: "GIDEP alert on counterfeit parts from this manufacturer",
    use: { "#text": "Other", "@_OtherValue": "Hold placed" },
    materialId: "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e15",
    properties: { ManufacturerID: "3AB71" },
    data: { HoldID: "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e15", HoldAction: "placed", HoldTargetType: "manufacturer", HoldTarget: "3AB71" },
  },
  "hold_status-supplier": {
    operationsType: "Quality",
    segment: "hold",
    state: "Completed",
    description: "Supplier audit closed: corrective actions verified",
    use: { "#text": "Other", "@_OtherValue": "Hold released" },
    materialId: "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e17",
    properties: { SupplierID: "SUP-4410" },
    data: { HoldID: "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e17", HoldAction: "released", HoldTargetType: "supplier", HoldTarget: "SUP-4410", HoldReason: "Supplier audit finding: traceability gaps" },
  },
  stock_correction: {
    operationsType: "Inventory",
    segment: "stock-correction",
    description: "Cycle count in ERP posted 5 g too many: the floor weighed the lot",
    use: { "#text": "Other", "@_OtherValue": "Correction requested" },
    lot: "AC24-0519",
    material: "PR-1422-B2",
    materialId: "RX-42",
    properties: { Revision: "-" },
    data: { ExceptionID: "RX-42", Category: "erp_side_adjustment", ErpQuantity: "1505", TracelineQuantity: "1500", Snapshot: "STOCK-1000-2026-11-26" },
  },
  lot_expiry: {
    operationsType: "Quality",
    segment: "shelf-life-extension",
    state: "Completed",
    description: "Re-test passed: viscosity, tack-free time and peel strength within specification",
    use: { "#text": "Other", "@_OtherValue": "Shelf life extended" },
    lot: "AC24-0519",
    material: "PR-1422-B2",
    materialId: "AC24-0519",
    properties: { Revision: "-", ExpiryDate: "2027-09-30" },
    data: { PreviousExpiry: "2027-06-23", Expiry: "2027-09-30", TestReference: "LAB-RT-2026-0418" },
  },
};

const rows = Object.entries(EXPECTED) as [ExampleName, Expected][];

describe("B2MML mapping of each kind of confirmation", () => {
  it.each(rows)("%s", (name, want) => {
    const c = CONFIRMATION_EXAMPLES[name];
    const r = responseOf(c);
    expect(at(r, "ID")).toBe(c.messageId);
    expect(at(r, "EndTime")).toBe(c.occurredAt.toISOString());
    expect(at(r, "HierarchyScope")).toEqual({ EquipmentID: "1000", EquipmentLevel: "Site" });
    expect(at(r, "OperationsType")).toBe(want.operationsType);
    expect(at(r, "OperationsRequestID")).toBe(want.order);
    const segment = at(r, "SegmentResponse");
    expect(at(segment, "ID")).toBe(want.segment);
    expect(at(segment, "Description")).toBe(want.description);
    expect(at(segment, "OperationsSegmentID")).toBe(want.operation);
    expect(at(segment, "SegmentState")).toBe(want.state);
    expect(at(segment, "PostingDate")).toBe(`${(c.payload as { postingDate: string }).postingDate}T00:00:00`);
    expect(segmentData(segment)).toEqual({ OrderingKey: c.orderingKey, ConfirmationType: c.type, ...want.data });
    const material = at(segment, "MaterialActual");
    if (!want.materialId) {
      expect(material).toBeUndefined();
      return;
    }
    expect(at(material, "ID")).toBe(want.materialId);
    expect(at(material, "MaterialDefinitionID")).toBe(want.material);
    expect(at(material, "MaterialLotID")).toBe(want.lot);
    expect(at(material, "MaterialSubLotID")).toBe(want.serial);
    expect(at(material, "MaterialUse")).toEqual(want.use);
    expect(at(material, "Quantity")).toEqual(want.quantity ? { QuantityString: want.quantity, UnitOfMeasure: want.uom } : undefined);
    expect(properties(material)).toEqual(want.properties);
  });

  it("a reason becomes the segment's description", () => {
    expect(at(responseOf(CONFIRMATION_EXAMPLES.reversal), "SegmentResponse", "Description")).toBe("Failed functional test: bore out of tolerance");
  });
});

describe("B2MML mapping of a mix (lot_mix)", () => {
  it("one Production segment: each input lot Consumed, the child lot Produced with its expiry", () => {
    const c = CONFIRMATION_EXAMPLES.lot_mix;
    const r = responseOf(c);
    expect(at(r, "OperationsType")).toBe("Production");
    expect(at(r, "OperationsRequestID")).toBeUndefined();
    const segment = at(r, "SegmentResponse");
    expect(at(segment, "ID")).toBe("mix");
    expect(at(segment, "SegmentState")).toBe("Completed");
    expect(at(segment, "Description")).toBe("Mixed lot AC24-0519 + lot AC24-0611 into lot AC24-0519-M1");
    expect(at(segment, "PostingDate")).toBe("2026-11-28T00:00:00");
    expect(segmentData(segment)).toEqual({ OrderingKey: "item:PR-1422-B2-MIX|AC24-0519-M1|", ConfirmationType: "lot_mix", Reference: "0f7d3c2a-9b41-4e8a-b6d5-1a2b3c4d5e21" });
    const materials = at(segment, "MaterialActual") as X[];
    expect(materials.map((m) => [at(m, "ID"), at(m, "MaterialDefinitionID"), at(m, "MaterialLotID"), at(m, "MaterialUse"), at(m, "Quantity")])).toEqual([
      ["AC24-0519", "PR-1422-B2-BASE", "AC24-0519", "Consumed", { QuantityString: "100", UnitOfMeasure: "G" }],
      ["AC24-0611", "PR-1422-B2-ACT", "AC24-0611", "Consumed", { QuantityString: "10", UnitOfMeasure: "G" }],
      ["AC24-0519-M1", "PR-1422-B2-MIX", "AC24-0519-M1", "Produced", { QuantityString: "110", UnitOfMeasure: "G" }],
    ]);
    expect(materials.map(properties)).toEqual([
      { Revision: "-", MovementType: "201", FromLocation: "FRZ-01" },
      { Revision: "-", MovementType: "201", FromLocation: "FRZ-01" },
      { Revision: "A", MovementType: "501", ToLocation: "POU-A1", ExpiryDate: "2026-11-28", ExpiresAt: "2026-11-28T13:30:00.000Z" },
    ]);
  });
});

describe("B2MML documents are valid against the V0700 schemas", () => {
  const all = Object.values(CONFIRMATION_EXAMPLES);

  it("each confirmation alone, all of them in one document, and each OperationsResponse alone", async () => {
    const docs: Record<string, string> = { "all in one": b2mmlDocument(all), "all, indented": b2mmlDocument(all, { pretty: true }) };
    for (const [name, c] of Object.entries(CONFIRMATION_EXAMPLES)) {
      docs[name] = b2mmlDocument([c]);
      docs[`${name} (OperationsResponse)`] = b2mmlOperationsResponse(c);
    }
    const errors = await b2mmlSchemaErrorsOf(docs);
    expect(Object.entries(errors).filter(([, e]) => e.length > 0)).toEqual([]);
  });

  it("the validation can fail: an invented MaterialUse is refused", async () => {
    const xml = b2mmlDocument([CONFIRMATION_EXAMPLES.consumption]).replace("<MaterialUse>Consumed</MaterialUse>", "<MaterialUse>Reversed</MaterialUse>");
    expect((await b2mmlSchemaErrors(xml)).join("\n")).toMatch(/MaterialUse/);
  });

  it("one document per request, one OperationsResponse per confirmation in order; the same confirmations give the same document", () => {
    const request = encodeB2mmlBatch(all);
    expect(request.contentType).toBe("application/xml");
    const doc = parser.parse(request.body) as X;
    const root = at(doc, "SyncOperationsPerformance") as X;
    expect(request.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><SyncOperationsPerformance xmlns="http:\/\/www\.mesa\.org\/xml\/B2MML" releaseID="7\.0">/);
    expect(root["@_releaseID"]).toBe("7.0");
    const performance = at(root, "DataArea", "OperationsPerformance") as X;
    expect(at(root, "ApplicationArea", "BODID")).toBe(performance.ID);
    expect(at(root, "ApplicationArea", "CreationDateTime")).toBe(new Date(Math.max(...all.map((c) => c.occurredAt.getTime()))).toISOString());
    expect((performance.OperationsResponse as X[]).map((r) => r.ID)).toEqual(all.map((c) => c.messageId));
    expect(encodeB2mmlBatch(all).body).toBe(request.body);
    expect(encodeB2mmlBatch(all.slice(1)).body).not.toContain(performance.ID as string);
  });

  it("the indented form (the documentation's) is the wire's text with line breaks and indentation between elements", () => {
    const pretty = b2mmlDocument(all, { pretty: true });
    expect(pretty.split("\n").length).toBeGreaterThan(all.length * 10);
    expect(pretty.replace(/>\n\s*</g, "><")).toBe(b2mmlDocument(all));
    for (const c of all) expect(b2mmlOperationsResponse(c, { pretty: true }).replace(/>\n\s*</g, "><")).toBe(b2mmlOperationsResponse(c));
  });

  it("escapes what it carries: markup and control characters in a reason stay text, and the document stays valid", async () => {
    const c = CONFIRMATION_EXAMPLES.reversal;
    const reason = `Bore <0.02 & "out" of 'tolerance'\u0001 ]]> </Description><Injected/>`;
    const xml = b2mmlDocument([{ ...c, payload: { ...c.payload, reason } }]);
    expect(await b2mmlSchemaErrors(xml)).toEqual([]);
    expect(xml).not.toContain("<Injected/>");
    expect(at(responseOf({ ...c, payload: { ...c.payload, reason } }), "SegmentResponse", "Description")).toBe(reason.replace("\u0001", "\uFFFD"));
  });
});

describe("B2MML mapping refuses what it cannot map, loudly", () => {
  const base = CONFIRMATION_EXAMPLES.consumption;
  it.each<[string, Confirmation, RegExp]>([
    ["an unknown type", { ...base, type: "unit_scrapped" }, /type "unit_scrapped".*not one of/],
    ["a reversal with the consumption's movement type", { ...base, type: "reversal" }, /payload\.movementType must be 262/],
    ["a goods movement without material", { ...base, payload: { ...base.payload, material: "" } }, /payload\.material must be a non-empty string/],
    ["a lot and a serial at once", { ...base, payload: { ...base.payload, serial: "S-1" } }, /payload\.serial and batch are both given/],
  ])("%s", (_name, c, message) => {
    expect(() => b2mmlDocument([CONFIRMATION_EXAMPLES.confirmation, c])).toThrow(ConfirmationNotMappable);
    expect(() => encodeB2mmlBatch([c])).toThrow(message);
  });
});
