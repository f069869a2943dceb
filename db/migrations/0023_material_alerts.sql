ALTER TABLE "sites" ADD COLUMN "alert_out_time_minutes" integer DEFAULT 1440 NOT NULL;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "alert_shelf_life_days" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
CREATE INDEX "lots_expires_idx" ON "lots" USING btree ("site_id","expires_at") WHERE "lots"."expires_at" is not null;--> statement-breakpoint
CREATE INDEX "lots_out_time_idx" ON "lots" USING btree ("site_id") WHERE "lots"."out_time_started_at" is not null or "lots"."out_time_used_seconds" > 0;--> statement-breakpoint
CREATE INDEX "serial_items_expires_idx" ON "serial_items" USING btree ("site_id","expires_at") WHERE "serial_items"."expires_at" is not null;--> statement-breakpoint
ALTER TABLE "sites" ADD CONSTRAINT "sites_alert_horizons_range" CHECK ("sites"."alert_out_time_minutes" between 1 and 43200 and "sites"."alert_shelf_life_days" between 1 and 730);