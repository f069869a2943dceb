import { bigserial, check, integer, foreignKey, index, jsonb, pgTable, primaryKey, text, unique, uniqueIndex, uuid, boolean } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { holdTarget, inspectionStatus, lotClockEventKind, movementKind } from "./enums";
import { id, qty, siteId, ts } from "./columns";
import { sites, storageLocations } from "./org";
import { manufacturers, partRevisions, suppliers } from "./master";
import { users } from "./users";

/** A quantity of one part revision from one manufacturer/supplier lot, as issued to the floor of one site. */
export const lots = pgTable(
  "lots",
  {
    siteId: siteId().references(() => sites.id, { onDelete: "restrict" }),
    id: id(),
    partRevisionId: uuid("part_revision_id").notNull().references(() => partRevisions.id, { onDelete: "restrict" }),
    lotNumber: text("lot_number").notNull(),
    manufacturerId: uuid("manufacturer_id").references(() => manufacturers.id, { onDelete: "restrict" }),
    supplierId: uuid("supplier_id").references(() => suppliers.id, { onDelete: "restrict" }),
    supplierLot: text("supplier_lot"),
    manufacturedAt: ts("manufactured_at"),
    expiresAt: ts("expires_at"),
    /** When the current out-time cycle started (taken out of its storage, opened, mixed); null: the clock is stopped. */
    outTimeStartedAt: ts("out_time_started_at"),
    /** Out-time used by the cycles already closed (checked back into storage), in seconds. */
    outTimeUsedSeconds: integer("out_time_used_seconds").notNull().default(0),
    /** The last removal from a freezer: thawing runs from here (null: never frozen here). */
    thawStartedAt: ts("thaw_started_at"),
    inspectionStatus: inspectionStatus("inspection_status").notNull().default("pending"),
    certificateRef: text("certificate_ref"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "lots_pk", columns: [t.siteId, t.id] }),
    unique("lots_number_unique").on(t.siteId, t.partRevisionId, t.lotNumber),
    index("lots_supplier_lot_idx").on(t.siteId, t.supplierLot),
    index("lots_lot_number_idx").on(t.siteId, t.lotNumber),
    index("lots_part_revision_idx").on(t.siteId, t.partRevisionId, t.expiresAt),
    // material alerts: lots by expiry, and lots whose out-time clock has run (few: time-sensitive material only)
    index("lots_expires_idx").on(t.siteId, t.expiresAt).where(sql`${t.expiresAt} is not null`),
    index("lots_out_time_idx").on(t.siteId).where(sql`${t.outTimeStartedAt} is not null or ${t.outTimeUsedSeconds} > 0`),
    check("lots_out_time_used_non_negative", sql`${t.outTimeUsedSeconds} >= 0`),
  ],
);

/**
 * The history of a lot's clocks, append-only (trigger + grants): every check-out of its storage (the out-time clock
 * starts), check-in (it stops), shelf-life extension after a re-test and mixing into a child lot. `lots` holds the
 * projection (out_time_started_at, out_time_used_seconds, thaw_started_at, expires_at), written in the same transaction.
 */
export const lotClockEvents = pgTable(
  "lot_clock_events",
  {
    siteId: siteId().references(() => sites.id, { onDelete: "restrict" }),
    id: id(),
    lotId: uuid("lot_id").notNull(),
    kind: lotClockEventKind("kind").notNull(),
    occurredAt: ts("occurred_at").notNull(),
    fromLocationId: uuid("from_location_id"),
    toLocationId: uuid("to_location_id"),
    movementId: uuid("movement_id"),
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "restrict" }),
    /** Out-time used by the closed cycles after this event, in seconds. */
    outTimeUsedSeconds: integer("out_time_used_seconds").notNull(),
    /** The check-out from a freezer starts thawing. */
    thawStarted: boolean("thaw_started").notNull().default(false),
    /** A shelf-life extension: the expiry before and after, the test reference, the signature. */
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
    reason: text("reason"),
  },
  (t) => [
    primaryKey({ name: "lot_clock_events_pk", columns: [t.siteId, t.id] }),
    foreignKey({ name: "lot_clock_events_lot_fk", columns: [t.siteId, t.lotId], foreignColumns: [lots.siteId, lots.id] }),
    foreignKey({ name: "lot_clock_events_from_fk", columns: [t.siteId, t.fromLocationId], foreignColumns: [storageLocations.siteId, storageLocations.id] }),
    foreignKey({ name: "lot_clock_events_to_fk", columns: [t.siteId, t.toLocationId], foreignColumns: [storageLocations.siteId, storageLocations.id] }),
    index("lot_clock_events_lot_idx").on(t.siteId, t.lotId, t.occurredAt),
    check("lot_clock_events_used_non_negative", sql`${t.outTimeUsedSeconds} >= 0`),
  ],
);

