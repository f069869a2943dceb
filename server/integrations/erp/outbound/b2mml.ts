import { createHash } from "node:crypto";
import { XMLBuilder } from "fast-xml-parser";
import type { Confirmation } from "@/server/domain/erp/outbound";
import { B2MML_NAMESPACE } from "../b2mml";
import { readConfirmation, type ConfirmationType, type GoodsMovement, type HoldStatus, type HoldTargetType, type LotExpiry, type LotMix, type OperationConfirmation, type StockCorrection } from "./confirmation-types";
import { TRACELINE_SOURCE, type WireRequest } from "./wire";

/*
 * Confirmations as ISA-95 B2MML V0700 (MESA International): one SyncOperationsPerformance BOD per request, one
 * OperationsResponse per confirmation (ID = message id), each with one SegmentResponse and its MaterialActual
 * (docs/erp-interface.md, "Confirmations (outbound)", "B2MML"). Element names and order follow
 * B2MML-OperationsPerformance.xsd and B2MML-OperationsPerformanceTypes.xsd; the tests validate every document against
 * the schemas in ../b2mml-v0700/. The XML is built by fast-xml-parser's XMLBuilder, which escapes every value.
 *
 * The Business To Manufacturing Markup Language (B2MML) is used courtesy of MESA International.
 */

export const B2MML_FORMAT = "b2mml";
export const B2MML_RELEASE = "7.0";

type MaterialUse = { use: "Consumed" | "Produced" | "Other"; other?: string };
type TypeMapping = { operationsType: "Production" | "Inventory" | "Quality"; materialUse: MaterialUse | null; negative: boolean };

/**
 * Each confirmation type, explicitly. V0700's MaterialUse has Consumed and Produced but no scrap, reversal, return or
 * shipment: those are `Other` with the meaning in `OtherValue` (the schema's way to extend its code lists), and a
 * reversal is a negative consumption (it cancels the 261 it reverses when an order's actuals are summed).
 */
const TYPES: Record<ConfirmationType, TypeMapping> = {
  consumption: { operationsType: "Production", materialUse: { use: "Consumed" }, negative: false },
  reversal: { operationsType: "Production", materialUse: { use: "Consumed" }, negative: true },
  scrap: { operationsType: "Production", materialUse: { use: "Other", other: "Scrapped" }, negative: false },
  completion: { operationsType: "Production", materialUse: { use: "Produced" }, negative: false },
  confirmation: { operationsType: "Production", materialUse: null, negative: false },
  return: { operationsType: "Inventory", materialUse: { use: "Other", other: "Returned" }, negative: false },
  shipment: { operationsType: "Inventory", materialUse: { use: "Other", other: "Shipped" }, negative: false },
  stock_transfer: { operationsType: "Inventory", materialUse: { use: "Other", other: "Transferred" }, negative: false },
  hold_status: { operationsType: "Quality", materialUse: null, negative: false },
  stock_correction: { operationsType: "Inventory", materialUse: { use: "Other", other: "Correction requested" }, negative: false },
  lot_expiry: { operationsType: "Quality", materialUse: null, negative: false },
  // each input Consumed, the child lot Produced (one MaterialActual each)
  lot_mix: { operationsType: "Production", materialUse: null, negative: false },
};

/** XML 1.0 cannot carry most control characters, even escaped: they become U+FFFD. */
const NOT_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const x = (value: string): string => value.replace(NOT_XML, "\uFFFD");

type Node = Record<string, unknown>;

const value = (v: string, uom?: string): Node => ({ ValueString: x(v), ...(uom ? { UnitOfMeasure: x(uom) } : {}) });
const data = (id: string, v: string, uom?: string): Node => ({ ID: id, Value: value(v, uom) });
const property = (id: string, v: string): Node => ({ ID: id, Value: value(v) });

type MaterialItem = { material: string | null; revision: string | null; batch: string | null; serial: string | null };

function materialActual(id: string, item: MaterialItem, use: MaterialUse | null, quantity: { value: string; uom: string } | null, properties: Node[]): Node {
  return {
    ID: x(id),
    ...(item.material ? { MaterialDefinitionID: x(item.material) } : {}),
    ...(item.batch ? { MaterialLotID: x(item.batch) } : {}),
    ...(item.serial ? { MaterialSubLotID: x(item.serial) } : {}),
    ...(use ? { MaterialUse: use.other ? { "#text": use.use, "@_OtherValue": use.other } : use.use } : {}),
    ...(quantity ? { Quantity: { QuantityString: x(quantity.value), UnitOfMeasure: x(quantity.uom) } } : {}),
    MaterialActualProperty: [...(item.revision ? [property("Revision", item.revision)] : []), ...properties],
  };
}

