ALTER TABLE "recon_runs" ALTER COLUMN "phase" SET DEFAULT 'waiting';--> statement-breakpoint
ALTER TABLE "recon_runs" ADD COLUMN "phase_values" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
-- Runs written before phase codes (recon_runs.phase held an English sentence): the fixed sentences become their codes,
-- the finished ones their code and figures, so they read in every language (components/erp/run-phase.tsx).
UPDATE "recon_runs" SET "phase" = CASE "phase"
    WHEN 'Waiting for the worker' THEN 'waiting'
    WHEN 'Starting' THEN 'starting'
    WHEN 'Explaining exceptions with their movements and confirmations' THEN 'explaining'
    WHEN 'No ERP stock snapshot for this site yet: checking the ledger only' THEN 'noSnapshot'
    WHEN 'Checking the ledger (npm run check:ledger)' THEN 'checkingLedger'
    WHEN 'Cancelled: nothing of this run was kept' THEN 'cancelled'
    WHEN 'Cancelled before it started' THEN 'cancelledBeforeStart'
    WHEN 'Failed' THEN 'failed'
    ELSE "phase" END;--> statement-breakpoint
UPDATE "recon_runs" SET "phase" = 'done',
    "phase_values" = jsonb_build_object('differences', m[1]::int, 'opened', m[2]::int, 'failed', m[3]::int)
  FROM (SELECT "site_id" AS s, "id" AS i,
               regexp_match("phase", '^Done: (\d+) difference\(s\), (\d+) new exception\(s\), (\d+) ledger check\(s\) failed$') AS m
        FROM "recon_runs") AS parsed
  WHERE "site_id" = parsed.s AND "id" = parsed.i AND parsed.m IS NOT NULL;--> statement-breakpoint
UPDATE "recon_runs" SET "phase" = 'doneNoSnapshot', "phase_values" = jsonb_build_object('failed', m[1]::int)
  FROM (SELECT "site_id" AS s, "id" AS i, regexp_match("phase", '^Done without an ERP snapshot: (\d+) ledger check\(s\) failed$') AS m
        FROM "recon_runs") AS parsed
  WHERE "site_id" = parsed.s AND "id" = parsed.i AND parsed.m IS NOT NULL;
