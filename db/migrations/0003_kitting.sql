CREATE TYPE "public"."kit_scope" AS ENUM('work_order', 'operation', 'unit');--> statement-breakpoint
CREATE TYPE "public"."kit_status" AS ENUM('planned', 'picking', 'complete', 'short', 'issued', 'closed', 'cancelled');--> statement-breakpoint
CREATE TABLE "allowed_lots" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"work_order_id" uuid NOT NULL,
	"work_order_bom_line_id" uuid,
	"part_revision_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"added_by" uuid NOT NULL,
	"added_at" timestamp with time zone NOT NULL,
	"removed_by" uuid,
	"removed_at" timestamp with time zone,
	CONSTRAINT "allowed_lots_pk" PRIMARY KEY("site_id","id")
);
--> statement-breakpoint
CREATE TABLE "kit_lines" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"kit_id" uuid NOT NULL,
	"work_order_bom_line_id" uuid NOT NULL,
	"part_revision_id" uuid NOT NULL,
	"required_qty" numeric(18, 6) NOT NULL,
	"short_qty" numeric(18, 6) DEFAULT '0' NOT NULL,
	"short_reason" text,
	CONSTRAINT "kit_lines_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "kit_lines_bom_line_unique" UNIQUE("site_id","kit_id","work_order_bom_line_id"),
	CONSTRAINT "kit_lines_required_positive" CHECK ("kit_lines"."required_qty" > 0),
	CONSTRAINT "kit_lines_short_within_required" CHECK ("kit_lines"."short_qty" >= 0 and "kit_lines"."short_qty" <= "kit_lines"."required_qty"),
	CONSTRAINT "kit_lines_short_has_reason" CHECK ("kit_lines"."short_qty" = 0 or "kit_lines"."short_reason" is not null)
);
--> statement-breakpoint
CREATE TABLE "kit_picks" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"kit_id" uuid NOT NULL,
	"kit_line_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"part_revision_id" uuid NOT NULL,
	"lot_id" uuid,
	"serial_item_id" uuid,
	"quantity" numeric(18, 6) NOT NULL,
	"picked_by" uuid NOT NULL,
	"picked_at" timestamp with time zone NOT NULL,
	"request_id" uuid,
	CONSTRAINT "kit_picks_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "kit_picks_quantity_positive" CHECK ("kit_picks"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "kits" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"work_order_id" uuid NOT NULL,
	"scope" "kit_scope" NOT NULL,
	"operation_seq" integer,
	"unit_id" uuid,
	"station_id" uuid,
	"status" "kit_status" DEFAULT 'planned' NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"issued_by" uuid,
	"issued_at" timestamp with time zone,
	"issue_movement_id" uuid,
	CONSTRAINT "kits_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "kits_number_unique" UNIQUE("site_id","number"),
	CONSTRAINT "kits_scope_consistent" CHECK (("kits"."scope" = 'operation') = ("kits"."operation_seq" is not null) and ("kits"."scope" = 'unit') = ("kits"."unit_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "allowed_lots" ADD CONSTRAINT "allowed_lots_part_revision_id_part_revisions_id_fk" FOREIGN KEY ("part_revision_id") REFERENCES "public"."part_revisions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowed_lots" ADD CONSTRAINT "allowed_lots_added_by_users_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowed_lots" ADD CONSTRAINT "allowed_lots_removed_by_users_id_fk" FOREIGN KEY ("removed_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowed_lots" ADD CONSTRAINT "allowed_lots_wo_fk" FOREIGN KEY ("site_id","work_order_id") REFERENCES "public"."work_orders"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowed_lots" ADD CONSTRAINT "allowed_lots_line_fk" FOREIGN KEY ("site_id","work_order_bom_line_id") REFERENCES "public"."work_order_bom_lines"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowed_lots" ADD CONSTRAINT "allowed_lots_lot_fk" FOREIGN KEY ("site_id","lot_id") REFERENCES "public"."lots"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kit_lines" ADD CONSTRAINT "kit_lines_part_revision_id_part_revisions_id_fk" FOREIGN KEY ("part_revision_id") REFERENCES "public"."part_revisions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kit_lines" ADD CONSTRAINT "kit_lines_kit_fk" FOREIGN KEY ("site_id","kit_id") REFERENCES "public"."kits"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kit_lines" ADD CONSTRAINT "kit_lines_bom_line_fk" FOREIGN KEY ("site_id","work_order_bom_line_id") REFERENCES "public"."work_order_bom_lines"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kit_picks" ADD CONSTRAINT "kit_picks_part_revision_id_part_revisions_id_fk" FOREIGN KEY ("part_revision_id") REFERENCES "public"."part_revisions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kit_picks" ADD CONSTRAINT "kit_picks_picked_by_users_id_fk" FOREIGN KEY ("picked_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kit_picks" ADD CONSTRAINT "kit_picks_kit_fk" FOREIGN KEY ("site_id","kit_id") REFERENCES "public"."kits"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kit_picks" ADD CONSTRAINT "kit_picks_line_fk" FOREIGN KEY ("site_id","kit_line_id") REFERENCES "public"."kit_lines"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kit_picks" ADD CONSTRAINT "kit_picks_location_fk" FOREIGN KEY ("site_id","location_id") REFERENCES "public"."storage_locations"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kit_picks" ADD CONSTRAINT "kit_picks_lot_fk" FOREIGN KEY ("site_id","lot_id") REFERENCES "public"."lots"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kit_picks" ADD CONSTRAINT "kit_picks_serial_fk" FOREIGN KEY ("site_id","serial_item_id") REFERENCES "public"."serial_items"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kits" ADD CONSTRAINT "kits_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kits" ADD CONSTRAINT "kits_issued_by_users_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kits" ADD CONSTRAINT "kits_work_order_fk" FOREIGN KEY ("site_id","work_order_id") REFERENCES "public"."work_orders"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kits" ADD CONSTRAINT "kits_unit_fk" FOREIGN KEY ("site_id","unit_id") REFERENCES "public"."units"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kits" ADD CONSTRAINT "kits_station_fk" FOREIGN KEY ("site_id","station_id") REFERENCES "public"."stations"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kits" ADD CONSTRAINT "kits_issue_movement_fk" FOREIGN KEY ("site_id","issue_movement_id") REFERENCES "public"."movements"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "allowed_lots_wo_idx" ON "allowed_lots" USING btree ("site_id","work_order_id","part_revision_id") WHERE "allowed_lots"."removed_at" is null;--> statement-breakpoint
CREATE INDEX "kit_picks_kit_idx" ON "kit_picks" USING btree ("site_id","kit_id");--> statement-breakpoint
CREATE INDEX "kits_work_order_idx" ON "kits" USING btree ("site_id","work_order_id");