type Segment = {
  id: string;
  description: string | null;
  postingDate: string | null;
  order: string | null;
  operation: number | null;
  state: "Completed" | "Held" | "Aborted" | null;
  data: Node[];
  /** one MaterialActual, or several (a mix: its inputs and its child lot) */
  material: Node | Node[] | null;
};

/** Properties of a goods movement beyond the item: each only when the floor recorded it. */
function movementProperties(m: GoodsMovement): Node[] {
  const out = [property("MovementType", m.movementType)];
  if (m.stockType) out.push(property("StockType", m.stockType));
  for (const reason of m.holdReasons) out.push(property("HoldReason", reason));
  if (m.fromLocation) out.push(property("FromLocation", m.fromLocation));
  if (m.builtOnOrder) out.push(property("BuiltOnOrder", m.builtOnOrder));
  if (m.shipTo) out.push(property("ShipTo", m.shipTo));
  if (m.deliveryNote) out.push(property("DeliveryNote", m.deliveryNote));
  if (m.transfer) out.push(property("Transfer", m.transfer));
  if (m.issuingPlant) out.push(property("IssuingPlant", m.issuingPlant));
  if (m.receivingPlant) out.push(property("ReceivingPlant", m.receivingPlant));
  return out;
}

function movementSegment(c: Confirmation, m: GoodsMovement, confirmation: OperationConfirmation | null, mapping: TypeMapping): Segment {
  const quantity = { value: mapping.negative ? `-${m.quantity}` : m.quantity, uom: m.uom };
  return {
    id: m.operation !== null ? String(m.operation) : c.type,
    description: m.reason,
    postingDate: m.postingDate,
    order: m.order,
    operation: m.operation,
    state: confirmation ? "Completed" : null,
    data: confirmation ? confirmationData(confirmation) : [],
    material: materialActual(m.reference, m, mapping.materialUse, quantity, movementProperties(m)),
  };
}

const isZero = (v: string) => /^0+(\.0+)?$/.test(v);

function confirmationData(o: OperationConfirmation): Node[] {
  return [data("UnitSerial", o.unitSerial), data("Yield", o.yield, o.uom ?? undefined), data("Scrap", o.scrap, o.uom ?? undefined), data("FinalConfirmation", o.finalConfirmation ? "true" : "false")];
}

/**
 * An operation confirmed: Completed with its yield; a unit scrapped in work: Aborted with scrap 1, the reason, and the
 * unit as a MaterialActual `Other`/`Scrapped` (no quantity: it was never received, so nothing is booked out of stock).
 */
function confirmationSegment(c: Confirmation, o: OperationConfirmation): Segment {
  const scrapped = isZero(o.yield) && !isZero(o.scrap);
  const unit = o.material ? materialActual(o.reference ?? o.unitSerial, { material: o.material, revision: o.revision, batch: null, serial: o.unitSerial }, { use: "Other", other: "Scrapped" }, null, []) : null;
  return {
    id: String(o.operation),
    description: o.reason,
    postingDate: o.postingDate,
    order: o.order,
    operation: o.operation,
    state: scrapped ? "Aborted" : "Completed",
    data: confirmationData(o),
    material: unit,
  };
}

/** What a hold on a manufacturer or supplier applies to: all material of that manufacturer or from that supplier. */
const HOLD_TARGET_PROPERTY: Partial<Record<HoldTargetType, string>> = { manufacturer: "ManufacturerID", supplier: "SupplierID" };

function holdSegment(c: Confirmation, h: HoldStatus): Segment {
  const targetProperty = HOLD_TARGET_PROPERTY[h.target.type];
  return {
    id: "hold",
    description: h.reason,
    postingDate: h.postingDate,
    order: null,
    operation: null,
    state: h.action === "placed" ? "Held" : "Completed",
    data: [
      data("HoldID", h.holdId),
      data("HoldAction", h.action),
      data("HoldTargetType", h.target.type),
      data("HoldTarget", h.target.key),
      ...(h.holdReason ? [data("HoldReason", h.holdReason)] : []),
    ],
    material: materialActual(h.holdId, h, { use: "Other", other: h.action === "placed" ? "Hold placed" : "Hold released" }, null, targetProperty ? [property(targetProperty, h.target.key)] : []),
  };
}

