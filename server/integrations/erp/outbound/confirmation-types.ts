import type { Confirmation } from "@/server/domain/erp/outbound";

/*
 * What each confirmation type carries, read from the outbox payload the floor wrote (GoodsMovementPayload and
 * OrderConfirmationPayload of server/domain/station/station-rules.ts). Every type is mapped here explicitly, with the
 * movement types it may carry; the SAP and B2MML encoders work from what this reads, never from the raw payload. A type
 * that is not listed, or a payload that lacks what its type needs, throws ConfirmationNotMappable: it is never sent
 * half-mapped. (Traceline's own JSON format sends the payload as it is and needs none of this.)
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
  /** A shipment's customer and ERP delivery document, when the floor knows them. */
  customer: string | null;
  delivery: string | null;
};

/** One unit's operation confirmed: yield 1 of the unit, final on the unit's last operation. */
export type OperationConfirmation = {
  order: string;
  operation: number;
  finalConfirmation: boolean;
  unitSerial: string;
  postingDate: string;
  /** The finished part's unit of measure, when the confirmation travels with its goods receipt. */
  uom: string | null;
};

/** A hold placed on, or released from, a lot or a serial. */
export type HoldStatus = {
  action: "placed" | "released";
  material: string;
  revision: string;
  batch: string | null;
  serial: string | null;
  reason: string;
  holdId: string;
  postingDate: string | null;
};

export type ConfirmationContent =
  | { carries: "goods_movement"; movement: GoodsMovement; confirmation: OperationConfirmation | null }
  | { carries: "operation_confirmation"; confirmation: OperationConfirmation }
  | { carries: "hold_status"; hold: HoldStatus };

type Shape = "goods_movement" | "goods_movement_with_confirmation" | "operation_confirmation" | "hold_status";

/**
 * Every confirmation type the floor writes, what it carries and the movement types it may carry. Adding a type to the
 * floor means adding it here (server/integrations/erp/outbound/confirmation-types.test.ts fails until then).
 */
export const CONFIRMATION_TYPES = {
  /** component installed or backflushed: goods issue to the order */
  consumption: { shape: "goods_movement", movementTypes: ["261"] },
  /** component removed in rework: reversal of its goods issue */
  reversal: { shape: "goods_movement", movementTypes: ["262"] },
  /** material (or a finished unit) scrapped */
  scrap: { shape: "goods_movement", movementTypes: ["551"] },
  /** unit finished: goods receipt from the order and the final confirmation of its last operation */
  completion: { shape: "goods_movement_with_confirmation", movementTypes: ["101"] },
  /** an intermediate operation of a unit confirmed: no goods movement */
  confirmation: { shape: "operation_confirmation", movementTypes: [] },
  /** material returned from the floor to ERP's stores: transfer posting */
  return: { shape: "goods_movement", movementTypes: ["311"] },
  /** finished unit shipped: goods issue for delivery */
  shipment: { shape: "goods_movement", movementTypes: ["601"] },
  /** a hold placed on or released from a lot or serial (the hold status the ownership registry sends to ERP) */
  hold_status: { shape: "hold_status", movementTypes: [] },
} as const satisfies Record<string, { shape: Shape; movementTypes: readonly string[] }>;

export type ConfirmationType = keyof typeof CONFIRMATION_TYPES;

export function isMappedType(type: string): type is ConfirmationType {
  return Object.hasOwn(CONFIRMATION_TYPES, type);
}

const DECIMAL = /^\d{1,12}(\.\d{1,6})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the payload of one confirmation; every problem throws ConfirmationNotMappable naming the field. */
class Reader {
  constructor(
    private readonly c: Confirmation,
    private readonly obj: Record<string, unknown>,
    private readonly path: string,
  ) {}

  fail(field: string, reason: string): never {
    throw new ConfirmationNotMappable(this.c.messageId, this.c.type, `${this.path}${field} ${reason}`);
  }

  string(field: string): string {
    const v = this.obj[field];
    if (typeof v !== "string" || v.trim() === "") this.fail(field, `must be a non-empty string (got ${JSON.stringify(v) ?? "nothing"}).`);
    return v;
  }

  optionalString(field: string): string | null {
    const v = this.obj[field];
    if (v === undefined || v === null) return null;
    if (typeof v !== "string") this.fail(field, `must be a string or null (got ${JSON.stringify(v)}).`);
    return v.trim() === "" ? null : v;
  }

  decimal(field: string): string {
    const v = this.string(field);
    if (!DECIMAL.test(v)) this.fail(field, `must be a positive decimal string such as "1.5" (got ${JSON.stringify(v)}).`);
    return v;
  }

