CREATE TYPE "public"."recon_category" AS ENUM('in_flight', 'unconfirmed_movement', 'erp_side_adjustment', 'master_data_mismatch', 'uom_mismatch', 'unknown', 'ledger_integrity');--> statement-breakpoint
CREATE TYPE "public"."recon_exception_status" AS ENUM('open', 'investigating', 'resolved', 'accepted');--> statement-breakpoint
CREATE TYPE "public"."recon_resolution" AS ENUM('adjusted', 'correction_requested', 'accepted', 'cleared', 'no_longer_differs');--> statement-breakpoint
CREATE TYPE "public"."recon_run_status" AS ENUM('queued', 'running', 'completed', 'failed', 'cancelled');--> statement-breakpoint
ALTER TYPE "public"."movement_kind" ADD VALUE 'recon_adjustment';--> statement-breakpoint
CREATE TABLE "recon_exceptions" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"number" bigserial NOT NULL,
	"item_key" text NOT NULL,
	"category" "recon_category" NOT NULL,
	"severity" text DEFAULT 'normal' NOT NULL,
	"status" "recon_exception_status" DEFAULT 'open' NOT NULL,
	"part_revision_id" uuid,
	"lot_id" uuid,
	"serial_item_id" uuid,
	"location_id" uuid,
	"part_number" text,
	"revision" text,
	"lot_number" text,
	"serial_number" text,
	"location_code" text,
	"uom" text,
	"erp_revision" text,
	"erp_unit" text,
	"erp_quantity" numeric(18, 6),
	"traceline_quantity" numeric(18, 6),
	"difference" numeric(18, 6),
	"in_flight_quantity" numeric(18, 6),
	"unconfirmed_quantity" numeric(18, 6),
	"awaiting_message_ids" uuid[],
	"order_number" text,
	"explanation" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"detail" text,
	"owner_system" "owner_system" NOT NULL,
	"owner_role" "role" NOT NULL,
	"first_run_id" uuid NOT NULL,
	"last_run_id" uuid NOT NULL,
	"snapshot_key" text,
	"detected_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"status_changed_at" timestamp with time zone NOT NULL,
	"resolution" "recon_resolution",
	"resolution_reason" text,
	"resolved_by" uuid,
	"resolved_at" timestamp with time zone,
	"signature_id" uuid,
	"adjustment_movement_id" uuid,
	"correction_message_id" uuid,
	CONSTRAINT "recon_exceptions_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "recon_exceptions_severity_known" CHECK ("recon_exceptions"."severity" in ('normal', 'critical')),
	CONSTRAINT "recon_exceptions_closed_has_resolution" CHECK ("recon_exceptions"."status" in ('open', 'investigating') or "recon_exceptions"."resolution" is not null)
);
--> statement-breakpoint
CREATE TABLE "recon_runs" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"number" bigserial NOT NULL,
	"status" "recon_run_status" DEFAULT 'queued' NOT NULL,
	"trigger" text NOT NULL,
	"scheduled_day" text,
	"requested_by" uuid,
	"requested_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"phase" text DEFAULT 'Waiting for the worker' NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"cancel_requested_at" timestamp with time zone,
	"cancel_requested_by" uuid,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"snapshot_id" uuid,
	"snapshot_key" text,
	"snapshot_taken_at" timestamp with time zone,
	"figures" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text,
	CONSTRAINT "recon_runs_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "recon_runs_progress_range" CHECK ("recon_runs"."progress" between 0 and 100)
);
--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "recon_daily_at" text DEFAULT '02:00';--> statement-breakpoint
ALTER TABLE "recon_exceptions" ADD CONSTRAINT "recon_exceptions_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recon_exceptions" ADD CONSTRAINT "recon_exceptions_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recon_runs" ADD CONSTRAINT "recon_runs_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recon_runs" ADD CONSTRAINT "recon_runs_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recon_runs" ADD CONSTRAINT "recon_runs_cancel_requested_by_users_id_fk" FOREIGN KEY ("cancel_requested_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "recon_exceptions_one_live_per_key" ON "recon_exceptions" USING btree ("site_id","item_key") WHERE "recon_exceptions"."status" in ('open', 'investigating');--> statement-breakpoint
CREATE INDEX "recon_exceptions_key_idx" ON "recon_exceptions" USING btree ("site_id","item_key","status");--> statement-breakpoint
CREATE INDEX "recon_exceptions_list_idx" ON "recon_exceptions" USING btree ("site_id","status","detected_at");--> statement-breakpoint
CREATE UNIQUE INDEX "recon_runs_one_active" ON "recon_runs" USING btree ("site_id") WHERE "recon_runs"."status" in ('queued', 'running');--> statement-breakpoint
CREATE UNIQUE INDEX "recon_runs_scheduled_day" ON "recon_runs" USING btree ("site_id","scheduled_day") WHERE "recon_runs"."scheduled_day" is not null;--> statement-breakpoint
CREATE INDEX "recon_runs_site_time_idx" ON "recon_runs" USING btree ("site_id","requested_at");--> statement-breakpoint
CREATE INDEX "recon_runs_queued_idx" ON "recon_runs" USING btree ("requested_at") WHERE "recon_runs"."status" in ('queued', 'running');--> statement-breakpoint
CREATE INDEX "erp_outbox_reference_idx" ON "erp_outbox" USING btree ("site_id",("payload"->>'reference'));--> statement-breakpoint
ALTER TABLE "sites" ADD CONSTRAINT "sites_recon_daily_at_format" CHECK ("sites"."recon_daily_at" is null or "sites"."recon_daily_at" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$');