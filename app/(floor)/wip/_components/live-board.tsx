"use client";

import { useWipLive, type Connection } from "@/app/_components/use-wip-live";
import { BLOCKER_LABELS } from "@/components/wip/blocker-words";
import { WipBoardView } from "@/components/wip/wip-board-view";
import { WipFiguresView } from "@/components/wip/wip-figures";
import { EmptyState } from "@/components/ui/empty-state";
import type { WipBoard, WipCell, WipFigures, WipFilters } from "@/server/domain/wip/board";

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
export function LiveBoard({ filters, initial, figures, timeZone, siteName, moreBase }: { filters: WipFilters; initial: WipBoard; figures: WipFigures; timeZone: string; siteName: string; moreBase: string }) {
  const { board, connection } = useWipLive(filters, initial);
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
        <WipFiguresView figures={figures} wipByOperation={board.wipByOperation} />
      </section>
    </div>
  );
}
