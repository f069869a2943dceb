import type { Confirmation } from "@/server/domain/erp/outbound";
import { ConfirmationNotMappable, readConfirmation, type GoodsMovement, type HoldStatus, type OperationConfirmation } from "./confirmation-types";
import { TRACELINE_SOURCE, type WireRequest } from "./wire";

/*
 * The SAP-style format: each confirmation as the parameters of the BAPIs an SAP integration calls with it
 * (docs/erp-interface.md, "Confirmations (outbound)", "SAP-style"): goods movements as BAPI_GOODSMVT_CREATE, operation
 * confirmations as BAPI_PRODORDCONF_CREATE_TT, a lot's hold as BAPI_BATCH_SAVE_REPLICA's batch status. Field names and
 * codes are SAP's; values are Traceline's (quantities stay decimal strings, dates are YYYYMMDD of the plant's posting
 * date). Middleware (SAP PI/PO, CPI, an iPaaS) calls the BAPIs and adds what only SAP knows (storage locations, cost
 * centers, reason codes).
 */

export const SAP_FORMAT = "sap";

/** GOODSMVT_CODE per movement type: 02 goods receipt for a production order, 03 goods issue, 04 transfer posting. */
const GM_CODE: Record<string, string> = {
  "101": "02",
  "261": "03",
  "262": "03",
  "551": "03",
  "601": "03",
  "311": "04",
  "343": "04",
  "344": "04",
};

type GoodsMovementCreate = {
  GOODSMVT_HEADER: { PSTNG_DATE: string; DOC_DATE: string; REF_DOC_NO: string; HEADER_TXT: string };
  GOODSMVT_CODE: { GM_CODE: string };
  GOODSMVT_ITEM: Record<string, string>[];
  GOODSMVT_SERIALNUMBER?: { MATDOC_ITM: string; SERIALNO: string }[];
};

type ProdOrdConfCreateTt = {
  TIMETICKETS: { ORDERID: string; OPERATION: string; POSTG_DATE: string; YIELD: string; SCRAP: string; CONF_QUAN_UNIT?: string; FIN_CONF: string; CONF_TEXT: string }[];
};

type BatchSaveReplica = { MATERIAL: string; PLANT: string; BATCH: string; BATCHSTATUS: { RESTRICTED: string }; BATCHSTATUSX: { RESTRICTED: string } };

export type SapMessage = {
  messageId: string;
  orderingKey: string;
  type: string;
  plant: string;
  occurredAt: string;
  BAPI_GOODSMVT_CREATE?: GoodsMovementCreate;
  BAPI_PRODORDCONF_CREATE_TT?: ProdOrdConfCreateTt;
  BAPI_BATCH_SAVE_REPLICA?: BatchSaveReplica;
};

export type SapRequest = { source: string; format: typeof SAP_FORMAT; messages: SapMessage[] };

/** 2026-11-20 -> 20261120 (SAP's DATS). */
function sapDate(date: string): string {
  return date.replaceAll("-", "");
}

/** XBLNR (16 characters): the message id's first 16 letters and digits, upper case. */
export function sapReference(messageId: string): string {
  return messageId
    .replace(/[^0-9A-Za-z]/g, "")
    .slice(0, 16)
    .toUpperCase();
}

/** VORNR: four digits (operation 20 -> "0020"). */
function sapOperation(c: Confirmation, operation: number): string {
  if (operation > 9999) throw new ConfirmationNotMappable(c.messageId, c.type, `operation ${operation} does not fit SAP's four-digit operation number.`);
  return String(operation).padStart(4, "0");
}

/** Free text cut to an SAP text field's length (ITEM_TEXT 50, CONF_TEXT 40). Identifiers are never cut. */
function text(value: string, length: number): string {
  return value.length <= length ? value : `${value.slice(0, length - 1)}…`;
}

function header(c: Confirmation, postingDate: string): GoodsMovementCreate["GOODSMVT_HEADER"] {
  return { PSTNG_DATE: sapDate(postingDate), DOC_DATE: sapDate(postingDate), REF_DOC_NO: sapReference(c.messageId), HEADER_TXT: c.messageId };
}

function gmCode(c: Confirmation, movementType: string): string {
  const code = GM_CODE[movementType];
  if (!code) throw new ConfirmationNotMappable(c.messageId, c.type, `movement type ${movementType} has no SAP GM_CODE here.`);
  return code;
}

