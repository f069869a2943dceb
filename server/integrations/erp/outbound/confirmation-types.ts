import type { Confirmation } from "@/server/domain/erp/outbound";
import type { GoodsMovementPayload, HoldStatusPayload } from "@/server/domain/station/station-rules";

/*
 * What each confirmation type carries, read from the outbox payload exactly as the floor writes it
 * (GoodsMovementPayload, OrderConfirmationPayload and HoldStatusPayload of server/domain/station/station-rules.ts,
 * written by the station, kitting, production and quality services). Every type is mapped here explicitly, with the
 * movement types it may carry; the SAP and B2MML encoders work from what this reads, never from the raw payload. A type
 * that is not listed, or a payload that lacks what its type needs, throws ConfirmationNotMappable: it is never sent
 * half-mapped. (Traceline's own JSON format sends the payload as it is and needs none of this.)
 *
 * Every field a producer writes is read here, including those no rule needs (`plant`: the envelope's plant is the
 * site's ERP plant at delivery); `unreadFields` lists what a payload carries beyond that, and the test that runs the
 * real producers (server/services/erp/confirmation-formats.producers.int.test.ts) fails on any, so a field added to a
 * payload is mapped (or knowingly left out) before it can be dropped on the way to an ERP.
 */

/** A confirmation that cannot be put into a wire format: an unknown type, or a payload without what its type needs. */
export class ConfirmationNotMappable extends Error {
  constructor(
    readonly messageId: string,
    readonly type: string,
    readonly reason: string,
  ) {
    super(`Confirmation ${messageId} of type "${type}" cannot be encoded: ${reason}`);
    this.name = "ConfirmationNotMappable";
  }
}

export type StockType = NonNullable<GoodsMovementPayload["stockType"]>;

/** A goods movement as the floor recorded it. Quantities are positive decimal strings: the movement type says which way. */
export type GoodsMovement = {
  movementType: string;
  order: string | null;
  material: string;
  revision: string;
  batch: string | null;
  serial: string | null;
  quantity: string;
  uom: string;
  /** The plant's calendar date of the movement, YYYY-MM-DD. */
  postingDate: string;
  /** Traceline's movement id. */
  reference: string;
  reason: string | null;
  operation: number | null;
  /** The production order a finished unit was built on (its shipment, or its scrap once completed). */
  builtOnOrder: string | null;
  /** Traceline's location the material left (a return, a shipment, a finished unit's scrap). */
  fromLocation: string | null;
  /** A return (311): the stock type it arrives in; blocked when a quality hold covers it, with the holds' reasons. */
  stockType: StockType | null;
  holdReasons: string[];
  /** A shipment (601): to whom, as written on the delivery, and the delivery note. */
  shipTo: string | null;
  deliveryNote: string | null;
  /** A stock transfer between plants (303 issued, 305 received): the transfer's number and both plants. */
  transfer: string | null;
  issuingPlant: string | null;
  receivingPlant: string | null;
};

/**
 * One unit's operation confirmed: yield 1 of the unit (final on its last operation), or, for a unit scrapped in work,
 * yield 0 and scrap 1 at the operation it stood at, with what was scrapped and why.
 */
export type OperationConfirmation = {
  order: string;
  operation: number;
  finalConfirmation: boolean;
  unitSerial: string;
  postingDate: string;
  /** Decimal strings; without them in the payload, yield 1 and scrap 0 (one unit through the operation). */
  yield: string;
  scrap: string;
  /** The finished part's unit of measure, when the confirmation travels with its goods receipt. */
  uom: string | null;
  /** A unit scrapped in work: its part and revision, the reason and Traceline's movement id of the scrap. */
  material: string | null;
  revision: string | null;
  reason: string | null;
  reference: string | null;
};

export type HoldTargetType = HoldStatusPayload["target"]["type"];

