CREATE TYPE "public"."lot_clock_event_kind" AS ENUM('check_out', 'check_in', 'shelf_life_extended', 'mixed');--> statement-breakpoint
CREATE TYPE "public"."storage_class" AS ENUM('freezer', 'refrigerated', 'ambient', 'humidity_controlled');--> statement-breakpoint
ALTER TYPE "public"."movement_kind" ADD VALUE 'mix';--> statement-breakpoint
CREATE TABLE "lot_clock_events" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"lot_id" uuid NOT NULL,
	"kind" "lot_clock_event_kind" NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"from_location_id" uuid,
	"to_location_id" uuid,
	"movement_id" uuid,
	"actor_user_id" uuid,
	"out_time_used_seconds" integer NOT NULL,
	"thaw_started" boolean DEFAULT false NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"reason" text,
	CONSTRAINT "lot_clock_events_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "lot_clock_events_used_non_negative" CHECK ("lot_clock_events"."out_time_used_seconds" >= 0)
);
--> statement-breakpoint
CREATE TABLE "lot_inputs" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"child_lot_id" uuid NOT NULL,
	"input_lot_id" uuid NOT NULL,
	"quantity" numeric(18, 6) NOT NULL,
	"movement_id" uuid NOT NULL,
	"mixed_at" timestamp with time zone NOT NULL,
	"actor_user_id" uuid,
	CONSTRAINT "lot_inputs_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "lot_inputs_child_input_unique" UNIQUE("site_id","child_lot_id","input_lot_id"),
	CONSTRAINT "lot_inputs_quantity_positive" CHECK ("lot_inputs"."quantity" > 0),
	CONSTRAINT "lot_inputs_not_itself" CHECK ("lot_inputs"."child_lot_id" <> "lot_inputs"."input_lot_id")
);
--> statement-breakpoint
ALTER TABLE "storage_locations" ADD COLUMN "storage_class" "storage_class";--> statement-breakpoint
ALTER TABLE "parts" ADD COLUMN "min_thaw_minutes" integer;--> statement-breakpoint
ALTER TABLE "parts" ADD COLUMN "storage_class" "storage_class";--> statement-breakpoint
ALTER TABLE "parts" ADD COLUMN "pot_life_minutes" integer;--> statement-breakpoint
ALTER TABLE "lots" ADD COLUMN "out_time_used_seconds" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "lots" ADD COLUMN "thaw_started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "lot_clock_events" ADD CONSTRAINT "lot_clock_events_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_clock_events" ADD CONSTRAINT "lot_clock_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_clock_events" ADD CONSTRAINT "lot_clock_events_lot_fk" FOREIGN KEY ("site_id","lot_id") REFERENCES "public"."lots"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_clock_events" ADD CONSTRAINT "lot_clock_events_from_fk" FOREIGN KEY ("site_id","from_location_id") REFERENCES "public"."storage_locations"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_clock_events" ADD CONSTRAINT "lot_clock_events_to_fk" FOREIGN KEY ("site_id","to_location_id") REFERENCES "public"."storage_locations"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_inputs" ADD CONSTRAINT "lot_inputs_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_inputs" ADD CONSTRAINT "lot_inputs_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_inputs" ADD CONSTRAINT "lot_inputs_child_fk" FOREIGN KEY ("site_id","child_lot_id") REFERENCES "public"."lots"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_inputs" ADD CONSTRAINT "lot_inputs_input_fk" FOREIGN KEY ("site_id","input_lot_id") REFERENCES "public"."lots"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_inputs" ADD CONSTRAINT "lot_inputs_movement_fk" FOREIGN KEY ("site_id","movement_id") REFERENCES "public"."movements"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lot_clock_events_lot_idx" ON "lot_clock_events" USING btree ("site_id","lot_id","occurred_at");--> statement-breakpoint
CREATE INDEX "lot_inputs_input_idx" ON "lot_inputs" USING btree ("site_id","input_lot_id");--> statement-breakpoint
ALTER TABLE "parts" ADD CONSTRAINT "parts_min_thaw_positive" CHECK ("parts"."min_thaw_minutes" is null or "parts"."min_thaw_minutes" > 0);--> statement-breakpoint
ALTER TABLE "parts" ADD CONSTRAINT "parts_pot_life_positive" CHECK ("parts"."pot_life_minutes" is null or "parts"."pot_life_minutes" > 0);--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_out_time_used_non_negative" CHECK ("lots"."out_time_used_seconds" >= 0);--> statement-breakpoint
-- A lot's clock history and the inputs of a mixed lot are records: appended, never changed (trigger for everyone,
-- grants for the app role), like the ledger.
CREATE TRIGGER lot_clock_events_append_only BEFORE UPDATE OR DELETE ON lot_clock_events FOR EACH ROW EXECUTE FUNCTION traceline_forbid_change();
--> statement-breakpoint
CREATE TRIGGER lot_clock_events_no_truncate BEFORE TRUNCATE ON lot_clock_events FOR EACH STATEMENT EXECUTE FUNCTION traceline_forbid_change();
--> statement-breakpoint
CREATE TRIGGER lot_inputs_append_only BEFORE UPDATE OR DELETE ON lot_inputs FOR EACH ROW EXECUTE FUNCTION traceline_forbid_change();
--> statement-breakpoint
CREATE TRIGGER lot_inputs_no_truncate BEFORE TRUNCATE ON lot_inputs FOR EACH STATEMENT EXECUTE FUNCTION traceline_forbid_change();
--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON lot_clock_events, lot_inputs FROM traceline_app;