/** One physical piece with a serial number: a bought component, or a unit built here. */
export const serialItems = pgTable(
  "serial_items",
  {
    siteId: siteId().references(() => sites.id, { onDelete: "restrict" }),
    id: id(),
    partRevisionId: uuid("part_revision_id").notNull().references(() => partRevisions.id, { onDelete: "restrict" }),
    serialNumber: text("serial_number").notNull(),
    manufacturerId: uuid("manufacturer_id").references(() => manufacturers.id, { onDelete: "restrict" }),
    supplierId: uuid("supplier_id").references(() => suppliers.id, { onDelete: "restrict" }),
    supplierLot: text("supplier_lot"),
    expiresAt: ts("expires_at"),
    inspectionStatus: inspectionStatus("inspection_status").notNull().default("pending"),
    certificateRef: text("certificate_ref"),
    /** True for serials built on a work order here (a unit); false for bought-in components. */
    builtHere: boolean("built_here").notNull().default(false),
    /** MIL-STD-130 unique item identifier, when known (from ERP) or first scanned; unique per site. */
    uii: text("uii"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "serial_items_pk", columns: [t.siteId, t.id] }),
    uniqueIndex("serial_items_uii_unique").on(t.siteId, t.uii).where(sql`${t.uii} is not null`),
    unique("serial_items_number_unique").on(t.siteId, t.partRevisionId, t.serialNumber),
    index("serial_items_serial_idx").on(t.siteId, t.serialNumber),
    index("serial_items_supplier_lot_idx").on(t.siteId, t.supplierLot),
    index("serial_items_expires_idx").on(t.siteId, t.expiresAt).where(sql`${t.expiresAt} is not null`),
  ],
);

/** Ledger header: one business event. Append-only (trigger + grants). */
export const movements = pgTable(
  "movements",
  {
    siteId: siteId().references(() => sites.id, { onDelete: "restrict" }),
    id: id(),
    kind: movementKind("kind").notNull(),
    requestId: uuid("request_id"),
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "restrict" }),
    occurredAt: ts("occurred_at").notNull(),
    recordedAt: ts("recorded_at").notNull().defaultNow(),
    reason: text("reason"),
    /** Business references (work order, unit, kit, ERP message) for reports and ERP confirmations. */
    reference: jsonb("reference").$type<Record<string, string>>().notNull().default({}),
  },
  (t) => [primaryKey({ name: "movements_pk", columns: [t.siteId, t.id] }), index("movements_occurred_idx").on(t.siteId, t.occurredAt)],
);

/**
 * Ledger legs, double entry: each movement's legs sum to zero per item (part revision, lot, serial).
 * A negative leg takes from a location, a positive one puts into a location. Append-only.
 */
export const movementLegs = pgTable(
  "movement_legs",
  {
    siteId: siteId(),
    id: bigserial("id", { mode: "number" }).notNull(),
    movementId: uuid("movement_id").notNull(),
    locationId: uuid("location_id").notNull(),
    partRevisionId: uuid("part_revision_id").notNull().references(() => partRevisions.id, { onDelete: "restrict" }),
    lotId: uuid("lot_id"),
    serialItemId: uuid("serial_item_id"),
    quantity: qty("quantity").notNull(),
  },
  (t) => [
    primaryKey({ name: "movement_legs_pk", columns: [t.siteId, t.id] }),
    foreignKey({ name: "movement_legs_movement_fk", columns: [t.siteId, t.movementId], foreignColumns: [movements.siteId, movements.id] }),
    foreignKey({ name: "movement_legs_location_fk", columns: [t.siteId, t.locationId], foreignColumns: [storageLocations.siteId, storageLocations.id] }),
    foreignKey({ name: "movement_legs_lot_fk", columns: [t.siteId, t.lotId], foreignColumns: [lots.siteId, lots.id] }),
    foreignKey({ name: "movement_legs_serial_fk", columns: [t.siteId, t.serialItemId], foreignColumns: [serialItems.siteId, serialItems.id] }),
    check("movement_legs_quantity_non_zero", sql`${t.quantity} <> 0`),
    check("movement_legs_lot_or_serial", sql`not (${t.lotId} is not null and ${t.serialItemId} is not null)`),
    check("movement_legs_serial_is_one", sql`${t.serialItemId} is null or abs(${t.quantity}) = 1`),
    index("movement_legs_movement_idx").on(t.siteId, t.movementId),
    index("movement_legs_balance_key_idx").on(t.siteId, t.locationId, t.partRevisionId, t.lotId, t.serialItemId),
  ],
);