/**
 * A hold placed on, or released from, what it targets: a lot (material, revision, batch), a serial (material,
 * revision, serial), a part revision (material, revision: every lot and serial of it), a manufacturer or a supplier
 * (its code: no material).
 */
export type HoldStatus = {
  action: "placed" | "released";
  holdId: string;
  target: { type: HoldTargetType; key: string };
  material: string | null;
  revision: string | null;
  batch: string | null;
  serial: string | null;
  /** The hold's reason when placed; the release's reason when released (the hold's own reason is then `holdReason`). */
  reason: string;
  holdReason: string | null;
  postingDate: string;
};

/**
 * Reconciliation asks ERP to correct its figure of an item on the floor (server/services/reconciliation): which item
 * and where, ERP's and Traceline's quantities (ERP's revision or unit when those differ), the exception and why.
 */
export type StockCorrection = {
  exception: string;
  category: string;
  material: string;
  revision: string;
  batch: string | null;
  serial: string | null;
  location: string | null;
  uom: string;
  erpQuantity: string;
  tracelineQuantity: string;
  erpRevision: string | null;
  erpUnit: string | null;
  snapshot: string | null;
  reason: string;
  postingDate: string;
};

/** A lot's shelf life extended after a re-test: the batch's new expiry date (and the one before), why, the test report. */
export type LotExpiry = {
  material: string;
  revision: string;
  batch: string;
  previousExpiry: string;
  expiry: string;
  reason: string;
  testReference: string;
  postingDate: string;
};

/** An item of a mix: a lot of a part revision and how much of it. */
export type MixItem = { movementType: string; material: string; revision: string; batch: string; quantity: string; uom: string };

/**
 * Lots mixed (or opened) on the floor into a child lot: each input issued without an order (201) from the Traceline
 * location it left, the child lot received without a purchase order (501) with its expiry, in one Traceline movement.
 */
export type LotMix = {
  consumed: (MixItem & { fromLocation: string })[];
  produced: MixItem & { expiry: string | null; expiresAt: string | null; toLocation: string };
  postingDate: string;
  reference: string;
  reason: string;
};

export type ConfirmationContent =
  | { carries: "goods_movement"; movement: GoodsMovement; confirmation: OperationConfirmation | null }
  | { carries: "operation_confirmation"; confirmation: OperationConfirmation }
  | { carries: "hold_status"; hold: HoldStatus }
  | { carries: "stock_correction"; correction: StockCorrection }
  | { carries: "lot_expiry"; expiry: LotExpiry }
  | { carries: "lot_mix"; mix: LotMix };

type Shape = "goods_movement" | "goods_movement_with_confirmation" | "operation_confirmation" | "hold_status" | "stock_correction" | "lot_expiry" | "lot_mix";

/**
 * Every confirmation type the floor writes, what it carries and the movement types it may carry. Adding a type to the
 * floor means adding it here (server/integrations/erp/outbound/formats.test.ts fails until then).
 */
