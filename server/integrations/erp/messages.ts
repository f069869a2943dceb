import { z } from "zod";

/**
 * The inbound ERP contract: a JSON envelope per message and one payload schema per type. Shape only (zod at the edge);
 * references (does the part exist, is the plant mapped) are checked when the message is applied.
 * Published as JSON Schema at GET /api/erp/v1/schema and documented with examples in docs/erp-interface.md.
 */
const decimal = z.string().regex(/^\d{1,12}(\.\d{1,6})?$/, "a positive decimal with at most 6 decimal places, as a string");
const code = z.string().trim().min(1).max(64);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD");
const isoDateTime = z.iso.datetime({ offset: true });
const tracking = z.enum(["serial", "lot", "untracked"]);
const inspection = z.enum(["pending", "accepted", "rejected"]);

export const partPayload = z.strictObject({
  partNumber: code,
  description: z.string().min(1).max(200),
  uom: z.string().min(1).max(10),
  tracking,
  shelfLifeDays: z.number().int().positive().nullable().optional(),
  minRemainingShelfLifeDays: z.number().int().nonnegative().nullable().optional(),
  outTimeMinutes: z.number().int().positive().nullable().optional(),
  revisions: z.array(z.strictObject({ revision: code, status: z.enum(["released", "obsolete"]).default("released") })).min(1),
});

export const bomLine = z.strictObject({
  findNumber: z.number().int().positive(),
  partNumber: code,
  revision: code,
  quantity: decimal,
  operationSeq: z.number().int().positive(),
  serialFrom: code.nullable().optional(),
  serialTo: code.nullable().optional(),
  effectiveFrom: isoDate.nullable().optional(),
  effectiveTo: isoDate.nullable().optional(),
  backflush: z.boolean().default(false),
});

export const bomPayload = z.strictObject({
  partNumber: code,
  revision: code,
  /** A BOM too large for one message arrives in segments of the same version; it applies when all are in. */
  segment: z.strictObject({ index: z.number().int().positive(), count: z.number().int().positive() }).optional(),
  lines: z.array(bomLine),
});

export const parameterSpec = z.strictObject({ name: code, unit: z.string().min(1).max(20), min: z.string().regex(/^-?\d+(\.\d+)?$/).optional(), max: z.string().regex(/^-?\d+(\.\d+)?$/).optional() });

export const routingPayload = z.strictObject({
  code,
  partNumber: code,
  revision: code,
  operations: z
    .array(z.strictObject({ seq: z.number().int().positive(), code, description: z.string().min(1).max(200), workCenter: code, parameters: z.array(parameterSpec).default([]) }))
    .min(1),
});

export const productionOrderPayload = z.strictObject({
  action: z.enum(["release", "change", "close"]),
  number: code,
  partNumber: code.optional(),
  revision: code.optional(),
  routing: code.optional(),
  quantity: z.number().int().positive().optional(),
  dueDate: isoDate.optional(),
  /** The unit serials to build; on change, only new serials may be added. */
  serials: z.array(code).optional(),
});

export const amlPayload = z.strictObject({
  partNumber: code,
  manufacturers: z.array(z.strictObject({ code, name: z.string().min(1).max(200), status: z.enum(["approved", "disqualified"]) })),
});

export const supplierPayload = z.strictObject({ code, name: z.string().min(1).max(200) });

export const materialIssuePayload = z
  .strictObject({
    partNumber: code,
    revision: code,
    lotNumber: code.optional(),
    serialNumber: code.optional(),
    quantity: decimal,
    /** the unit the quantity is counted in; when given it must be the part's unit of measure */
    uom: code.optional(),
    location: code,
    manufacturer: code,
    supplier: code.optional(),
    supplierLot: z.string().max(64).optional(),
    manufacturedAt: isoDateTime.optional(),
    expiresAt: isoDateTime.optional(),
    inspectionStatus: inspection,
    certificateRef: z.string().max(120).optional(),
  })
  .refine((p) => Boolean(p.lotNumber) !== Boolean(p.serialNumber) || (!p.lotNumber && !p.serialNumber), {
    message: "give lotNumber or serialNumber, not both",
    path: ["serialNumber"],
  });

export const inspectionStatusPayload = z.strictObject({
  partNumber: code,
  revision: code,
  lotNumber: code.optional(),
  serialNumber: code.optional(),
  status: inspection,
});

export const stockSnapshotPayload = z.strictObject({
  takenAt: isoDateTime,
  lines: z.array(
    z.strictObject({ partNumber: code, revision: code, lotNumber: code.optional(), serialNumber: code.optional(), location: code.optional(), quantity: z.string().regex(/^-?\d{1,12}(\.\d{1,6})?$/) }),
  ),
});

export const PAYLOADS = {
  part: partPayload,
  bom: bomPayload,
  routing: routingPayload,
  production_order: productionOrderPayload,
  approved_manufacturers: amlPayload,
  supplier: supplierPayload,
  material_issue: materialIssuePayload,
  inspection_status: inspectionStatusPayload,
  stock_snapshot: stockSnapshotPayload,
} as const;

export type MessageType = keyof typeof PAYLOADS;
export const MESSAGE_TYPES = Object.keys(PAYLOADS) as MessageType[];

export const envelope = z.strictObject({
  source: code,
  messageId: z.string().trim().min(1).max(128),
  type: z.enum(MESSAGE_TYPES as [MessageType, ...MessageType[]]),
  key: z.string().trim().min(1).max(200),
  version: z.number().int().positive(),
  plant: code,
  occurredAt: isoDateTime,
  payload: z.unknown(),
});

export type Envelope = z.infer<typeof envelope>;
export type Payload<T extends MessageType> = z.infer<(typeof PAYLOADS)[T]>;

export type FieldError = { field: string; reason: string };

/** Zod issues as "field: reason" pairs, the way the interface reports them per message. */
export function fieldErrors(error: z.ZodError, prefix = ""): FieldError[] {
  return error.issues.map((i) => ({ field: [prefix, ...i.path.map(String)].filter(Boolean).join("."), reason: i.message }));
}

/** JSON Schema per message type (envelope with its payload), for GET /api/erp/v1/schema. */
export function publishedSchemas(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const type of MESSAGE_TYPES) {
    out[type] = z.toJSONSchema(envelope.extend({ type: z.literal(type), payload: PAYLOADS[type] }), { io: "input", unrepresentable: "any" });
  }
  return out;
}
