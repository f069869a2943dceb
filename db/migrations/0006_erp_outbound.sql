CREATE TYPE "public"."outbound_format" AS ENUM('json', 'b2mml', 'sap');--> statement-breakpoint
CREATE TYPE "public"."outbound_mode" AS ENUM('none', 'push', 'pull');--> statement-breakpoint
ALTER TYPE "public"."outbox_status" ADD VALUE 'dead';--> statement-breakpoint
CREATE TABLE "erp_outbox_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"site_id" uuid NOT NULL,
	"outbox_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"detail" jsonb,
	"actor_user_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "erp_outbox_pending_idx";--> statement-breakpoint
ALTER TABLE "erp_connections" ADD COLUMN "outbound_mode" "outbound_mode" DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "erp_connections" ADD COLUMN "outbound_format" "outbound_format" DEFAULT 'json' NOT NULL;--> statement-breakpoint
ALTER TABLE "erp_connections" ADD COLUMN "outbound_url" text;--> statement-breakpoint
ALTER TABLE "erp_connections" ADD COLUMN "outbound_secret" text;--> statement-breakpoint
ALTER TABLE "erp_connections" ADD COLUMN "outbound_secret_hint" text;--> statement-breakpoint
ALTER TABLE "erp_connections" ADD COLUMN "outbound_dedupes" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "erp_outbox" ADD COLUMN "ordering_key" text DEFAULT 'site' NOT NULL;--> statement-breakpoint
ALTER TABLE "erp_outbox" ADD COLUMN "feed_seq" bigint;--> statement-breakpoint
ALTER TABLE "erp_outbox" ADD COLUMN "lease_owner" text;--> statement-breakpoint
ALTER TABLE "erp_outbox" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "erp_outbox" ADD COLUMN "ambiguous" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "erp_outbox" ADD COLUMN "connection_id" uuid;--> statement-breakpoint
ALTER TABLE "erp_outbox_events" ADD CONSTRAINT "erp_outbox_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "erp_outbox_events_message_idx" ON "erp_outbox_events" USING btree ("site_id","outbox_id","at");--> statement-breakpoint
CREATE INDEX "erp_outbox_due_idx" ON "erp_outbox" USING btree ("next_attempt_at","id") WHERE "erp_outbox"."status" in ('pending', 'failed');--> statement-breakpoint
CREATE INDEX "erp_outbox_undelivered_key_idx" ON "erp_outbox" USING btree ("site_id","ordering_key","id") WHERE "erp_outbox"."status" <> 'delivered';--> statement-breakpoint
CREATE INDEX "erp_outbox_feed_idx" ON "erp_outbox" USING btree ("site_id","feed_seq") WHERE "erp_outbox"."feed_seq" is not null;--> statement-breakpoint
CREATE INDEX "erp_outbox_unstamped_idx" ON "erp_outbox" USING btree ("site_id","id") WHERE "erp_outbox"."feed_seq" is null;--> statement-breakpoint
CREATE INDEX "erp_outbox_status_idx" ON "erp_outbox" USING btree ("site_id","status","created_at");--> statement-breakpoint
-- Positions in the pull feed: stamped one stamper at a time, so they are handed out in commit order.
CREATE SEQUENCE "erp_outbox_feed_seq";--> statement-breakpoint
-- Rows written before ordering keys existed: a confirmation of an order is ordered within its order.
UPDATE "erp_outbox" SET "ordering_key" = 'order:' || ("payload"->>'order') WHERE "payload"->>'order' IS NOT NULL;--> statement-breakpoint
-- The delivery history is evidence: the application may add to it, never change or remove it.
REVOKE UPDATE, DELETE, TRUNCATE ON "erp_outbox_events" FROM traceline_app;