export const CONFIRMATION_TYPES = {
  /** component installed or backflushed: goods issue to the order */
  consumption: { shape: "goods_movement", movementTypes: ["261"] },
  /** component removed in rework: reversal of its goods issue */
  reversal: { shape: "goods_movement", movementTypes: ["262"] },
  /** material scrapped at the station, a removed component scrapped, or a completed unit scrapped as a whole */
  scrap: { shape: "goods_movement", movementTypes: ["551"] },
  /** unit finished: goods receipt from the order and the final confirmation of its last operation */
  completion: { shape: "goods_movement_with_confirmation", movementTypes: ["101"] },
  /** an intermediate operation of a unit confirmed (yield 1), or a unit scrapped in work (scrap 1): no goods movement */
  confirmation: { shape: "operation_confirmation", movementTypes: [] },
  /** material returned from the floor to ERP's warehouse: transfer posting, blocked stock when held */
  return: { shape: "goods_movement", movementTypes: ["311"] },
  /** finished unit shipped: goods issue for the delivery */
  shipment: { shape: "goods_movement", movementTypes: ["601"] },
  /** a site transfer: shipped from the issuing plant to stock in transit (303), received at the receiving plant (305) */
  stock_transfer: { shape: "goods_movement", movementTypes: ["303", "305"] },
  /** a hold placed on or released from a lot, serial, part revision, manufacturer or supplier (ownership registry `hold.status`) */
  hold_status: { shape: "hold_status", movementTypes: [] },
  /** reconciliation asks ERP to correct its stock figure of an item on the floor (an exception's resolution) */
  stock_correction: { shape: "stock_correction", movementTypes: [] },
  /** a lot's shelf life extended after a re-test, when the ownership registry gives lot expiry to ERP or sends it there */
  lot_expiry: { shape: "lot_expiry", movementTypes: [] },
  /** lots mixed or opened into a child lot: the inputs issued without an order (201), the child received without a purchase order (501) */
  lot_mix: { shape: "lot_mix", movementTypes: ["201", "501"] },
} as const satisfies Record<string, { shape: Shape; movementTypes: readonly string[] }>;

export type ConfirmationType = keyof typeof CONFIRMATION_TYPES;

export function isMappedType(type: string): type is ConfirmationType {
  return Object.hasOwn(CONFIRMATION_TYPES, type);
}

