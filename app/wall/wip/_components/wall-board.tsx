"use client";

import { useEffect, useState } from "react";
import { useWipLive } from "@/app/_components/use-wip-live";
import { WipBoardView } from "@/components/wip/wip-board-view";
import type { WipBoard, WipFilters } from "@/server/domain/wip/board";

const clock = (d: Date | null, timeZone: string) =>
  d ? new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", second: "2-digit" }).format(d) : "—";

/** One line at a time, rotating; the site's totals, when the server was last heard from, and a banner when it is not. */
export function WallBoard({ filters, initial, timeZone, siteName, rotateSeconds }: { filters: WipFilters; initial: WipBoard; timeZone: string; siteName: string; rotateSeconds: number }) {
  const { board, connection } = useWipLive(filters, initial);
  const [index, setIndex] = useState(0);
  const lineCount = board.lines.length;
  useEffect(() => {
    if (lineCount <= 1) return;
    const t = setInterval(() => setIndex((i) => (i + 1) % lineCount), rotateSeconds * 1000);
    return () => clearInterval(t);
  }, [lineCount, rotateSeconds]);
  const line = board.lines[index % Math.max(1, lineCount)];
  const t = board.totals;
  return (
    <main className="space-y-6">
      {connection.state === "lost" ? (
        <div role="alert" className="rounded-lg border-4 border-yellow-300 bg-red-700 p-6 text-5xl font-extrabold text-white">
          CONNECTION LOST{connection.lostSince ? ` at ${clock(connection.lostSince, timeZone)}` : ""}. This board may be out of date. Last heard from the server at{" "}
          {clock(connection.lastHeardAt, timeZone)}.
        </div>
      ) : null}
      <header className="flex flex-wrap items-baseline justify-between gap-4">
        <h1 className="text-6xl font-extrabold">WIP · {siteName}</h1>
        <p className="text-4xl" data-testid="wall-last-heard">
          {connection.state === "live" ? <span className="text-green-400">● Live</span> : connection.state === "lost" ? <span className="text-red-400">● Lost</span> : "Connecting…"} · last heard{" "}
          {clock(connection.lastHeardAt, timeZone)}
        </p>
      </header>
      <p className="text-4xl">
        {t.units} units in work · {t.inProgress} in progress · {t.waiting} waiting ·{" "}
        <strong className={t.blocked > 0 ? "text-red-400" : "text-green-400"}>{t.blocked} blocked</strong>
        {lineCount > 1 ? <span className="text-slate-300"> · line {(index % lineCount) + 1} of {lineCount}</span> : null}
      </p>
      {line ? (
        <WipBoardView board={{ ...board, lines: [line] }} timeZone={timeZone} variant="wall" />
      ) : (
        <p className="text-5xl text-slate-200">No unit is in work at {siteName}.</p>
      )}
    </main>
  );
}
