CREATE INDEX "unit_operations_wo_op_idx" ON "unit_operations" USING btree ("site_id","work_order_operation_id","status");--> statement-breakpoint
CREATE INDEX "unit_operations_completed_idx" ON "unit_operations" USING btree ("site_id","completed_at") WHERE "unit_operations"."completed_at" is not null;--> statement-breakpoint
-- Hand-written: the WIP board's change feed. Every committed change to what the board shows (a scan or completion, a
-- unit's status, a hold, a kit, staged or consumed stock, a lot's out-time, a released order) notifies the channel
-- traceline_wip with the site's id; the app LISTENs (server/services/wip/board-feed.ts) and tells the site's open boards
-- over server-sent events. NOTIFY is transactional: delivered at commit, never for a rolled-back change, and repeated
-- notifications of one transaction with the same payload are delivered once.
CREATE FUNCTION traceline_wip_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('traceline_wip', OLD.site_id::text);
  ELSE
    PERFORM pg_notify('traceline_wip', NEW.site_id::text);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER unit_operations_wip_notify AFTER INSERT OR UPDATE OR DELETE ON unit_operations FOR EACH ROW EXECUTE FUNCTION traceline_wip_notify();
--> statement-breakpoint
CREATE TRIGGER units_wip_notify AFTER INSERT OR UPDATE OR DELETE ON units FOR EACH ROW EXECUTE FUNCTION traceline_wip_notify();
--> statement-breakpoint
CREATE TRIGGER work_orders_wip_notify AFTER INSERT OR UPDATE OR DELETE ON work_orders FOR EACH ROW EXECUTE FUNCTION traceline_wip_notify();
--> statement-breakpoint
CREATE TRIGGER holds_wip_notify AFTER INSERT OR UPDATE OR DELETE ON holds FOR EACH ROW EXECUTE FUNCTION traceline_wip_notify();
--> statement-breakpoint
CREATE TRIGGER kits_wip_notify AFTER INSERT OR UPDATE OR DELETE ON kits FOR EACH ROW EXECUTE FUNCTION traceline_wip_notify();
--> statement-breakpoint
CREATE TRIGGER stock_balances_wip_notify AFTER INSERT OR UPDATE OR DELETE ON stock_balances FOR EACH ROW EXECUTE FUNCTION traceline_wip_notify();
--> statement-breakpoint
CREATE TRIGGER lots_wip_notify AFTER UPDATE ON lots FOR EACH ROW EXECUTE FUNCTION traceline_wip_notify();
--> statement-breakpoint
CREATE TRIGGER genealogy_edges_wip_notify AFTER INSERT OR UPDATE ON genealogy_edges FOR EACH ROW EXECUTE FUNCTION traceline_wip_notify();
