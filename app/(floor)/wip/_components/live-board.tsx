"use client";

import dynamic from "next/dynamic";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useQuery } from "@tanstack/react-query";
import { useWipLive, type Connection } from "@/app/_components/use-wip-live";
import { useTRPC } from "@/components/providers/trpc-provider";
import { blockerLabel, type WipT } from "@/components/wip/blocker-words";
import { WipBoardView } from "@/components/wip/wip-board-view";
import { EmptyState } from "@/components/ui/empty-state";
import { LoadingPanel } from "@/components/ui/loading-panel";
import type { BlockerKind } from "@/server/domain/wip/blockers";
import type { WipBoard, WipCell, WipFilters } from "@/server/domain/wip/board";

function FiguresLoading() {
  const t = useTranslations("wip.figures");
  return <LoadingPanel label={t("loading")} rows={2} />;
}

// The charts (recharts) load after the board: the board is what a supervisor looks at first.
const WipFiguresView = dynamic(() => import("@/components/wip/wip-figures").then((m) => m.WipFiguresView), {
  ssr: false,
  loading: () => <FiguresLoading />,
});

const time = (d: Date, timeZone: string) => new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", second: "2-digit" }).format(d);

export function ConnectionLine({ connection, timeZone }: { connection: Connection; timeZone: string }) {
  const t = useTranslations("wip.connection");
  const heard = connection.lastHeardAt ? time(connection.lastHeardAt, timeZone) : t("notYet");
  if (connection.state === "lost") {
    return (
      <p role="alert" className="rounded-md border-2 border-red-800 bg-red-100 p-3 text-lg font-bold text-red-900">
        {t("lost", { hasSince: connection.lostSince ? "yes" : "no", since: connection.lostSince ? time(connection.lostSince, timeZone) : "", heard })}
      </p>
    );
  }
  return (
    <p className="text-sm text-slate-700" aria-live="polite">
      <span className={connection.state === "live" ? "font-semibold text-green-800" : "text-slate-700"}>{connection.state === "live" ? t("live") : t("connecting")}</span> {t("lastHeard", { heard })}
    </p>
  );
}

/** The supervisor's board: live, filtered as the URL says, with the figures below. */
export function LiveBoard({ filters, initial, timeZone, siteName, moreBase }: { filters: WipFilters; initial: WipBoard; timeZone: string; siteName: string; moreBase: string }) {
  const t = useTranslations("wip");
  const { board, connection } = useWipLive(filters, initial);
  const trpc = useTRPC();
  const figures = useQuery({ ...trpc.wip.figures.queryOptions(), refetchInterval: 5 * 60_000 });
  const filtered = Object.values(filters).some((v) => v !== undefined && v !== false);
  const moreHref = (cell: WipCell) => {
    const q = new URLSearchParams(moreBase);
    q.set("op", cell.key);
    return `/wip?${q.toString()}`;
  };
  const totals = board.totals;
  const by = Object.entries(totals.blockedBy);
  return (
    <div className="space-y-5">
      <ConnectionLine connection={connection} timeZone={timeZone} />
      <p className="text-lg" data-testid="wip-totals">
        {t.rich("totals.line", {
          units: totals.units,
          inProgress: totals.inProgress,
          waiting: totals.waiting,
          blocked: totals.blocked,
          strong: (chunks) => <strong>{chunks}</strong>,
          red: (chunks) => <strong className={totals.blocked > 0 ? "text-red-800" : undefined}>{chunks}</strong>,
        })}
        {by.length > 0
          ? t("totals.by", { list: by.map(([k, n]) => t("totals.byItem", { label: blockerLabel(t as unknown as WipT, k as BlockerKind).toLowerCase(), count: n ?? 0 })).join(", ") })
          : ""}
      </p>
      {(totals.upcoming ?? 0) > 0 ? (
        <p className="text-base font-semibold text-amber-900" data-testid="wip-upcoming">
          {t("totals.upcoming", { count: totals.upcoming })} ·{" "}
          <Link href="/alerts" className="text-blue-800 underline">
            {t("totals.alertsLink")}
          </Link>
        </p>
      ) : null}
      {board.lines.length === 0 ? (
        filtered ? (
          <EmptyState title={t("empty.filteredTitle")}>{t("empty.filteredBody")}</EmptyState>
        ) : (
          <EmptyState title={t("empty.title", { site: siteName })}>{t("empty.body")}</EmptyState>
        )
      ) : (
        <WipBoardView board={board} timeZone={timeZone} moreHref={moreHref} />
      )}
      <section aria-labelledby="figures-heading" className="space-y-3">
        <h2 id="figures-heading" className="text-xl font-bold">
          {t("figures.heading")}
        </h2>
        {figures.data ? (
          <WipFiguresView figures={figures.data} wipByOperation={board.wipByOperation} />
        ) : figures.isError ? (
          <p role="alert" className="rounded-md border-2 border-red-800 bg-red-50 p-3">
            {t("figures.failed", { error: figures.error.message })}
          </p>
        ) : (
          <FiguresLoading />
        )}
      </section>
    </div>
  );
}
