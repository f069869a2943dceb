CREATE TYPE "public"."tool_status" AS ENUM('in_service', 'out_of_service');--> statement-breakpoint
CREATE TABLE "operator_qualifications" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"skill_id" uuid NOT NULL,
	"qualified_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"updated_by" uuid NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "operator_qualifications_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "operator_qualifications_user_skill_unique" UNIQUE("site_id","user_id","skill_id"),
	CONSTRAINT "operator_qualifications_expiry_after_start" CHECK ("operator_qualifications"."expires_at" is null or "operator_qualifications"."expires_at" > "operator_qualifications"."qualified_at")
);
--> statement-breakpoint
CREATE TABLE "skills" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "skills_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "skills_code_unique" UNIQUE("site_id","code")
);
--> statement-breakpoint
CREATE TABLE "tools" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"tool_class" text NOT NULL,
	"description" text NOT NULL,
	"calibrated_at" timestamp with time zone,
	"calibration_due_at" timestamp with time zone,
	"status" "tool_status" DEFAULT 'in_service' NOT NULL,
	"hold_reason" text,
	"held_at" timestamp with time zone,
	"held_by" uuid,
	"hold_signature_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tools_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "tools_code_unique" UNIQUE("site_id","code"),
	CONSTRAINT "tools_hold_complete" CHECK (("tools"."held_at" is null) = ("tools"."hold_reason" is null) and ("tools"."held_at" is null) = ("tools"."held_by" is null))
);
--> statement-breakpoint
ALTER TABLE "parts" ADD COLUMN "gtin" text;--> statement-breakpoint
ALTER TABLE "routing_operations" ADD COLUMN "required_skills" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "routing_operations" ADD COLUMN "required_tool_classes" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "serial_items" ADD COLUMN "uii" text;--> statement-breakpoint
ALTER TABLE "unit_operations" ADD COLUMN "tool_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "work_order_operations" ADD COLUMN "required_skills" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "work_order_operations" ADD COLUMN "required_tool_classes" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "genealogy_edges" ADD COLUMN "tool_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "operator_qualifications" ADD CONSTRAINT "operator_qualifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operator_qualifications" ADD CONSTRAINT "operator_qualifications_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operator_qualifications" ADD CONSTRAINT "operator_qualifications_skill_fk" FOREIGN KEY ("site_id","skill_id") REFERENCES "public"."skills"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "skills" ADD CONSTRAINT "skills_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tools" ADD CONSTRAINT "tools_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tools" ADD CONSTRAINT "tools_held_by_users_id_fk" FOREIGN KEY ("held_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "serial_items_uii_unique" ON "serial_items" USING btree ("site_id","uii") WHERE "serial_items"."uii" is not null;--> statement-breakpoint
CREATE INDEX "genealogy_edges_tools_idx" ON "genealogy_edges" USING gin ("tool_ids");--> statement-breakpoint
CREATE INDEX "genealogy_edges_operator_idx" ON "genealogy_edges" USING btree ("site_id","operator_user_id","installed_at");--> statement-breakpoint
ALTER TABLE "parts" ADD CONSTRAINT "parts_gtin_unique" UNIQUE("gtin");--> statement-breakpoint
ALTER TABLE "parts" ADD CONSTRAINT "parts_gtin_fourteen_digits" CHECK ("parts"."gtin" is null or "parts"."gtin" ~ '^[0-9]{14}$');