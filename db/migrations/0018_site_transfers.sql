-- The new location kinds are used below (the two virtual locations of site transfers for every existing site), and a
-- value added by ALTER TYPE ... ADD VALUE cannot be used before its transaction commits: so the type is rebuilt with the
-- new values (as 0007 did), and the two CHECKs that name the kind with it. The other new enum values are not used here.
ALTER TYPE "public"."location_kind" RENAME TO "location_kind_before_0015";--> statement-breakpoint
CREATE TYPE "public"."location_kind" AS ENUM('stores', 'kitting', 'kit_cart', 'point_of_use', 'quarantine', 'erp_supply', 'consumed', 'scrap', 'returned_to_erp', 'production', 'shipped', 'in_transit', 'other_sites');--> statement-breakpoint
ALTER TABLE "storage_locations" DROP CONSTRAINT "storage_locations_physical_matches_kind";--> statement-breakpoint
ALTER TABLE "storage_locations" DROP CONSTRAINT "storage_locations_pou_has_station";--> statement-breakpoint
ALTER TABLE "storage_locations" ALTER COLUMN "kind" SET DATA TYPE "public"."location_kind" USING "kind"::text::"public"."location_kind";--> statement-breakpoint
ALTER TABLE "storage_locations" ADD CONSTRAINT "storage_locations_physical_matches_kind" CHECK ("storage_locations"."is_physical" = ("storage_locations"."kind" in ('stores','kitting','kit_cart','point_of_use','quarantine')));--> statement-breakpoint
ALTER TABLE "storage_locations" ADD CONSTRAINT "storage_locations_pou_has_station" CHECK (("storage_locations"."kind" = 'point_of_use') = ("storage_locations"."station_id" is not null));--> statement-breakpoint
DROP TYPE "public"."location_kind_before_0015";--> statement-breakpoint
ALTER TYPE "public"."movement_kind" ADD VALUE 'site_ship';--> statement-breakpoint
ALTER TYPE "public"."movement_kind" ADD VALUE 'site_receive';--> statement-breakpoint
ALTER TYPE "public"."role" ADD VALUE 'enterprise';--> statement-breakpoint
CREATE TABLE "enterprise_holds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"target_type" "hold_target" NOT NULL,
	"target_id" uuid,
	"part_revision_id" uuid,
	"item_number" text,
	"label" text NOT NULL,
	"reason" text NOT NULL,
	"placed_by" uuid NOT NULL,
	"placed_at" timestamp with time zone NOT NULL,
	"site_ids" uuid[] NOT NULL,
	CONSTRAINT "enterprise_holds_target_shape" CHECK (case when "enterprise_holds"."target_type" in ('lot', 'serial') then "enterprise_holds"."part_revision_id" is not null and "enterprise_holds"."item_number" is not null and "enterprise_holds"."target_id" is null
               else "enterprise_holds"."target_id" is not null and "enterprise_holds"."item_number" is null end)
);
--> statement-breakpoint
CREATE TABLE "site_transfers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"from_site_id" uuid NOT NULL,
	"to_site_id" uuid NOT NULL,
	"status" text NOT NULL,
	"part_revision_id" uuid NOT NULL,
	"from_lot_id" uuid,
	"from_serial_item_id" uuid,
	"quantity" numeric(18, 6) NOT NULL,
	"from_location_id" uuid NOT NULL,
	"shipped_at" timestamp with time zone NOT NULL,
	"shipped_by" uuid NOT NULL,
	"ship_movement_id" uuid NOT NULL,
	"to_lot_id" uuid,
	"to_serial_item_id" uuid,
	"to_location_id" uuid,
	"received_at" timestamp with time zone,
	"received_by" uuid,
	"receive_movement_id" uuid,
	"delivered_movement_id" uuid,
	"received_inspection" text,
	CONSTRAINT "site_transfers_number_unique" UNIQUE("number"),
	CONSTRAINT "site_transfers_other_site" CHECK ("site_transfers"."from_site_id" <> "site_transfers"."to_site_id"),
	CONSTRAINT "site_transfers_status_known" CHECK ("site_transfers"."status" in ('in_transit', 'received')),
	CONSTRAINT "site_transfers_lot_or_serial" CHECK (("site_transfers"."from_lot_id" is null) <> ("site_transfers"."from_serial_item_id" is null)),
	CONSTRAINT "site_transfers_quantity_positive" CHECK ("site_transfers"."quantity" > 0 and ("site_transfers"."from_serial_item_id" is null or "site_transfers"."quantity" = 1)),
	CONSTRAINT "site_transfers_receipt_complete" CHECK (("site_transfers"."status" = 'received') = ("site_transfers"."received_at" is not null and "site_transfers"."received_by" is not null and "site_transfers"."receive_movement_id" is not null and "site_transfers"."delivered_movement_id" is not null and "site_transfers"."to_location_id" is not null and ("site_transfers"."to_lot_id" is not null or "site_transfers"."to_serial_item_id" is not null)))
);
--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "transfer_reinspect" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "holds" ADD COLUMN "enterprise_hold_id" uuid;--> statement-breakpoint
ALTER TABLE "enterprise_holds" ADD CONSTRAINT "enterprise_holds_part_revision_id_part_revisions_id_fk" FOREIGN KEY ("part_revision_id") REFERENCES "public"."part_revisions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprise_holds" ADD CONSTRAINT "enterprise_holds_placed_by_users_id_fk" FOREIGN KEY ("placed_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_transfers" ADD CONSTRAINT "site_transfers_from_site_id_sites_id_fk" FOREIGN KEY ("from_site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_transfers" ADD CONSTRAINT "site_transfers_to_site_id_sites_id_fk" FOREIGN KEY ("to_site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_transfers" ADD CONSTRAINT "site_transfers_part_revision_id_part_revisions_id_fk" FOREIGN KEY ("part_revision_id") REFERENCES "public"."part_revisions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_transfers" ADD CONSTRAINT "site_transfers_shipped_by_users_id_fk" FOREIGN KEY ("shipped_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_transfers" ADD CONSTRAINT "site_transfers_received_by_users_id_fk" FOREIGN KEY ("received_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_transfers" ADD CONSTRAINT "site_transfers_from_lot_fk" FOREIGN KEY ("from_site_id","from_lot_id") REFERENCES "public"."lots"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_transfers" ADD CONSTRAINT "site_transfers_from_serial_fk" FOREIGN KEY ("from_site_id","from_serial_item_id") REFERENCES "public"."serial_items"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_transfers" ADD CONSTRAINT "site_transfers_to_lot_fk" FOREIGN KEY ("to_site_id","to_lot_id") REFERENCES "public"."lots"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_transfers" ADD CONSTRAINT "site_transfers_to_serial_fk" FOREIGN KEY ("to_site_id","to_serial_item_id") REFERENCES "public"."serial_items"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_transfers" ADD CONSTRAINT "site_transfers_from_location_fk" FOREIGN KEY ("from_site_id","from_location_id") REFERENCES "public"."storage_locations"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_transfers" ADD CONSTRAINT "site_transfers_to_location_fk" FOREIGN KEY ("to_site_id","to_location_id") REFERENCES "public"."storage_locations"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_transfers" ADD CONSTRAINT "site_transfers_ship_movement_fk" FOREIGN KEY ("from_site_id","ship_movement_id") REFERENCES "public"."movements"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_transfers" ADD CONSTRAINT "site_transfers_delivered_movement_fk" FOREIGN KEY ("from_site_id","delivered_movement_id") REFERENCES "public"."movements"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_transfers" ADD CONSTRAINT "site_transfers_receive_movement_fk" FOREIGN KEY ("to_site_id","receive_movement_id") REFERENCES "public"."movements"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "enterprise_holds_item_idx" ON "enterprise_holds" USING btree ("part_revision_id","item_number");--> statement-breakpoint
CREATE UNIQUE INDEX "site_transfers_serial_in_transit" ON "site_transfers" USING btree ("from_site_id","from_serial_item_id") WHERE "site_transfers"."status" = 'in_transit' and "site_transfers"."from_serial_item_id" is not null;--> statement-breakpoint
CREATE INDEX "site_transfers_incoming_idx" ON "site_transfers" USING btree ("to_site_id","status","shipped_at");--> statement-breakpoint
CREATE INDEX "site_transfers_outgoing_idx" ON "site_transfers" USING btree ("from_site_id","status","shipped_at");--> statement-breakpoint
CREATE INDEX "site_transfers_from_lot_idx" ON "site_transfers" USING btree ("from_site_id","from_lot_id");--> statement-breakpoint
CREATE INDEX "site_transfers_from_serial_idx" ON "site_transfers" USING btree ("from_site_id","from_serial_item_id");--> statement-breakpoint
CREATE INDEX "site_transfers_to_lot_idx" ON "site_transfers" USING btree ("to_site_id","to_lot_id");--> statement-breakpoint
CREATE INDEX "site_transfers_to_serial_idx" ON "site_transfers" USING btree ("to_site_id","to_serial_item_id");--> statement-breakpoint
CREATE INDEX "holds_enterprise_idx" ON "holds" USING btree ("enterprise_hold_id") WHERE "holds"."enterprise_hold_id" is not null;
--> statement-breakpoint
-- Every existing site gets the two virtual locations of site transfers (new sites get them where sites are created).
INSERT INTO "storage_locations" ("site_id", "code", "name", "kind", "is_physical")
SELECT s."id", 'V-IN-TRANSIT', 'In transit to other sites', 'in_transit', false FROM "sites" s
WHERE NOT EXISTS (SELECT 1 FROM "storage_locations" l WHERE l."site_id" = s."id" AND l."kind" = 'in_transit')
  AND NOT EXISTS (SELECT 1 FROM "storage_locations" l WHERE l."site_id" = s."id" AND l."code" = 'V-IN-TRANSIT');--> statement-breakpoint
INSERT INTO "storage_locations" ("site_id", "code", "name", "kind", "is_physical")
SELECT s."id", 'V-OTHER-SITES', 'Other sites (transfers)', 'other_sites', false FROM "sites" s
WHERE NOT EXISTS (SELECT 1 FROM "storage_locations" l WHERE l."site_id" = s."id" AND l."kind" = 'other_sites')
  AND NOT EXISTS (SELECT 1 FROM "storage_locations" l WHERE l."site_id" = s."id" AND l."code" = 'V-OTHER-SITES');--> statement-breakpoint
-- Enterprise holds are never changed or removed by the app (each site's hold is released on its own); a transfer is
-- never deleted (its receipt is an UPDATE of the receipt columns).
REVOKE UPDATE, DELETE, TRUNCATE ON "enterprise_holds" FROM traceline_app;--> statement-breakpoint
REVOKE DELETE, TRUNCATE ON "site_transfers" FROM traceline_app;
