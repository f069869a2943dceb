import { boolean, foreignKey, integer, pgTable, primaryKey, text, unique, uuid, check } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { locationKind, role, storageClass, unapprovedMaterialPolicy } from "./enums";
import { id, siteId } from "./columns";

export const sites = pgTable("sites", {
  id: uuid("id").primaryKey().defaultRandom(),
  code: text("code").notNull().unique("sites_code_unique"),
  name: text("name").notNull(),
  timeZone: text("time_zone").notNull(),
  erpPlant: text("erp_plant").notNull().unique("sites_erp_plant_unique"),
  /** An ERP issue of material from a disqualified or non-AML manufacturer: applied with a warning, or refused. */
  erpUnapprovedMaterial: unapprovedMaterialPolicy("erp_unapproved_material").notNull().default("warn"),
  /** The daily reconciliation with the ERP, at this site-local time (HH:MM); null: only on demand. */
  reconDailyAt: text("recon_daily_at").default("02:00"),
  /** Two-person rule: the quality engineer who placed a hold cannot release it; another one must. */
  holdReleaseTwoPerson: boolean("hold_release_two_person").notNull().default(false),
  /** The language of the site's screens for users who chose none (i18n/locales.ts: en, fr). */
  defaultLocale: text("default_locale").notNull().default("en"),
  /**
   * Material received from another site: false, its inspection status comes with it; true, it arrives "pending" and
   * must be inspected here before use.
   */
  transferReinspect: boolean("transfer_reinspect").notNull().default(false),
  /**
   * The roles whose signatures a Material Review Board disposition needs at this site (one signer per role, each a
   * different person): e.g. quality engineer + supervisor. Never empty.
   */
  mrbSignerRoles: role("mrb_signer_roles").array().notNull().default(sql`'{quality_engineer}'::role[]`),
  /** Material alerts (issue 21): out-time running out within this many minutes, shelf life within this many days. */
  alertOutTimeMinutes: integer("alert_out_time_minutes").notNull().default(1440),
  alertShelfLifeDays: integer("alert_shelf_life_days").notNull().default(30),
}, (t) => [
  check("sites_recon_daily_at_format", sql`${t.reconDailyAt} is null or ${t.reconDailyAt} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`),
  check("sites_default_locale_known", sql`${t.defaultLocale} in ('en', 'fr')`),
  check("sites_mrb_signer_roles_not_empty", sql`cardinality(${t.mrbSignerRoles}) between 1 and 5`),
  check("sites_alert_horizons_range", sql`${t.alertOutTimeMinutes} between 1 and 43200 and ${t.alertShelfLifeDays} between 1 and 730`),
]);

export const areas = pgTable(
  "areas",
  {
    siteId: siteId().references(() => sites.id, { onDelete: "restrict" }),
    id: id(),
    code: text("code").notNull(),
    name: text("name").notNull(),
  },
  (t) => [primaryKey({ name: "areas_pk", columns: [t.siteId, t.id] }), unique("areas_code_unique").on(t.siteId, t.code)],
);

export const workCenters = pgTable(
  "work_centers",
  {
    siteId: siteId(),
    id: id(),
    areaId: uuid("area_id").notNull(),
    code: text("code").notNull(),
    name: text("name").notNull(),
  },
  (t) => [
    primaryKey({ name: "work_centers_pk", columns: [t.siteId, t.id] }),
    unique("work_centers_code_unique").on(t.siteId, t.code),
    foreignKey({ name: "work_centers_area_fk", columns: [t.siteId, t.areaId], foreignColumns: [areas.siteId, areas.id] }),
  ],
);

export const stations = pgTable(
  "stations",
  {
    siteId: siteId(),
    id: id(),
    workCenterId: uuid("work_center_id").notNull(),
    code: text("code").notNull(),
    name: text("name").notNull(),
  },
  (t) => [
    primaryKey({ name: "stations_pk", columns: [t.siteId, t.id] }),
    unique("stations_code_unique").on(t.siteId, t.code),
    foreignKey({
      name: "stations_work_center_fk",
      columns: [t.siteId, t.workCenterId],
      foreignColumns: [workCenters.siteId, workCenters.id],
    }),
  ],
);

export const storageLocations = pgTable(
  "storage_locations",
  {
    siteId: siteId(),
    id: id(),
    code: text("code").notNull(),
    name: text("name").notNull(),
    kind: locationKind("kind").notNull(),
    /** Denormalised from kind so balances can carry a CHECK without a join. */
    isPhysical: boolean("is_physical").notNull(),
    stationId: uuid("station_id"),
    /** The storage conditions the location provides (null: none, e.g. a workbench or a point of use). */
    storageClass: storageClass("storage_class"),
  },
  (t) => [
    primaryKey({ name: "storage_locations_pk", columns: [t.siteId, t.id] }),
    unique("storage_locations_code_unique").on(t.siteId, t.code),
    unique("storage_locations_site_id_physical_unique").on(t.siteId, t.id, t.isPhysical),
    foreignKey({ name: "storage_locations_station_fk", columns: [t.siteId, t.stationId], foreignColumns: [stations.siteId, stations.id] }),
    check(
      "storage_locations_physical_matches_kind",
      sql`${t.isPhysical} = (${t.kind} in ('stores','kitting','kit_cart','point_of_use','quarantine'))`,
    ),
    check("storage_locations_pou_has_station", sql`(${t.kind} = 'point_of_use') = (${t.stationId} is not null)`),
  ],
);
