import { check, customType, foreignKey, index, integer, pgTable, primaryKey, text, unique, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { id, qty, siteId, ts } from "./columns";
import { role } from "./enums";
import { sites, stations, storageLocations } from "./org";
import { manufacturers, partRevisions } from "./master";
import { holds, lots, movements, serialItems } from "./inventory";
import { units, workOrders } from "./production";
import { users } from "./users";

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

/**
 * Nonconformance reports (issue 19): material or work that does not conform, raised at the station (a removed or
 * refused component, a failed parameter, a damaged part), in kitting or by a quality engineer, on a lot, serial, unit or
 * operation. Raising holds the item (an NCR hold, `hold_id`). The Material Review Board decides its disposition, signed
 * by the site's MRB roles (mrb_signoffs); the disposition's movement (scrap, return to supplier) is `movement_id`.
 * Status: open (raised) -> pending_signoff (a disposition proposed, signatures missing) -> closed (every role signed,
 * the disposition carried out).
 */
export const ncrs = pgTable(
  "ncrs",
  {
    siteId: siteId().references(() => sites.id, { onDelete: "restrict" }),
    id: id(),
    /** Per site, from 1: shown as NCR-000042. */
    number: integer("number").notNull(),
    source: text("source").notNull(),
    defect: text("defect").notNull(),
    targetType: text("target_type").notNull(),
    partRevisionId: uuid("part_revision_id").references(() => partRevisions.id, { onDelete: "restrict" }),
    lotId: uuid("lot_id"),
    serialItemId: uuid("serial_item_id"),
    unitId: uuid("unit_id"),
    operationSeq: integer("operation_seq"),
    /** The genealogy edge of a component removed from a unit (station removal). */
    edgeId: uuid("edge_id"),
    stationId: uuid("station_id"),
    /** Where the nonconforming material lies (quarantine, stores, a point of use, scrap when scrapped at removal). */
    locationId: uuid("location_id"),
    quantity: qty("quantity").notNull(),
    description: text("description").notNull(),
    raisedBy: uuid("raised_by").notNull().references(() => users.id, { onDelete: "restrict" }),
    raisedAt: ts("raised_at").notNull(),
    holdId: uuid("hold_id"),
    status: text("status").notNull().default("open"),
    disposition: text("disposition"),
    dispositionReason: text("disposition_reason"),
    dispositionBy: uuid("disposition_by").references(() => users.id, { onDelete: "restrict" }),
    dispositionAt: ts("disposition_at"),
    closedAt: ts("closed_at"),
    /** The disposition's ledger movement (scrap, return to supplier). */
    movementId: uuid("movement_id"),
    /** The review round: a withdrawn proposal (ncr_withdrawals) starts the next one; sign-offs count in their round only. */
    mrbRound: integer("mrb_round").notNull().default(1),
  },
  (t) => [
    primaryKey({ name: "ncrs_pk", columns: [t.siteId, t.id] }),
    unique("ncrs_number_unique").on(t.siteId, t.number),
    foreignKey({ name: "ncrs_lot_fk", columns: [t.siteId, t.lotId], foreignColumns: [lots.siteId, lots.id] }),
    foreignKey({ name: "ncrs_serial_fk", columns: [t.siteId, t.serialItemId], foreignColumns: [serialItems.siteId, serialItems.id] }),
    foreignKey({ name: "ncrs_unit_fk", columns: [t.siteId, t.unitId], foreignColumns: [units.siteId, units.id] }),
    foreignKey({ name: "ncrs_station_fk", columns: [t.siteId, t.stationId], foreignColumns: [stations.siteId, stations.id] }),
    foreignKey({ name: "ncrs_location_fk", columns: [t.siteId, t.locationId], foreignColumns: [storageLocations.siteId, storageLocations.id] }),
    foreignKey({ name: "ncrs_hold_fk", columns: [t.siteId, t.holdId], foreignColumns: [holds.siteId, holds.id] }),
    foreignKey({ name: "ncrs_movement_fk", columns: [t.siteId, t.movementId], foreignColumns: [movements.siteId, movements.id] }),
    index("ncrs_status_idx").on(t.siteId, t.status, t.raisedAt),
    index("ncrs_lot_idx").on(t.siteId, t.lotId),
    index("ncrs_serial_idx").on(t.siteId, t.serialItemId),
    index("ncrs_unit_idx").on(t.siteId, t.unitId),
    index("ncrs_edge_idx").on(t.siteId, t.edgeId),
    check("ncrs_source_known", sql`${t.source} in ('station', 'kitting', 'quality')`),
    check("ncrs_defect_known", sql`${t.defect} in ('removed', 'refused', 'failed_parameter', 'damaged', 'other')`),
    check("ncrs_target_known", sql`${t.targetType} in ('lot', 'serial', 'part_revision', 'unit', 'operation')`),
    check(
      "ncrs_target_complete",
      sql`case ${t.targetType}
            when 'lot' then ${t.lotId} is not null and ${t.partRevisionId} is not null
            when 'serial' then ${t.serialItemId} is not null and ${t.partRevisionId} is not null
            when 'part_revision' then ${t.partRevisionId} is not null
            when 'unit' then ${t.unitId} is not null
            when 'operation' then ${t.unitId} is not null and ${t.operationSeq} is not null end`,
    ),
    check("ncrs_quantity_positive", sql`${t.quantity} > 0`),
    check("ncrs_status_known", sql`${t.status} in ('open', 'pending_signoff', 'closed')`),
    check("ncrs_disposition_known", sql`${t.disposition} is null or ${t.disposition} in ('use_as_is', 'repair', 'rework', 'scrap', 'return_to_supplier')`),
    check("ncrs_disposition_complete", sql`(${t.status} = 'open') = (${t.disposition} is null) and (${t.disposition} is null) = (${t.dispositionAt} is null)`),
    check("ncrs_closed_complete", sql`(${t.status} = 'closed') = (${t.closedAt} is not null)`),
  ],
);

/** Photos and documents of an NCR, stored in the database (size and type limited by a CHECK). */
export const ncrAttachments = pgTable(
  "ncr_attachments",
  {
    siteId: siteId(),
    id: id(),
    ncrId: uuid("ncr_id").notNull(),
    fileName: text("file_name").notNull(),
    contentType: text("content_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    data: bytea("data").notNull(),
    uploadedBy: uuid("uploaded_by").notNull().references(() => users.id, { onDelete: "restrict" }),
    uploadedAt: ts("uploaded_at").notNull(),
  },
  (t) => [
    primaryKey({ name: "ncr_attachments_pk", columns: [t.siteId, t.id] }),
    foreignKey({ name: "ncr_attachments_ncr_fk", columns: [t.siteId, t.ncrId], foreignColumns: [ncrs.siteId, ncrs.id] }),
    index("ncr_attachments_ncr_idx").on(t.siteId, t.ncrId),
    check("ncr_attachments_type_known", sql`${t.contentType} in ('image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/pdf')`),
    check("ncr_attachments_size", sql`${t.sizeBytes} between 1 and 5242880 and octet_length(${t.data}) = ${t.sizeBytes}`),
  ],
);

/**
 * The MRB's signatures of an NCR's disposition: one per role the site asks for, each by a different person (both
 * enforced by unique keys), each pointing at its electronic signature.
 */
export const mrbSignoffs = pgTable(
  "mrb_signoffs",
  {
    siteId: siteId(),
    id: id(),
    ncrId: uuid("ncr_id").notNull(),
    role: role("role").notNull(),
    signerUserId: uuid("signer_user_id").notNull().references(() => users.id, { onDelete: "restrict" }),
    signatureId: uuid("signature_id").notNull(),
    signedAt: ts("signed_at").notNull(),
    round: integer("round").notNull().default(1),
  },
  (t) => [
    primaryKey({ name: "mrb_signoffs_pk", columns: [t.siteId, t.id] }),
    foreignKey({ name: "mrb_signoffs_ncr_fk", columns: [t.siteId, t.ncrId], foreignColumns: [ncrs.siteId, ncrs.id] }),
    unique("mrb_signoffs_one_per_role").on(t.siteId, t.ncrId, t.round, t.role),
    unique("mrb_signoffs_distinct_signers").on(t.siteId, t.ncrId, t.round, t.signerUserId),
  ],
);

/**
 * A proposed MRB disposition withdrawn before every role signed it (signed, with a reason): what was proposed, by whom,
 * and the withdrawal. The NCR goes back to open in its next review round. Append-only for the app.
 */
export const ncrWithdrawals = pgTable(
  "ncr_withdrawals",
  {
    siteId: siteId(),
    id: id(),
    ncrId: uuid("ncr_id").notNull(),
    round: integer("round").notNull(),
    disposition: text("disposition").notNull(),
    dispositionReason: text("disposition_reason"),
    dispositionBy: uuid("disposition_by").references(() => users.id, { onDelete: "restrict" }),
    dispositionAt: ts("disposition_at").notNull(),
    reason: text("reason").notNull(),
    withdrawnBy: uuid("withdrawn_by").notNull().references(() => users.id, { onDelete: "restrict" }),
    withdrawnAt: ts("withdrawn_at").notNull(),
    signatureId: uuid("signature_id").notNull(),
  },
  (t) => [
    primaryKey({ name: "ncr_withdrawals_pk", columns: [t.siteId, t.id] }),
    foreignKey({ name: "ncr_withdrawals_ncr_fk", columns: [t.siteId, t.ncrId], foreignColumns: [ncrs.siteId, ncrs.id] }),
    unique("ncr_withdrawals_one_per_round").on(t.siteId, t.ncrId, t.round),
  ],
);

/**
 * Deviations (concessions): an approved, signed authorisation to install a named substitute instead of the designed
 * part revision: another part or revision (`substitute_part_revision_id`), a manufacturer not on the AML, or a lot not
 * on the allowed-lot list, for named units or a work order, until `expires_at` and up to `quantity_limit`
 * (`quantity_used` counts installs, raised by a guarded UPDATE so concurrent installs never exceed the limit).
 */
export const deviations = pgTable(
  "deviations",
  {
    siteId: siteId().references(() => sites.id, { onDelete: "restrict" }),
    id: id(),
    number: integer("number").notNull(),
    designedPartRevisionId: uuid("designed_part_revision_id").notNull().references(() => partRevisions.id, { onDelete: "restrict" }),
    substituteKind: text("substitute_kind").notNull(),
    substitutePartRevisionId: uuid("substitute_part_revision_id").references(() => partRevisions.id, { onDelete: "restrict" }),
    substituteManufacturerId: uuid("substitute_manufacturer_id").references(() => manufacturers.id, { onDelete: "restrict" }),
    substituteLotId: uuid("substitute_lot_id"),
    workOrderId: uuid("work_order_id"),
    unitIds: uuid("unit_ids").array().notNull().default(sql`'{}'::uuid[]`),
    reason: text("reason").notNull(),
    expiresAt: ts("expires_at").notNull(),
    quantityLimit: qty("quantity_limit").notNull(),
    quantityUsed: qty("quantity_used").notNull().default("0"),
    status: text("status").notNull().default("approved"),
    approvedBy: uuid("approved_by").notNull().references(() => users.id, { onDelete: "restrict" }),
    approvedAt: ts("approved_at").notNull(),
    approvalSignatureId: uuid("approval_signature_id").notNull(),
    ncrId: uuid("ncr_id"),
    /** Revoked (signed, with a reason): the station no longer accepts the substitute under it. */
    revokedBy: uuid("revoked_by").references(() => users.id, { onDelete: "restrict" }),
    revokedAt: ts("revoked_at"),
    revokeReason: text("revoke_reason"),
    revokeSignatureId: uuid("revoke_signature_id"),
  },
  (t) => [
    primaryKey({ name: "deviations_pk", columns: [t.siteId, t.id] }),
    unique("deviations_number_unique").on(t.siteId, t.number),
    foreignKey({ name: "deviations_lot_fk", columns: [t.siteId, t.substituteLotId], foreignColumns: [lots.siteId, lots.id] }),
    foreignKey({ name: "deviations_work_order_fk", columns: [t.siteId, t.workOrderId], foreignColumns: [workOrders.siteId, workOrders.id] }),
    foreignKey({ name: "deviations_ncr_fk", columns: [t.siteId, t.ncrId], foreignColumns: [ncrs.siteId, ncrs.id] }),
    index("deviations_designed_idx").on(t.siteId, t.designedPartRevisionId),
    check("deviations_kind_known", sql`${t.substituteKind} in ('part', 'revision', 'manufacturer', 'lot')`),
    check(
      "deviations_substitute_named",
      sql`case ${t.substituteKind}
            when 'part' then ${t.substitutePartRevisionId} is not null
            when 'revision' then ${t.substitutePartRevisionId} is not null
            when 'manufacturer' then ${t.substituteManufacturerId} is not null
            when 'lot' then ${t.substituteLotId} is not null end`,
    ),
    check("deviations_scope", sql`(${t.workOrderId} is not null) <> (cardinality(${t.unitIds}) > 0)`),
    check("deviations_quantity", sql`${t.quantityLimit} > 0 and ${t.quantityUsed} >= 0 and ${t.quantityUsed} <= ${t.quantityLimit}`),
    check("deviations_status_known", sql`${t.status} in ('approved', 'revoked')`),
    check("deviations_revoked_complete", sql`(${t.revokedAt} is null or ${t.status} = 'revoked') and (${t.revokedAt} is null) = (${t.revokeSignatureId} is null)`),
  ],
);