/** A lot's shelf life extended after a re-test: the lot's new expiry (and the one before), the test report, why. */
function lotExpirySegment(e: LotExpiry): Segment {
  return {
    id: "shelf-life-extension",
    description: e.reason,
    postingDate: e.postingDate,
    order: null,
    operation: null,
    state: "Completed",
    data: [data("PreviousExpiry", e.previousExpiry), data("Expiry", e.expiry), data("TestReference", e.testReference)],
    material: materialActual(e.batch, { material: e.material, revision: e.revision, batch: e.batch, serial: null }, { use: "Other", other: "Shelf life extended" }, null, [property("ExpiryDate", e.expiry)]),
  };
}

/**
 * Lots mixed into a child lot, as a completion's material is reported: each input lot a MaterialActual `Consumed` (from
 * the Traceline location it left), the child lot one `Produced` (with its expiry); the MaterialActual IDs are the lots,
 * the movement id is the segment's `Reference`.
 */
function lotMixSegment(m: LotMix): Segment {
  const p = m.produced;
  return {
    id: "mix",
    description: m.reason,
    postingDate: m.postingDate,
    order: null,
    operation: null,
    state: "Completed",
    data: [data("Reference", m.reference)],
    material: [
      ...m.consumed.map((i) =>
        materialActual(i.batch, { material: i.material, revision: i.revision, batch: i.batch, serial: null }, { use: "Consumed" }, { value: i.quantity, uom: i.uom }, [
          property("MovementType", i.movementType),
          property("FromLocation", i.fromLocation),
        ]),
      ),
      materialActual(p.batch, { material: p.material, revision: p.revision, batch: p.batch, serial: null }, { use: "Produced" }, { value: p.quantity, uom: p.uom }, [
        property("MovementType", p.movementType),
        property("ToLocation", p.toLocation),
        ...(p.expiry ? [property("ExpiryDate", p.expiry)] : []),
        ...(p.expiresAt ? [property("ExpiresAt", p.expiresAt)] : []),
      ]),
    ],
  };
}

/** Reconciliation's request that ERP correct its figure: the item, both quantities (ERP's in the material), why. */
function correctionSegment(k: StockCorrection, mapping: TypeMapping): Segment {
  return {
    id: "stock-correction",
    description: k.reason,
    postingDate: k.postingDate,
    order: null,
    operation: null,
    state: null,
    data: [
      data("ExceptionID", k.exception),
      data("Category", k.category),
      data("ErpQuantity", k.erpQuantity, k.erpUnit ?? k.uom),
      data("TracelineQuantity", k.tracelineQuantity, k.uom),
      ...(k.snapshot ? [data("Snapshot", k.snapshot)] : []),
    ],
    material: materialActual(k.exception, k, mapping.materialUse, null, [
      ...(k.location ? [property("Location", k.location)] : []),
      ...(k.erpRevision ? [property("ErpRevision", k.erpRevision)] : []),
      ...(k.erpUnit ? [property("ErpUnit", k.erpUnit)] : []),
    ]),
  };
}

/** One confirmation as an OperationsResponse. Throws ConfirmationNotMappable when its type or payload does not map. */
function operationsResponse(c: Confirmation): Node {
  const content = readConfirmation(c);
  const mapping = TYPES[c.type as ConfirmationType];
  const segment =
    content.carries === "goods_movement"
      ? movementSegment(c, content.movement, content.confirmation, mapping)
      : content.carries === "operation_confirmation"
        ? confirmationSegment(c, content.confirmation)
        : content.carries === "stock_correction"
          ? correctionSegment(content.correction, mapping)
          : content.carries === "lot_expiry"
            ? lotExpirySegment(content.expiry)
            : content.carries === "lot_mix"
              ? lotMixSegment(content.mix)
              : holdSegment(c, content.hold);
  const at = c.occurredAt.toISOString();
  return {
    ID: x(c.messageId),
    EndTime: at,
    HierarchyScope: { EquipmentID: x(c.plant), EquipmentLevel: "Site" },
    OperationsType: mapping.operationsType,
    ...(segment.order ? { OperationsRequestID: x(segment.order) } : {}),
    SegmentResponse: {
      ID: x(segment.id),
      ...(segment.description ? { Description: x(segment.description) } : {}),
      // the plant's calendar date, without a zone: xsd:dateTime at midnight local to the plant
      ...(segment.postingDate ? { PostingDate: `${segment.postingDate}T00:00:00` } : {}),
      ActualEndTime: at,
      ...(segment.operation !== null ? { OperationsSegmentID: String(segment.operation) } : {}),
      ...(segment.state ? { SegmentState: segment.state } : {}),
      SegmentData: [data("OrderingKey", c.orderingKey), data("ConfirmationType", c.type), ...segment.data],
      ...(segment.material ? { MaterialActual: segment.material } : {}),
    },
  };
}

