import type { Confirmation } from "@/server/domain/erp/outbound";
import { ConfirmationNotMappable, readConfirmation, type GoodsMovement, type HoldStatus, type LotExpiry, type LotMix, type OperationConfirmation } from "./confirmation-types";
import { TRACELINE_SOURCE, type WireRequest } from "./wire";

/*
 * The SAP-style format: each confirmation as the parameters of the BAPIs an SAP integration calls with it
 * (docs/erp-interface.md, "Confirmations (outbound)", "SAP-style"): goods movements as BAPI_GOODSMVT_CREATE, operation
 * confirmations as BAPI_PRODORDCONF_CREATE_TT, a lot's hold as BAPI_BATCH_SAVE_REPLICA's batch status, a serial's as a
 * transfer to or from blocked stock, a hold on a part revision, manufacturer or supplier as a QUALITY_BLOCK (the
 * material's plant status or the vendor's quality block). Field names and codes are SAP's; values are Traceline's
 * (quantities stay decimal strings, dates are YYYYMMDD of the plant's posting date). What the floor recorded that no
 * BAPI parameter carries as it is (the part revision, Traceline's movement id, a shipment's ship-to and delivery note, a
 * hold's id and target, a reason longer than SAP's text field) travels beside them in TRACELINE, under the payload's own
 * names, so nothing is dropped on the way. Middleware (SAP PI/PO, CPI, an iPaaS) calls the BAPIs and adds what only SAP
 * knows (storage locations, cost centers, reason codes).
 */

export const SAP_FORMAT = "sap";

/**
 * GOODSMVT_CODE per movement type: 02 goods receipt for a production order, 03 goods issue, 04 transfer posting, 05
 * other goods receipts.
 */
const GM_CODE: Record<string, string> = {
  "101": "02",
  "201": "03",
  "501": "05",
  "261": "03",
  "262": "03",
  "551": "03",
  "601": "03",
  "311": "04",
  "303": "04",
  "305": "04",
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

/** A batch's master data: its status (a hold) or its shelf-life expiry date (an extension after a re-test). */
type BatchSaveReplica = {
  MATERIAL: string;
  PLANT: string;
  BATCH: string;
  BATCHSTATUS?: { RESTRICTED: string };
  BATCHSTATUSX?: { RESTRICTED: string };
  BATCHATTRIBUTES?: { EXPIRYDATE: string };
  BATCHATTRIBUTESX?: { EXPIRYDATE: string };
};

/**
 * A hold on a part revision, a manufacturer or a supplier: what SAP blocks for quality, in this plant. MATERIAL (with
 * its revision level REVLV): the material's plant-specific status; MANUFACTURER (MFRNR, a manufacturer's vendor account)
 * and VENDOR: the vendor's quality block or its quality info records (docs/erp-interface.md says where each goes).
 */
type QualityBlock = {
  OBJECT: "MATERIAL" | "MANUFACTURER" | "VENDOR";
  PLANT: string;
  MATERIAL?: string;
  REVLV?: string;
  MFRNR?: string;
  VENDOR?: string;
  /** X: blocked (hold placed); empty: unblocked (hold released) */
  BLOCKED: string;
  /** the blocking reason, cut to SAP's 40 characters (QINF-SPERRGRUND), when blocked; the whole reason is in TRACELINE */
  SPERRGRUND?: string;
};

/** What the floor recorded that the BAPI parameters do not carry as it is, under the payload's names. */
export type TracelineFacts = Record<string, unknown>;

export type SapMessage = {
  messageId: string;
  orderingKey: string;
  type: string;
  plant: string;
  occurredAt: string;
  BAPI_GOODSMVT_CREATE?: GoodsMovementCreate;
  /**
   * A mix: the child lot's receipt without a purchase order (501, GM_CODE 05), a second BAPI_GOODSMVT_CREATE after the
   * inputs' issues in BAPI_GOODSMVT_CREATE (a material document has one GM_CODE), in the same LUW.
   */
  BAPI_GOODSMVT_CREATE_RECEIPT?: GoodsMovementCreate;
  BAPI_PRODORDCONF_CREATE_TT?: ProdOrdConfCreateTt;
  BAPI_BATCH_SAVE_REPLICA?: BatchSaveReplica;
  QUALITY_BLOCK?: QualityBlock;
  /** Reconciliation: ERP is asked to correct its stock figure (no BAPI books it for ERP; a person there decides). */
  INVENTORY_CORRECTION_REQUEST?: Record<string, string>;
  TRACELINE?: TracelineFacts;
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

/** The fields of `facts` that have a value (null, undefined and empty lists are left out). */
function present(facts: Record<string, unknown>): TracelineFacts {
  return Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0)));
}

