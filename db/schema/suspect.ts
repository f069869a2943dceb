import { check, foreignKey, index, integer, pgTable, primaryKey, text, unique, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { id, siteId, ts } from "./columns";
import { sites } from "./org";
import { users } from "./users";
import { holds } from "./inventory";

/**
 * Suspect-part alerts (counterfeit prevention, GIDEP-style): quality enters one on a screen or imports a CSV of them.
 * Each names a manufacturer (code, as on the AML: CAGE), a part number, and optionally a lot (the lot number or the
 * supplier's lot) or a date-code range (YYWW, inclusive, judged on the lot's date of manufacture in the site's time
 * zone). Creating it places one signed hold on every matching lot and serial of the site (suspect_alert_holds). The
 * alert row is signed too (meaning "hold", record type suspect_alert), bound to its criteria.
 */
export const suspectAlerts = pgTable(
  "suspect_alerts",
  {
    siteId: siteId().references(() => sites.id, { onDelete: "restrict" }),
    id: id(),
    /** The alert's own reference (a GIDEP document number, a customer notice, or quality's own). */
    reference: text("reference").notNull(),
    manufacturerCode: text("manufacturer_code").notNull(),
    partNumber: text("part_number").notNull(),
    lotNumber: text("lot_number"),
    /** Date codes YYWW (ISO week), inclusive; both or neither. */
    dateCodeFrom: text("date_code_from"),
    dateCodeTo: text("date_code_to"),
    description: text("description").notNull(),
    /** "entered" on the screen, or "imported" from a CSV file (with its line). */
    source: text("source").notNull(),
    sourceLine: integer("source_line"),
    createdBy: uuid("created_by").notNull().references(() => users.id, { onDelete: "restrict" }),
    createdAt: ts("created_at").notNull(),
    signatureId: uuid("signature_id").notNull(),
  },
  (t) => [
    primaryKey({ name: "suspect_alerts_pk", columns: [t.siteId, t.id] }),
    unique("suspect_alerts_criteria_unique")
      .on(t.siteId, t.reference, t.manufacturerCode, t.partNumber, t.lotNumber, t.dateCodeFrom, t.dateCodeTo)
      .nullsNotDistinct(),
    index("suspect_alerts_created_idx").on(t.siteId, t.createdAt),
    check("suspect_alerts_source_known", sql`${t.source} in ('entered', 'imported')`),
    check("suspect_alerts_date_codes", sql`(${t.dateCodeFrom} is null) = (${t.dateCodeTo} is null) and (${t.dateCodeFrom} is null or (${t.dateCodeFrom} ~ '^[0-9]{4}$' and ${t.dateCodeTo} ~ '^[0-9]{4}$' and ${t.dateCodeFrom} <= ${t.dateCodeTo}))`),
    check("suspect_alerts_lot_or_date_codes", sql`${t.lotNumber} is null or ${t.dateCodeFrom} is null`),
  ],
);

/** The holds an alert placed: one per matching lot or serial (the hold names the alert in its reason). Never changed. */
export const suspectAlertHolds = pgTable(
  "suspect_alert_holds",
  {
    siteId: siteId(),
    alertId: uuid("alert_id").notNull(),
    holdId: uuid("hold_id").notNull(),
  },
  (t) => [
    primaryKey({ name: "suspect_alert_holds_pk", columns: [t.siteId, t.alertId, t.holdId] }),
    foreignKey({ name: "suspect_alert_holds_alert_fk", columns: [t.siteId, t.alertId], foreignColumns: [suspectAlerts.siteId, suspectAlerts.id] }),
    foreignKey({ name: "suspect_alert_holds_hold_fk", columns: [t.siteId, t.holdId], foreignColumns: [holds.siteId, holds.id] }),
  ],
);
