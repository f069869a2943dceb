import { bigint, boolean, check, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, unique, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { amlStatus, storageClass, trackingType } from "./enums";
import { id, qty, siteId, ts } from "./columns";
import { sites, workCenters } from "./org";

/** ERP-owned enterprise master data, mirrored read-only. `erp_version` is the last applied version. */
export const parts = pgTable(
  "parts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    partNumber: text("part_number").notNull().unique("parts_part_number_unique"),
    description: text("description").notNull(),
    uom: text("uom").notNull(),
    tracking: trackingType("tracking").notNull(),
    /** Shelf life from manufacture, in days (null: none). */
    shelfLifeDays: integer("shelf_life_days"),
    /** Minimum remaining shelf life at planned use, in days. */
    minRemainingShelfLifeDays: integer("min_remaining_shelf_life_days"),
    /** Out-time (floor life once opened/thawed/mixed), in minutes (null: none). */
    outTimeMinutes: integer("out_time_minutes"),
    /** Minimum time after leaving the freezer before the material may be used (thawing), in minutes (null: none). */
    minThawMinutes: integer("min_thaw_minutes"),
    /** Where the material must be kept when not in use (null: no requirement). */
    storageClass: storageClass("storage_class"),
    /** Pot life once mixed or opened (a two-part sealant: base + activator), in minutes (null: none). */
    potLifeMinutes: integer("pot_life_minutes"),
    /** GTIN-14 the part's GS1 labels carry (null: none known); from ERP or set in Traceline, per the ownership registry. */
    gtin: text("gtin"),
    erpVersion: bigint("erp_version", { mode: "number" }).notNull().default(0),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    unique("parts_gtin_unique").on(t.gtin),
    check("parts_gtin_fourteen_digits", sql`${t.gtin} is null or ${t.gtin} ~ '^[0-9]{14}$'`),
    check("parts_shelf_life_positive", sql`${t.shelfLifeDays} is null or ${t.shelfLifeDays} > 0`),
    check("parts_out_time_positive", sql`${t.outTimeMinutes} is null or ${t.outTimeMinutes} > 0`),
    check("parts_min_thaw_positive", sql`${t.minThawMinutes} is null or ${t.minThawMinutes} > 0`),
    check("parts_pot_life_positive", sql`${t.potLifeMinutes} is null or ${t.potLifeMinutes} > 0`),
  ],
);

export const partRevisions = pgTable(
  "part_revisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    partId: uuid("part_id").notNull().references(() => parts.id, { onDelete: "restrict" }),
    revision: text("revision").notNull(),
    status: text("status").notNull().default("released"),
    erpVersion: bigint("erp_version", { mode: "number" }).notNull().default(0),
  },
  (t) => [unique("part_revisions_part_revision_unique").on(t.partId, t.revision)],
);

export const manufacturers = pgTable("manufacturers", {
  id: uuid("id").primaryKey().defaultRandom(),
  /** CAGE code or ERP manufacturer code. */
  code: text("code").notNull().unique("manufacturers_code_unique"),
  name: text("name").notNull(),
  /**
   * An authorised source (the original manufacturer, AS5553 / AS6174): material of a manufacturer marked not authorised
   * is refused at kitting, stock moves and the station. Owner per the registry: manufacturer.authorised_source.
   */
  authorisedSource: boolean("authorised_source").notNull().default(true),
  erpVersion: bigint("erp_version", { mode: "number" }).notNull().default(0),
});

export const suppliers = pgTable("suppliers", {
  id: uuid("id").primaryKey().defaultRandom(),
  code: text("code").notNull().unique("suppliers_code_unique"),
  name: text("name").notNull(),
  /** An authorised source (franchised distributor); owner per the registry: supplier.authorised_source. */
  authorisedSource: boolean("authorised_source").notNull().default(true),
  erpVersion: bigint("erp_version", { mode: "number" }).notNull().default(0),
});

