"use client";

import dynamic from "next/dynamic";
import { useQuery } from "@tanstack/react-query";
import { useWipLive, type Connection } from "@/app/_components/use-wip-live";
import { useTRPC } from "@/components/providers/trpc-provider";
import { BLOCKER_LABELS } from "@/components/wip/blocker-words";
import { WipBoardView } from "@/components/wip/wip-board-view";
import { EmptyState } from "@/components/ui/empty-state";
import { LoadingPanel } from "@/components/ui/loading-panel";
import type { WipBoard, WipCell, WipFilters } from "@/server/domain/wip/board";

// The charts (recharts) load after the board: the board is what a supervisor looks at first.
const WipFiguresView = dynamic(() => import("@/components/wip/wip-figures").then((m) => m.WipFiguresView), {
  ssr: false,
  loading: () => <LoadingPanel label="Loading the figures…" rows={2} />,
});

const time = (d: Date | null, timeZone: string) =>
  d ? new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", second: "2-digit" }).format(d) : "not yet";

export function ConnectionLine({ connection, timeZone }: { connection: Connection; timeZone: string }) {
  if (connection.state === "lost") {
    return (
      <p role="alert" className="rounded-md border-2 border-red-800 bg-red-100 p-3 text-lg font-bold text-red-900">
        Connection to the server lost{connection.lostSince ? ` at ${time(connection.lostSince, timeZone)}` : ""}: the board may be out of date. Retrying; last
        heard from the server at {time(connection.lastHeardAt, timeZone)}.
      </p>
    );
  }
  return (
    <p className="text-sm text-slate-700" aria-live="polite">
      <span className={connection.state === "live" ? "font-semibold text-green-800" : "text-slate-700"}>{connection.state === "live" ? "● Live" : "Connecting…"}</span>{" "}
      · last heard from the server at {time(connection.lastHeardAt, timeZone)}
    </p>
  );
}

/** The supervisor's board: live, filtered as the URL says, with the figures below. */
export function LiveBoard({ filters, initial, timeZone, siteName, moreBase }: { filters: WipFilters; initial: WipBoard; timeZone: string; siteName: string; moreBase: string }) {
  const { board, connection } = useWipLive(filters, initial);
  const trpc = useTRPC();
  const figures = useQuery({ ...trpc.wip.figures.queryOptions(), refetchInterval: 5 * 60_000 });
  const filtered = Object.values(filters).some((v) => v !== undefined && v !== false);
  const moreHref = (cell: WipCell) => {
    const q = new URLSearchParams(moreBase);
    q.set("op", cell.key);
    return `/wip?${q.toString()}`;
  };
  const t = board.totals;
  return (
    <div className="space-y-5">
      <ConnectionLine connection={connection} timeZone={timeZone} />
      <p className="text-lg" data-testid="wip-totals">
        <strong>{t.units}</strong> units in work: {t.inProgress} in progress, {t.waiting} waiting,{" "}
        <strong className={t.blocked > 0 ? "text-red-800" : undefined}>{t.blocked} blocked</strong>
        {Object.entries(t.blockedBy).length > 0
          ? ` (${Object.entries(t.blockedBy)
              .map(([k, n]) => `${BLOCKER_LABELS[k as keyof typeof BLOCKER_LABELS].toLowerCase()} ${n}`)
              .join(", ")})`
          : ""}
      </p>
      {board.lines.length === 0 ? (
        filtered ? (
          <EmptyState title="No unit matches these filters">Clear a filter, or choose another line, station, order or part.</EmptyState>
        ) : (
          <EmptyState title={`No unit is in work at ${siteName}`}>
            Units appear here when an ERP production order is released. If one is missing, check the ERP interface for messages that were not applied.
          </EmptyState>
        )
      ) : (
        <WipBoardView board={board} timeZone={timeZone} moreHref={moreHref} />
      )}
      <section aria-labelledby="figures-heading" className="space-y-3">
        <h2 id="figures-heading" className="text-xl font-bold">
          Figures
        </h2>
        {figures.data ? (
          <WipFiguresView figures={figures.data} wipByOperation={board.wipByOperation} />
        ) : figures.isError ? (
          <p role="alert" className="rounded-md border-2 border-red-800 bg-red-50 p-3">
            The figures could not be loaded ({figures.error.message}). The board above is not affected; reload the page to try again.
          </p>
        ) : (
          <LoadingPanel label="Loading the figures…" rows={2} />
        )}
      </section>
    </div>
  );
}
