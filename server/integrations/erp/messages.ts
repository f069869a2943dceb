import { z } from "zod";
import { checkIdentifier } from "@/server/domain/erp/identifiers";
import { STOCK_STATUSES } from "@/server/domain/erp/stock-status";
import { hasValidCheckDigit } from "@/server/domain/scan/gs1-linters";

/**
 * The inbound ERP contract: a JSON envelope per message and one payload schema per type. Shape only (zod at the edge);
 * references (does the part exist, is the plant mapped) are checked when the message is applied.
 * Published as JSON Schema at GET /api/erp/v1/schema and documented with examples in docs/erp-interface.md.
 *
 * Every limit is here, named, and published with the schema: string lengths, numeric ranges (a whole number stored in
 * an int4 column is at most 2,147,483,647), list sizes; identifiers are NFC-normalised and refused when they hold
 * invisible, control or look-alike characters (server/domain/erp/identifiers.ts); dates must exist (no 2026-02-30).
 */
export const LIMITS = {
  /** int4 columns: find numbers, operation sequences, shelf life, out-time, order quantities. */
  maxWholeNumber: 2_147_483_647,
  /** versions: bigint columns, and a change time in milliseconds fits. */
  maxVersion: Number.MAX_SAFE_INTEGER,
  maxCode: 64,
  maxKey: 200,
  maxMessageId: 128,
  maxDescription: 200,
  maxRevisionsPerPart: 200,
  maxBomLines: 2_000,
  maxOperations: 500,
  maxParameters: 100,
  maxSerials: 10_000,
  maxManufacturers: 500,
  maxSnapshotLines: 20_000,
} as const;

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** Free text (descriptions, names, references): trimmed, no control characters other than line breaks and tabs. */
const text = (max: number) => z.string().trim().min(1).max(max).refine((s) => !CONTROL.test(s), "contains a control character");
const optionalText = (max: number) => z.string().trim().max(max).refine((s) => !CONTROL.test(s), "contains a control character");
/** An identifier: trimmed, NFC, refused when invisible, control, compatibility or look-alike characters are in it. */
const identifier = (max: number) =>
  z
    .string()
    .trim()
    .overwrite((s) => s.normalize("NFC"))
    .min(1)
    .max(max)
    .refine((s) => checkIdentifier(s).ok, { error: (iss) => {
      const r = checkIdentifier(String(iss.input));
      return r.ok ? "not a valid identifier" : `not a valid identifier: it ${r.reason}`;
    } });
const decimal = z.string().regex(/^\d{1,12}(\.\d{1,6})?$/, "a positive decimal with at most 12 digits before and 6 after the point, as a string");
const code = identifier(LIMITS.maxCode);
const whole = z.number().int().positive().max(LIMITS.maxWholeNumber);
const wholeOrZero = z.number().int().nonnegative().max(LIMITS.maxWholeNumber);
const realYear = (s: string) => Number(s.slice(0, 4)) >= 1;
const isoDate = z.iso.date({ error: "a date that exists, YYYY-MM-DD" }).refine(realYear, "a year from 0001");
const isoDateTime = z.iso
  .datetime({ offset: true, error: "an ISO 8601 date and time with a zone offset, e.g. 2026-11-02T08:00:00-06:00" })
  .refine((s) => realYear(s) && !Number.isNaN(new Date(s).getTime()), "a date and time that exists");
const tracking = z.enum(["serial", "lot", "untracked"]);
const inspection = z.enum(["pending", "accepted", "rejected"]);
const stockStatus = z.enum(STOCK_STATUSES);
const limitValue = z.string().regex(/^-?\d{1,12}(\.\d{1,6})?$/, "a decimal with at most 12 digits before and 6 after the point, as a string");

export const partPayload = z.strictObject({
  partNumber: code,
  description: text(LIMITS.maxDescription),
  uom: identifier(10),
  tracking,
  shelfLifeDays: whole.nullable().optional(),
  minRemainingShelfLifeDays: wholeOrZero.nullable().optional(),
  outTimeMinutes: whole.nullable().optional(),
  /** Minutes after leaving the freezer before use (thawing); null clears it */
  minThawMinutes: whole.nullable().optional(),
  /** Storage conditions the material needs; null clears it */
  storageClass: z.enum(["freezer", "refrigerated", "ambient", "humidity_controlled"]).nullable().optional(),
  /** Pot life once mixed or opened, in minutes; null clears it */
  potLifeMinutes: whole.nullable().optional(),
  /** GTIN of the part's GS1 labels (8, 12, 13 or 14 digits with a valid check digit; stored as GTIN-14); null clears it */
  gtin: z
    .string()
    .regex(/^(\d{8}|\d{12,14})$/, "a GTIN of 8, 12, 13 or 14 digits")
    .refine(hasValidCheckDigit, "a GTIN whose check digit is right")
    .nullable()
    .optional(),
  revisions: z.array(z.strictObject({ revision: code, status: z.enum(["released", "obsolete"]).default("released") })).min(1).max(LIMITS.maxRevisionsPerPart),
});

export const bomLine = z.strictObject({
  findNumber: whole,
  partNumber: code,
  revision: code,
  quantity: decimal,
  operationSeq: whole,
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
  segment: z.strictObject({ index: z.number().int().positive().max(1000), count: z.number().int().positive().max(1000) }).optional(),
  lines: z.array(bomLine).max(LIMITS.maxBomLines),
});

export const parameterSpec = z.strictObject({ name: text(LIMITS.maxCode), unit: text(20), min: limitValue.optional(), max: limitValue.optional() });

