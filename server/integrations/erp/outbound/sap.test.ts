import { describe, expect, it } from "vitest";
import type { Confirmation } from "@/server/domain/erp/outbound";
import { ConfirmationNotMappable } from "./confirmation-types";
import { CONFIRMATION_EXAMPLES, type ExampleName } from "./examples.test-helper";
import { encodeSapBatch, sapReference, toSapMessage } from "./sap";

// The SAP-style mapping, one row per kind of confirmation: the BAPI structures each one carries, written out here
// (not derived from the encoder) so that a change of mapping shows as a failing row.

type Expected = {
  GM_CODE?: string;
  items?: Record<string, string>[];
  serial?: string;
  timeticket?: Record<string, string>;
  batchStatus?: Record<string, unknown>;
  qualityBlock?: Record<string, string>;
  correction?: Record<string, string>;
  postingDate?: string;
  /** TRACELINE: what no BAPI parameter carries as it is */
  facts: Record<string, unknown>;
};

const REF = "0f7d3c2a-9b41-4e8a-b6d5-1a2b3c4d5e0";

/** A mix carries two material documents: checked on its own below. */
const EXPECTED: Record<Exclude<ExampleName, "lot_mix">, Expected> = {
  consumption: {
    GM_CODE: "03",
    items: [{ MATERIAL: "PR-1422-B2", PLANT: "1000", BATCH: "AC24-0519", MOVE_TYPE: "261", ENTRY_QNT: "12.5", ENTRY_UOM: "G", ORDERID: "WO-100240", ACTIVITY: "0030" }],
    postingDate: "20261120",
    facts: { revision: "-", reference: `${REF}1` },
  },
  reversal: {
    GM_CODE: "03",
    items: [
      {
        MATERIAL: "BKT-4410-07",
        PLANT: "1000",
        BATCH: "BK-2611-04",
        MOVE_TYPE: "262",
        ENTRY_QNT: "1",
        ENTRY_UOM: "EA",
        ORDERID: "WO-100240",
        ACTIVITY: "0010",
        ITEM_TEXT: "Failed functional test: bore out of tolerance",
      },
    ],
    postingDate: "20261120",
    facts: { revision: "A", reference: `${REF}2` },
  },
  scrap: {
    GM_CODE: "03",
    items: [{ MATERIAL: "BKT-4410-07", PLANT: "1000", BATCH: "BK-2611-04", MOVE_TYPE: "551", ENTRY_QNT: "1", ENTRY_UOM: "EA", ITEM_TEXT: "Failed functional test: bore out of tolerance" }],
    postingDate: "20261120",
    facts: { revision: "A", reference: `${REF}2`, operation: 10 },
  },
  "scrap-unit": {
    GM_CODE: "03",
    // the reason is cut to ITEM_TEXT's 50 characters: the whole of it travels in TRACELINE
    items: [{ MATERIAL: "FCA-7740-100", PLANT: "1000", MOVE_TYPE: "551", ENTRY_QNT: "1", ENTRY_UOM: "EA", ITEM_TEXT: "Cracked housing found at final inspection; MRB de…" }],
    serial: "ACT-1103",
    postingDate: "20261121",
    facts: { revision: "C", reference: `${REF}4`, reason: "Cracked housing found at final inspection; MRB decision: scrap", fromLocation: "FG-01", builtOnOrder: "WO-100240" },
  },
  completion: {
    GM_CODE: "02",
    items: [{ MATERIAL: "FCA-7740-100", PLANT: "1000", MOVE_TYPE: "101", ENTRY_QNT: "1", ENTRY_UOM: "EA", ORDERID: "WO-100240", MVT_IND: "F" }],
    serial: "ACT-1101",
    timeticket: { ORDERID: "WO-100240", OPERATION: "0030", POSTG_DATE: "20261120", YIELD: "1", SCRAP: "0", CONF_QUAN_UNIT: "EA", FIN_CONF: "X", CONF_TEXT: "Unit ACT-1101" },
    postingDate: "20261120",
    facts: { revision: "C", reference: `${REF}5` },
  },
  confirmation: {
    timeticket: { ORDERID: "WO-100240", OPERATION: "0010", POSTG_DATE: "20261120", YIELD: "1", SCRAP: "0", FIN_CONF: "", CONF_TEXT: "Unit ACT-1102" },
    facts: { unitSerial: "ACT-1102" },
  },
  // a unit scrapped in work: scrap 1, yield 0 at the operation it stood at; no goods movement (it was never received)
  "confirmation-scrap": {
    timeticket: { ORDERID: "WO-100240", OPERATION: "0020", POSTG_DATE: "20261121", YIELD: "0", SCRAP: "1", FIN_CONF: "", CONF_TEXT: "Unit ACT-1104 scrapped: Housing cracked…" },
    facts: { unitSerial: "ACT-1104", material: "FCA-7740-100", revision: "C", reason: "Housing cracked at press fit", reference: `${REF}6` },
  },
  return: {
    GM_CODE: "04",
    items: [{ MATERIAL: "PR-1422-B2", PLANT: "1000", BATCH: "AC24-0519", MOVE_TYPE: "311", ENTRY_QNT: "250", ENTRY_UOM: "G", ITEM_TEXT: "Unused after order close" }],
    postingDate: "20261122",
    facts: { revision: "-", reference: `${REF}7`, fromLocation: "STORES-01", stockType: "unrestricted" },
  },
  // held material: the 311 and, in the same material document, unrestricted to blocked (344) with the holds' reasons
  "return-blocked": {
    GM_CODE: "04",
    items: [
      { MATERIAL: "BKT-4410-07", PLANT: "1000", BATCH: "BK-2611-09", MOVE_TYPE: "311", ENTRY_QNT: "40", ENTRY_UOM: "EA", ITEM_TEXT: "Held lot back to the supplier's returns area" },
      { MATERIAL: "BKT-4410-07", PLANT: "1000", BATCH: "BK-2611-09", MOVE_TYPE: "344", ENTRY_QNT: "40", ENTRY_UOM: "EA", ITEM_TEXT: "Held: Supplier notice SN-2211: possible contamina…" },
    ],
    postingDate: "20261122",
    facts: { revision: "A", reference: `${REF}b`, fromLocation: "QUAR-01", stockType: "blocked", holdReasons: ["Supplier notice SN-2211: possible contamination of heat lot 7"] },
  },
  shipment: {
    GM_CODE: "03",
    items: [{ MATERIAL: "FCA-7740-100", PLANT: "1000", MOVE_TYPE: "601", ENTRY_QNT: "1", ENTRY_UOM: "EA" }],
    serial: "ACT-1101",
    postingDate: "20261123",
    facts: { revision: "C", reference: `${REF}8`, fromLocation: "FG-01", builtOnOrder: "WO-100240", shipTo: "Airbus Toulouse, dock 4", deliveryNote: "80004711" },
  },
  stock_transfer: {
    GM_CODE: "04",
    items: [{ MATERIAL: "BRG-2210-04", PLANT: "1000", BATCH: "BRG-2611-04", MOVE_TYPE: "303", ENTRY_QNT: "4", ENTRY_UOM: "EA", MOVE_PLANT: "2100" }],
    postingDate: "20261124",
    facts: { revision: "B", reference: `${REF}c`, fromLocation: "ST-A01", transfer: "TR-3B6F0E2A51", issuingPlant: "1000", receivingPlant: "2100" },
  },
  "hold_status-lot": {
    batchStatus: { MATERIAL: "PR-1422-B2", PLANT: "1000", BATCH: "AC24-0519", BATCHSTATUS: { RESTRICTED: "X" }, BATCHSTATUSX: { RESTRICTED: "X" } },
    facts: { action: "placed", holdId: "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e09", target: { type: "lot", key: "AC24-0519" }, revision: "-", reason: "Supplier notice SN-2211: possible contamination", postingDate: "2026-11-21" },
  },
  "hold_status-serial": {
    GM_CODE: "04",
    items: [{ MATERIAL: "FCA-7740-100", PLANT: "1000", MOVE_TYPE: "343", ENTRY_QNT: "1", ITEM_TEXT: "Re-inspected: conforming" }],
    serial: "ACT-1102",
    postingDate: "20261122",
    facts: {
      action: "released",
      holdId: "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e10",
      target: { type: "serial", key: "ACT-1102" },
      revision: "C",
      reason: "Re-inspected: conforming",
      holdReason: "Dropped during handling",
    },
  },
  "hold_status-part_revision": {
    qualityBlock: { OBJECT: "MATERIAL", PLANT: "1000", MATERIAL: "BKT-4410-07", REVLV: "A", BLOCKED: "X", SPERRGRUND: "Drawing change pending: rev A bore tole…" },
    facts: {
      action: "placed",
      holdId: "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e13",
      target: { type: "part_revision", key: "BKT-4410-07" },
      revision: "A",
      reason: "Drawing change pending: rev A bore tolerance under review",
      postingDate: "2026-11-21",
    },
  },
  "hold_status-manufacturer": {
    qualityBlock: { OBJECT: "MANUFACTURER", PLANT: "1000", MFRNR: "3AB71", BLOCKED: "X", SPERRGRUND: "GIDEP alert on counterfeit parts from t…" },
    facts: { action: "placed", holdId: "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e15", target: { type: "manufacturer", key: "3AB71" }, reason: "GIDEP alert on counterfeit parts from this manufacturer", postingDate: "2026-11-21" },
  },
  "hold_status-supplier": {
    qualityBlock: { OBJECT: "VENDOR", PLANT: "1000", VENDOR: "SUP-4410", BLOCKED: "" },
    facts: {
      action: "released",
      holdId: "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e17",
      target: { type: "supplier", key: "SUP-4410" },
      reason: "Supplier audit closed: corrective actions verified",
      holdReason: "Supplier audit finding: traceability gaps",
      postingDate: "2026-11-24",
    },
  },
  stock_correction: {
    correction: { PLANT: "1000", MATERIAL: "PR-1422-B2", BATCH: "AC24-0519", ENTRY_UOM: "G", ERP_QNT: "1505", MES_QNT: "1500", TEXT: "Cycle count in ERP posted 5 g too many: the floor…" },
    facts: {
      exception: "RX-42",
      category: "erp_side_adjustment",
      revision: "-",
      snapshot: "STOCK-1000-2026-11-26",
      reason: "Cycle count in ERP posted 5 g too many: the floor weighed the lot",
      postingDate: "2026-11-26",
    },
  },
  // the batch's shelf-life expiry date set; the date before, the reason and the test report beside it
  lot_expiry: {
    batchStatus: { MATERIAL: "PR-1422-B2", PLANT: "1000", BATCH: "AC24-0519", BATCHATTRIBUTES: { EXPIRYDATE: "20270930" }, BATCHATTRIBUTESX: { EXPIRYDATE: "X" } },
    facts: {
      revision: "-",
      previousExpiry: "2027-06-23",
      reason: "Re-test passed: viscosity, tack-free time and peel strength within specification",
      testReference: "LAB-RT-2026-0418",
      postingDate: "2026-11-27",
    },
  },
};