function header(c: Confirmation, postingDate: string): GoodsMovementCreate["GOODSMVT_HEADER"] {
  return { PSTNG_DATE: sapDate(postingDate), DOC_DATE: sapDate(postingDate), REF_DOC_NO: sapReference(c.messageId), HEADER_TXT: c.messageId };
}

function gmCode(c: Confirmation, movementType: string): string {
  const code = GM_CODE[movementType];
  if (!code) throw new ConfirmationNotMappable(c.messageId, c.type, `movement type ${movementType} has no SAP GM_CODE here.`);
  return code;
}

const ITEM_TEXT = 50;

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
  // a stock transfer issued to another plant (303) names the receiving plant; the receipt (305) is posted in it
  if (m.movementType === "303" && m.receivingPlant) item.MOVE_PLANT = m.receivingPlant;
  if (m.reason) item.ITEM_TEXT = text(m.reason, ITEM_TEXT);
  const items = [item];
  // held material returns as blocked stock: in the same material document, from unrestricted to blocked (344) where it
  // arrives; the holds' reasons as its text
  if (m.stockType === "blocked") {
    const { MATERIAL, PLANT, BATCH, ENTRY_QNT, ENTRY_UOM } = item;
    items.push({ MATERIAL: MATERIAL!, PLANT: PLANT!, ...(BATCH ? { BATCH } : {}), MOVE_TYPE: "344", ENTRY_QNT: ENTRY_QNT!, ENTRY_UOM: ENTRY_UOM!, ITEM_TEXT: text(`Held: ${m.holdReasons.join("; ")}`, ITEM_TEXT) });
  }
  const serials = m.serial ? items.map((_, i) => ({ MATDOC_ITM: String(i + 1).padStart(4, "0"), SERIALNO: m.serial! })) : [];
  return {
    GOODSMVT_HEADER: header(c, m.postingDate),
    GOODSMVT_CODE: { GM_CODE: gmCode(c, m.movementType) },
    GOODSMVT_ITEM: items,
    ...(serials.length > 0 ? { GOODSMVT_SERIALNUMBER: serials } : {}),
  };
}

function movementFacts(m: GoodsMovement): TracelineFacts {
  return present({
    revision: m.revision,
    reference: m.reference,
    reason: m.reason && m.reason.length > ITEM_TEXT ? m.reason : null,
    // the operation a removed component had been installed at, when the movement is not to the order (ACTIVITY)
    operation: m.order ? null : m.operation,
    fromLocation: m.fromLocation,
    builtOnOrder: m.builtOnOrder,
    stockType: m.stockType,
    holdReasons: m.holdReasons,
    shipTo: m.shipTo,
    deliveryNote: m.deliveryNote,
    transfer: m.transfer,
    issuingPlant: m.issuingPlant,
    receivingPlant: m.receivingPlant,
  });
}

const CONF_TEXT = 40;
const SPERRGRUND = 40;

function operationConfirmation(c: Confirmation, o: OperationConfirmation): ProdOrdConfCreateTt {
  const scrapped = !/^0+(\.0+)?$/.test(o.scrap);
  return {
    TIMETICKETS: [
      {
        ORDERID: o.order,
        OPERATION: sapOperation(c, o.operation),
        POSTG_DATE: sapDate(o.postingDate),
        YIELD: o.yield,
        SCRAP: o.scrap,
        ...(o.uom ? { CONF_QUAN_UNIT: o.uom } : {}),
        FIN_CONF: o.finalConfirmation ? "X" : "",
        CONF_TEXT: text(`Unit ${o.unitSerial}${scrapped ? ` scrapped: ${o.reason ?? ""}` : ""}`, CONF_TEXT),
      },
    ],
  };
}

