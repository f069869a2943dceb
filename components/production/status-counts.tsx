import { StatusBadge } from "./status-badge";

/** Message counts by status, every known status shown (zero included) so a missing problem reads as zero, not blank. */
export function StatusCounts({ label, statuses, counts }: { label: string; statuses: readonly string[]; counts: { status: string; count: number }[] }) {
  const total = counts.reduce((n, c) => n + c.count, 0);
  return (
    <div>
      <p className="text-sm font-semibold text-slate-800">
        {label}: <span className="tabular-nums">{total}</span>
      </p>
      <dl className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
        {statuses.map((s) => (
          <div key={s} className="flex items-center gap-1">
            <dt>
              <StatusBadge status={s} />
            </dt>
            <dd className="tabular-nums font-semibold">{counts.find((c) => c.status === s)?.count ?? 0}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

export const INBOX_STATUSES = ["received", "applied", "duplicate", "overtaken", "held", "rejected", "dead_letter"] as const;
export const OUTBOX_STATUSES = ["pending", "failed", "dead", "delivered"] as const;
