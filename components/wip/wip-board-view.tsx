import Link from "next/link";
import { asBuiltHref } from "@/components/genealogy/links";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import type { WipBoard, WipCell, WipTile } from "@/server/domain/wip/board";
import { BLOCKER_LABELS, blockerHref, blockerText, materialHref, minutesText } from "./blocker-words";

/*
 * The WIP board, presentational: lines, then operations (work center / operation code) with their counts, then the
 * units at each operation as tiles. Each tile links to the unit's as-built so far, its work order, and each blocker to
 * where it is dealt with. "wall" is the large, high-contrast variant for a screen read from across the floor (no links).
 */

type Props = { board: WipBoard; timeZone: string; variant?: "desk" | "wall"; moreHref?: (cell: WipCell) => string };

export function WipBoardView({ board, timeZone, variant = "desk", moreHref }: Props) {
  const wall = variant === "wall";
  return (
    <div className={cn("space-y-6", wall && "space-y-8")}>
      {board.lines.map((line) => (
        <section key={line.code} aria-labelledby={`line-${line.code}`} className={cn(!wall && "rounded-lg border border-slate-300 bg-white p-4")}>
          <h2 id={`line-${line.code}`} className={cn("mb-3 flex flex-wrap items-baseline gap-3 font-bold", wall ? "text-5xl text-white" : "text-xl")}>
            <span>
              Line {line.code} · {line.name}
            </span>
            <span className={cn(wall ? "text-3xl font-semibold text-slate-200" : "text-base font-normal text-slate-700")}>
              {line.units} units in work{line.blocked > 0 ? ` · ${line.blocked} blocked` : ""}
            </span>
          </h2>
          <div className={cn("grid gap-4", wall ? "grid-cols-1 xl:grid-cols-2" : "md:grid-cols-2 xl:grid-cols-3")}>
            {line.cells.map((cell) => (
              <CellView key={cell.key} cell={cell} timeZone={timeZone} wall={wall} moreHref={moreHref} />
            ))}
          </div>
        </section>
      ))}
    </div>
  );
}

function CellView({ cell, timeZone, wall, moreHref }: { cell: WipCell; timeZone: string; wall: boolean; moreHref?: (cell: WipCell) => string }) {
  const headingId = `cell-${cell.key.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  return (
    <section
      aria-labelledby={headingId}
      data-operation={cell.key}
      className={cn("rounded-md border-2 p-3", wall ? "border-slate-500 bg-slate-900" : "border-slate-300 bg-slate-50", cell.blocked > 0 && (wall ? "border-red-400" : "border-red-700"))}
    >
      <h3 id={headingId} className={cn("font-bold", wall ? "text-4xl text-white" : "text-lg")}>
        {cell.workCenterCode} · {cell.opCode} <span className={cn("font-normal", wall ? "text-2xl text-slate-200" : "text-sm text-slate-700")}>{cell.description}</span>
      </h3>
      <p className={cn(wall ? "mt-1 text-3xl text-slate-100" : "text-sm text-slate-800")}>
        {cell.units} units: {cell.inProgress} in progress, {cell.waiting} waiting
        {cell.blocked > 0 ? <strong className={cn(wall ? "text-red-300" : "text-red-800")}> · {cell.blocked} blocked</strong> : null}
        {wall ? null : (
          <>
            {" "}
            · longest {minutesText(cell.longestMinutes)}
            {cell.usualMinutes !== null ? ` · usually ${minutesText(cell.usualMinutes)}` : ""}
            {cell.stations.length > 0 ? ` · stations ${cell.stations.join(", ")}` : ""}
          </>
        )}
      </p>
      <ul className={cn("mt-2 grid gap-2", wall ? "grid-cols-2" : "grid-cols-1")}>
        {cell.tiles.map((tile) => (
          <TileView key={tile.unitId} tile={tile} timeZone={timeZone} wall={wall} />
        ))}
      </ul>
      {cell.more > 0 ? (
        wall || !moreHref ? (
          <p className={cn("mt-2", wall ? "text-3xl text-slate-200" : "text-sm")}>and {cell.more} more</p>
        ) : (
          <Link href={moreHref(cell)} className="mt-2 inline-flex min-h-12 items-center text-blue-800 underline">
            Show all {cell.units} units at {cell.workCenterCode} · {cell.opCode}
          </Link>
        )
      ) : null}
    </section>
  );
}

function TileView({ tile, timeZone, wall }: { tile: WipTile; timeZone: string; wall: boolean }) {
  const blocked = tile.blockers.length > 0;
  const status = tile.status === "in_progress" ? `In progress${tile.stationCode ? ` at ${tile.stationCode}` : ""}` : "Waiting";
  if (wall) {
    return (
      <li className={cn("rounded border-2 p-2", blocked ? "border-red-400 bg-red-950" : "border-slate-500 bg-slate-800")} data-serial={tile.serial}>
        <p className="flex flex-wrap items-baseline justify-between gap-2 text-3xl font-bold text-white">
          <span className="font-mono">{tile.serial}</span>
          <span className="text-2xl font-semibold text-slate-100">{minutesText(tile.minutesAtOperation)}</span>
        </p>
        <p className="text-2xl text-slate-100">
          {tile.workOrderNumber} · {status}
        </p>
        {tile.blockers.slice(0, 2).map((b, i) => (
          <p key={i} className="text-2xl font-semibold text-red-200">
            {BLOCKER_LABELS[b.kind]}: {blockerText(b, timeZone)}
          </p>
        ))}
      </li>
    );
  }
  return (
    <li className={cn("rounded border p-2", blocked ? "border-red-700 bg-red-50" : "border-slate-300 bg-white")} data-serial={tile.serial} aria-label={`Unit ${tile.serial}${blocked ? ", blocked" : ""}`}>
      <p className="flex flex-wrap items-center gap-2">
        <Link href={asBuiltHref(tile.serialItemId)} className="inline-flex min-h-12 items-center font-mono text-lg font-bold text-blue-800 underline" title="As-built so far">
          {tile.serial}
        </Link>
        <Link href={`/wip/${tile.workOrderId}`} className="inline-flex min-h-12 items-center font-mono text-blue-800 underline">
          {tile.workOrderNumber}
        </Link>
        <span className="text-sm text-slate-700">
          {tile.partNumber} rev {tile.revision}
        </span>
      </p>
      <p className="flex flex-wrap items-center gap-2 text-sm">
        <Badge tone={tile.status === "in_progress" ? "amber" : "neutral"}>{status}</Badge>
        <span>
          op {tile.seq} for {minutesText(tile.minutesAtOperation)}
        </span>
      </p>
      {blocked ? (
        <ul className="mt-1 space-y-1">
          {tile.blockers.map((b, i) => {
            const href = blockerHref(b, tile.workOrderId);
            const material = materialHref(b);
            return (
              <li key={i} className="text-sm">
                <Badge tone="red">{BLOCKER_LABELS[b.kind]}</Badge>{" "}
                {href ? (
                  <Link href={href} className="inline-flex min-h-12 items-center text-red-900 underline">
                    {blockerText(b, timeZone)}
                  </Link>
                ) : (
                  <span className="text-red-900">{blockerText(b, timeZone)}</span>
                )}
                {material ? (
                  <>
                    {" "}
                    ·{" "}
                    <Link href={material} className="inline-flex min-h-12 items-center text-blue-800 underline">
                      where {b.kind === "hold" && b.item ? b.item : "it"} is used
                    </Link>
                  </>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </li>
  );
}
