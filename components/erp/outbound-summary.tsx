import { OUTBOX_STATUSES, StatusCounts } from "@/components/production/status-counts";
import { DateTime } from "@/components/ui/date-time";

export type OutboundSummaryData = {
  counts: { status: string; count: number }[];
  oldestUndeliveredAt: Date | null;
  blockedKeys: number;
  receiver: { name: string; mode: "push" | "pull"; format: string; url: string | null } | null;
};

function age(since: Date, now: Date): string {
  const s = Math.max(0, Math.round((now.getTime() - since.getTime()) / 1000));
  if (s < 90) return `${s} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} days`;
}

/**
 * The outbound side at a glance: where confirmations go, how many wait, fail or are dead letters, and the delivery lag
 * (the age of the oldest confirmation the ERP has not acknowledged). `now` is the page's render time.
 */
export function OutboundSummaryView({ summary, timeZone, now = new Date() }: { summary: OutboundSummaryData; timeZone: string; now?: Date }) {
  const r = summary.receiver;
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-800">
        {r ? (
          r.mode === "push" ? (
            <>
              Pushed to <strong>{r.name}</strong> ({r.format.toUpperCase()}) at <span className="font-mono">{r.url}</span>.
            </>
          ) : (
            <>
              Pulled by <strong>{r.name}</strong> ({r.format.toUpperCase()}) from <span className="font-mono">GET /api/erp/v1/confirmations</span>; acknowledged
              confirmations count as delivered.
            </>
          )
        ) : (
          <>No ERP connection receives this site&apos;s confirmations yet: they wait here. An administrator chooses push or pull in Admin &gt; ERP connections.</>
        )}
      </p>
      <StatusCounts label="Outbound confirmations" statuses={OUTBOX_STATUSES} counts={summary.counts} />
      <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
        <div>
          <dt className="inline font-semibold">Delivery lag: </dt>
          <dd className="inline">
            {summary.oldestUndeliveredAt ? (
              <>
                {age(summary.oldestUndeliveredAt, now)} (oldest waiting since <DateTime value={summary.oldestUndeliveredAt} timeZone={timeZone} />)
              </>
            ) : (
              "none: everything is delivered"
            )}
          </dd>
        </div>
        {summary.blockedKeys > 0 ? (
          <div className="font-semibold text-red-900">
            {summary.blockedKeys} work order{summary.blockedKeys === 1 ? " or item is" : "s or items are"} held behind a dead letter: nothing later of
            {summary.blockedKeys === 1 ? " it" : " them"} is sent until the dead letter is replayed.
          </div>
        ) : null}
      </dl>
    </div>
  );
}
