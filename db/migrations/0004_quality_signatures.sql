CREATE TABLE "signatures" (
	"site_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"signer_user_id" uuid NOT NULL,
	"printed_name" text NOT NULL,
	"meaning" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"time_zone" text NOT NULL,
	"record_type" text NOT NULL,
	"record_id" text NOT NULL,
	"content_hash" text NOT NULL,
	"auth_method" text NOT NULL,
	CONSTRAINT "signatures_pk" PRIMARY KEY("site_id","id"),
	CONSTRAINT "signatures_meaning_known" CHECK ("signatures"."meaning" in ('review', 'approval', 'hold', 'release', 'responsibility')),
	CONSTRAINT "signatures_auth_method_known" CHECK ("signatures"."auth_method" in ('password', 'pin')),
	CONSTRAINT "signatures_hash_is_sha256" CHECK ("signatures"."content_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
ALTER TABLE "holds" ADD COLUMN "placed_signature_id" uuid;--> statement-breakpoint
ALTER TABLE "holds" ADD COLUMN "released_signature_id" uuid;--> statement-breakpoint
ALTER TABLE "genealogy_edges" ADD COLUMN "substitution_reason" text;--> statement-breakpoint
ALTER TABLE "signatures" ADD CONSTRAINT "signatures_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signatures" ADD CONSTRAINT "signatures_signer_user_id_users_id_fk" FOREIGN KEY ("signer_user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "signatures_record_idx" ON "signatures" USING btree ("site_id","record_type","record_id");--> statement-breakpoint
CREATE INDEX "serial_items_supplier_lot_idx" ON "serial_items" USING btree ("site_id","supplier_lot");--> statement-breakpoint
CREATE INDEX "genealogy_edges_child_part_idx" ON "genealogy_edges" USING btree ("site_id","child_part_revision_id");--> statement-breakpoint
-- Invariant 12: signatures are never changed or removed.
CREATE TRIGGER signatures_append_only BEFORE UPDATE OR DELETE ON signatures FOR EACH ROW EXECUTE FUNCTION traceline_forbid_change();
--> statement-breakpoint
CREATE TRIGGER signatures_no_truncate BEFORE TRUNCATE ON signatures FOR EACH STATEMENT EXECUTE FUNCTION traceline_forbid_change();
--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON signatures FROM traceline_app;
--> statement-breakpoint
-- The substitution reason is part of the install record: like the rest, it cannot change once written.
CREATE OR REPLACE FUNCTION traceline_edge_close_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.removed_at IS NOT NULL THEN
    RAISE EXCEPTION 'APPEND_ONLY: genealogy edge % is already closed', OLD.id USING ERRCODE = 'P0001';
  END IF;
  IF (NEW.site_id, NEW.id, NEW.parent_serial_item_id, NEW.parent_unit_id, NEW.child_part_revision_id, NEW.child_serial_item_id,
      NEW.child_lot_id, NEW.quantity, NEW.find_number, NEW.operation_seq, NEW.operator_user_id, NEW.station_id, NEW.installed_at,
      NEW.parameters, NEW.movement_id, NEW.substitution_reason)
     IS DISTINCT FROM
     (OLD.site_id, OLD.id, OLD.parent_serial_item_id, OLD.parent_unit_id, OLD.child_part_revision_id, OLD.child_serial_item_id,
      OLD.child_lot_id, OLD.quantity, OLD.find_number, OLD.operation_seq, OLD.operator_user_id, OLD.station_id, OLD.installed_at,
      OLD.parameters, OLD.movement_id, OLD.substitution_reason) THEN
    RAISE EXCEPTION 'APPEND_ONLY: only the removal of genealogy edge % may be recorded', OLD.id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