function confirmationFacts(o: OperationConfirmation): TracelineFacts {
  return present({ unitSerial: o.unitSerial, material: o.material, revision: o.revision, reason: o.reason, reference: o.reference });
}

/**
 * A hold, by what it targets. A lot: the batch's status restricted (placed) or unrestricted (released). A serial: its one
 * piece moved to blocked stock (344) or back (343). A part revision, manufacturer or supplier: a QUALITY_BLOCK.
 */
function holdStatus(c: Confirmation, h: HoldStatus): Pick<SapMessage, "BAPI_GOODSMVT_CREATE" | "BAPI_BATCH_SAVE_REPLICA" | "QUALITY_BLOCK"> {
  const placed = h.action === "placed";
  switch (h.target.type) {
    case "lot":
      return { BAPI_BATCH_SAVE_REPLICA: { MATERIAL: h.material!, PLANT: c.plant, BATCH: h.batch!, BATCHSTATUS: { RESTRICTED: placed ? "X" : "" }, BATCHSTATUSX: { RESTRICTED: "X" } } };
    case "serial": {
      const movementType = placed ? "344" : "343";
      return {
        BAPI_GOODSMVT_CREATE: {
          GOODSMVT_HEADER: header(c, h.postingDate),
          GOODSMVT_CODE: { GM_CODE: gmCode(c, movementType) },
          GOODSMVT_ITEM: [{ MATERIAL: h.material!, PLANT: c.plant, MOVE_TYPE: movementType, ENTRY_QNT: "1", ITEM_TEXT: text(h.reason, ITEM_TEXT) }],
          GOODSMVT_SERIALNUMBER: [{ MATDOC_ITM: "0001", SERIALNO: h.serial! }],
        },
      };
    }
    case "part_revision":
      return { QUALITY_BLOCK: { OBJECT: "MATERIAL", PLANT: c.plant, MATERIAL: h.material!, REVLV: h.revision!, ...block(h) } };
    case "manufacturer":
      return { QUALITY_BLOCK: { OBJECT: "MANUFACTURER", PLANT: c.plant, MFRNR: h.target.key, ...block(h) } };
    case "supplier":
      return { QUALITY_BLOCK: { OBJECT: "VENDOR", PLANT: c.plant, VENDOR: h.target.key, ...block(h) } };
  }
}

function block(h: HoldStatus): Pick<QualityBlock, "BLOCKED" | "SPERRGRUND"> {
  return h.action === "placed" ? { BLOCKED: "X", SPERRGRUND: text(h.reason, SPERRGRUND) } : { BLOCKED: "" };
}

function holdFacts(h: HoldStatus): TracelineFacts {
  // the posting date of a serial's hold is the material document's; a batch status or a quality block has none
  const postingDate = h.target.type === "serial" ? null : h.postingDate;
  return present({ action: h.action, holdId: h.holdId, target: h.target, revision: h.revision, reason: h.reason, holdReason: h.holdReason, postingDate });
}

/** A lot's shelf life extended: the batch's expiry date (SLED/BBD) set; the test reference and reason beside it. */
function lotExpiry(c: Confirmation, e: LotExpiry): Pick<SapMessage, "BAPI_BATCH_SAVE_REPLICA" | "TRACELINE"> {
  return {
    BAPI_BATCH_SAVE_REPLICA: { MATERIAL: e.material, PLANT: c.plant, BATCH: e.batch, BATCHATTRIBUTES: { EXPIRYDATE: sapDate(e.expiry) }, BATCHATTRIBUTESX: { EXPIRYDATE: "X" } },
    TRACELINE: present({ revision: e.revision, previousExpiry: e.previousExpiry, reason: e.reason, testReference: e.testReference, postingDate: e.postingDate }),
  };
}