/** Approved manufacturer list (AML), per part. */
export const approvedManufacturers = pgTable(
  "approved_manufacturers",
  {
    partId: uuid("part_id").notNull().references(() => parts.id, { onDelete: "restrict" }),
    manufacturerId: uuid("manufacturer_id").notNull().references(() => manufacturers.id, { onDelete: "restrict" }),
    status: amlStatus("status").notNull(),
    erpVersion: bigint("erp_version", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ name: "approved_manufacturers_pk", columns: [t.partId, t.manufacturerId] })],
);

/** One BOM per parent revision; lines carry effectivity by unit serial range and by date. */
export const boms = pgTable("boms", {
  id: uuid("id").primaryKey().defaultRandom(),
  parentRevisionId: uuid("parent_revision_id")
    .notNull()
    .unique("boms_parent_revision_unique")
    .references(() => partRevisions.id, { onDelete: "restrict" }),
  erpVersion: bigint("erp_version", { mode: "number" }).notNull().default(0),
});

export const bomLines = pgTable(
  "bom_lines",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    bomId: uuid("bom_id").notNull().references(() => boms.id, { onDelete: "cascade" }),
    findNumber: integer("find_number").notNull(),
    componentRevisionId: uuid("component_revision_id").notNull().references(() => partRevisions.id, { onDelete: "restrict" }),
    quantity: qty("quantity").notNull(),
    operationSeq: integer("operation_seq").notNull(),
    serialFrom: text("serial_from"),
    serialTo: text("serial_to"),
    effectiveFrom: date("effective_from"),
    effectiveTo: date("effective_to"),
    backflush: boolean("backflush").notNull().default(false),
  },
  (t) => [
    index("bom_lines_bom_idx").on(t.bomId),
    index("bom_lines_component_idx").on(t.componentRevisionId),
    check("bom_lines_quantity_positive", sql`${t.quantity} > 0`),
  ],
);

/** Routings are plant-specific in ERP: site-scoped. */
export const routings = pgTable(
  "routings",
  {
    siteId: siteId().references(() => sites.id, { onDelete: "restrict" }),
    id: id(),
    partRevisionId: uuid("part_revision_id").notNull().references(() => partRevisions.id, { onDelete: "restrict" }),
    code: text("code").notNull(),
    erpVersion: bigint("erp_version", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ name: "routings_pk", columns: [t.siteId, t.id] }), unique("routings_code_unique").on(t.siteId, t.code)],
);

export type ParameterSpec = { name: string; unit: string; min?: string; max?: string };

export const routingOperations = pgTable(
  "routing_operations",
  {
    siteId: siteId(),
    id: id(),
    routingId: uuid("routing_id").notNull(),
    seq: integer("seq").notNull(),
    code: text("code").notNull(),
    description: text("description").notNull(),
    workCenterId: uuid("work_center_id").notNull(),
    /** Process parameters the operator must record, with limits (decimal strings). */
    parameters: jsonb("parameters").$type<ParameterSpec[]>().notNull().default([]),
    /** Skill codes an operator must hold, current, to work at this operation (owner per the registry: routing.required_skills). */
    requiredSkills: text("required_skills").array().notNull().default(sql`'{}'::text[]`),
    /** Tool classes the operator must scan a calibrated tool of (owner per the registry: routing.required_tool_classes). */
    requiredToolClasses: text("required_tool_classes").array().notNull().default(sql`'{}'::text[]`),
    /** The operation is bought off only with an inspector's signed stamp (issue 19, Must 5). */
    inspectionRequired: boolean("inspection_required").notNull().default(false),
  },
  (t) => [
    primaryKey({ name: "routing_operations_pk", columns: [t.siteId, t.id] }),
    unique("routing_operations_seq_unique").on(t.siteId, t.routingId, t.seq),
    foreignKey({ name: "routing_operations_routing_fk", columns: [t.siteId, t.routingId], foreignColumns: [routings.siteId, routings.id] }).onDelete("cascade"),
    foreignKey({ name: "routing_operations_work_center_fk", columns: [t.siteId, t.workCenterId], foreignColumns: [workCenters.siteId, workCenters.id] }),
  ],
);
