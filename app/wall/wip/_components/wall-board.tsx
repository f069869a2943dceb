"use client";

import { useEffect, useState } from "react";
import { useTranslations } from "next-intl";
import { useWipLive } from "@/app/_components/use-wip-live";
import { WipBoardView } from "@/components/wip/wip-board-view";
import type { WipBoard, WipFilters } from "@/server/domain/wip/board";

const clock = (d: Date | null, timeZone: string) =>
  d ? new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", second: "2-digit" }).format(d) : "—";

/** One line at a time, rotating; the site's totals, when the server was last heard from, and a banner when it is not. */
export function WallBoard({ filters, initial, timeZone, siteName, rotateSeconds }: { filters: WipFilters; initial: WipBoard; timeZone: string; siteName: string; rotateSeconds: number }) {
  const tw = useTranslations("wip.wall");
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
          {tw("lost", { hasSince: connection.lostSince ? "yes" : "no", since: clock(connection.lostSince, timeZone), heard: clock(connection.lastHeardAt, timeZone) })}
        </div>
      ) : null}
      <header className="flex flex-wrap items-baseline justify-between gap-4">
        <h1 className="text-6xl font-extrabold">{tw("heading", { site: siteName })}</h1>
        <p className="text-4xl" data-testid="wall-last-heard">
          {connection.state === "live" ? <span className="text-green-400">{tw("live")}</span> : connection.state === "lost" ? <span className="text-red-400">{tw("lostShort")}</span> : tw("connecting")}{" "}
          {tw("lastHeard", { heard: clock(connection.lastHeardAt, timeZone) })}
        </p>
      </header>
      <p className="text-4xl">
        {tw("totals", { units: t.units, inProgress: t.inProgress, waiting: t.waiting })}
        <strong className={t.blocked > 0 ? "text-red-400" : "text-green-400"}>{tw("blocked", { blocked: t.blocked })}</strong>
        {lineCount > 1 ? <span className="text-slate-300">{tw("lineOf", { n: (index % lineCount) + 1, count: lineCount })}</span> : null}
      </p>
      {line ? (
        <WipBoardView board={{ ...board, lines: [line] }} timeZone={timeZone} variant="wall" />
      ) : (
        <p className="text-5xl text-slate-200">{tw("none", { site: siteName })}</p>
      )}
    </main>
  );
}
