CREATE TABLE "erp_connections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"source" text NOT NULL,
	"key_hash" text NOT NULL,
	"key_hint" text NOT NULL,
	"plant_sites" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_by" uuid,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "erp_connections_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "erp_inbox_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"inbox_id" bigint NOT NULL,
	"status" "inbox_status" NOT NULL,
	"detail" jsonb,
	"actor_user_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "erp_stock_snapshots" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"snapshot_key" text NOT NULL,
	"taken_at" timestamp with time zone NOT NULL,
	"lines" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "erp_stock_snapshots_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "erp_stock_snapshots_key_unique" UNIQUE("site_id","snapshot_key")
);
--> statement-breakpoint
ALTER TABLE "erp_inbox" ADD COLUMN "warnings" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "erp_inbox" ADD COLUMN "connection_id" uuid;--> statement-breakpoint
ALTER TABLE "erp_connections" ADD CONSTRAINT "erp_connections_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "erp_connections" ADD CONSTRAINT "erp_connections_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "erp_inbox_events" ADD CONSTRAINT "erp_inbox_events_inbox_id_erp_inbox_id_fk" FOREIGN KEY ("inbox_id") REFERENCES "public"."erp_inbox"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "erp_inbox_events" ADD CONSTRAINT "erp_inbox_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "erp_stock_snapshots" ADD CONSTRAINT "erp_stock_snapshots_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "erp_inbox_events_inbox_idx" ON "erp_inbox_events" USING btree ("inbox_id","at");