const DECIMAL = /^\d{1,12}(\.\d{1,6})?$/;
const ZERO = /^0+(\.0+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const MAX_MIX_INPUTS = 10;
const STOCK_TYPES: readonly StockType[] = ["unrestricted", "blocked"];
const HOLD_TARGETS: readonly HoldTargetType[] = ["lot", "serial", "part_revision", "manufacturer", "supplier"];

/** Reads the payload of one confirmation; every problem throws ConfirmationNotMappable naming the field. */
class Reader {
  constructor(
    private readonly c: Confirmation,
    private readonly obj: Record<string, unknown>,
    private readonly path: string,
    /** every field path looked at, present or not (shared by the readers of nested objects) */
    readonly seen: Set<string>,
  ) {}

  private get(field: string): unknown {
    this.seen.add(`${this.path}${field}`);
    return this.obj[field];
  }

  fail(field: string, reason: string): never {
    throw new ConfirmationNotMappable(this.c.messageId, this.c.type, `payload.${this.path}${field} ${reason}`);
  }

  string(field: string): string {
    const v = this.get(field);
    if (typeof v !== "string" || v.trim() === "") this.fail(field, `must be a non-empty string (got ${JSON.stringify(v) ?? "nothing"}).`);
    return v;
  }

  optionalString(field: string): string | null {
    const v = this.get(field);
    if (v === undefined || v === null) return null;
    if (typeof v !== "string") this.fail(field, `must be a string or null (got ${JSON.stringify(v)}).`);
    return v.trim() === "" ? null : v;
  }

  /** A field the type does not carry: absent or null. */
  absent(field: string, why: string): void {
    const v = this.get(field);
    if (v !== undefined && v !== null) this.fail(field, `is not expected ${why} (got ${JSON.stringify(v)}).`);
  }

  decimal(field: string): string {
    const v = this.string(field);
    if (!DECIMAL.test(v) || ZERO.test(v)) this.fail(field, `must be a positive decimal string such as "1.5" (got ${JSON.stringify(v)}).`);
    return v;
  }

  /** A decimal string that may be zero; `fallback` when absent. */
  optionalCount(field: string, fallback: string): string {
    if (this.get(field) === undefined || this.obj[field] === null) return fallback;
    const v = this.string(field);
    if (!DECIMAL.test(v)) this.fail(field, `must be a decimal string such as "1" or "0" (got ${JSON.stringify(v)}).`);
    return v;
  }

  date(field: string): string {
    const v = this.string(field);
    if (!DATE.test(v)) this.fail(field, `must be a date YYYY-MM-DD (got ${JSON.stringify(v)}).`);
    return v;
  }

  operation(field: string): number {
    const v = this.get(field);
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) this.fail(field, `must be a whole operation number of at least 1 (got ${JSON.stringify(v) ?? "nothing"}).`);
    return v;
  }

  optionalOperation(field: string): number | null {
    const v = this.get(field);
    return v === undefined || v === null ? null : this.operation(field);
  }

  boolean(field: string): boolean {
    const v = this.get(field);
    if (typeof v !== "boolean") this.fail(field, `must be true or false (got ${JSON.stringify(v) ?? "nothing"}).`);
    return v;
  }

  oneOf<T extends string>(field: string, allowed: readonly T[]): T {
    const v = this.string(field);
    if (!(allowed as readonly string[]).includes(v)) this.fail(field, `must be ${allowed.map((a) => JSON.stringify(a)).join(" or ")} (got ${JSON.stringify(v)}).`);
    return v as T;
  }

  optionalDate(field: string): string | null {
    return this.optionalString(field) === null ? null : this.date(field);
  }

  optionalInstant(field: string): string | null {
    const v = this.optionalString(field);
    if (v !== null && (!INSTANT.test(v) || Number.isNaN(Date.parse(v)))) this.fail(field, `must be an ISO 8601 instant in UTC such as "2026-11-28T13:30:00.000Z" (got ${JSON.stringify(v)}).`);
    return v;
  }

  /** A non-empty list of objects, each read by its own reader (its fields' paths are `<field>[].<name>`). */
  objects(field: string, max: number): Reader[] {
    const v = this.get(field);
    if (!Array.isArray(v) || v.length === 0 || v.length > max || v.some((o) => !o || typeof o !== "object" || Array.isArray(o))) {
      this.fail(field, `must be a list of 1 to ${max} objects (got ${JSON.stringify(v) ?? "nothing"}).`);
    }
    return (v as Record<string, unknown>[]).map((o) => new Reader(this.c, o, `${this.path}${field}[].`, this.seen));
  }

  optionalStrings(field: string): string[] {
    const v = this.get(field);
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((s) => typeof s !== "string" || s.trim() === "")) this.fail(field, `must be a list of non-empty strings (got ${JSON.stringify(v)}).`);
    return v as string[];
  }

  object(field: string): Reader {
    const v = this.get(field);
    if (!v || typeof v !== "object" || Array.isArray(v)) this.fail(field, "must be an object.");
    return new Reader(this.c, v as Record<string, unknown>, `${this.path}${field}.`, this.seen);
  }

  has(field: string): boolean {
    return this.obj[field] !== undefined && this.obj[field] !== null;
  }
}