/**
 * Lots mixed into a child lot: the inputs issued without an order (201; the cost center, the site's mixing cost center,
 * is middleware's like a scrap's) in one material document, the child lot received without a purchase order (501) with
 * its shelf-life expiration date in a second one. Both carry the message id (HEADER_TXT) and the same REF_DOC_NO.
 */
function lotMix(c: Confirmation, m: LotMix): Pick<SapMessage, "BAPI_GOODSMVT_CREATE" | "BAPI_GOODSMVT_CREATE_RECEIPT" | "TRACELINE"> {
  const itemText = text(m.reason, ITEM_TEXT);
  const p = m.produced;
  return {
    BAPI_GOODSMVT_CREATE: {
      GOODSMVT_HEADER: header(c, m.postingDate),
      GOODSMVT_CODE: { GM_CODE: gmCode(c, "201") },
      GOODSMVT_ITEM: m.consumed.map((i) => ({ MATERIAL: i.material, PLANT: c.plant, BATCH: i.batch, MOVE_TYPE: i.movementType, ENTRY_QNT: i.quantity, ENTRY_UOM: i.uom, ITEM_TEXT: itemText })),
    },
    BAPI_GOODSMVT_CREATE_RECEIPT: {
      GOODSMVT_HEADER: header(c, m.postingDate),
      GOODSMVT_CODE: { GM_CODE: gmCode(c, "501") },
      GOODSMVT_ITEM: [
        {
          MATERIAL: p.material,
          PLANT: c.plant,
          BATCH: p.batch,
          MOVE_TYPE: p.movementType,
          ENTRY_QNT: p.quantity,
          ENTRY_UOM: p.uom,
          PROD_DATE: sapDate(m.postingDate),
          ...(p.expiry ? { EXPIRYDATE: sapDate(p.expiry) } : {}),
          ITEM_TEXT: itemText,
        },
      ],
    },
    TRACELINE: present({
      revision: p.revision,
      reference: m.reference,
      reason: m.reason.length > ITEM_TEXT ? m.reason : null,
      expiresAt: p.expiresAt,
      toLocation: p.toLocation,
      inputs: m.consumed.map((i) => ({ material: i.material, revision: i.revision, batch: i.batch, fromLocation: i.fromLocation })),
    }),
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
        TRACELINE: movementFacts(content.movement),
      };
    case "operation_confirmation":
      return { ...base, BAPI_PRODORDCONF_CREATE_TT: operationConfirmation(c, content.confirmation), TRACELINE: confirmationFacts(content.confirmation) };
    case "hold_status":
      return { ...base, ...holdStatus(c, content.hold), TRACELINE: holdFacts(content.hold) };
    case "lot_expiry":
      return { ...base, ...lotExpiry(c, content.expiry) };
    case "lot_mix":
      return { ...base, ...lotMix(c, content.mix) };
    case "stock_correction": {
      const k = content.correction;
      return {
        ...base,
        INVENTORY_CORRECTION_REQUEST: present({
          PLANT: c.plant,
          MATERIAL: k.material,
          BATCH: k.batch,
          SERIALNO: k.serial,
          STGE_LOC: k.location,
          ENTRY_UOM: k.uom,
          ERP_QNT: k.erpQuantity,
          MES_QNT: k.tracelineQuantity,
          TEXT: text(k.reason, ITEM_TEXT),
        }) as Record<string, string>,
        TRACELINE: present({ exception: k.exception, category: k.category, revision: k.revision, erpRevision: k.erpRevision, erpUnit: k.erpUnit, snapshot: k.snapshot, reason: k.reason, postingDate: k.postingDate }),
      };
    }
  }
}

export function sapRequest(confirmations: readonly Confirmation[]): SapRequest {
  return { source: TRACELINE_SOURCE, format: SAP_FORMAT, messages: confirmations.map(toSapMessage) };
}

/** `{ "source": "TRACELINE", "format": "sap", "messages": [ ... ] }`: confirmations of one ordering key appear in order. */
export function encodeSapBatch(confirmations: readonly Confirmation[]): WireRequest {
  return { contentType: "application/json", body: JSON.stringify(sapRequest(confirmations)) };
}
