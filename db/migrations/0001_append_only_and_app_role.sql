-- Invariants 1, 10 and 11: the ledger and the audit trail are append-only, genealogy edges are closed, never deleted.
-- Triggers stop everyone (owner included); grants stop the application role even before the trigger fires.
CREATE OR REPLACE FUNCTION traceline_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'APPEND_ONLY: % rows cannot be changed or removed (%); record a compensating entry instead', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'P0001';
END $$;
--> statement-breakpoint
CREATE TRIGGER movements_append_only BEFORE UPDATE OR DELETE ON movements FOR EACH ROW EXECUTE FUNCTION traceline_forbid_change();
--> statement-breakpoint
CREATE TRIGGER movements_no_truncate BEFORE TRUNCATE ON movements FOR EACH STATEMENT EXECUTE FUNCTION traceline_forbid_change();
--> statement-breakpoint
CREATE TRIGGER movement_legs_append_only BEFORE UPDATE OR DELETE ON movement_legs FOR EACH ROW EXECUTE FUNCTION traceline_forbid_change();
--> statement-breakpoint
CREATE TRIGGER movement_legs_no_truncate BEFORE TRUNCATE ON movement_legs FOR EACH STATEMENT EXECUTE FUNCTION traceline_forbid_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION traceline_forbid_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION traceline_forbid_change();
--> statement-breakpoint
CREATE TRIGGER genealogy_edges_no_delete BEFORE DELETE ON genealogy_edges FOR EACH ROW EXECUTE FUNCTION traceline_forbid_change();
--> statement-breakpoint
CREATE TRIGGER genealogy_edges_no_truncate BEFORE TRUNCATE ON genealogy_edges FOR EACH STATEMENT EXECUTE FUNCTION traceline_forbid_change();
--> statement-breakpoint
-- An edge may only be closed once (removal columns set), and nothing else about it may change.
CREATE OR REPLACE FUNCTION traceline_edge_close_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.removed_at IS NOT NULL THEN
    RAISE EXCEPTION 'APPEND_ONLY: genealogy edge % is already closed', OLD.id USING ERRCODE = 'P0001';
  END IF;
  IF (NEW.site_id, NEW.id, NEW.parent_serial_item_id, NEW.parent_unit_id, NEW.child_part_revision_id, NEW.child_serial_item_id,
      NEW.child_lot_id, NEW.quantity, NEW.find_number, NEW.operation_seq, NEW.operator_user_id, NEW.station_id, NEW.installed_at,
      NEW.parameters, NEW.movement_id)
     IS DISTINCT FROM
     (OLD.site_id, OLD.id, OLD.parent_serial_item_id, OLD.parent_unit_id, OLD.child_part_revision_id, OLD.child_serial_item_id,
      OLD.child_lot_id, OLD.quantity, OLD.find_number, OLD.operation_seq, OLD.operator_user_id, OLD.station_id, OLD.installed_at,
      OLD.parameters, OLD.movement_id) THEN
    RAISE EXCEPTION 'APPEND_ONLY: only the removal of genealogy edge % may be recorded', OLD.id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER genealogy_edges_close_only BEFORE UPDATE ON genealogy_edges FOR EACH ROW EXECUTE FUNCTION traceline_edge_close_only();
--> statement-breakpoint
-- The application role: the app switches to it after migrating (see db/client.ts).
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'traceline_app') THEN
    CREATE ROLE traceline_app NOLOGIN;
  END IF;
END $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO traceline_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO traceline_app;
--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO traceline_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO traceline_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO traceline_app;
--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON movements, movement_legs, audit_log FROM traceline_app;
--> statement-breakpoint
REVOKE DELETE, TRUNCATE ON genealogy_edges FROM traceline_app;
