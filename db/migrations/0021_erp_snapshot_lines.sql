CREATE TABLE "erp_stock_snapshot_lines" (
	"site_id" uuid NOT NULL,
	"snapshot_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"part_number" text,
	"revision" text,
	"lot_number" text,
	"serial_number" text,
	"location" text,
	"unit" text,
	"quantity" numeric,
	CONSTRAINT "erp_stock_snapshot_lines_pk" PRIMARY KEY("site_id","snapshot_id","line_no")
);
--> statement-breakpoint
ALTER TABLE "erp_stock_snapshot_lines" ADD CONSTRAINT "erp_stock_snapshot_lines_snapshot_fk" FOREIGN KEY ("site_id","snapshot_id") REFERENCES "public"."erp_stock_snapshots"("site_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- The lines are derived from the snapshot's `lines`, written here at every insert and at every update that changes them
-- (a resend of a snapshot key replaces its lines): the application role reads them and never writes them itself.
CREATE FUNCTION erp_stock_snapshot_lines_sync() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM erp_stock_snapshot_lines WHERE site_id = OLD.site_id AND snapshot_id = OLD.id;
  END IF;
  INSERT INTO erp_stock_snapshot_lines (site_id, snapshot_id, line_no, part_number, revision, lot_number, serial_number, location, unit, quantity)
  SELECT NEW.site_id, NEW.id, l.n, l.v->>'partNumber', l.v->>'revision', l.v->>'lotNumber', l.v->>'serialNumber', l.v->>'location',
         l.v->>'unit', (l.v->>'quantity')::numeric
  FROM jsonb_array_elements(NEW.lines) WITH ORDINALITY AS l(v, n);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER erp_stock_snapshot_lines_insert AFTER INSERT ON erp_stock_snapshots FOR EACH ROW EXECUTE FUNCTION erp_stock_snapshot_lines_sync();
--> statement-breakpoint
CREATE TRIGGER erp_stock_snapshot_lines_update AFTER UPDATE OF lines ON erp_stock_snapshots FOR EACH ROW
  WHEN (OLD.lines IS DISTINCT FROM NEW.lines) EXECUTE FUNCTION erp_stock_snapshot_lines_sync();
--> statement-breakpoint
INSERT INTO erp_stock_snapshot_lines (site_id, snapshot_id, line_no, part_number, revision, lot_number, serial_number, location, unit, quantity)
SELECT s.site_id, s.id, l.n, l.v->>'partNumber', l.v->>'revision', l.v->>'lotNumber', l.v->>'serialNumber', l.v->>'location',
       l.v->>'unit', (l.v->>'quantity')::numeric
FROM erp_stock_snapshots s CROSS JOIN LATERAL jsonb_array_elements(s.lines) WITH ORDINALITY AS l(v, n);
--> statement-breakpoint
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON erp_stock_snapshot_lines FROM traceline_app;
--> statement-breakpoint
GRANT SELECT ON erp_stock_snapshot_lines TO traceline_app;