function goodsMovement(c: Confirmation, m: GoodsMovement): GoodsMovementCreate {
  const item: Record<string, string> = { MATERIAL: m.material, PLANT: c.plant };
  if (m.batch) item.BATCH = m.batch;
  item.MOVE_TYPE = m.movementType;
  item.ENTRY_QNT = m.quantity;
  item.ENTRY_UOM = m.uom;
  if (m.order) item.ORDERID = m.order;
  // the operation the component went into (261/262 to an order); a goods receipt for an order (101) carries MVT_IND F
  if (m.order && m.operation !== null && m.movementType !== "101") item.ACTIVITY = sapOperation(c, m.operation);
  if (m.movementType === "101") item.MVT_IND = "F";
  if (m.customer) item.CUSTOMER = m.customer;
  if (m.delivery) item.DELIV_NUMB = m.delivery;
  if (m.reason) item.ITEM_TEXT = text(m.reason, 50);
  return {
    GOODSMVT_HEADER: header(c, m.postingDate),
    GOODSMVT_CODE: { GM_CODE: gmCode(c, m.movementType) },
    GOODSMVT_ITEM: [item],
    ...(m.serial ? { GOODSMVT_SERIALNUMBER: [{ MATDOC_ITM: "0001", SERIALNO: m.serial }] } : {}),
  };
}

function operationConfirmation(c: Confirmation, o: OperationConfirmation): ProdOrdConfCreateTt {
  return {
    TIMETICKETS: [
      {
        ORDERID: o.order,
        OPERATION: sapOperation(c, o.operation),
        POSTG_DATE: sapDate(o.postingDate),
        YIELD: "1",
        SCRAP: "0",
        ...(o.uom ? { CONF_QUAN_UNIT: o.uom } : {}),
        FIN_CONF: o.finalConfirmation ? "X" : "",
        CONF_TEXT: text(`Unit ${o.unitSerial}`, 40),
      },
    ],
  };
}

/**
 * A lot's hold: the batch's status restricted (placed) or unrestricted (released). A serial's hold: its one piece moved
 * to blocked stock (344) or back (343).
 */
function holdStatus(c: Confirmation, h: HoldStatus): Pick<SapMessage, "BAPI_GOODSMVT_CREATE" | "BAPI_BATCH_SAVE_REPLICA"> {
  if (h.batch) {
    return { BAPI_BATCH_SAVE_REPLICA: { MATERIAL: h.material, PLANT: c.plant, BATCH: h.batch, BATCHSTATUS: { RESTRICTED: h.action === "placed" ? "X" : "" }, BATCHSTATUSX: { RESTRICTED: "X" } } };
  }
  if (!h.postingDate) throw new ConfirmationNotMappable(c.messageId, c.type, "payload.postingDate is required for a serial's hold: it is posted as a transfer to or from blocked stock.");
  const movementType = h.action === "placed" ? "344" : "343";
  return {
    BAPI_GOODSMVT_CREATE: {
      GOODSMVT_HEADER: header(c, h.postingDate),
      GOODSMVT_CODE: { GM_CODE: gmCode(c, movementType) },
      GOODSMVT_ITEM: [{ MATERIAL: h.material, PLANT: c.plant, MOVE_TYPE: movementType, ENTRY_QNT: "1", ITEM_TEXT: text(h.reason, 50) }],
      GOODSMVT_SERIALNUMBER: [{ MATDOC_ITM: "0001", SERIALNO: h.serial! }],
    },
  };
}

/** One confirmation in the SAP-style format. Throws ConfirmationNotMappable when its type or payload does not map. */
export function toSapMessage(c: Confirmation): SapMessage {
  const content = readConfirmation(c);
  const base: SapMessage = { messageId: c.messageId, orderingKey: c.orderingKey, type: c.type, plant: c.plant, occurredAt: c.occurredAt.toISOString() };
  switch (content.carries) {
    case "goods_movement":
      return {
        ...base,
        BAPI_GOODSMVT_CREATE: goodsMovement(c, content.movement),
        ...(content.confirmation ? { BAPI_PRODORDCONF_CREATE_TT: operationConfirmation(c, content.confirmation) } : {}),
      };
    case "operation_confirmation":
      return { ...base, BAPI_PRODORDCONF_CREATE_TT: operationConfirmation(c, content.confirmation) };
    case "hold_status":
      return { ...base, ...holdStatus(c, content.hold) };
  }
}

export function sapRequest(confirmations: readonly Confirmation[]): SapRequest {
  return { source: TRACELINE_SOURCE, format: SAP_FORMAT, messages: confirmations.map(toSapMessage) };
}

/** `{ "source": "TRACELINE", "format": "sap", "messages": [ ... ] }`: confirmations of one ordering key appear in order. */
export function encodeSapBatch(confirmations: readonly Confirmation[]): WireRequest {
  return { contentType: "application/json", body: JSON.stringify(sapRequest(confirmations)) };
}
