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
ALTER TABLE "unit_operations" ADD CONSTRAINT "unit_operations_work_done_by_users_id_fk" FOREIGN KEY ("work_done_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_operations" ADD CONSTRAINT "unit_operations_inspected_by_users_id_fk" FOREIGN KEY ("inspected_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deviations" ADD CONSTRAINT "deviations_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_operations" ADD CONSTRAINT "unit_operations_inspection_complete" CHECK (("unit_operations"."inspected_at" is null) = ("unit_operations"."inspected_by" is null) and ("unit_operations"."inspected_at" is null) = ("unit_operations"."inspection_signature_id" is null));--> statement-breakpoint
ALTER TABLE "deviations" ADD CONSTRAINT "deviations_revoked_complete" CHECK (("deviations"."revoked_at" is null or "deviations"."status" = 'revoked') and ("deviations"."revoked_at" is null) = ("deviations"."revoke_signature_id" is null));