-- The new location kind 'shipped' is used below (a shipped location for every existing site), and a value added by
-- ALTER TYPE ... ADD VALUE cannot be used before its transaction commits (the migrations run in one transaction): so the
-- type is rebuilt with the new value instead, and the two CHECKs that name the kind are rebuilt with it.
ALTER TYPE "public"."location_kind" RENAME TO "location_kind_before_0007";--> statement-breakpoint
CREATE TYPE "public"."location_kind" AS ENUM('stores', 'kitting', 'kit_cart', 'point_of_use', 'quarantine', 'erp_supply', 'consumed', 'scrap', 'returned_to_erp', 'production', 'shipped');--> statement-breakpoint
ALTER TABLE "storage_locations" DROP CONSTRAINT "storage_locations_physical_matches_kind";--> statement-breakpoint
ALTER TABLE "storage_locations" DROP CONSTRAINT "storage_locations_pou_has_station";--> statement-breakpoint
ALTER TABLE "storage_locations" ALTER COLUMN "kind" SET DATA TYPE "public"."location_kind" USING "kind"::text::"public"."location_kind";--> statement-breakpoint
ALTER TABLE "storage_locations" ADD CONSTRAINT "storage_locations_physical_matches_kind" CHECK ("storage_locations"."is_physical" = ("storage_locations"."kind" in ('stores','kitting','kit_cart','point_of_use','quarantine')));--> statement-breakpoint
ALTER TABLE "storage_locations" ADD CONSTRAINT "storage_locations_pou_has_station" CHECK (("storage_locations"."kind" = 'point_of_use') = ("storage_locations"."station_id" is not null));--> statement-breakpoint
DROP TYPE "public"."location_kind_before_0007";--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "shipped_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "shipped_to" text;--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "shipment_reference" text;--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "scrapped_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "scrap_reason" text;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_shipment_recorded" CHECK (("units"."status" = 'shipped') = ("units"."shipped_at" is not null and "units"."shipped_to" is not null));--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_scrap_recorded" CHECK (("units"."status" = 'scrapped') = ("units"."scrapped_at" is not null and "units"."scrap_reason" is not null));--> statement-breakpoint
-- Every existing site gets its virtual location for shipped units (new sites get it where sites are created).
INSERT INTO "storage_locations" ("site_id", "code", "name", "kind", "is_physical")
SELECT s."id", 'V-SHIPPED', 'Shipped to customers', 'shipped', false FROM "sites" s
WHERE NOT EXISTS (SELECT 1 FROM "storage_locations" l WHERE l."site_id" = s."id" AND l."kind" = 'shipped')
ON CONFLICT DO NOTHING;
