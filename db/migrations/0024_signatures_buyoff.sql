CREATE TABLE "ncr_withdrawals" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"ncr_id" uuid NOT NULL,
	"round" integer NOT NULL,
	"disposition" text NOT NULL,
	"disposition_reason" text,
	"disposition_by" uuid,
	"disposition_at" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	"withdrawn_by" uuid NOT NULL,
	"withdrawn_at" timestamp with time zone NOT NULL,
	"signature_id" uuid NOT NULL,
	CONSTRAINT "ncr_withdrawals_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "ncr_withdrawals_one_per_round" UNIQUE("site_id","ncr_id","round")
);
--> statement-breakpoint
ALTER TABLE "mrb_signoffs" DROP CONSTRAINT "mrb_signoffs_one_per_role";--> statement-breakpoint
ALTER TABLE "mrb_signoffs" DROP CONSTRAINT "mrb_signoffs_distinct_signers";--> statement-breakpoint
ALTER TABLE "routing_operations" ADD COLUMN "inspection_required" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "unit_operations" ADD COLUMN "work_done_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "unit_operations" ADD COLUMN "work_done_by" uuid;--> statement-breakpoint
ALTER TABLE "unit_operations" ADD COLUMN "inspected_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "unit_operations" ADD COLUMN "inspected_by" uuid;--> statement-breakpoint
ALTER TABLE "unit_operations" ADD COLUMN "inspection_signature_id" uuid;--> statement-breakpoint
ALTER TABLE "work_order_operations" ADD COLUMN "inspection_required" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "deviations" ADD COLUMN "revoked_by" uuid;--> statement-breakpoint
ALTER TABLE "deviations" ADD COLUMN "revoked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "deviations" ADD COLUMN "revoke_reason" text;--> statement-breakpoint
ALTER TABLE "deviations" ADD COLUMN "revoke_signature_id" uuid;--> statement-breakpoint
ALTER TABLE "mrb_signoffs" ADD COLUMN "round" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "ncrs" ADD COLUMN "mrb_round" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "ncr_withdrawals" ADD CONSTRAINT "ncr_withdrawals_disposition_by_users_id_fk" FOREIGN KEY ("disposition_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ncr_withdrawals" ADD CONSTRAINT "ncr_withdrawals_withdrawn_by_users_id_fk" FOREIGN KEY ("withdrawn_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ncr_withdrawals" ADD CONSTRAINT "ncr_withdrawals_ncr_fk" FOREIGN KEY ("site_id","ncr_id") REFERENCES "public"."ncrs"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_operations" ADD CONSTRAINT "unit_operations_work_done_by_users_id_fk" FOREIGN KEY ("work_done_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_operations" ADD CONSTRAINT "unit_operations_inspected_by_users_id_fk" FOREIGN KEY ("inspected_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deviations" ADD CONSTRAINT "deviations_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mrb_signoffs" ADD CONSTRAINT "mrb_signoffs_one_per_role" UNIQUE("site_id","ncr_id","round","role");--> statement-breakpoint
ALTER TABLE "mrb_signoffs" ADD CONSTRAINT "mrb_signoffs_distinct_signers" UNIQUE("site_id","ncr_id","round","signer_user_id");--> statement-breakpoint
ALTER TABLE "unit_operations" ADD CONSTRAINT "unit_operations_inspection_complete" CHECK (("unit_operations"."inspected_at" is null) = ("unit_operations"."inspected_by" is null) and ("unit_operations"."inspected_at" is null) = ("unit_operations"."inspection_signature_id" is null));--> statement-breakpoint
ALTER TABLE "deviations" ADD CONSTRAINT "deviations_revoked_complete" CHECK (("deviations"."revoked_at" is null or "deviations"."status" = 'revoked') and ("deviations"."revoked_at" is null) = ("deviations"."revoke_signature_id" is null));--> statement-breakpoint
-- A withdrawal of a proposed MRB disposition is evidence, like the sign-offs: the app may add one, never change or remove it.
REVOKE UPDATE, DELETE, TRUNCATE ON ncr_withdrawals FROM traceline_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON ncr_withdrawals TO traceline_app;
