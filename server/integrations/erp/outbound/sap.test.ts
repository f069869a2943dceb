import { describe, expect, it } from "vitest";
import type { Confirmation } from "@/server/domain/erp/outbound";
import { ConfirmationNotMappable } from "./confirmation-types";
import { CONFIRMATION_EXAMPLES, type ExampleName } from "./examples.test-helper";
import { encodeSapBatch, sapReference, toSapMessage } from "./sap";

// The SAP-style mapping, one row per kind of confirmation: the BAPI structures each one carries, written out here
// (not derived from the encoder) so that a change of mapping shows as a failing row.

type Expected = {
  GM_CODE?: string;
  item?: Record<string, string>;
  serial?: string;
  timeticket?: Record<string, string>;
  batchStatus?: Record<string, unknown>;
  postingDate?: string;
};

const EXPECTED: Record<ExampleName, Expected> = {
  consumption: {
    GM_CODE: "03",
    item: { MATERIAL: "PR-1422-B2", PLANT: "1000", BATCH: "AC24-0519", MOVE_TYPE: "261", ENTRY_QNT: "12.5", ENTRY_UOM: "G", ORDERID: "WO-100240", ACTIVITY: "0030" },
    postingDate: "20261120",
  },
  reversal: {
    GM_CODE: "03",
    item: {
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
    postingDate: "20261120",
  },
  scrap: {
    GM_CODE: "03",
    item: { MATERIAL: "BKT-4410-07", PLANT: "1000", BATCH: "BK-2611-04", MOVE_TYPE: "551", ENTRY_QNT: "1", ENTRY_UOM: "EA", ITEM_TEXT: "Failed functional test: bore out of tolerance" },
    postingDate: "20261120",
  },
  "scrap-unit": {
    GM_CODE: "03",
    // the reason is cut to ITEM_TEXT's 50 characters
    item: { MATERIAL: "FCA-7740-100", PLANT: "1000", MOVE_TYPE: "551", ENTRY_QNT: "1", ENTRY_UOM: "EA", ITEM_TEXT: "NONCONFORMING: Nonconforming (defect found) — cra…" },
    serial: "ACT-1103",
    postingDate: "20261121",
  },
  completion: {
    GM_CODE: "02",
    item: { MATERIAL: "FCA-7740-100", PLANT: "1000", MOVE_TYPE: "101", ENTRY_QNT: "1", ENTRY_UOM: "EA", ORDERID: "WO-100240", MVT_IND: "F" },
    serial: "ACT-1101",
    timeticket: { ORDERID: "WO-100240", OPERATION: "0030", POSTG_DATE: "20261120", YIELD: "1", SCRAP: "0", CONF_QUAN_UNIT: "EA", FIN_CONF: "X", CONF_TEXT: "Unit ACT-1101" },
    postingDate: "20261120",
  },
  confirmation: {
    timeticket: { ORDERID: "WO-100240", OPERATION: "0010", POSTG_DATE: "20261120", YIELD: "1", SCRAP: "0", FIN_CONF: "", CONF_TEXT: "Unit ACT-1102" },
  },
  return: {
    GM_CODE: "04",
    item: { MATERIAL: "PR-1422-B2", PLANT: "1000", BATCH: "AC24-0519", MOVE_TYPE: "311", ENTRY_QNT: "250", ENTRY_UOM: "G", ITEM_TEXT: "Unused after order close" },
    postingDate: "20261122",
  },
  shipment: {
    GM_CODE: "03",
    item: { MATERIAL: "FCA-7740-100", PLANT: "1000", MOVE_TYPE: "601", ENTRY_QNT: "1", ENTRY_UOM: "EA", CUSTOMER: "C-20417", DELIV_NUMB: "80004711" },
    serial: "ACT-1101",
    postingDate: "20261123",
  },
  "hold_status-lot": {
    batchStatus: { MATERIAL: "PR-1422-B2", PLANT: "1000", BATCH: "AC24-0519", BATCHSTATUS: { RESTRICTED: "X" }, BATCHSTATUSX: { RESTRICTED: "X" } },
  },
  "hold_status-serial": {
    GM_CODE: "04",
    item: { MATERIAL: "FCA-7740-100", PLANT: "1000", MOVE_TYPE: "343", ENTRY_QNT: "1", ITEM_TEXT: "Re-inspected: conforming" },
    serial: "ACT-1102",
    postingDate: "20261122",
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
    if (want.item) {
      expect(m.BAPI_GOODSMVT_CREATE).toEqual({
        GOODSMVT_HEADER: { PSTNG_DATE: want.postingDate, DOC_DATE: want.postingDate, REF_DOC_NO: sapReference(c.messageId), HEADER_TXT: c.messageId },
        GOODSMVT_CODE: { GM_CODE: want.GM_CODE },
        GOODSMVT_ITEM: [want.item],
        ...(want.serial ? { GOODSMVT_SERIALNUMBER: [{ MATDOC_ITM: "0001", SERIALNO: want.serial }] } : {}),
      });
    } else {
      expect(m.BAPI_GOODSMVT_CREATE).toBeUndefined();
    }
    if (want.timeticket) expect(m.BAPI_PRODORDCONF_CREATE_TT).toEqual({ TIMETICKETS: [want.timeticket] });
    else expect(m.BAPI_PRODORDCONF_CREATE_TT).toBeUndefined();
    if (want.batchStatus) expect(m.BAPI_BATCH_SAVE_REPLICA).toEqual(want.batchStatus);
    else expect(m.BAPI_BATCH_SAVE_REPLICA).toBeUndefined();
  });

  it("REF_DOC_NO is the message id's first 16 letters and digits, upper case", () => {
    expect(sapReference("5b0e8a51-3c1f-5d7e-9a40-2f6c1d8e7b01")).toBe("5B0E8A513C1F5D7E");
    expect(sapReference("GI-49/000")).toBe("GI49000");
  });

  it("a lot's hold released makes the batch unrestricted again", () => {
    const c = CONFIRMATION_EXAMPLES["hold_status-lot"];
    const released = toSapMessage({ ...c, payload: { ...c.payload, action: "released" } });
    expect(released.BAPI_BATCH_SAVE_REPLICA).toMatchObject({ BATCHSTATUS: { RESTRICTED: "" }, BATCHSTATUSX: { RESTRICTED: "X" } });
  });

  it("a serial's hold placed moves it to blocked stock (344)", () => {
    const c = CONFIRMATION_EXAMPLES["hold_status-serial"];
    const placed = toSapMessage({ ...c, payload: { ...c.payload, action: "placed" } });
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
    ["a hold without lot or serial", variant("hold_status", { ...CONFIRMATION_EXAMPLES["hold_status-lot"].payload, batch: null }), /payload\.batch or payload\.serial is required/],
    ["a serial's hold without a posting date", variant("hold_status", { ...CONFIRMATION_EXAMPLES["hold_status-serial"].payload, postingDate: undefined }), /postingDate is required for a serial's hold/],
    ["a hold with an unknown action", variant("hold_status", { ...CONFIRMATION_EXAMPLES["hold_status-lot"].payload, action: "extended" }), /payload\.action must be "placed" or "released"/],
  ])("%s", (_name, c, message) => {
    expect(() => toSapMessage(c)).toThrow(ConfirmationNotMappable);
    expect(() => encodeSapBatch([CONFIRMATION_EXAMPLES.confirmation, c])).toThrow(message);
  });
});
