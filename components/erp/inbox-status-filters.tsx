import Link from "next/link";
import type { ReactNode } from "react";
import { useFormatter, useTranslations } from "next-intl";
import { StatusBadge } from "@/components/production/status-badge";
import { cn } from "@/components/ui/cn";

/**
 * Inbound message counts by status, each a link that filters the list to that status (every status shown, zero
 * included, so a problem that is absent reads as 0). `href(status)` keeps the other filters.
 */
export function InboxStatusFilters({
  statuses,
  counts,
  active,
  href,
}: {
  statuses: readonly string[];
  counts: { status: string; count: number }[];
  active: string | undefined;
  href: (status: string | undefined) => string;
}) {
  const t = useTranslations("erp.monitor");
  const format = useFormatter();
  const total = counts.reduce((n, c) => n + c.count, 0);
  const item = (key: string | undefined, label: ReactNode, n: number) => (
    <li key={key ?? "all"}>
      <Link
        href={href(key)}
        aria-current={active === key ? "true" : undefined}
        className={cn(
          "inline-flex min-h-9 items-center gap-2 rounded-md border px-2 py-1 hover:bg-slate-100",
          active === key ? "border-blue-700 bg-blue-50 ring-2 ring-blue-200" : "border-slate-300 bg-white",
        )}
      >
        {label}
        <span className="tabular-nums font-semibold">{format.number(n)}</span>
      </Link>
    </li>
  );
  return (
    <ul className="flex flex-wrap gap-2" aria-label={t("byStatus")}>
      {item(undefined, <span className="text-sm font-semibold">{t("allStatuses")}</span>, total)}
      {statuses.map((s) => item(s, <StatusBadge status={s} />, counts.find((c) => c.status === s)?.count ?? 0))}
    </ul>
  );
}