function readMovement(c: Confirmation, p: Reader, allowed: readonly string[]): GoodsMovement {
  const movementType = p.string("movementType");
  if (!allowed.includes(movementType)) p.fail("movementType", `must be ${allowed.join(" or ")} for this type (got ${JSON.stringify(movementType)}).`);
  p.optionalString("plant");
  const batch = p.optionalString("batch");
  const serial = p.optionalString("serial");
  if (batch && serial) p.fail("serial", "and batch are both given: an item is a lot or a serial, not both.");
  const m: GoodsMovement = {
    movementType,
    order: p.optionalString("order"),
    material: p.string("material"),
    revision: p.string("revision"),
    batch,
    serial,
    quantity: p.decimal("quantity"),
    uom: p.string("uom"),
    postingDate: p.date("postingDate"),
    reference: p.string("reference"),
    reason: p.optionalString("reason"),
    operation: p.optionalOperation("operation"),
    builtOnOrder: p.optionalString("builtOnOrder"),
    fromLocation: p.optionalString("fromLocation"),
    stockType: null,
    holdReasons: [],
    shipTo: null,
    deliveryNote: null,
    transfer: null,
    issuingPlant: null,
    receivingPlant: null,
  };
  const type = c.type as ConfirmationType;
  if (type === "return") {
    m.stockType = p.oneOf("stockType", STOCK_TYPES);
    m.holdReasons = p.optionalStrings("holdReasons");
    if (m.stockType === "blocked" && m.holdReasons.length === 0) p.fail("holdReasons", "must name the holds' reasons when the stock type is blocked.");
    if (m.stockType === "unrestricted" && m.holdReasons.length > 0) p.fail("holdReasons", "are given, but the stock type is unrestricted.");
    if (!m.fromLocation) p.fail("fromLocation", "is required: a return names the Traceline location the material left.");
  } else {
    p.absent("stockType", `on a ${c.type} confirmation`);
    p.absent("holdReasons", `on a ${c.type} confirmation`);
  }
  if (type === "shipment") {
    m.shipTo = p.string("shipTo");
    m.deliveryNote = p.string("deliveryNote");
    if (!m.serial) p.fail("serial", "is required: a shipment ships a finished unit's serial.");
    if (!m.fromLocation) p.fail("fromLocation", "is required: a shipment names the stores location the unit left.");
  } else {
    p.absent("shipTo", `on a ${c.type} confirmation`);
    p.absent("deliveryNote", `on a ${c.type} confirmation`);
  }
  if (type === "stock_transfer") {
    m.transfer = p.string("transfer");
    m.issuingPlant = p.string("issuingPlant");
    m.receivingPlant = p.string("receivingPlant");
    if (m.issuingPlant === m.receivingPlant) p.fail("receivingPlant", "is the issuing plant: a stock transfer goes between two plants.");
    if (m.order) p.fail("order", "is not expected on a stock transfer.");
  } else {
    p.absent("transfer", `on a ${c.type} confirmation`);
    p.absent("issuingPlant", `on a ${c.type} confirmation`);
    p.absent("receivingPlant", `on a ${c.type} confirmation`);
  }
  if ((type === "consumption" || type === "reversal") && !m.order) p.fail("order", `is required: a ${c.type} is posted against a production order.`);
  if (m.order && m.builtOnOrder) p.fail("builtOnOrder", "is given with order: a movement is posted to an order, or is of a unit built on one, not both.");
  return m;
}

function readOperationConfirmation(
  p: Reader,
  conf: Reader,
  at: { order: string; postingDate: string; uom: string | null },
  about: { material: string | null; revision: string | null; reason: string | null; reference: string | null },
): OperationConfirmation {
  const yieldQty = conf.optionalCount("yield", "1");
  const scrap = conf.optionalCount("scrap", "0");
  if (ZERO.test(yieldQty) && ZERO.test(scrap)) conf.fail("scrap", "and yield are both zero: a confirmation confirms a yield or a scrap.");
  const finalConfirmation = conf.boolean("finalConfirmation");
  if (!ZERO.test(scrap) && !about.reason) p.fail("reason", "is required: a scrap is confirmed with its reason.");
  return { ...at, operation: conf.operation("operation"), finalConfirmation, unitSerial: conf.string("unitSerial"), yield: yieldQty, scrap, ...about };
}

