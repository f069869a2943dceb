import type { ReactNode } from "react";
import { useTranslations } from "next-intl";
import { OUTBOX_STATUSES, StatusCounts } from "@/components/production/status-counts";
import { DateTime } from "@/components/ui/date-time";

export type OutboundSummaryData = {
  counts: { status: string; count: number }[];
  oldestUndeliveredAt: Date | null;
  blockedKeys: number;
  receiver: { name: string; mode: "push" | "pull"; format: string; url: string | null } | null;
};

/** Where a pulling ERP reads its confirmations (an API path: the same in every language). */
const PULL_ENDPOINT = "GET /api/erp/v1/confirmations";

/** An age in the largest unit that keeps it readable: seconds under 90 s, minutes under 90 min, hours under 48 h, else days. */
function age(since: Date, now: Date): { unit: "s" | "min" | "h" | "d"; n: number } {
  const s = Math.max(0, Math.round((now.getTime() - since.getTime()) / 1000));
  if (s < 90) return { unit: "s", n: s };
  if (s < 90 * 60) return { unit: "min", n: Math.round(s / 60) };
  if (s < 48 * 3600) return { unit: "h", n: Math.round(s / 3600) };
  return { unit: "d", n: Math.round(s / 86400) };
}

/**
 * The outbound side at a glance: where confirmations go, how many wait, fail or are dead letters, and the delivery lag
 * (the age of the oldest confirmation the ERP has not acknowledged). `now` is the page's render time.
 */
export function OutboundSummaryView({ summary, timeZone, now = new Date() }: { summary: OutboundSummaryData; timeZone: string; now?: Date }) {
  const t = useTranslations("erp.outbound");
  const r = summary.receiver;
  const mono = (chunks: ReactNode) => <span className="font-mono">{chunks}</span>;
  const strong = (chunks: ReactNode) => <strong>{chunks}</strong>;
  const lag = summary.oldestUndeliveredAt ? age(summary.oldestUndeliveredAt, now) : null;
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-800">
        {r
          ? r.mode === "push"
            ? t.rich("pushed", { name: r.name, format: r.format.toUpperCase(), url: r.url ?? "", strong, mono })
            : t.rich("pulled", { name: r.name, format: r.format.toUpperCase(), endpoint: PULL_ENDPOINT, strong, mono })
          : t("noReceiver")}
      </p>
      <StatusCounts label={t("countsLabel")} statuses={OUTBOX_STATUSES} counts={summary.counts} />
      <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
        <div>
          <dt className="inline font-semibold">{t("lag")} </dt>
          <dd className="inline">
            {summary.oldestUndeliveredAt && lag
              ? t.rich("lagSince", {
                  age: t(`age.${lag.unit}`, { n: lag.n }),
                  since: () => <DateTime value={summary.oldestUndeliveredAt} timeZone={timeZone} />,
                })
              : t("noLag")}
          </dd>
        </div>
        {summary.blockedKeys > 0 ? <div className="font-semibold text-red-900">{t("blocked", { count: summary.blockedKeys })}</div> : null}
      </dl>
    </div>
  );
}