const rows = Object.entries(EXPECTED) as [ExampleName, Expected][];

describe("SAP-style mapping of each kind of confirmation", () => {
  it.each(rows)("%s", (name, want) => {
    const c = CONFIRMATION_EXAMPLES[name];
    const m = toSapMessage(c);
    expect({ messageId: m.messageId, orderingKey: m.orderingKey, type: m.type, plant: m.plant, occurredAt: m.occurredAt }).toEqual({
      messageId: c.messageId,
      orderingKey: c.orderingKey,
      type: c.type,
      plant: "1000",
      occurredAt: c.occurredAt.toISOString(),
    });
    if (want.items) {
      expect(m.BAPI_GOODSMVT_CREATE).toEqual({
        GOODSMVT_HEADER: { PSTNG_DATE: want.postingDate, DOC_DATE: want.postingDate, REF_DOC_NO: sapReference(c.messageId), HEADER_TXT: c.messageId },
        GOODSMVT_CODE: { GM_CODE: want.GM_CODE },
        GOODSMVT_ITEM: want.items,
        ...(want.serial ? { GOODSMVT_SERIALNUMBER: want.items.map((_, i) => ({ MATDOC_ITM: `000${i + 1}`, SERIALNO: want.serial })) } : {}),
      });
    } else {
      expect(m.BAPI_GOODSMVT_CREATE).toBeUndefined();
    }
    if (want.timeticket) expect(m.BAPI_PRODORDCONF_CREATE_TT).toEqual({ TIMETICKETS: [want.timeticket] });
    else expect(m.BAPI_PRODORDCONF_CREATE_TT).toBeUndefined();
    if (want.batchStatus) expect(m.BAPI_BATCH_SAVE_REPLICA).toEqual(want.batchStatus);
    else expect(m.BAPI_BATCH_SAVE_REPLICA).toBeUndefined();
    if (want.qualityBlock) expect(m.QUALITY_BLOCK).toEqual(want.qualityBlock);
    else expect(m.QUALITY_BLOCK).toBeUndefined();
    if (want.correction) expect(m.INVENTORY_CORRECTION_REQUEST).toEqual(want.correction);
    else expect(m.INVENTORY_CORRECTION_REQUEST).toBeUndefined();
    expect(m.TRACELINE).toEqual(want.facts);
  });

  it("REF_DOC_NO is the message id's first 16 letters and digits, upper case", () => {
    expect(sapReference("5b0e8a51-3c1f-5d7e-9a40-2f6c1d8e7b01")).toBe("5B0E8A513C1F5D7E");
    expect(sapReference("GI-49/000")).toBe("GI49000");
  });

  it("a lot's hold released makes the batch unrestricted again", () => {
    const c = CONFIRMATION_EXAMPLES["hold_status-lot"];
    const released = toSapMessage({ ...c, payload: { ...c.payload, action: "released", holdReason: "Wrong heat treatment" } });
    expect(released.BAPI_BATCH_SAVE_REPLICA).toMatchObject({ BATCHSTATUS: { RESTRICTED: "" }, BATCHSTATUSX: { RESTRICTED: "X" } });
  });

  it("a hold released from a part revision, manufacturer or supplier unblocks it; placed, blocks it", () => {
    for (const name of ["hold_status-part_revision", "hold_status-manufacturer", "hold_status-supplier"] as const) {
      const c = CONFIRMATION_EXAMPLES[name];
      for (const action of ["placed", "released"] as const) {
        const payload = { ...c.payload, action, holdReason: action === "released" ? "The hold's reason" : undefined };
        expect(toSapMessage({ ...c, payload }).QUALITY_BLOCK?.BLOCKED, `${name} ${action}`).toBe(action === "placed" ? "X" : "");
      }
    }
  });

  it("a serial's hold placed moves it to blocked stock (344)", () => {
    const c = CONFIRMATION_EXAMPLES["hold_status-serial"];
    const placed = toSapMessage({ ...c, payload: { ...c.payload, action: "placed", holdReason: undefined } });
    expect(placed.BAPI_GOODSMVT_CREATE?.GOODSMVT_ITEM[0]).toMatchObject({ MOVE_TYPE: "344" });
  });

  it("one request carries every message in order, quantities as decimal strings", () => {
    const all = Object.values(CONFIRMATION_EXAMPLES);
    const request = encodeSapBatch(all);
    expect(request.contentType).toBe("application/json");
    const body = JSON.parse(request.body) as { source: string; format: string; messages: { messageId: string }[] };
    expect(body.source).toBe("TRACELINE");
    expect(body.format).toBe("sap");
    expect(body.messages.map((m) => m.messageId)).toEqual(all.map((c) => c.messageId));
    expect(request.body).not.toMatch(/"ENTRY_QNT":\d/);
  });
});

