CREATE TABLE "hash_chain" (
	"site_key" text NOT NULL,
	"seq" bigint NOT NULL,
	"kind" text NOT NULL,
	"row_id" text NOT NULL,
	"prev_hash" text NOT NULL,
	"row_hash" text NOT NULL,
	"chained_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hash_chain_pk" PRIMARY KEY("site_key","seq"),
	CONSTRAINT "hash_chain_row_once" UNIQUE("kind","site_key","row_id")
);
--> statement-breakpoint
CREATE TABLE "hash_chain_heads" (
	"site_key" text PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"last_hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hash_chain_pending" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"row_id" text NOT NULL,
	"site_key" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "request_log_created_idx" ON "request_log" USING btree ("created_at");--> statement-breakpoint
ALTER TABLE "request_log" DROP CONSTRAINT "request_log_pk";
--> statement-breakpoint
ALTER TABLE "request_log" ADD CONSTRAINT "request_log_pk" PRIMARY KEY("site_id","actor_user_id","request_id");--> statement-breakpoint
-- Hand-written: request-log retention (issue 15, Must 9). The app role may not DELETE request_log rows (a deleted row
-- lets a retry take effect twice); the worker purges old rows through this function, which runs as its owner and never
-- removes a row younger than 7 days (a retry could still need it: sessions last at most 12 hours, and a station keeps an
-- unanswered request id until it is answered). Keep the floor in step with MIN_REQUEST_RETENTION_DAYS
-- (server/domain/shared/request-retention.ts).
CREATE OR REPLACE FUNCTION traceline_purge_request_log(older_than timestamptz) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  purged integer;
BEGIN
  IF older_than IS NULL OR older_than > clock_timestamp() - interval '7 days' THEN
    RAISE EXCEPTION 'REQUEST_LOG_RETENTION: request_log rows younger than 7 days are kept (a retry may still need them), asked to purge before %', older_than
      USING ERRCODE = 'P0001';
  END IF;
  DELETE FROM request_log WHERE created_at < older_than;
  GET DIAGNOSTICS purged = ROW_COUNT;
  RETURN purged;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION traceline_purge_request_log(timestamptz) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION traceline_purge_request_log(timestamptz) TO traceline_app;
--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON request_log FROM traceline_app;
--> statement-breakpoint
-- Hand-written: the hash chain of the audit log and the ledger, per site (issue 15, Must 8). Each audit row and each
-- movement (with its legs) gets one hash_chain entry at its transaction's commit: row_hash = sha256(prev_hash, newline,
-- canonical content). Statement triggers note the new rows in hash_chain_pending; a deferred constraint trigger seals
-- them at commit: it locks the heads of the sites concerned in site order (after every other lock of the transaction,
-- so no cycle), appends the entries in order and moves the heads. Concurrent postings of one site serialise only for
-- that last step. The content is a fixed list of columns in UTC, so adding a column later does not break the chain.
CREATE OR REPLACE FUNCTION traceline_chain_hash(prev text, content text) RETURNS text
  LANGUAGE sql IMMUTABLE AS $$ SELECT encode(sha256(convert_to(prev || E'\n' || coalesce(content, ''), 'UTF8')), 'hex') $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION traceline_audit_content(p_id bigint) RETURNS text
  LANGUAGE sql STABLE SET "TimeZone" TO 'UTC' AS $$
  SELECT jsonb_build_object('id', a.id, 'site_id', a.site_id, 'occurred_at', a.occurred_at, 'actor_user_id', a.actor_user_id,
           'actor_name', a.actor_name, 'action', a.action, 'entity', a.entity, 'entity_id', a.entity_id, 'old_value', a.old_value,
           'new_value', a.new_value, 'reason', a.reason, 'request_id', a.request_id)::text
  FROM audit_log a WHERE a.id = p_id $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION traceline_movement_content(p_site uuid, p_id uuid) RETURNS text
  LANGUAGE sql STABLE SET "TimeZone" TO 'UTC' AS $$
  SELECT jsonb_build_object('site_id', m.site_id, 'id', m.id, 'kind', m.kind, 'request_id', m.request_id, 'actor_user_id', m.actor_user_id,
           'occurred_at', m.occurred_at, 'recorded_at', m.recorded_at, 'reason', m.reason, 'reference', m.reference,
           'legs', coalesce((SELECT jsonb_agg(jsonb_build_object('id', l.id, 'location_id', l.location_id, 'part_revision_id', l.part_revision_id,
                                    'lot_id', l.lot_id, 'serial_item_id', l.serial_item_id, 'quantity', l.quantity) ORDER BY l.id)
                             FROM movement_legs l WHERE l.site_id = m.site_id AND l.movement_id = m.id), '[]'::jsonb))::text
  FROM movements m WHERE m.site_id = p_site AND m.id = p_id $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION traceline_chain_collect() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_TABLE_NAME = 'audit_log' THEN
    INSERT INTO hash_chain_pending (kind, row_id, site_key) SELECT 'audit', n.id::text, coalesce(n.site_id::text, 'enterprise') FROM new_rows n ORDER BY n.id;
  ELSE
    INSERT INTO hash_chain_pending (kind, row_id, site_key) SELECT 'movement', n.id::text, n.site_id::text FROM new_rows n;
  END IF;
  PERFORM set_config('traceline.chain_pending', '1', true);
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Seal every pending row visible to this transaction (its own: another transaction's are invisible until it commits,
-- and it seals and removes them before). Returns how many were chained.
CREATE OR REPLACE FUNCTION traceline_chain_seal_pending() RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  kinds text[];
  ids text[];
  keys text[];
  n integer;
  s bigint;
  prev text;
  h text;
