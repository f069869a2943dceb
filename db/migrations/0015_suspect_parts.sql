CREATE TABLE "suspect_alert_holds" (
	"site_id" uuid NOT NULL,
	"alert_id" uuid NOT NULL,
	"hold_id" uuid NOT NULL,
	CONSTRAINT "suspect_alert_holds_pk" PRIMARY KEY("site_id","alert_id","hold_id")
);
--> statement-breakpoint
CREATE TABLE "suspect_alerts" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"manufacturer_code" text NOT NULL,
	"part_number" text NOT NULL,
	"lot_number" text,
	"date_code_from" text,
	"date_code_to" text,
	"description" text NOT NULL,
	"source" text NOT NULL,
	"source_line" integer,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"signature_id" uuid NOT NULL,
	CONSTRAINT "suspect_alerts_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "suspect_alerts_criteria_unique" UNIQUE NULLS NOT DISTINCT("site_id","reference","manufacturer_code","part_number","lot_number","date_code_from","date_code_to"),
	CONSTRAINT "suspect_alerts_source_known" CHECK ("suspect_alerts"."source" in ('entered', 'imported')),
	CONSTRAINT "suspect_alerts_date_codes" CHECK (("suspect_alerts"."date_code_from" is null) = ("suspect_alerts"."date_code_to" is null) and ("suspect_alerts"."date_code_from" is null or ("suspect_alerts"."date_code_from" ~ '^[0-9]{4}$' and "suspect_alerts"."date_code_to" ~ '^[0-9]{4}$' and "suspect_alerts"."date_code_from" <= "suspect_alerts"."date_code_to"))),
	CONSTRAINT "suspect_alerts_lot_or_date_codes" CHECK ("suspect_alerts"."lot_number" is null or "suspect_alerts"."date_code_from" is null)
);
--> statement-breakpoint
ALTER TABLE "manufacturers" ADD COLUMN "authorised_source" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "suppliers" ADD COLUMN "authorised_source" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "tools" ADD COLUMN "hold_affects_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "suspect_alert_holds" ADD CONSTRAINT "suspect_alert_holds_alert_fk" FOREIGN KEY ("site_id","alert_id") REFERENCES "public"."suspect_alerts"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suspect_alert_holds" ADD CONSTRAINT "suspect_alert_holds_hold_fk" FOREIGN KEY ("site_id","hold_id") REFERENCES "public"."holds"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suspect_alerts" ADD CONSTRAINT "suspect_alerts_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suspect_alerts" ADD CONSTRAINT "suspect_alerts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "suspect_alerts_created_idx" ON "suspect_alerts" USING btree ("site_id","created_at");--> statement-breakpoint
-- Hand-written: an alert's links to the holds it placed are never changed or removed by the app (the holds themselves
-- change only by their release, migration 0010).
REVOKE UPDATE, DELETE, TRUNCATE ON suspect_alert_holds FROM traceline_app;
--> statement-breakpoint
REVOKE DELETE, TRUNCATE ON suspect_alerts FROM traceline_app;
--> statement-breakpoint
-- A tool put on hold (or released) changes which units the WIP board marks: tell the board (migration 0011's feed).
CREATE TRIGGER tools_wip_notify AFTER INSERT OR UPDATE ON tools FOR EACH ROW EXECUTE FUNCTION traceline_wip_notify();