export const routingPayload = z.strictObject({
  code,
  partNumber: code,
  revision: code,
  operations: z
    .array(
      z.strictObject({
        seq: whole,
        code,
        description: text(LIMITS.maxDescription),
        workCenter: code,
        parameters: z.array(parameterSpec).max(LIMITS.maxParameters).default([]),
        /** skill codes the operator must hold, current (applied when the registry gives routing.required_skills to ERP) */
        requiredSkills: z.array(code).max(LIMITS.maxParameters).optional(),
        /** tool classes the operator must scan a calibrated tool of (routing.required_tool_classes) */
        requiredToolClasses: z.array(code).max(LIMITS.maxParameters).optional(),
        /** the operation is bought off only with an inspector's signed stamp (kept from the previous version when left out) */
        inspectionRequired: z.boolean().optional(),
      }),
    )
    .min(1)
    .max(LIMITS.maxOperations),
});

export const productionOrderPayload = z.strictObject({
  action: z.enum(["release", "change", "close"]),
  number: code,
  partNumber: code.optional(),
  revision: code.optional(),
  routing: code.optional(),
  quantity: whole.max(LIMITS.maxSerials).optional(),
  dueDate: isoDate.optional(),
  /** The unit serials to build; on change, only new serials may be added. */
  serials: z.array(code).max(LIMITS.maxSerials).optional(),
});

export const amlPayload = z.strictObject({
  partNumber: code,
  manufacturers: z
    .array(
      z.strictObject({
        code,
        name: text(LIMITS.maxDescription),
        status: z.enum(["approved", "disqualified"]),
        /** an authorised source (applied when the registry gives manufacturer.authorised_source to ERP) */
        authorisedSource: z.boolean().optional(),
      }),
    )
    .max(LIMITS.maxManufacturers),
});

export const supplierPayload = z.strictObject({
  code,
  name: text(LIMITS.maxDescription),
  /** an authorised (franchised) source (applied when the registry gives supplier.authorised_source to ERP) */
  authorisedSource: z.boolean().optional(),
});

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
    supplierLot: identifier(LIMITS.maxCode).optional(),
    /** MIL-STD-130 unique item identifier of a serial (A-Z, 0-9, "-", "/"; at most 50): labels are checked against it */
    uii: z.string().regex(/^[A-Za-z0-9/-]{1,50}$/, "a UII of letters, digits, - and /, at most 50").optional(),
    manufacturedAt: isoDateTime.optional(),
    expiresAt: isoDateTime.optional(),
    inspectionStatus: inspection,
    /** ERP's stock status (SAP stock type, ISA-95 lot status): blocked, in quality inspection or restricted material is not usable. */
    stockStatus: stockStatus.optional(),
    certificateRef: optionalText(120).optional(),
  })
  .refine((p) => Boolean(p.lotNumber) !== Boolean(p.serialNumber) || (!p.lotNumber && !p.serialNumber), {
    message: "give lotNumber or serialNumber, not both",
    path: ["serialNumber"],
  });

export const inspectionStatusPayload = z
  .strictObject({
    partNumber: code,
    revision: code,
    lotNumber: code.optional(),
    serialNumber: code.optional(),
    status: inspection.optional(),
    /** ERP's stock status of the lot or serial now (e.g. blocked after the issue): see material_issue. */
    stockStatus: stockStatus.optional(),
  })
  .refine((p) => p.status !== undefined || p.stockStatus !== undefined, { message: "give status, stockStatus or both", path: ["status"] });

export const stockSnapshotPayload = z.strictObject({
  takenAt: isoDateTime,
  lines: z
    .array(
      z.strictObject({
        partNumber: code,
        revision: code,
        lotNumber: code.optional(),
        serialNumber: code.optional(),
        location: code.optional(),
        quantity: z.string().regex(/^\d{1,12}(\.\d{1,6})?$/, "a quantity of zero or more, as a decimal string"),
        /** ERP's unit of measure of the quantity (reconciliation reports a unit other than the part master's). */
        unit: code.optional(),
      }),
    )
    .max(LIMITS.maxSnapshotLines),
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

/** How `version` counts: ERP's change counter 1, 2, 3 (default), or the object's change time in ms since 1970 (UTC). */
export const VERSION_KINDS = ["counter", "timestamp"] as const;

export const envelope = z.strictObject({
  /** Optional: the connection decides the source. When given it must be the connection's. */
  source: code.optional(),
  messageId: z.string().trim().min(1).max(LIMITS.maxMessageId).refine((s) => !CONTROL.test(s) && !/[\n\r\t]/.test(s), "contains a control character"),
  type: z.enum(MESSAGE_TYPES as [MessageType, ...MessageType[]]),
  key: identifier(LIMITS.maxKey),
  version: z.number().int().positive().max(LIMITS.maxVersion),
  versionKind: z.enum(VERSION_KINDS).optional(),
  plant: code,
  occurredAt: isoDateTime,
  payload: z.unknown(),
});

export type Envelope = z.infer<typeof envelope>;
export type Payload<T extends MessageType> = z.infer<(typeof PAYLOADS)[T]>;

export type FieldError = { field: string; reason: string };

/** Zod issues as "field: reason" pairs, the way the interface reports them per message. */
export function fieldErrors(error: z.ZodError, prefix = ""): FieldError[] {
  return error.issues.map((i) => ({ field: [prefix, ...i.path.map(String)].filter(Boolean).join(".") || "message", reason: i.message }));
}

/** JSON Schema per message type (envelope with its payload), for GET /api/erp/v1/schema. */
export function publishedSchemas(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const type of MESSAGE_TYPES) {
    out[type] = z.toJSONSchema(envelope.extend({ type: z.literal(type), payload: PAYLOADS[type] }), { io: "input", unrepresentable: "any" });
  }
  return out;
}
