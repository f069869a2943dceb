import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { isUniqueViolation } from "./ledger";

/* Reconciliation runs: requested (on demand or by the daily schedule), claimed by one worker under a lease, progress
 * and cancellation written beside the run's own transaction, finished with figures or an error. */

export type RunRow = {
  siteId: string;
  id: string;
  number: number;
  status: "queued" | "running" | "completed" | "failed" | "cancelled";
  trigger: string;
  scheduledDay: string | null;
  requestedBy: string | null;
  requestedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** A phase code (components/erp/run-phase.tsx) and its values; runs finished before the codes hold an English sentence. */
  phase: string;
  phaseValues: Record<string, unknown>;
  progress: number;
  cancelRequestedAt: Date | null;
  snapshotKey: string | null;
  snapshotTakenAt: Date | null;
  figures: Record<string, unknown>;
  error: string | null;
};

type Raw = Record<string, unknown>;
const d = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

export function toRun(r: Raw): RunRow {
  return {
    siteId: r.site_id as string,
    id: r.id as string,
    number: Number(r.number),
    status: r.status as RunRow["status"],
    trigger: r.trigger as string,
    scheduledDay: (r.scheduled_day as string | null) ?? null,
    requestedBy: (r.requested_by as string | null) ?? null,
    requestedAt: new Date(r.requested_at as string),
    startedAt: d(r.started_at),
    finishedAt: d(r.finished_at),
    phase: r.phase as string,
    phaseValues: (r.phase_values as Record<string, unknown> | null) ?? {},
    progress: Number(r.progress),
    cancelRequestedAt: d(r.cancel_requested_at),
    snapshotKey: (r.snapshot_key as string | null) ?? null,
    snapshotTakenAt: d(r.snapshot_taken_at),
    figures: (r.figures as Record<string, unknown>) ?? {},
    error: (r.error as string | null) ?? null,
  };
}

const RUN_COLUMNS = sql`site_id, id, number, status::text as status, trigger, scheduled_day, requested_by, requested_at, started_at,
  finished_at, phase, phase_values, progress, cancel_requested_at, snapshot_key, snapshot_taken_at, figures, error`;

/**
 * Queue a run. One queued or running run per site (a unique index): asking again while one is active answers that
 * one (`created: false`); a scheduled run is also unique per site and day.
 */
export async function insertRun(
  db: DbOrTx,
  p: { siteId: string; trigger: "scheduled" | "on_demand"; requestedBy: string | null; now: Date; scheduledDay?: string | null },
): Promise<{ run: RunRow; created: boolean } | null> {
  try {
    const rows = await queryRows<Raw>(
      db,
      sql`insert into recon_runs (site_id, trigger, scheduled_day, requested_by, requested_at)
          values (${p.siteId}::uuid, ${p.trigger}, ${p.scheduledDay ?? null}, ${p.requestedBy}::uuid, ${p.now.toISOString()}::timestamptz)
          on conflict do nothing
          returning ${RUN_COLUMNS}`,
    );
    if (rows[0]) return { run: toRun(rows[0]), created: true };
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
  }
  const active = await activeRun(db, p.siteId);
  return active ? { run: active, created: false } : null;
}

export async function activeRun(db: DbOrTx, siteId: string): Promise<RunRow | null> {
  const rows = await queryRows<Raw>(db, sql`select ${RUN_COLUMNS} from recon_runs where site_id = ${siteId}::uuid and status in ('queued', 'running') limit 1`);
  return rows[0] ? toRun(rows[0]) : null;
}

export async function findRun(db: DbOrTx, siteId: string, runId: string): Promise<RunRow | null> {
  const rows = await queryRows<Raw>(db, sql`select ${RUN_COLUMNS} from recon_runs where site_id = ${siteId}::uuid and id = ${runId}::uuid`);
  return rows[0] ? toRun(rows[0]) : null;
}

