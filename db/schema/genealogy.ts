import { check, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { id, qty, siteId, ts } from "./columns";
import { stations } from "./org";
import { partRevisions } from "./master";
import { lots, movements, serialItems } from "./inventory";
import { units } from "./production";
import { users } from "./users";

/**
 * As-built record: one edge per consumption (invariant 10). Parent is the serial of the unit being built;
 * child is a serial (one to one) or a quantity of a lot or of an untracked part. Removal closes the edge
 * (removed_* columns); edges are never deleted (trigger).
 */
export const genealogyEdges = pgTable(
  "genealogy_edges",
  {
    siteId: siteId(),
    id: id(),
    parentSerialItemId: uuid("parent_serial_item_id").notNull(),
    parentUnitId: uuid("parent_unit_id").notNull(),
    childPartRevisionId: uuid("child_part_revision_id").notNull().references(() => partRevisions.id, { onDelete: "restrict" }),
    childSerialItemId: uuid("child_serial_item_id"),
    childLotId: uuid("child_lot_id"),
    quantity: qty("quantity").notNull(),
    findNumber: integer("find_number"),
    operationSeq: integer("operation_seq").notNull(),
    operatorUserId: uuid("operator_user_id").notNull().references(() => users.id, { onDelete: "restrict" }),
    stationId: uuid("station_id").notNull(),
    installedAt: ts("installed_at").notNull(),
    parameters: jsonb("parameters").$type<Record<string, string>>().notNull().default({}),
    movementId: uuid("movement_id").notNull(),
    /** The tools and gauges (tools.id) the operator scanned for this install: where-used by tool reads them. */
    toolIds: uuid("tool_ids").array().notNull().default(sql`'{}'::uuid[]`),
    /** Why another revision than the designed one was installed (an engineering deviation, a concession number). */
    substitutionReason: text("substitution_reason"),
    /** The approved deviation (concession) under which a substitute was installed (deviations.id, same site). */
    deviationId: uuid("deviation_id"),
    removedAt: ts("removed_at"),
    removedBy: uuid("removed_by").references(() => users.id, { onDelete: "restrict" }),
    removalReason: text("removal_reason"),
    removalMovementId: uuid("removal_movement_id"),
  },
  (t) => [
    primaryKey({ name: "genealogy_edges_pk", columns: [t.siteId, t.id] }),
    foreignKey({ name: "genealogy_edges_parent_fk", columns: [t.siteId, t.parentSerialItemId], foreignColumns: [serialItems.siteId, serialItems.id] }),
    foreignKey({ name: "genealogy_edges_unit_fk", columns: [t.siteId, t.parentUnitId], foreignColumns: [units.siteId, units.id] }),
    foreignKey({ name: "genealogy_edges_child_serial_fk", columns: [t.siteId, t.childSerialItemId], foreignColumns: [serialItems.siteId, serialItems.id] }),
    foreignKey({ name: "genealogy_edges_child_lot_fk", columns: [t.siteId, t.childLotId], foreignColumns: [lots.siteId, lots.id] }),
    foreignKey({ name: "genealogy_edges_station_fk", columns: [t.siteId, t.stationId], foreignColumns: [stations.siteId, stations.id] }),
    foreignKey({ name: "genealogy_edges_movement_fk", columns: [t.siteId, t.movementId], foreignColumns: [movements.siteId, movements.id] }),
    foreignKey({ name: "genealogy_edges_removal_movement_fk", columns: [t.siteId, t.removalMovementId], foreignColumns: [movements.siteId, movements.id] }),
    unique("genealogy_edges_movement_unique").on(t.siteId, t.movementId, t.childPartRevisionId, t.childSerialItemId, t.childLotId).nullsNotDistinct(),
    /** Invariant 5: a serial is installed in at most one parent at a time. */
    uniqueIndex("genealogy_edges_serial_installed_once").on(t.siteId, t.childSerialItemId).where(sql`${t.childSerialItemId} is not null and ${t.removedAt} is null`),
    // Covering: the genealogy walks (as-built counts down, where-used up) read only these columns of each edge they
    // pass, so they run as index-only scans (no heap page per edge): docs/ARCHITECTURE.md "Genealogy".
    index("genealogy_edges_parent_idx").on(t.siteId, t.parentSerialItemId, t.childSerialItemId, t.installedAt, t.removedAt),
    index("genealogy_edges_child_serial_idx").on(t.siteId, t.childSerialItemId, t.parentSerialItemId, t.installedAt, t.removedAt),
    index("genealogy_edges_child_lot_idx").on(t.siteId, t.childLotId, t.parentSerialItemId, t.installedAt, t.removedAt),
    index("genealogy_edges_child_part_idx").on(t.siteId, t.childPartRevisionId),
    index("genealogy_edges_tools_idx").using("gin", t.toolIds),
    index("genealogy_edges_operator_idx").on(t.siteId, t.operatorUserId, t.installedAt),
    index("genealogy_edges_deviation_idx").on(t.siteId, t.deviationId).where(sql`${t.deviationId} is not null`),
    index("genealogy_edges_open_by_unit_idx").on(t.siteId, t.parentUnitId).where(sql`${t.removedAt} is null`),
    check("genealogy_edges_quantity_positive", sql`${t.quantity} > 0`),
    check("genealogy_edges_not_own_parent", sql`${t.childSerialItemId} is distinct from ${t.parentSerialItemId}`),
    check("genealogy_edges_child_kind", sql`not (${t.childSerialItemId} is not null and ${t.childLotId} is not null)`),
    check("genealogy_edges_deviation_has_reason", sql`${t.deviationId} is null or ${t.substitutionReason} is not null`),
    check("genealogy_edges_removal_complete", sql`(${t.removedAt} is null) = (${t.removedBy} is null)`),
  ],
);
