import { check, foreignKey, index, integer, pgEnum, pgTable, primaryKey, text, unique, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { id, qty, siteId, ts } from "./columns";
import { stations, storageLocations } from "./org";
import { partRevisions } from "./master";
import { lots, movements, serialItems } from "./inventory";
import { units, workOrderBomLines, workOrders } from "./production";
import { users } from "./users";

export const kitStatus = pgEnum("kit_status", ["planned", "picking", "complete", "short", "issued", "closed", "cancelled"]);
export const kitScope = pgEnum("kit_scope", ["work_order", "operation", "unit"]);

/** A kit: material picked for a work order (or one operation, or one unit), line by line from the frozen BOM. */
export const kits = pgTable(
  "kits",
  {
    siteId: siteId(),
    id: id(),
    number: text("number").notNull(),
    workOrderId: uuid("work_order_id").notNull(),
    scope: kitScope("scope").notNull(),
    operationSeq: integer("operation_seq"),
    unitId: uuid("unit_id"),
    /** Where the kit goes: the point of use of this station. */
    stationId: uuid("station_id"),
    status: kitStatus("status").notNull().default("planned"),
    createdBy: uuid("created_by").notNull().references(() => users.id, { onDelete: "restrict" }),
    createdAt: ts("created_at").notNull(),
    issuedBy: uuid("issued_by").references(() => users.id, { onDelete: "restrict" }),
    issuedAt: ts("issued_at"),
    issueMovementId: uuid("issue_movement_id"),
  },
  (t) => [
    primaryKey({ name: "kits_pk", columns: [t.siteId, t.id] }),
    unique("kits_number_unique").on(t.siteId, t.number),
    foreignKey({ name: "kits_work_order_fk", columns: [t.siteId, t.workOrderId], foreignColumns: [workOrders.siteId, workOrders.id] }),
    foreignKey({ name: "kits_unit_fk", columns: [t.siteId, t.unitId], foreignColumns: [units.siteId, units.id] }),
    foreignKey({ name: "kits_station_fk", columns: [t.siteId, t.stationId], foreignColumns: [stations.siteId, stations.id] }),
    foreignKey({ name: "kits_issue_movement_fk", columns: [t.siteId, t.issueMovementId], foreignColumns: [movements.siteId, movements.id] }),
    check("kits_scope_consistent", sql`(${t.scope} = 'operation') = (${t.operationSeq} is not null) and (${t.scope} = 'unit') = (${t.unitId} is not null)`),
    index("kits_work_order_idx").on(t.siteId, t.workOrderId),
  ],
);

/** What a kit must contain for one frozen BOM line; a short pick records the missing quantity and why. */
export const kitLines = pgTable(
  "kit_lines",
  {
    siteId: siteId(),
    id: id(),
    kitId: uuid("kit_id").notNull(),
    workOrderBomLineId: uuid("work_order_bom_line_id").notNull(),
    partRevisionId: uuid("part_revision_id").notNull().references(() => partRevisions.id, { onDelete: "restrict" }),
    requiredQty: qty("required_qty").notNull(),
    shortQty: qty("short_qty").notNull().default("0"),
    shortReason: text("short_reason"),
  },
  (t) => [
    primaryKey({ name: "kit_lines_pk", columns: [t.siteId, t.id] }),
    unique("kit_lines_bom_line_unique").on(t.siteId, t.kitId, t.workOrderBomLineId),
    foreignKey({ name: "kit_lines_kit_fk", columns: [t.siteId, t.kitId], foreignColumns: [kits.siteId, kits.id] }),
    foreignKey({ name: "kit_lines_bom_line_fk", columns: [t.siteId, t.workOrderBomLineId], foreignColumns: [workOrderBomLines.siteId, workOrderBomLines.id] }),
    check("kit_lines_required_positive", sql`${t.requiredQty} > 0`),
    check("kit_lines_short_within_required", sql`${t.shortQty} >= 0 and ${t.shortQty} <= ${t.requiredQty}`),
    check("kit_lines_short_has_reason", sql`${t.shortQty} = 0 or ${t.shortReason} is not null`),
  ],
);

/**
 * A pick: a quantity of a specific lot/serial (or untracked part) at a source location, reserved to a kit line.
 * The reservation total lives on the source stock_balances row (its `reserved` column, changed under the row lock),
 * so two clerks can never allocate the same quantity (invariants 4 and 6).
 */
export const kitPicks = pgTable(
  "kit_picks",
  {
    siteId: siteId(),
    id: id(),
    kitId: uuid("kit_id").notNull(),
    kitLineId: uuid("kit_line_id").notNull(),
    locationId: uuid("location_id").notNull(),
    partRevisionId: uuid("part_revision_id").notNull().references(() => partRevisions.id, { onDelete: "restrict" }),
    lotId: uuid("lot_id"),
    serialItemId: uuid("serial_item_id"),
    quantity: qty("quantity").notNull(),
    pickedBy: uuid("picked_by").notNull().references(() => users.id, { onDelete: "restrict" }),
    pickedAt: ts("picked_at").notNull(),
    requestId: uuid("request_id"),
  },
  (t) => [
    primaryKey({ name: "kit_picks_pk", columns: [t.siteId, t.id] }),
    foreignKey({ name: "kit_picks_kit_fk", columns: [t.siteId, t.kitId], foreignColumns: [kits.siteId, kits.id] }),
    foreignKey({ name: "kit_picks_line_fk", columns: [t.siteId, t.kitLineId], foreignColumns: [kitLines.siteId, kitLines.id] }),
    foreignKey({ name: "kit_picks_location_fk", columns: [t.siteId, t.locationId], foreignColumns: [storageLocations.siteId, storageLocations.id] }),
    foreignKey({ name: "kit_picks_lot_fk", columns: [t.siteId, t.lotId], foreignColumns: [lots.siteId, lots.id] }),
    foreignKey({ name: "kit_picks_serial_fk", columns: [t.siteId, t.serialItemId], foreignColumns: [serialItems.siteId, serialItems.id] }),
    check("kit_picks_quantity_positive", sql`${t.quantity} > 0`),
    index("kit_picks_kit_idx").on(t.siteId, t.kitId),
  ],
);

/** Quality's allowed-lot list: when a work order (or one of its BOM lines) has entries, only those lots may be kitted or consumed. */
export const allowedLots = pgTable(
  "allowed_lots",
  {
    siteId: siteId(),
    id: id(),
    workOrderId: uuid("work_order_id").notNull(),
    /** Null: the restriction applies to every line of the order that uses the lot's part revision. */
    workOrderBomLineId: uuid("work_order_bom_line_id"),
    partRevisionId: uuid("part_revision_id").notNull().references(() => partRevisions.id, { onDelete: "restrict" }),
    lotId: uuid("lot_id").notNull(),
    reason: text("reason").notNull(),
    addedBy: uuid("added_by").notNull().references(() => users.id, { onDelete: "restrict" }),
    addedAt: ts("added_at").notNull(),
    removedBy: uuid("removed_by").references(() => users.id, { onDelete: "restrict" }),
    removedAt: ts("removed_at"),
  },
  (t) => [
    primaryKey({ name: "allowed_lots_pk", columns: [t.siteId, t.id] }),
    foreignKey({ name: "allowed_lots_wo_fk", columns: [t.siteId, t.workOrderId], foreignColumns: [workOrders.siteId, workOrders.id] }),
    foreignKey({ name: "allowed_lots_line_fk", columns: [t.siteId, t.workOrderBomLineId], foreignColumns: [workOrderBomLines.siteId, workOrderBomLines.id] }),
    foreignKey({ name: "allowed_lots_lot_fk", columns: [t.siteId, t.lotId], foreignColumns: [lots.siteId, lots.id] }),
    index("allowed_lots_wo_idx").on(t.siteId, t.workOrderId, t.partRevisionId).where(sql`${t.removedAt} is null`),
  ],
);