BEGIN
  WITH taken AS (DELETE FROM hash_chain_pending RETURNING id, kind, row_id, site_key)
  SELECT array_agg(kind ORDER BY site_key, id), array_agg(row_id ORDER BY site_key, id), array_agg(site_key ORDER BY site_key, id)
    INTO kinds, ids, keys FROM taken;
  IF kinds IS NULL THEN RETURN 0; END IF;
  n := array_length(kinds, 1);
  INSERT INTO hash_chain_heads (site_key, seq, last_hash)
    SELECT k, 0, '' FROM (SELECT DISTINCT k FROM unnest(keys) k) d ORDER BY k ON CONFLICT DO NOTHING;
  PERFORM 1 FROM hash_chain_heads WHERE site_key = ANY(keys) ORDER BY site_key FOR UPDATE;
  FOR i IN 1..n LOOP
    IF i = 1 OR keys[i] <> keys[i - 1] THEN
      IF i > 1 THEN UPDATE hash_chain_heads SET seq = s, last_hash = prev WHERE site_key = keys[i - 1]; END IF;
      SELECT hh.seq, hh.last_hash INTO s, prev FROM hash_chain_heads hh WHERE hh.site_key = keys[i];
    END IF;
    h := traceline_chain_hash(prev, CASE kinds[i] WHEN 'audit' THEN traceline_audit_content(ids[i]::bigint)
                                                  ELSE traceline_movement_content(keys[i]::uuid, ids[i]::uuid) END);
    s := s + 1;
    INSERT INTO hash_chain (site_key, seq, kind, row_id, prev_hash, row_hash) VALUES (keys[i], s, kinds[i], ids[i], prev, h);
    prev := h;
  END LOOP;
  UPDATE hash_chain_heads SET seq = s, last_hash = prev WHERE site_key = keys[n];
  RETURN n;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION traceline_chain_seal() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  -- one deferred event per pending row; the first seals them all, the rest return here
  IF coalesce(current_setting('traceline.chain_pending', true), '') = '1' THEN
    PERFORM set_config('traceline.chain_pending', '0', true);
    PERFORM traceline_chain_seal_pending();
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_log_chain AFTER INSERT ON audit_log REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION traceline_chain_collect();
--> statement-breakpoint
CREATE TRIGGER movements_chain AFTER INSERT ON movements REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION traceline_chain_collect();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER hash_chain_pending_seal AFTER INSERT ON hash_chain_pending DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION traceline_chain_seal();
--> statement-breakpoint
CREATE TRIGGER hash_chain_append_only BEFORE UPDATE OR DELETE ON hash_chain FOR EACH ROW EXECUTE FUNCTION traceline_forbid_change();
--> statement-breakpoint
CREATE TRIGGER hash_chain_no_truncate BEFORE TRUNCATE ON hash_chain FOR EACH STATEMENT EXECUTE FUNCTION traceline_forbid_change();
--> statement-breakpoint
-- What exists already is chained, per site in the order it was written.
INSERT INTO hash_chain_pending (kind, row_id, site_key)
  SELECT kind, row_id, site_key FROM (
    SELECT 'movement' AS kind, m.id::text AS row_id, m.site_id::text AS site_key, m.recorded_at AS at, 0 AS ord, m.id::text AS tiebreak FROM movements m
    UNION ALL
    SELECT 'audit', a.id::text, coalesce(a.site_id::text, 'enterprise'), a.occurred_at, 1, lpad(a.id::text, 20, '0') FROM audit_log a) x
  ORDER BY site_key, at, ord, tiebreak;
