CREATE TABLE "ledger_check_marks" (
	"site_id" uuid PRIMARY KEY NOT NULL,
	"chain_seq" bigint NOT NULL,
	"chain_hash" text NOT NULL,
	"leg_id" bigint NOT NULL,
	"snapshot_xmin" text NOT NULL,
	"verified_at" timestamp with time zone NOT NULL,
	"run_id" uuid
);
--> statement-breakpoint
DROP INDEX "genealogy_edges_parent_idx";--> statement-breakpoint
DROP INDEX "genealogy_edges_child_serial_idx";--> statement-breakpoint
DROP INDEX "genealogy_edges_child_lot_idx";--> statement-breakpoint
ALTER TABLE "ledger_check_marks" ADD CONSTRAINT "ledger_check_marks_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "genealogy_edges_parent_idx" ON "genealogy_edges" USING btree ("site_id","parent_serial_item_id","child_serial_item_id","installed_at","removed_at");--> statement-breakpoint
CREATE INDEX "genealogy_edges_child_serial_idx" ON "genealogy_edges" USING btree ("site_id","child_serial_item_id","parent_serial_item_id","installed_at","removed_at");--> statement-breakpoint
CREATE INDEX "genealogy_edges_child_lot_idx" ON "genealogy_edges" USING btree ("site_id","child_lot_id","parent_serial_item_id","installed_at","removed_at");--> statement-breakpoint
-- Balances are a projection: the application changes them only through the ledger (UPDATE, INSERT of a new key) and
-- never deletes one. Without DELETE, a balance row can only change in ways the incremental ledger checks of a
-- reconciliation run see (its xmin moves); removing one takes the owner, and `npm run check:ledger` checks everything.
REVOKE DELETE, TRUNCATE ON stock_balances FROM traceline_app;
