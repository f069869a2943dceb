CREATE TABLE "deviations" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"number" integer NOT NULL,
	"designed_part_revision_id" uuid NOT NULL,
	"substitute_kind" text NOT NULL,
	"substitute_part_revision_id" uuid,
	"substitute_manufacturer_id" uuid,
	"substitute_lot_id" uuid,
	"work_order_id" uuid,
	"unit_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"reason" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"quantity_limit" numeric(18, 6) NOT NULL,
	"quantity_used" numeric(18, 6) DEFAULT '0' NOT NULL,
	"status" text DEFAULT 'approved' NOT NULL,
	"approved_by" uuid NOT NULL,
	"approved_at" timestamp with time zone NOT NULL,
	"approval_signature_id" uuid NOT NULL,
	"ncr_id" uuid,
	CONSTRAINT "deviations_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "deviations_number_unique" UNIQUE("site_id","number"),
	CONSTRAINT "deviations_kind_known" CHECK ("deviations"."substitute_kind" in ('part', 'revision', 'manufacturer', 'lot')),
	CONSTRAINT "deviations_substitute_named" CHECK (case "deviations"."substitute_kind"
            when 'part' then "deviations"."substitute_part_revision_id" is not null
            when 'revision' then "deviations"."substitute_part_revision_id" is not null
            when 'manufacturer' then "deviations"."substitute_manufacturer_id" is not null
            when 'lot' then "deviations"."substitute_lot_id" is not null end),
	CONSTRAINT "deviations_scope" CHECK (("deviations"."work_order_id" is not null) <> (cardinality("deviations"."unit_ids") > 0)),
	CONSTRAINT "deviations_quantity" CHECK ("deviations"."quantity_limit" > 0 and "deviations"."quantity_used" >= 0 and "deviations"."quantity_used" <= "deviations"."quantity_limit"),
	CONSTRAINT "deviations_status_known" CHECK ("deviations"."status" in ('approved', 'revoked'))
);
--> statement-breakpoint
CREATE TABLE "mrb_signoffs" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"ncr_id" uuid NOT NULL,
	"role" "role" NOT NULL,
	"signer_user_id" uuid NOT NULL,
	"signature_id" uuid NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "mrb_signoffs_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "mrb_signoffs_one_per_role" UNIQUE("site_id","ncr_id","role"),
	CONSTRAINT "mrb_signoffs_distinct_signers" UNIQUE("site_id","ncr_id","signer_user_id")
);
--> statement-breakpoint
CREATE TABLE "ncr_attachments" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"ncr_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"data" "bytea" NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"uploaded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ncr_attachments_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "ncr_attachments_type_known" CHECK ("ncr_attachments"."content_type" in ('image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/pdf')),
	CONSTRAINT "ncr_attachments_size" CHECK ("ncr_attachments"."size_bytes" between 1 and 5242880 and octet_length("ncr_attachments"."data") = "ncr_attachments"."size_bytes")
);
--> statement-breakpoint
CREATE TABLE "ncrs" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"number" integer NOT NULL,
	"source" text NOT NULL,
	"defect" text NOT NULL,
	"target_type" text NOT NULL,
	"part_revision_id" uuid,
	"lot_id" uuid,
	"serial_item_id" uuid,
	"unit_id" uuid,
	"operation_seq" integer,
	"edge_id" uuid,
	"station_id" uuid,
	"location_id" uuid,
	"quantity" numeric(18, 6) NOT NULL,
	"description" text NOT NULL,
	"raised_by" uuid NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"hold_id" uuid,
	"status" text DEFAULT 'open' NOT NULL,
	"disposition" text,
	"disposition_reason" text,
	"disposition_by" uuid,
	"disposition_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"movement_id" uuid,
	CONSTRAINT "ncrs_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "ncrs_number_unique" UNIQUE("site_id","number"),
	CONSTRAINT "ncrs_source_known" CHECK ("ncrs"."source" in ('station', 'kitting', 'quality')),
	CONSTRAINT "ncrs_defect_known" CHECK ("ncrs"."defect" in ('removed', 'refused', 'failed_parameter', 'damaged', 'other')),
	CONSTRAINT "ncrs_target_known" CHECK ("ncrs"."target_type" in ('lot', 'serial', 'part_revision', 'unit', 'operation')),
	CONSTRAINT "ncrs_target_complete" CHECK (case "ncrs"."target_type"
            when 'lot' then "ncrs"."lot_id" is not null and "ncrs"."part_revision_id" is not null
            when 'serial' then "ncrs"."serial_item_id" is not null and "ncrs"."part_revision_id" is not null
            when 'part_revision' then "ncrs"."part_revision_id" is not null
            when 'unit' then "ncrs"."unit_id" is not null
            when 'operation' then "ncrs"."unit_id" is not null and "ncrs"."operation_seq" is not null end),
	CONSTRAINT "ncrs_quantity_positive" CHECK ("ncrs"."quantity" > 0),
	CONSTRAINT "ncrs_status_known" CHECK ("ncrs"."status" in ('open', 'pending_signoff', 'closed')),
	CONSTRAINT "ncrs_disposition_known" CHECK ("ncrs"."disposition" is null or "ncrs"."disposition" in ('use_as_is', 'repair', 'rework', 'scrap', 'return_to_supplier')),
	CONSTRAINT "ncrs_disposition_complete" CHECK (("ncrs"."status" = 'open') = ("ncrs"."disposition" is null) and ("ncrs"."disposition" is null) = ("ncrs"."disposition_at" is null)),
	CONSTRAINT "ncrs_closed_complete" CHECK (("ncrs"."status" = 'closed') = ("ncrs"."closed_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "mrb_signer_roles" "role"[] DEFAULT '{quality_engineer}'::role[] NOT NULL;--> statement-breakpoint
ALTER TABLE "genealogy_edges" ADD COLUMN "deviation_id" uuid;--> statement-breakpoint
ALTER TABLE "deviations" ADD CONSTRAINT "deviations_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deviations" ADD CONSTRAINT "deviations_designed_part_revision_id_part_revisions_id_fk" FOREIGN KEY ("designed_part_revision_id") REFERENCES "public"."part_revisions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deviations" ADD CONSTRAINT "deviations_substitute_part_revision_id_part_revisions_id_fk" FOREIGN KEY ("substitute_part_revision_id") REFERENCES "public"."part_revisions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deviations" ADD CONSTRAINT "deviations_substitute_manufacturer_id_manufacturers_id_fk" FOREIGN KEY ("substitute_manufacturer_id") REFERENCES "public"."manufacturers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deviations" ADD CONSTRAINT "deviations_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deviations" ADD CONSTRAINT "deviations_lot_fk" FOREIGN KEY ("site_id","substitute_lot_id") REFERENCES "public"."lots"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deviations" ADD CONSTRAINT "deviations_work_order_fk" FOREIGN KEY ("site_id","work_order_id") REFERENCES "public"."work_orders"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deviations" ADD CONSTRAINT "deviations_ncr_fk" FOREIGN KEY ("site_id","ncr_id") REFERENCES "public"."ncrs"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mrb_signoffs" ADD CONSTRAINT "mrb_signoffs_signer_user_id_users_id_fk" FOREIGN KEY ("signer_user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mrb_signoffs" ADD CONSTRAINT "mrb_signoffs_ncr_fk" FOREIGN KEY ("site_id","ncr_id") REFERENCES "public"."ncrs"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ncr_attachments" ADD CONSTRAINT "ncr_attachments_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ncr_attachments" ADD CONSTRAINT "ncr_attachments_ncr_fk" FOREIGN KEY ("site_id","ncr_id") REFERENCES "public"."ncrs"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ncrs" ADD CONSTRAINT "ncrs_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ncrs" ADD CONSTRAINT "ncrs_part_revision_id_part_revisions_id_fk" FOREIGN KEY ("part_revision_id") REFERENCES "public"."part_revisions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ncrs" ADD CONSTRAINT "ncrs_raised_by_users_id_fk" FOREIGN KEY ("raised_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ncrs" ADD CONSTRAINT "ncrs_disposition_by_users_id_fk" FOREIGN KEY ("disposition_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ncrs" ADD CONSTRAINT "ncrs_lot_fk" FOREIGN KEY ("site_id","lot_id") REFERENCES "public"."lots"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ncrs" ADD CONSTRAINT "ncrs_serial_fk" FOREIGN KEY ("site_id","serial_item_id") REFERENCES "public"."serial_items"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ncrs" ADD CONSTRAINT "ncrs_unit_fk" FOREIGN KEY ("site_id","unit_id") REFERENCES "public"."units"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ncrs" ADD CONSTRAINT "ncrs_station_fk" FOREIGN KEY ("site_id","station_id") REFERENCES "public"."stations"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ncrs" ADD CONSTRAINT "ncrs_location_fk" FOREIGN KEY ("site_id","location_id") REFERENCES "public"."storage_locations"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ncrs" ADD CONSTRAINT "ncrs_hold_fk" FOREIGN KEY ("site_id","hold_id") REFERENCES "public"."holds"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ncrs" ADD CONSTRAINT "ncrs_movement_fk" FOREIGN KEY ("site_id","movement_id") REFERENCES "public"."movements"("site_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deviations_designed_idx" ON "deviations" USING btree ("site_id","designed_part_revision_id");--> statement-breakpoint
CREATE INDEX "ncr_attachments_ncr_idx" ON "ncr_attachments" USING btree ("site_id","ncr_id");--> statement-breakpoint
CREATE INDEX "ncrs_status_idx" ON "ncrs" USING btree ("site_id","status","raised_at");--> statement-breakpoint
CREATE INDEX "ncrs_lot_idx" ON "ncrs" USING btree ("site_id","lot_id");--> statement-breakpoint
CREATE INDEX "ncrs_serial_idx" ON "ncrs" USING btree ("site_id","serial_item_id");--> statement-breakpoint
CREATE INDEX "ncrs_unit_idx" ON "ncrs" USING btree ("site_id","unit_id");--> statement-breakpoint
CREATE INDEX "ncrs_edge_idx" ON "ncrs" USING btree ("site_id","edge_id");--> statement-breakpoint
CREATE INDEX "genealogy_edges_deviation_idx" ON "genealogy_edges" USING btree ("site_id","deviation_id") WHERE "genealogy_edges"."deviation_id" is not null;--> statement-breakpoint
ALTER TABLE "sites" ADD CONSTRAINT "sites_mrb_signer_roles_not_empty" CHECK (cardinality("sites"."mrb_signer_roles") between 1 and 5);--> statement-breakpoint
ALTER TABLE "genealogy_edges" ADD CONSTRAINT "genealogy_edges_deviation_has_reason" CHECK ("genealogy_edges"."deviation_id" is null or "genealogy_edges"."substitution_reason" is not null);--> statement-breakpoint
-- An install under a deviation names it (same site); an edge's substitution columns are written with the install only.
ALTER TABLE "genealogy_edges" ADD CONSTRAINT "genealogy_edges_deviation_fk" FOREIGN KEY ("site_id","deviation_id") REFERENCES "public"."deviations"("site_id","id");
--> statement-breakpoint
CREATE OR REPLACE FUNCTION traceline_edge_close_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.removed_at IS NOT NULL THEN
    RAISE EXCEPTION 'APPEND_ONLY: genealogy edge % is already closed', OLD.id USING ERRCODE = 'P0001';
  END IF;
  IF (NEW.site_id, NEW.id, NEW.parent_serial_item_id, NEW.parent_unit_id, NEW.child_part_revision_id, NEW.child_serial_item_id,
      NEW.child_lot_id, NEW.quantity, NEW.find_number, NEW.operation_seq, NEW.operator_user_id, NEW.station_id, NEW.installed_at,
      NEW.parameters, NEW.movement_id, NEW.substitution_reason, NEW.deviation_id)
     IS DISTINCT FROM
     (OLD.site_id, OLD.id, OLD.parent_serial_item_id, OLD.parent_unit_id, OLD.child_part_revision_id, OLD.child_serial_item_id,
      OLD.child_lot_id, OLD.quantity, OLD.find_number, OLD.operation_seq, OLD.operator_user_id, OLD.station_id, OLD.installed_at,
      OLD.parameters, OLD.movement_id, OLD.substitution_reason, OLD.deviation_id) THEN
    RAISE EXCEPTION 'APPEND_ONLY: only the removal of genealogy edge % may be recorded', OLD.id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
-- MRB sign-offs and attachments are evidence: the app may add them, never change or remove them. NCRs and deviations
-- are never deleted (their state moves forward; signatures bind to their content).
REVOKE UPDATE, DELETE, TRUNCATE ON mrb_signoffs, ncr_attachments FROM traceline_app;
--> statement-breakpoint
REVOKE DELETE, TRUNCATE ON ncrs, deviations FROM traceline_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON ncrs, deviations TO traceline_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON mrb_signoffs, ncr_attachments TO traceline_app;