--> statement-breakpoint
SELECT traceline_chain_seal_pending();
--> statement-breakpoint
-- The app role reads the chain; only the definer functions above write it.
REVOKE ALL ON hash_chain, hash_chain_heads, hash_chain_pending FROM traceline_app;
--> statement-breakpoint
GRANT SELECT ON hash_chain, hash_chain_heads, hash_chain_pending TO traceline_app;
--> statement-breakpoint
REVOKE ALL ON FUNCTION traceline_chain_seal_pending() FROM PUBLIC;
--> statement-breakpoint
-- Holds change state only by their release, once (columns granted, trigger for everyone); signatures, audit and ledger
-- rows were append-only already (0001, 0004).
REVOKE UPDATE, DELETE, TRUNCATE ON holds FROM traceline_app;
--> statement-breakpoint
GRANT UPDATE (released_by, released_at, release_reason, released_signature_id) ON holds TO traceline_app;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION traceline_hold_release_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'APPEND_ONLY: hold % cannot be removed; release it', OLD.id USING ERRCODE = 'P0001';
  END IF;
  IF OLD.released_at IS NOT NULL THEN
    RAISE EXCEPTION 'APPEND_ONLY: hold % is already released', OLD.id USING ERRCODE = 'P0001';
  END IF;
  IF (NEW.site_id, NEW.id, NEW.target_type, NEW.target_id, NEW.reason, NEW.placed_by, NEW.placed_at, NEW.placed_signature_id)
     IS DISTINCT FROM (OLD.site_id, OLD.id, OLD.target_type, OLD.target_id, OLD.reason, OLD.placed_by, OLD.placed_at, OLD.placed_signature_id) THEN
    RAISE EXCEPTION 'APPEND_ONLY: only the release of hold % may be recorded', OLD.id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER holds_release_only BEFORE UPDATE OR DELETE ON holds FOR EACH ROW EXECUTE FUNCTION traceline_hold_release_only();
--> statement-breakpoint
CREATE TRIGGER holds_no_truncate BEFORE TRUNCATE ON holds FOR EACH STATEMENT EXECUTE FUNCTION traceline_forbid_change();
--> statement-breakpoint
-- The application logs in as traceline_app (db/client.ts), never as the owner. Created here when missing, able to log in
-- but with no password: under password authentication nobody can log in as it until an administrator gives it one
-- (docs/deployment.md); it is never a superuser and owns nothing.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'traceline_app') THEN
    CREATE ROLE traceline_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
  ELSE
    BEGIN
      ALTER ROLE traceline_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'traceline_app exists and this user may not alter it; make sure it can log in and is not a superuser';
    END;
  END IF;
END $$;
--> statement-breakpoint
-- The app (logged in as traceline_app) checks at start that the owner has applied every migration.
GRANT USAGE ON SCHEMA drizzle TO traceline_app;
--> statement-breakpoint
GRANT SELECT ON drizzle.__drizzle_migrations TO traceline_app;