  date(field: string): string {
    const v = this.string(field);
    if (!DATE.test(v)) this.fail(field, `must be a date YYYY-MM-DD (got ${JSON.stringify(v)}).`);
    return v;
  }

  optionalDate(field: string): string | null {
    return this.obj[field] === undefined || this.obj[field] === null ? null : this.date(field);
  }

  operation(field: string): number {
    const v = this.obj[field];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) this.fail(field, `must be a whole operation number of at least 1 (got ${JSON.stringify(v) ?? "nothing"}).`);
    return v;
  }

  optionalOperation(field: string): number | null {
    return this.obj[field] === undefined || this.obj[field] === null ? null : this.operation(field);
  }

  boolean(field: string): boolean {
    const v = this.obj[field];
    if (typeof v !== "boolean") this.fail(field, `must be true or false (got ${JSON.stringify(v) ?? "nothing"}).`);
    return v;
  }

  object(field: string): Reader {
    const v = this.obj[field];
    if (!v || typeof v !== "object" || Array.isArray(v)) this.fail(field, "must be an object.");
    return new Reader(this.c, v as Record<string, unknown>, `${this.path}${field}.`);
  }

  has(field: string): boolean {
    return this.obj[field] !== undefined && this.obj[field] !== null;
  }
}

function readMovement(p: Reader, allowed: readonly string[]): GoodsMovement {
  const movementType = p.string("movementType");
  if (!allowed.includes(movementType)) p.fail("movementType", `must be ${allowed.join(" or ")} for this type (got ${JSON.stringify(movementType)}).`);
  const batch = p.optionalString("batch");
  const serial = p.optionalString("serial");
  if (batch && serial) p.fail("serial", "and batch are both given: an item is a lot or a serial, not both.");
  return {
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
    customer: p.optionalString("customer"),
    delivery: p.optionalString("delivery"),
  };
}

function readOperationConfirmation(p: Reader, order: string, postingDate: string, uom: string | null): OperationConfirmation {
  const conf = p.object("confirmation");
  return { order, operation: conf.operation("operation"), finalConfirmation: conf.boolean("finalConfirmation"), unitSerial: conf.string("unitSerial"), postingDate, uom };
}

/** What a confirmation carries, by its type. Throws ConfirmationNotMappable for an unknown type or a payload that does not fit. */
export function readConfirmation(c: Confirmation): ConfirmationContent {
  if (!isMappedType(c.type)) {
    throw new ConfirmationNotMappable(c.messageId, c.type, `the type is not one of ${Object.keys(CONFIRMATION_TYPES).join(", ")}: map it in server/integrations/erp/outbound/confirmation-types.ts.`);
  }
  const rule = CONFIRMATION_TYPES[c.type];
  const p = new Reader(c, c.payload, "payload.");
  switch (rule.shape) {
    case "goods_movement": {
      const movement = readMovement(p, rule.movementTypes);
      if (p.has("confirmation")) p.fail("confirmation", `is not expected on a ${c.type} confirmation.`);
      if (c.type === "consumption" || c.type === "reversal") {
        if (!movement.order) p.fail("order", `is required: a ${c.type} is posted against a production order.`);
      }
      return { carries: "goods_movement", movement, confirmation: null };
    }
    case "goods_movement_with_confirmation": {
      const movement = readMovement(p, rule.movementTypes);
      const order = movement.order ?? p.fail("order", "is required: a completion is received from a production order.");
      if (!movement.serial) p.fail("serial", "is required: a completion receives the finished unit's serial.");
      const confirmation = readOperationConfirmation(p, order, movement.postingDate, movement.uom);
      if (!confirmation.finalConfirmation) p.fail("confirmation.finalConfirmation", "must be true on a completion.");
      if (confirmation.unitSerial !== movement.serial) p.fail("confirmation.unitSerial", `must be the received serial ${movement.serial}.`);
      return { carries: "goods_movement", movement, confirmation };
    }
    case "operation_confirmation":
      return { carries: "operation_confirmation", confirmation: readOperationConfirmation(p, p.string("order"), p.date("postingDate"), null) };
    case "hold_status": {
      const given = p.string("action");
      const action = given === "placed" || given === "released" ? given : p.fail("action", `must be "placed" or "released" (got ${JSON.stringify(given)}).`);
      const batch = p.optionalString("batch");
      const serial = p.optionalString("serial");
      if (!batch && !serial) p.fail("batch", "or payload.serial is required: holds are sent for a lot or a serial.");
      if (batch && serial) p.fail("serial", "and batch are both given: a hold is on a lot or on a serial.");
      return {
        carries: "hold_status",
        hold: { action, material: p.string("material"), revision: p.string("revision"), batch, serial, reason: p.string("reason"), holdId: p.string("holdId"), postingDate: p.optionalDate("postingDate") },
      };
    }
  }
}
