/**
 * How long the request log keeps a request's outcome (pure). A retry of a request must find its first delivery's
 * outcome (invariant 7), so a row is kept at least MIN_REQUEST_RETENTION_DAYS: far longer than the longest session
 * (12 hours) during which a station or browser can resend a request id it has not had an answer for. The database
 * enforces the same floor (traceline_purge_request_log refuses younger cut-offs). Configurable upward with
 * TRACELINE_REQUEST_LOG_RETENTION_DAYS (default 30).
 */
export const MIN_REQUEST_RETENTION_DAYS = 7;
export const DEFAULT_REQUEST_RETENTION_DAYS = 30;

const DAY_MS = 86_400_000;

export type RequestRetention = { days: number; warning: string | null };

/** The retention from its setting: whole days, at least the floor (a lower or unreadable setting is raised, and said). */
export function requestRetentionFrom(setting: string | undefined): RequestRetention {
  if (setting === undefined || setting.trim() === "") return { days: DEFAULT_REQUEST_RETENTION_DAYS, warning: null };
  const days = Number(setting);
  if (!Number.isInteger(days)) {
    return { days: DEFAULT_REQUEST_RETENTION_DAYS, warning: `TRACELINE_REQUEST_LOG_RETENTION_DAYS="${setting}" is not a whole number of days; keeping ${DEFAULT_REQUEST_RETENTION_DAYS} days.` };
  }
  if (days < MIN_REQUEST_RETENTION_DAYS) {
    return { days: MIN_REQUEST_RETENTION_DAYS, warning: `TRACELINE_REQUEST_LOG_RETENTION_DAYS=${days} is below the floor: a retry may still need a request's outcome; keeping ${MIN_REQUEST_RETENTION_DAYS} days.` };
  }
  return { days, warning: null };
}

/** Rows created before this moment may be purged. */
export function requestPurgeCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - Math.max(days, MIN_REQUEST_RETENTION_DAYS) * DAY_MS);
}