/** Projection of the ledger: on_hand per (location, part revision, lot, serial). Updated in the same transaction as the legs. */
export const stockBalances = pgTable(
  "stock_balances",
  {
    siteId: siteId(),
    id: id(),
    locationId: uuid("location_id").notNull(),
    isPhysical: boolean("is_physical").notNull(),
    partRevisionId: uuid("part_revision_id").notNull().references(() => partRevisions.id, { onDelete: "restrict" }),
    lotId: uuid("lot_id"),
    serialItemId: uuid("serial_item_id"),
    onHand: qty("on_hand").notNull().default("0"),
    /** Quantity reserved to kits (maintained with the kitting issue); never more than on hand. */
    reserved: qty("reserved").notNull().default("0"),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "stock_balances_pk", columns: [t.siteId, t.id] }),
    unique("stock_balances_key_unique").on(t.siteId, t.locationId, t.partRevisionId, t.lotId, t.serialItemId).nullsNotDistinct(),
    foreignKey({
      name: "stock_balances_location_fk",
      columns: [t.siteId, t.locationId, t.isPhysical],
      foreignColumns: [storageLocations.siteId, storageLocations.id, storageLocations.isPhysical],
    }),
    foreignKey({ name: "stock_balances_lot_fk", columns: [t.siteId, t.lotId], foreignColumns: [lots.siteId, lots.id] }),
    foreignKey({ name: "stock_balances_serial_fk", columns: [t.siteId, t.serialItemId], foreignColumns: [serialItems.siteId, serialItems.id] }),
    check("stock_balances_on_hand_non_negative", sql`not ${t.isPhysical} or ${t.onHand} >= 0`),
    check("stock_balances_reserved_within_on_hand", sql`${t.reserved} >= 0 and (not ${t.isPhysical} or ${t.reserved} <= ${t.onHand})`),
    check("stock_balances_serial_at_most_one", sql`${t.serialItemId} is null or ${t.onHand} between -1 and 1`),
    check("stock_balances_lot_or_serial", sql`not (${t.lotId} is not null and ${t.serialItemId} is not null)`),
    /** Invariant 5: a serial is on hand in at most one place. */
    uniqueIndex("stock_balances_serial_one_place").on(t.siteId, t.serialItemId).where(sql`${t.serialItemId} is not null and ${t.onHand} > 0`),
    index("stock_balances_lot_idx").on(t.siteId, t.lotId),
    index("stock_balances_part_idx").on(t.siteId, t.partRevisionId, t.locationId),
  ],
);

/** Quality holds. Held material cannot be kitted or consumed. */
export const holds = pgTable(
  "holds",
  {
    siteId: siteId().references(() => sites.id, { onDelete: "restrict" }),
    id: id(),
    targetType: holdTarget("target_type").notNull(),
    targetId: uuid("target_id").notNull(),
    reason: text("reason").notNull(),
    placedBy: uuid("placed_by").notNull().references(() => users.id, { onDelete: "restrict" }),
    placedAt: ts("placed_at").notNull(),
    releasedBy: uuid("released_by").references(() => users.id, { onDelete: "restrict" }),
    releasedAt: ts("released_at"),
    releaseReason: text("release_reason"),
    /** The electronic signatures of placing and releasing (signatures table, same site). */
    placedSignatureId: uuid("placed_signature_id"),
    releasedSignatureId: uuid("released_signature_id"),
    /** Set when the hold is this site's part of an enterprise-wide hold (enterprise_holds): placed at every site at once. */
    enterpriseHoldId: uuid("enterprise_hold_id"),
  },
  (t) => [
    primaryKey({ name: "holds_pk", columns: [t.siteId, t.id] }),
    index("holds_active_target_idx").on(t.siteId, t.targetType, t.targetId).where(sql`${t.releasedAt} is null`),
    index("holds_enterprise_idx").on(t.enterpriseHoldId).where(sql`${t.enterpriseHoldId} is not null`),
    check("holds_release_complete", sql`(${t.releasedAt} is null) = (${t.releasedBy} is null)`),
  ],
);

/**
 * A lot made on the floor from other lots (opening, mixing a two-part sealant: base + activator): one row per input
 * lot, with the quantity consumed by the mixing movement. Where-used and as-built walk through it like a genealogy edge.
 */
export const lotInputs = pgTable(
  "lot_inputs",
  {
    siteId: siteId().references(() => sites.id, { onDelete: "restrict" }),
    id: id(),
    childLotId: uuid("child_lot_id").notNull(),
    inputLotId: uuid("input_lot_id").notNull(),
    quantity: qty("quantity").notNull(),
    movementId: uuid("movement_id").notNull(),
    mixedAt: ts("mixed_at").notNull(),
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "restrict" }),
  },
  (t) => [
    primaryKey({ name: "lot_inputs_pk", columns: [t.siteId, t.id] }),
    foreignKey({ name: "lot_inputs_child_fk", columns: [t.siteId, t.childLotId], foreignColumns: [lots.siteId, lots.id] }),
    foreignKey({ name: "lot_inputs_input_fk", columns: [t.siteId, t.inputLotId], foreignColumns: [lots.siteId, lots.id] }),
    foreignKey({ name: "lot_inputs_movement_fk", columns: [t.siteId, t.movementId], foreignColumns: [movements.siteId, movements.id] }),
    unique("lot_inputs_child_input_unique").on(t.siteId, t.childLotId, t.inputLotId),
    index("lot_inputs_input_idx").on(t.siteId, t.inputLotId),
    check("lot_inputs_quantity_positive", sql`${t.quantity} > 0`),
    check("lot_inputs_not_itself", sql`${t.childLotId} <> ${t.inputLotId}`),
  ],
);
