"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { cn } from "@/components/ui/cn";

/**
 * The header's material-alert badge (kitting clerks, supervisors, quality engineers): how many lots and serials on
 * the site's floor expire or run out of out-time within the site's horizons, red when some already have; a link to the
 * list. Read after the page (its own request, every minute), so no page waits for it.
 */
export function AlertBadge() {
  const t = useTranslations("alerts");
  const trpc = useTRPC();
  const count = useQuery({ ...trpc.alerts.count.queryOptions(), refetchInterval: 60_000 });
  const n = count.data?.count ?? null;
  const passed = count.data?.passed ?? 0;
  return (
    <Link
      href="/alerts"
      className="inline-flex min-h-12 items-center gap-2 rounded-md px-2 font-semibold text-white underline-offset-4 hover:underline"
      aria-label={n === null ? t("badgeShort") : `${t("badge", { count: n })}${passed > 0 ? `, ${t("badgePassed", { count: passed })}` : ""}`}
      data-testid="alert-badge"
    >
      {t("badgeShort")}
      {n !== null ? (
        <span className={cn("inline-flex min-w-7 items-center justify-center rounded-full px-2 text-sm font-bold", passed > 0 ? "bg-red-600" : n > 0 ? "bg-amber-500 text-slate-900" : "bg-slate-600")}>
          {n}
        </span>
      ) : null}
    </Link>
  );
}