function readHold(p: Reader): HoldStatus {
  const action = p.oneOf("action", ["placed", "released"] as const);
  p.optionalString("plant");
  const t = p.object("target");
  const target = { type: t.oneOf("type", HOLD_TARGETS), key: t.string("key") };
  const hold: HoldStatus = {
    action,
    holdId: p.string("holdId"),
    target,
    material: null,
    revision: null,
    batch: null,
    serial: null,
    reason: p.string("reason"),
    holdReason: null,
    postingDate: p.date("postingDate"),
  };
  if (action === "released") hold.holdReason = p.string("holdReason");
  else p.absent("holdReason", "when a hold is placed (its reason is `reason`)");
  const item = target.type === "lot" || target.type === "serial" || target.type === "part_revision";
  const why = `for a hold on a ${target.type.replace("_", " ")}`;
  if (item) {
    hold.material = p.string("material");
    hold.revision = p.string("revision");
  } else {
    p.absent("material", why);
    p.absent("revision", why);
  }
  if (target.type === "lot") hold.batch = p.string("batch");
  else p.absent("batch", why);
  if (target.type === "serial") hold.serial = p.string("serial");
  else p.absent("serial", why);
  const named = target.type === "lot" ? hold.batch : target.type === "serial" ? hold.serial : target.type === "part_revision" ? hold.material : target.key;
  if (named !== target.key) p.fail("target.key", `must be the held ${target.type === "part_revision" ? "part number" : target.type} ${JSON.stringify(named)} (got ${JSON.stringify(target.key)}).`);
  return hold;
}

function readCorrection(p: Reader): StockCorrection {
  p.optionalString("plant");
  const batch = p.optionalString("batch");
  const serial = p.optionalString("serial");
  if (batch && serial) p.fail("serial", "is not expected with a batch: a correction names a batch or a serial.");
  return {
    exception: p.string("exception"),
    category: p.string("category"),
    material: p.string("material"),
    revision: p.string("revision"),
    batch,
    serial,
    location: p.optionalString("location"),
    uom: p.string("uom"),
    erpQuantity: p.optionalCount("erpQuantity", "0"),
    tracelineQuantity: p.optionalCount("tracelineQuantity", "0"),
    erpRevision: p.optionalString("erpRevision"),
    erpUnit: p.optionalString("erpUnit"),
    snapshot: p.optionalString("snapshot"),
    reason: p.string("reason"),
    postingDate: p.date("postingDate"),
  };
}

function readLotExpiry(p: Reader): LotExpiry {
  p.optionalString("plant");
  const e: LotExpiry = {
    material: p.string("material"),
    revision: p.string("revision"),
    batch: p.string("batch"),
    previousExpiry: p.date("previousExpiry"),
    expiry: p.date("expiry"),
    reason: p.string("reason"),
    testReference: p.string("testReference"),
    postingDate: p.date("postingDate"),
  };
  if (e.expiry <= e.previousExpiry) p.fail("expiry", `must be after the previous expiry ${e.previousExpiry}: an extension moves it later.`);
  return e;
}

function readMixItem(p: Reader, movementType: string): MixItem {
  const m = p.string("movementType");
  if (m !== movementType) p.fail("movementType", `must be ${movementType} (got ${JSON.stringify(m)}).`);
  return { movementType: m, material: p.string("material"), revision: p.string("revision"), batch: p.string("batch"), quantity: p.decimal("quantity"), uom: p.string("uom") };
}

function readLotMix(p: Reader): LotMix {
  p.optionalString("plant");
  const produced = { ...readMixItem(p, "501"), expiry: p.optionalDate("expiry"), expiresAt: p.optionalInstant("expiresAt"), toLocation: p.string("toLocation") };
  if ((produced.expiry === null) !== (produced.expiresAt === null)) p.fail("expiry", "and expiresAt must be given together (the child lot's expiry as a date and as an instant), or both be null.");
  const consumed = p.objects("inputs", MAX_MIX_INPUTS).map((i) => ({ ...readMixItem(i, "201"), fromLocation: i.string("fromLocation") }));
  const lots = consumed.map((i) => `${i.material}|${i.batch}`);
  if (new Set(lots).size !== lots.length) p.fail("inputs", "name one lot twice: a mix takes each input lot once.");
  if (consumed.some((i) => i.material === produced.material && i.batch === produced.batch)) p.fail("batch", "is one of the inputs: the child lot is a new lot.");
  return { consumed, produced, postingDate: p.date("postingDate"), reference: p.string("reference"), reason: p.string("reason") };
}