/** Claim the oldest queued run (or a running one whose worker's lease ran out), for `leaseMs`. */
export async function claimRun(db: DbOrTx, p: { owner: string; now: Date; leaseMs: number; siteId?: string }): Promise<RunRow | null> {
  const now = sql`${p.now.toISOString()}::timestamptz`;
  const rows = await queryRows<Raw>(
    db,
    sql`update recon_runs r
        set status = 'running', lease_owner = ${p.owner}, lease_until = ${now} + ${`${p.leaseMs} milliseconds`}::interval,
            started_at = coalesce(r.started_at, ${now}), phase = 'starting', phase_values = '{}'::jsonb, progress = 0
        where (r.site_id, r.id) = (
          select site_id, id from recon_runs
          where (status = 'queued' or (status = 'running' and lease_until < ${now}))
            ${p.siteId ? sql`and site_id = ${p.siteId}::uuid` : sql``}
          order by requested_at limit 1 for update skip locked)
        returning r.site_id, r.id, r.number, r.status::text as status, r.trigger, r.scheduled_day, r.requested_by, r.requested_at,
          r.started_at, r.finished_at, r.phase, r.phase_values, r.progress, r.cancel_requested_at, r.snapshot_key, r.snapshot_taken_at, r.figures, r.error`,
  );
  return rows[0] ? toRun(rows[0]) : null;
}

/** Write the run's phase and progress (and extend its lease); answers whether someone asked to cancel it. */
export async function reportProgress(
  db: DbOrTx,
  p: { siteId: string; runId: string; owner: string; phase: string; phaseValues?: Record<string, unknown>; progress: number; now: Date; leaseMs: number },
): Promise<{ cancelRequested: boolean }> {
  const rows = await queryRows<{ cancel: boolean }>(
    db,
    sql`update recon_runs set phase = ${p.phase}, phase_values = ${JSON.stringify(p.phaseValues ?? {})}::jsonb, progress = ${Math.max(0, Math.min(100, Math.round(p.progress)))},
               lease_until = ${p.now.toISOString()}::timestamptz + ${`${p.leaseMs} milliseconds`}::interval
        where site_id = ${p.siteId}::uuid and id = ${p.runId}::uuid and lease_owner = ${p.owner} and status = 'running'
        returning cancel_requested_at is not null as cancel`,
  );
  return { cancelRequested: rows[0]?.cancel ?? true };
}

export async function cancelRequested(db: DbOrTx, siteId: string, runId: string): Promise<boolean> {
  const rows = await queryRows<{ cancel: boolean }>(
    db,
    sql`select cancel_requested_at is not null as cancel from recon_runs where site_id = ${siteId}::uuid and id = ${runId}::uuid`,
  );
  return rows[0]?.cancel ?? false;
}

export async function setRunSnapshot(db: DbOrTx, p: { siteId: string; runId: string; snapshotId: string; key: string; takenAt: Date }): Promise<void> {
  await db.execute(
    sql`update recon_runs set snapshot_id = ${p.snapshotId}::uuid, snapshot_key = ${p.key}, snapshot_taken_at = ${p.takenAt.toISOString()}::timestamptz
        where site_id = ${p.siteId}::uuid and id = ${p.runId}::uuid`,
  );
}

/** End a run: completed with its figures, failed with the error, or cancelled. Only the worker holding it may. */
export async function finishRun(
  db: DbOrTx,
  p: { siteId: string; runId: string; owner: string; status: "completed" | "failed" | "cancelled"; now: Date; figures?: Record<string, unknown>; error?: string; phase: string; phaseValues?: Record<string, unknown> },
): Promise<void> {
  await db.execute(
    sql`update recon_runs set status = ${p.status}::recon_run_status, finished_at = ${p.now.toISOString()}::timestamptz, phase = ${p.phase},
               phase_values = ${JSON.stringify(p.phaseValues ?? {})}::jsonb,
               progress = ${p.status === "completed" ? 100 : sql`progress`}, figures = coalesce(${p.figures ? JSON.stringify(p.figures) : null}::jsonb, figures),
               error = ${p.error ?? null}, lease_owner = null, lease_until = null
        where site_id = ${p.siteId}::uuid and id = ${p.runId}::uuid and lease_owner = ${p.owner}`,
  );
}

/**
 * Ask to cancel a run: a queued one is cancelled at once; a running one is flagged and its worker stops at its next
 * check (or interrupts the statement it is in), rolling back what the run wrote. Returns the run as it is now.
 */
