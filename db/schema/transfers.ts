import { check, foreignKey, index, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { holdTarget } from "./enums";
import { qty, ts } from "./columns";
import { sites, storageLocations } from "./org";
import { partRevisions } from "./master";
import { lots, movements, serialItems } from "./inventory";
import { users } from "./users";

/**
 * A site transfer: one lot quantity, serial or finished sub-assembly shipped from one site to another. Not keyed by one
 * site: it belongs to both, and every read names the actor's site as the sender or the receiver. Each site keeps its
 * own rows of the item (lots and serials are site rows): the transfer is the link between the sender's row (`from_*`)
 * and the receiver's (`to_*`, set at receipt), and the genealogy follows it across sites (an item keeps its part
 * revision, lot or serial number, manufacturer, supplier lot, expiry, certificate and UII; its as-built stays where it
 * was built and is reached through this link).
 */
export const siteTransfers = pgTable(
  "site_transfers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The transfer's number, printed on the paperwork and scanned at receipt (TR-...). */
    number: text("number").notNull().unique("site_transfers_number_unique"),
    fromSiteId: uuid("from_site_id").notNull().references(() => sites.id, { onDelete: "restrict" }),
    toSiteId: uuid("to_site_id").notNull().references(() => sites.id, { onDelete: "restrict" }),
    status: text("status").notNull().$type<"in_transit" | "received">(),
    partRevisionId: uuid("part_revision_id").notNull().references(() => partRevisions.id, { onDelete: "restrict" }),
    fromLotId: uuid("from_lot_id"),
    fromSerialItemId: uuid("from_serial_item_id"),
    quantity: qty("quantity").notNull(),
    fromLocationId: uuid("from_location_id").notNull(),
    shippedAt: ts("shipped_at").notNull(),
    shippedBy: uuid("shipped_by").notNull().references(() => users.id, { onDelete: "restrict" }),
    shipMovementId: uuid("ship_movement_id").notNull(),
    /** The receiver's rows of the item and where it was put, set at receipt. */
    toLotId: uuid("to_lot_id"),
    toSerialItemId: uuid("to_serial_item_id"),
    toLocationId: uuid("to_location_id"),
    receivedAt: ts("received_at"),
    receivedBy: uuid("received_by").references(() => users.id, { onDelete: "restrict" }),
    /** The receiver's movement (other sites -> its location) and the sender's (in transit -> other sites). */
    receiveMovementId: uuid("receive_movement_id"),
    deliveredMovementId: uuid("delivered_movement_id"),
    /** The inspection status the item arrived with: carried from the sender, or pending (the receiver re-inspects). */
    receivedInspection: text("received_inspection").$type<"pending" | "accepted" | "rejected">(),
  },
  (t) => [
    foreignKey({ name: "site_transfers_from_lot_fk", columns: [t.fromSiteId, t.fromLotId], foreignColumns: [lots.siteId, lots.id] }),
    foreignKey({ name: "site_transfers_from_serial_fk", columns: [t.fromSiteId, t.fromSerialItemId], foreignColumns: [serialItems.siteId, serialItems.id] }),
    foreignKey({ name: "site_transfers_to_lot_fk", columns: [t.toSiteId, t.toLotId], foreignColumns: [lots.siteId, lots.id] }),
    foreignKey({ name: "site_transfers_to_serial_fk", columns: [t.toSiteId, t.toSerialItemId], foreignColumns: [serialItems.siteId, serialItems.id] }),
    foreignKey({ name: "site_transfers_from_location_fk", columns: [t.fromSiteId, t.fromLocationId], foreignColumns: [storageLocations.siteId, storageLocations.id] }),
    foreignKey({ name: "site_transfers_to_location_fk", columns: [t.toSiteId, t.toLocationId], foreignColumns: [storageLocations.siteId, storageLocations.id] }),
    foreignKey({ name: "site_transfers_ship_movement_fk", columns: [t.fromSiteId, t.shipMovementId], foreignColumns: [movements.siteId, movements.id] }),
    foreignKey({ name: "site_transfers_delivered_movement_fk", columns: [t.fromSiteId, t.deliveredMovementId], foreignColumns: [movements.siteId, movements.id] }),
    foreignKey({ name: "site_transfers_receive_movement_fk", columns: [t.toSiteId, t.receiveMovementId], foreignColumns: [movements.siteId, movements.id] }),
    check("site_transfers_other_site", sql`${t.fromSiteId} <> ${t.toSiteId}`),
    check("site_transfers_status_known", sql`${t.status} in ('in_transit', 'received')`),
    check("site_transfers_lot_or_serial", sql`(${t.fromLotId} is null) <> (${t.fromSerialItemId} is null)`),
    check("site_transfers_quantity_positive", sql`${t.quantity} > 0 and (${t.fromSerialItemId} is null or ${t.quantity} = 1)`),
    check(
      "site_transfers_receipt_complete",
      sql`(${t.status} = 'received') = (${t.receivedAt} is not null and ${t.receivedBy} is not null and ${t.receiveMovementId} is not null and ${t.deliveredMovementId} is not null and ${t.toLocationId} is not null and (${t.toLotId} is not null or ${t.toSerialItemId} is not null))`,
    ),
    /** A serial is on the road at most once. */
    uniqueIndex("site_transfers_serial_in_transit").on(t.fromSiteId, t.fromSerialItemId).where(sql`${t.status} = 'in_transit' and ${t.fromSerialItemId} is not null`),
    index("site_transfers_incoming_idx").on(t.toSiteId, t.status, t.shippedAt),
    index("site_transfers_outgoing_idx").on(t.fromSiteId, t.status, t.shippedAt),
    index("site_transfers_from_lot_idx").on(t.fromSiteId, t.fromLotId),
    index("site_transfers_from_serial_idx").on(t.fromSiteId, t.fromSerialItemId),
    index("site_transfers_to_lot_idx").on(t.toSiteId, t.toLotId),
    index("site_transfers_to_serial_idx").on(t.toSiteId, t.toSerialItemId),
  ],
);

/**
 * An enterprise-wide hold: placed once by a user with the enterprise role, it is a signed hold (holds row) at every
 * site in the user's enterprise scope (holds.enterprise_hold_id), and a lot or serial that arrives later at one of those
 * sites by transfer is held there on receipt. What it targets: a manufacturer, supplier or part revision (global ids),
 * or a lot / serial by its part revision and number (each site has its own row of it).
 */
export const enterpriseHolds = pgTable(
  "enterprise_holds",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    targetType: holdTarget("target_type").notNull(),
    /** manufacturer, supplier or part revision id; null for a lot or serial (named by part revision + number) */
    targetId: uuid("target_id"),
    partRevisionId: uuid("part_revision_id").references(() => partRevisions.id, { onDelete: "restrict" }),
    /** the lot or serial number */
    itemNumber: text("item_number"),
    label: text("label").notNull(),
    reason: text("reason").notNull(),
    placedBy: uuid("placed_by").notNull().references(() => users.id, { onDelete: "restrict" }),
    placedAt: ts("placed_at").notNull(),
    /** the sites it was placed at (the placer's enterprise scope) */
    siteIds: uuid("site_ids").array().notNull(),
  },
  (t) => [
    check(
      "enterprise_holds_target_shape",
      sql`case when ${t.targetType} in ('lot', 'serial') then ${t.partRevisionId} is not null and ${t.itemNumber} is not null and ${t.targetId} is null
               else ${t.targetId} is not null and ${t.itemNumber} is null end`,
    ),
    index("enterprise_holds_item_idx").on(t.partRevisionId, t.itemNumber),
  ],
);
