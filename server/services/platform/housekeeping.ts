import "server-only";
import type { Db } from "@/db/client";
import { requestPurgeCutoff, requestRetentionFrom } from "@/server/domain/shared/request-retention";
import { databaseNow, purgeRequestLog } from "@/server/repos/request-log";

/**
 * Purge the request log of rows past their retention (TRACELINE_REQUEST_LOG_RETENTION_DAYS, default 30, never under
 * 7: server/domain/shared/request-retention.ts). Returns how many rows went. The cut-off is counted from the
 * database's clock, the one its floor check (traceline_purge_request_log) uses, so an app server whose clock runs
 * ahead can never make the database refuse, or purge early.
 */
export async function purgeExpiredRequests(db: Db, setting = process.env.TRACELINE_REQUEST_LOG_RETENTION_DAYS): Promise<{ purged: number; days: number; warning: string | null }> {
  const retention = requestRetentionFrom(setting);
  const purged = await purgeRequestLog(db, requestPurgeCutoff(await databaseNow(db), retention.days));
  return { purged, ...retention };
}

export type HousekeepingHandle = { stop(): void };

/**
 * The worker's housekeeping: the request-log purge once at start and then every `everyMs` (default hourly). Any number
 * of workers may run it at once (the purge is one DELETE). Failures are logged and tried again next time.
 */
export function startHousekeeping(db: Db, o: { everyMs?: number; log?: (line: string) => void } = {}): HousekeepingHandle {
  const log = o.log ?? ((line: string) => console.log(line));
  let warned = false;
  const run = () => {
    purgeExpiredRequests(db)
      .then((r) => {
        if (r.warning && !warned) {
          warned = true;
          log(`housekeeping: ${r.warning}`);
        }
        if (r.purged > 0) log(`housekeeping: purged ${r.purged} request-log row(s) older than ${r.days} days`);
      })
      .catch((e: unknown) => log(`housekeeping: request-log purge failed (${(e as Error).message}); next try later`));
  };
  run();
  const timer = setInterval(run, o.everyMs ?? 3_600_000);
  timer.unref?.();
  return { stop: () => clearInterval(timer) };
}