export async function requestCancel(db: DbOrTx, p: { siteId: string; runId: string; userId: string; now: Date }): Promise<RunRow | null> {
  const now = sql`${p.now.toISOString()}::timestamptz`;
  const rows = await queryRows<Raw>(
    db,
    sql`update recon_runs
        set cancel_requested_at = coalesce(cancel_requested_at, ${now}), cancel_requested_by = coalesce(cancel_requested_by, ${p.userId}::uuid),
            status = case when status = 'queued' then 'cancelled'::recon_run_status else status end,
            finished_at = case when status = 'queued' then ${now} else finished_at end,
            phase = case when status = 'queued' then 'cancelledBeforeStart' else phase end,
            phase_values = case when status = 'queued' then '{}'::jsonb else phase_values end
        where site_id = ${p.siteId}::uuid and id = ${p.runId}::uuid and status in ('queued', 'running')
        returning ${RUN_COLUMNS}`,
  );
  return rows[0] ? toRun(rows[0]) : null;
}

/** Sites whose daily reconciliation is due now (time zone and daily time), for the scheduler. */
export async function scheduledSites(db: DbOrTx): Promise<{ siteId: string; timeZone: string; dailyAt: string }[]> {
  const rows = await queryRows<{ id: string; time_zone: string; recon_daily_at: string }>(
    db,
    sql`select id, time_zone, recon_daily_at from sites where recon_daily_at is not null order by code`,
  );
  return rows.map((r) => ({ siteId: r.id, timeZone: r.time_zone, dailyAt: r.recon_daily_at }));
}

/** Whether a scheduled run of this site-local day exists (any status). */
export async function hasScheduledRun(db: DbOrTx, siteId: string, day: string): Promise<boolean> {
  const rows = await queryRows<{ one: number }>(db, sql`select 1 as one from recon_runs where site_id = ${siteId}::uuid and scheduled_day = ${day} limit 1`);
  return rows.length > 0;
}

/** The server process of a connection (a transaction's), so a cancel request can interrupt its statement. */
export async function backendPid(db: DbOrTx): Promise<number | null> {
  const rows = await queryRows<{ pid: number }>(db, sql`select pg_backend_pid() as pid`);
  return rows[0]?.pid ?? null;
}

/** Interrupt the statement a server process is running (the run's transaction then rolls back). */
export async function cancelBackend(db: DbOrTx, pid: number): Promise<void> {
  await db.execute(sql`select pg_cancel_backend(${pid})`);
}

/** Set a site's daily reconciliation time; returns the previous one. */
export async function setDailyTime(db: DbOrTx, siteId: string, dailyAt: string | null): Promise<string | null> {
  const rows = await queryRows<{ old: string | null }>(
    db,
    sql`update sites s set recon_daily_at = ${dailyAt} from (select recon_daily_at as old from sites where id = ${siteId}::uuid for update) o
        where s.id = ${siteId}::uuid returning o.old`,
  );
  return rows[0]?.old ?? null;
}

export async function dailyTimeOf(db: DbOrTx, siteId: string): Promise<string | null> {
  const rows = await queryRows<{ at: string | null }>(db, sql`select recon_daily_at as at from sites where id = ${siteId}::uuid`);
  return rows[0]?.at ?? null;
}

/** The site's runs, newest first. */
export async function listRuns(db: DbOrTx, siteId: string, limit: number): Promise<RunRow[]> {
  const rows = await queryRows<Raw>(db, sql`select ${RUN_COLUMNS} from recon_runs where site_id = ${siteId}::uuid order by requested_at desc, number desc limit ${limit}`);
  return rows.map(toRun);
}

/** Completed runs, oldest first, for the trend (their figures: open exceptions, mismatch rate, ages, confirmation lag). */
export async function completedRuns(db: DbOrTx, siteId: string, limit: number): Promise<RunRow[]> {
  const rows = await queryRows<Raw>(
    db,
    sql`select * from (select ${RUN_COLUMNS} from recon_runs where site_id = ${siteId}::uuid and status = 'completed'
        order by finished_at desc limit ${limit}) r order by r.finished_at`,
  );
  return rows.map(toRun);
}