function read(c: Confirmation): { content: ConfirmationContent; seen: Set<string> } {
  if (!isMappedType(c.type)) {
    throw new ConfirmationNotMappable(c.messageId, c.type, `the type is not one of ${Object.keys(CONFIRMATION_TYPES).join(", ")}: map it in server/integrations/erp/outbound/confirmation-types.ts.`);
  }
  const rule = CONFIRMATION_TYPES[c.type];
  const seen = new Set<string>();
  const p = new Reader(c, c.payload, "", seen);
  switch (rule.shape) {
    case "goods_movement": {
      const movement = readMovement(c, p, rule.movementTypes);
      p.absent("confirmation", `on a ${c.type} confirmation`);
      return { content: { carries: "goods_movement", movement, confirmation: null }, seen };
    }
    case "goods_movement_with_confirmation": {
      const movement = readMovement(c, p, rule.movementTypes);
      const order = movement.order ?? p.fail("order", "is required: a completion is received from a production order.");
      if (!movement.serial) p.fail("serial", "is required: a completion receives the finished unit's serial.");
      const conf = p.object("confirmation");
      const confirmation = readOperationConfirmation(p, conf, { order, postingDate: movement.postingDate, uom: movement.uom }, { material: null, revision: null, reason: null, reference: null });
      if (!confirmation.finalConfirmation) p.fail("confirmation.finalConfirmation", "must be true on a completion.");
      if (confirmation.yield !== "1" || !ZERO.test(confirmation.scrap)) p.fail("confirmation.yield", "must be 1 (and scrap 0) on a completion: the unit is received.");
      if (confirmation.unitSerial !== movement.serial) p.fail("confirmation.unitSerial", `must be the received serial ${movement.serial}.`);
      return { content: { carries: "goods_movement", movement, confirmation }, seen };
    }
    case "operation_confirmation": {
      p.optionalString("plant");
      const at = { order: p.string("order"), postingDate: p.date("postingDate"), uom: null };
      const about = { material: p.optionalString("material"), revision: p.optionalString("revision"), reason: p.optionalString("reason"), reference: p.optionalString("reference") };
      const confirmation = readOperationConfirmation(p, p.object("confirmation"), at, about);
      return { content: { carries: "operation_confirmation", confirmation }, seen };
    }
    case "hold_status":
      return { content: { carries: "hold_status", hold: readHold(p) }, seen };
    case "stock_correction":
      return { content: { carries: "stock_correction", correction: readCorrection(p) }, seen };
    case "lot_expiry":
      return { content: { carries: "lot_expiry", expiry: readLotExpiry(p) }, seen };
    case "lot_mix":
      return { content: { carries: "lot_mix", mix: readLotMix(p) }, seen };
  }
}

/** What a confirmation carries, by its type. Throws ConfirmationNotMappable for an unknown type or a payload that does not fit. */
export function readConfirmation(c: Confirmation): ConfirmationContent {
  return read(c).content;
}

/**
 * Every leaf field path of a value (`confirmation.operation`, `holdReasons`): scalars and lists of scalars are leaves; a
 * list of objects gives its objects' paths (`inputs[].batch`).
 */
function leafPaths(value: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(value).flatMap(([k, v]) => {
    if (Array.isArray(v) && v.length > 0 && v.every((o) => o !== null && typeof o === "object" && !Array.isArray(o))) {
      return [...new Set(v.flatMap((o) => leafPaths(o as Record<string, unknown>, `${prefix}${k}[].`)))];
    }
    return v !== null && typeof v === "object" && !Array.isArray(v) ? leafPaths(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`];
  });
}

/**
 * The fields of a confirmation's payload that its type's reader does not look at (an empty list when every field is
 * read). Throws ConfirmationNotMappable as readConfirmation does.
 */
export function unreadFields(c: Confirmation): string[] {
  const { seen } = read(c);
  return leafPaths(c.payload).filter((path) => !seen.has(path));
}
