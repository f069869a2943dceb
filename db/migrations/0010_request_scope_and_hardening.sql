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
