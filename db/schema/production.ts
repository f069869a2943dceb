import { boolean, check, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, unique, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { operationStatus, unitStatus, workOrderStatus } from "./enums";
import { id, qty, siteId, ts } from "./columns";
import { sites, stations, workCenters } from "./org";
import { partRevisions, type ParameterSpec } from "./master";
import { users } from "./users";
import { bigint } from "drizzle-orm/pg-core";
import { serialItems } from "./inventory";

export const workOrders = pgTable(
  "work_orders",
  {
    siteId: siteId().references(() => sites.id, { onDelete: "restrict" }),
    id: id(),
    number: text("number").notNull(),
    partRevisionId: uuid("part_revision_id").notNull().references(() => partRevisions.id, { onDelete: "restrict" }),
    quantity: integer("quantity").notNull(),
    status: workOrderStatus("status").notNull().default("released"),
    dueDate: date("due_date").notNull(),
    releasedAt: ts("released_at").notNull().defaultNow(),
    erpVersion: bigint("erp_version", { mode: "number" }).notNull().default(0),
  },
  (t) => [
    primaryKey({ name: "work_orders_pk", columns: [t.siteId, t.id] }),
    unique("work_orders_number_unique").on(t.siteId, t.number),
    check("work_orders_quantity_positive", sql`${t.quantity} > 0`),
    index("work_orders_status_due_idx").on(t.siteId, t.status, t.dueDate),
  ],
);

/** The BOM frozen at release: later ERP BOM changes do not move a released order. */
export const workOrderBomLines = pgTable(
  "work_order_bom_lines",
  {
    siteId: siteId(),
    id: id(),
    workOrderId: uuid("work_order_id").notNull(),
    findNumber: integer("find_number").notNull(),
    componentRevisionId: uuid("component_revision_id").notNull().references(() => partRevisions.id, { onDelete: "restrict" }),
    quantityPerUnit: qty("quantity_per_unit").notNull(),
    operationSeq: integer("operation_seq").notNull(),
    serialFrom: text("serial_from"),
    serialTo: text("serial_to"),
    effectiveFrom: date("effective_from"),
    effectiveTo: date("effective_to"),
    backflush: boolean("backflush").notNull().default(false),
  },
  (t) => [
    primaryKey({ name: "work_order_bom_lines_pk", columns: [t.siteId, t.id] }),
    foreignKey({ name: "work_order_bom_lines_wo_fk", columns: [t.siteId, t.workOrderId], foreignColumns: [workOrders.siteId, workOrders.id] }),
    index("work_order_bom_lines_wo_idx").on(t.siteId, t.workOrderId),
    check("work_order_bom_lines_quantity_positive", sql`${t.quantityPerUnit} > 0`),
  ],
);

export const workOrderOperations = pgTable(
  "work_order_operations",
  {
    siteId: siteId(),
    id: id(),
    workOrderId: uuid("work_order_id").notNull(),
    seq: integer("seq").notNull(),
    code: text("code").notNull(),
    description: text("description").notNull(),
    workCenterId: uuid("work_center_id").notNull(),
    parameters: jsonb("parameters").$type<ParameterSpec[]>().notNull().default([]),
    /** frozen at release with the rest of the operation */
    requiredSkills: text("required_skills").array().notNull().default(sql`'{}'::text[]`),
    requiredToolClasses: text("required_tool_classes").array().notNull().default(sql`'{}'::text[]`),
    /** frozen at release: the operation is bought off only with an inspector's signed stamp */
    inspectionRequired: boolean("inspection_required").notNull().default(false),
  },
  (t) => [
    primaryKey({ name: "work_order_operations_pk", columns: [t.siteId, t.id] }),
    unique("work_order_operations_seq_unique").on(t.siteId, t.workOrderId, t.seq),
    foreignKey({ name: "work_order_operations_wo_fk", columns: [t.siteId, t.workOrderId], foreignColumns: [workOrders.siteId, workOrders.id] }),
    foreignKey({ name: "work_order_operations_wc_fk", columns: [t.siteId, t.workCenterId], foreignColumns: [workCenters.siteId, workCenters.id] }),
  ],
);

/** A unit is one serial to build on a work order. Its serial item exists from release, so genealogy edges hang off serials. */
export const units = pgTable(
  "units",
  {
    siteId: siteId(),
    id: id(),
    workOrderId: uuid("work_order_id").notNull(),
    serialItemId: uuid("serial_item_id").notNull(),
    serial: text("serial").notNull(),
    status: unitStatus("status").notNull().default("planned"),
    completedAt: ts("completed_at"),
    /** The unit's fate once it leaves the floor: shipped (when, to whom, delivery note) or scrapped (when, why). */
    shippedAt: ts("shipped_at"),
    shippedTo: text("shipped_to"),
    shipmentReference: text("shipment_reference"),
    scrappedAt: ts("scrapped_at"),
    scrapReason: text("scrap_reason"),
  },
  (t) => [
    primaryKey({ name: "units_pk", columns: [t.siteId, t.id] }),
    check("units_shipment_recorded", sql`(${t.status} = 'shipped') = (${t.shippedAt} is not null and ${t.shippedTo} is not null)`),
    check("units_scrap_recorded", sql`(${t.status} = 'scrapped') = (${t.scrappedAt} is not null and ${t.scrapReason} is not null)`),
    unique("units_serial_item_unique").on(t.siteId, t.serialItemId),
    unique("units_work_order_serial_unique").on(t.siteId, t.workOrderId, t.serial),
    foreignKey({ name: "units_wo_fk", columns: [t.siteId, t.workOrderId], foreignColumns: [workOrders.siteId, workOrders.id] }),
    foreignKey({ name: "units_serial_item_fk", columns: [t.siteId, t.serialItemId], foreignColumns: [serialItems.siteId, serialItems.id] }),
  ],
);

export const unitOperations = pgTable(
  "unit_operations",
  {
    siteId: siteId(),
    id: id(),
    unitId: uuid("unit_id").notNull(),
    workOrderOperationId: uuid("work_order_operation_id").notNull(),
    seq: integer("seq").notNull(),
    status: operationStatus("status").notNull().default("pending"),
    stationId: uuid("station_id"),
    startedAt: ts("started_at"),
    completedAt: ts("completed_at"),
    completedBy: uuid("completed_by").references(() => users.id, { onDelete: "restrict" }),
    /** Recorded process parameters: { name: decimal string }. */
    parameters: jsonb("parameters").$type<Record<string, string>>().notNull().default({}),
    /** The tools scanned when the operation's parameters were recorded (its completion). */
    toolIds: uuid("tool_ids").array().notNull().default(sql`'{}'::uuid[]`),
    /**
     * An operation that asks for an inspector's stamp: the operator's completion records the work (work_done_*) and the
     * operation stays open until an inspector buys it off, signed (inspected_*; the signature is bound to the operation's
     * record). completed_at is then the buy-off's time.
     */
    workDoneAt: ts("work_done_at"),
    workDoneBy: uuid("work_done_by").references(() => users.id, { onDelete: "restrict" }),
    inspectedAt: ts("inspected_at"),
    inspectedBy: uuid("inspected_by").references(() => users.id, { onDelete: "restrict" }),
    inspectionSignatureId: uuid("inspection_signature_id"),
  },
  (t) => [
    primaryKey({ name: "unit_operations_pk", columns: [t.siteId, t.id] }),
    unique("unit_operations_seq_unique").on(t.siteId, t.unitId, t.seq),
    foreignKey({ name: "unit_operations_unit_fk", columns: [t.siteId, t.unitId], foreignColumns: [units.siteId, units.id] }),
    foreignKey({
      name: "unit_operations_wo_op_fk",
      columns: [t.siteId, t.workOrderOperationId],
      foreignColumns: [workOrderOperations.siteId, workOrderOperations.id],
    }),
    foreignKey({ name: "unit_operations_station_fk", columns: [t.siteId, t.stationId], foreignColumns: [stations.siteId, stations.id] }),
    check("unit_operations_completed_consistent", sql`(${t.status} = 'completed') = (${t.completedAt} is not null)`),
    check("unit_operations_inspection_complete", sql`(${t.inspectedAt} is null) = (${t.inspectedBy} is null) and (${t.inspectedAt} is null) = (${t.inspectionSignatureId} is null)`),
    // The WIP board's operation summary and figures read unit operations per work-order operation (by status).
    index("unit_operations_wo_op_idx").on(t.siteId, t.workOrderOperationId, t.status),
    // Its figures (units completed per day, usual time per operation) read recent completions.
    index("unit_operations_completed_idx").on(t.siteId, t.completedAt).where(sql`${t.completedAt} is not null`),
  ],
);