/** The document's id: the same confirmations in the same order always give the same id (a resend is recognisable). */
function documentId(confirmations: readonly Confirmation[]): string {
  return `${TRACELINE_SOURCE}-${createHash("sha256")
    .update(confirmations.map((c) => c.messageId).join("\n"))
    .digest("hex")
    .slice(0, 32)
    .toUpperCase()}`;
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_", suppressEmptyNode: true });
const DECLARATION = { "@_version": "1.0", "@_encoding": "UTF-8" };

/**
 * An element indented for people (the documentation's examples): an element whose XML fits on its line stays on one
 * line, others are opened, their children indented by two, and closed. Every piece is the builder's output, so every
 * value is escaped as on the wire; without the line breaks and indentation the text is the wire's.
 */
function indented(name: string, node: unknown, indent: number, width = 118): string {
  const pad = " ".repeat(indent);
  const flat = builder.build({ [name]: node }) as string;
  const children = node && typeof node === "object" ? Object.entries(node as Node).filter(([k]) => !k.startsWith("@_") && k !== "#text") : [];
  if (children.length === 0 || indent + flat.length <= width) return pad + flat;
  const lines = children.flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((item) => indented(k, item, indent + 2, width)));
  return [pad + flat.slice(0, flat.indexOf(">") + 1), ...lines, `${pad}</${name}>`].join("\n");
}

function render(name: string, node: Node, o: { pretty?: boolean; declaration: boolean }): string {
  if (!o.pretty) return `${builder.build({ ...(o.declaration ? { "?xml": DECLARATION } : {}), [name]: node }) as string}\n`;
  return `${o.declaration ? `${builder.build({ "?xml": DECLARATION }) as string}\n` : ""}${indented(name, node, 0)}\n`;
}

/**
 * A SyncOperationsPerformance BOD with one OperationsResponse per confirmation, in order. Its CreationDateTime is the
 * newest confirmation's time, so the same confirmations always give the same document.
 */
export function b2mmlDocument(confirmations: readonly Confirmation[], o: { pretty?: boolean } = {}): string {
  if (confirmations.length === 0) throw new Error("A B2MML OperationsPerformance needs at least one confirmation.");
  const responses = confirmations.map(operationsResponse);
  const id = documentId(confirmations);
  const created = new Date(Math.max(...confirmations.map((c) => c.occurredAt.getTime()))).toISOString();
  const bod = {
    "@_xmlns": B2MML_NAMESPACE,
    "@_releaseID": B2MML_RELEASE,
    ApplicationArea: { Sender: { LogicalID: TRACELINE_SOURCE }, CreationDateTime: created, BODID: id },
    DataArea: {
      Sync: "",
      OperationsPerformance: { ID: id, PublishedDate: created, OperationsResponse: responses },
    },
  };
  return render("SyncOperationsPerformance", bod, { pretty: o.pretty, declaration: true });
}

export function encodeB2mmlBatch(confirmations: readonly Confirmation[]): WireRequest {
  return { contentType: "application/xml", body: b2mmlDocument(confirmations) };
}

/**
 * One confirmation as a standalone OperationsResponse element (a global element of the B2MML namespace, so it is a
 * valid document by itself): the per-type examples of docs/erp-interface.md.
 */
export function b2mmlOperationsResponse(c: Confirmation, o: { pretty?: boolean } = {}): string {
  return render("OperationsResponse", { "@_xmlns": B2MML_NAMESPACE, ...operationsResponse(c) }, { pretty: o.pretty, declaration: false });
}