describe("SAP-style mapping of a mix (lot_mix)", () => {
  const c = CONFIRMATION_EXAMPLES.lot_mix;
  const m = toSapMessage(c);
  const head = { PSTNG_DATE: "20261128", DOC_DATE: "20261128", REF_DOC_NO: sapReference(c.messageId), HEADER_TXT: c.messageId };
  const reason = "Mixed lot AC24-0519 + lot AC24-0611 into lot AC24-0519-M1";
  // ITEM_TEXT holds 50 characters: the whole reason is in TRACELINE
  const text = `${reason.slice(0, 49)}…`;

  it("the inputs are goods issues without an order (201) in one material document", () => {
    expect(m.BAPI_GOODSMVT_CREATE).toEqual({
      GOODSMVT_HEADER: head,
      GOODSMVT_CODE: { GM_CODE: "03" },
      GOODSMVT_ITEM: [
        { MATERIAL: "PR-1422-B2-BASE", PLANT: "1000", BATCH: "AC24-0519", MOVE_TYPE: "201", ENTRY_QNT: "100", ENTRY_UOM: "G", ITEM_TEXT: text },
        { MATERIAL: "PR-1422-B2-ACT", PLANT: "1000", BATCH: "AC24-0611", MOVE_TYPE: "201", ENTRY_QNT: "10", ENTRY_UOM: "G", ITEM_TEXT: text },
      ],
    });
  });

  it("the child lot is a goods receipt without a purchase order (501) with its expiry date, in a second document", () => {
    expect(m.BAPI_GOODSMVT_CREATE_RECEIPT).toEqual({
      GOODSMVT_HEADER: head,
      GOODSMVT_CODE: { GM_CODE: "05" },
      GOODSMVT_ITEM: [
        { MATERIAL: "PR-1422-B2-MIX", PLANT: "1000", BATCH: "AC24-0519-M1", MOVE_TYPE: "501", ENTRY_QNT: "110", ENTRY_UOM: "G", PROD_DATE: "20261128", EXPIRYDATE: "20261128", ITEM_TEXT: text },
      ],
    });
    const noExpiry = toSapMessage({ ...c, payload: { ...c.payload, expiry: null, expiresAt: null } });
    expect(noExpiry.BAPI_GOODSMVT_CREATE_RECEIPT?.GOODSMVT_ITEM[0]).not.toHaveProperty("EXPIRYDATE");
  });

  it("what no BAPI parameter carries travels in TRACELINE: revisions, the movement id, the locations, the expiry's instant", () => {
    expect(m.TRACELINE).toEqual({
      revision: "A",
      reference: "0f7d3c2a-9b41-4e8a-b6d5-1a2b3c4d5e21",
      reason,
      expiresAt: "2026-11-28T13:30:00.000Z",
      toLocation: "POU-A1",
      inputs: [
        { material: "PR-1422-B2-BASE", revision: "-", batch: "AC24-0519", fromLocation: "FRZ-01" },
        { material: "PR-1422-B2-ACT", revision: "-", batch: "AC24-0611", fromLocation: "FRZ-01" },
      ],
    });
    expect(m.orderingKey).toBe("item:PR-1422-B2-MIX|AC24-0519-M1|");
    expect(m.BAPI_PRODORDCONF_CREATE_TT).toBeUndefined();
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ["without inputs", { inputs: [] }, /payload\.inputs must be a list of 1 to 10 objects/],
    ["an input issued to an order (261)", { inputs: [{ ...(c.payload.inputs as object[])[0], movementType: "261" }] }, /payload\.inputs\[\]\.movementType must be 201/],
    ["an input without its location", { inputs: [{ ...(c.payload.inputs as object[])[0], fromLocation: "" }] }, /payload\.inputs\[\]\.fromLocation must be a non-empty string/],
    ["one input lot twice", { inputs: [(c.payload.inputs as object[])[0], (c.payload.inputs as object[])[0]] }, /payload\.inputs name one lot twice/],
    ["an expiry date without its instant", { expiresAt: null }, /payload\.expiry and expiresAt must be given together/],
    ["an expiry instant that is not one", { expiresAt: "tomorrow" }, /payload\.expiresAt must be an ISO 8601 instant/],
    ["the child received as a 101", { movementType: "101" }, /payload\.movementType must be 501/],
  ])("refuses a mix %s", (_name, change, message) => {
    expect(() => toSapMessage({ ...c, payload: { ...c.payload, ...change } })).toThrow(message);
  });
});

describe("SAP-style mapping refuses what it cannot map, loudly", () => {
  const base = CONFIRMATION_EXAMPLES.consumption;
  const variant = (type: string, payload: Record<string, unknown>): Confirmation => ({ ...base, type, payload });
  it.each<[string, Confirmation, RegExp]>([
    ["an unknown type", variant("unit_scrapped", base.payload), /type "unit_scrapped".*not one of/],
    ["a consumption without an order", variant("consumption", { ...base.payload, order: null }), /payload\.order is required/],
    ["a consumption with another movement type", variant("consumption", { ...base.payload, movementType: "262" }), /payload\.movementType must be 261/],
    ["a quantity as a number", variant("consumption", { ...base.payload, quantity: 12.5 }), /payload\.quantity must be a non-empty string/],
    ["a negative quantity", variant("consumption", { ...base.payload, quantity: "-1" }), /payload\.quantity must be a positive decimal/],
    ["a posting date that is not a date", variant("consumption", { ...base.payload, postingDate: "20.11.2026" }), /payload\.postingDate must be a date/],
    ["an operation beyond four digits", variant("consumption", { ...base.payload, operation: 10000 }), /operation 10000 does not fit/],
    ["a completion without its confirmation", variant("completion", { ...CONFIRMATION_EXAMPLES.completion.payload, confirmation: undefined }), /payload\.confirmation must be an object/],
    ["a lot's hold without its batch", variant("hold_status", { ...CONFIRMATION_EXAMPLES["hold_status-lot"].payload, batch: null }), /payload\.batch must be a non-empty string/],
    ["a hold whose target is not the held lot", variant("hold_status", { ...CONFIRMATION_EXAMPLES["hold_status-lot"].payload, target: { type: "lot", key: "OTHER" } }), /payload\.target\.key must be the held lot "AC24-0519"/],
    ["a hold on an unknown kind of target", variant("hold_status", { ...CONFIRMATION_EXAMPLES["hold_status-lot"].payload, target: { type: "warehouse", key: "W1" } }), /payload\.target\.type must be "lot" or "serial"/],
    ["a manufacturer's hold naming a material", variant("hold_status", { ...CONFIRMATION_EXAMPLES["hold_status-manufacturer"].payload, material: "BKT-4410-07" }), /payload\.material is not expected for a hold on a manufacturer/],
    ["a hold without a posting date", variant("hold_status", { ...CONFIRMATION_EXAMPLES["hold_status-serial"].payload, postingDate: undefined }), /payload\.postingDate must be a non-empty string/],
    ["a release without the hold's own reason", variant("hold_status", { ...CONFIRMATION_EXAMPLES["hold_status-serial"].payload, holdReason: undefined }), /payload\.holdReason must be a non-empty string/],
    ["a shipment without its delivery note", variant("shipment", { ...CONFIRMATION_EXAMPLES.shipment.payload, deliveryNote: undefined }), /payload\.deliveryNote must be a non-empty string/],
    ["a shipment with ship-to under another name", variant("shipment", { ...CONFIRMATION_EXAMPLES.shipment.payload, shipTo: undefined, customer: "C-20417" }), /payload\.shipTo must be a non-empty string/],
    ["a return without its stock type", variant("return", { ...CONFIRMATION_EXAMPLES.return.payload, stockType: undefined }), /payload\.stockType must be a non-empty string/],
    ["a blocked return without the holds' reasons", variant("return", { ...CONFIRMATION_EXAMPLES["return-blocked"].payload, holdReasons: [] }), /payload\.holdReasons must name the holds' reasons/],
    ["a consumption carrying a stock type", variant("consumption", { ...base.payload, stockType: "blocked" }), /payload\.stockType is not expected on a consumption/],
    ["a confirmation with neither yield nor scrap", variant("confirmation", { ...CONFIRMATION_EXAMPLES["confirmation-scrap"].payload, confirmation: { operation: 20, finalConfirmation: false, unitSerial: "ACT-1104", yield: "0", scrap: "0" } }), /payload\.confirmation\.scrap and yield are both zero/],
    ["a scrap confirmed without its reason", variant("confirmation", { ...CONFIRMATION_EXAMPLES["confirmation-scrap"].payload, reason: undefined }), /payload\.reason is required: a scrap is confirmed with its reason/],
    ["a hold with an unknown action", variant("hold_status", { ...CONFIRMATION_EXAMPLES["hold_status-lot"].payload, action: "extended" }), /payload\.action must be "placed" or "released"/],
  ])("%s", (_name, c, message) => {
    expect(() => toSapMessage(c)).toThrow(ConfirmationNotMappable);
    expect(() => encodeSapBatch([CONFIRMATION_EXAMPLES.confirmation, c])).toThrow(message);
  });
});
