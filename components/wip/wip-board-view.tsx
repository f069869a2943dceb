import Link from "next/link";
import { useTranslations } from "next-intl";
import { asBuiltHref } from "@/components/genealogy/links";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import type { WipBoard, WipCell, WipTile } from "@/server/domain/wip/board";
import type { UpcomingBlocker } from "@/server/domain/wip/upcoming";
import { blockerHref, blockerLabel, blockerText, materialHref, minutesText, type WipT } from "./blocker-words";

/*
 * The WIP board, presentational: lines, then operations (work center / operation code) with their counts, then the
 * units at each operation as tiles. Each tile links to the unit's as-built so far, its work order, and each blocker to
 * where it is dealt with. Under each operation, the upcoming blockers: material its units still need that expires or
 * runs out of out-time within the site's alert horizons (staged at its stations, or in open kits for them). "wall" is
 * the large, high-contrast variant for a screen read from across the floor (no links).
 */

type Props = { board: WipBoard; timeZone: string; variant?: "desk" | "wall"; moreHref?: (cell: WipCell) => string };

export function WipBoardView({ board, timeZone, variant = "desk", moreHref }: Props) {
  const t = useTranslations("wip") as unknown as WipT;
  const wall = variant === "wall";
  return (
    <div className={cn("space-y-6", wall && "space-y-8")}>
      {board.lines.map((line) => (
        <section key={line.code} aria-labelledby={`line-${line.code}`} className={cn(!wall && "rounded-lg border border-slate-300 bg-white p-4")}>
          <h2 id={`line-${line.code}`} className={cn("mb-3 flex flex-wrap items-baseline gap-3 font-bold", wall ? "text-5xl text-white" : "text-xl")}>
            <span>{t("line.heading", { code: line.code, name: line.name })}</span>
            <span className={cn(wall ? "text-3xl font-semibold text-slate-200" : "text-base font-normal text-slate-700")}>{t("line.counts", { units: line.units, blocked: line.blocked })}</span>
          </h2>
          <div className={cn("grid gap-4", wall ? "grid-cols-1 xl:grid-cols-2" : "md:grid-cols-2 xl:grid-cols-3")}>
            {line.cells.map((cell) => (
              <CellView key={cell.key} t={t} cell={cell} timeZone={timeZone} wall={wall} moreHref={moreHref} />
            ))}
          </div>
        </section>
      ))}
    </div>
  );
}

function CellView({ t, cell, timeZone, wall, moreHref }: { t: WipT; cell: WipCell; timeZone: string; wall: boolean; moreHref?: (cell: WipCell) => string }) {
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
        {t("cell.counts", { units: cell.units, inProgress: cell.inProgress, waiting: cell.waiting })}
        {cell.blocked > 0 ? <strong className={cn(wall ? "text-red-300" : "text-red-800")}>{t("cell.blocked", { blocked: cell.blocked })}</strong> : null}
        {wall
          ? null
          : t("cell.details", {
              longest: minutesText(t, cell.longestMinutes),
              hasUsual: cell.usualMinutes !== null ? "yes" : "no",
              usual: cell.usualMinutes !== null ? minutesText(t, cell.usualMinutes) : "",
              hasStations: cell.stations.length > 0 ? "yes" : "no",
              stations: cell.stations.join(", "),
            })}
      </p>
      <ul className={cn("mt-2 grid gap-2", wall ? "grid-cols-2" : "grid-cols-1")}>
        {cell.tiles.map((tile) => (
          <TileView key={tile.unitId} t={t} tile={tile} timeZone={timeZone} wall={wall} />
        ))}
      </ul>
      {cell.more > 0 ? (
        wall || !moreHref ? (
          <p className={cn("mt-2", wall ? "text-3xl text-slate-200" : "text-sm")}>{t("cell.more", { count: cell.more })}</p>
        ) : (
          <Link href={moreHref(cell)} className="mt-2 inline-flex min-h-12 items-center text-blue-800 underline">
            {t("cell.showAll", { units: cell.units, workCenter: cell.workCenterCode, operation: cell.opCode })}
          </Link>
        )
      ) : null}
      {cell.upcoming.length > 0 ? <UpcomingView t={t} cell={cell} timeZone={timeZone} wall={wall} /> : null}
    </section>
  );
}

const hhmm = (d: Date, timeZone: string) =>
  new Intl.DateTimeFormat("en-CA", { timeZone, month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(d).replace(",", "");

/** Upcoming blockers: the material, when it runs out or expires (site time), and where it is (station, kit). */
function UpcomingView({ t, cell, timeZone, wall }: { t: WipT; cell: WipCell; timeZone: string; wall: boolean }) {
  const where = (u: UpcomingBlocker) => (u.kitNumber ? t("upcoming.inKit", { kit: u.kitNumber, station: u.stationCode }) : t("upcoming.atStation", { station: u.stationCode }));
  return (
    <div aria-label={t("upcoming.aria", { workCenter: cell.workCenterCode, operation: cell.opCode })} role="group" className={cn("mt-3 rounded border-2 p-2", wall ? "border-amber-300 bg-amber-950" : "border-amber-600 bg-amber-50")}>
      <p className={cn("font-semibold", wall ? "text-2xl text-amber-200" : "text-sm text-amber-900")}>{t("upcoming.heading")}</p>
      <ul className={cn(wall ? "text-2xl text-amber-100" : "text-sm")}>
        {cell.upcoming.map((u) => {
          const text = `${t("upcoming.item", { item: u.item, part: u.partNumber, cause: u.cause, at: hhmm(u.at, timeZone) })} · ${where(u)}`;
          return (
            <li key={`${u.cause}:${u.lotId ?? u.serialItemId ?? u.item}:${u.stationCode}:${u.kitId ?? ""}`} data-upcoming={u.item}>
              {wall || (!u.lotId && !u.serialItemId) ? (
                text
              ) : (
                <Link href={u.lotId ? `/labels/lot/${u.lotId}` : `/labels/serial/${u.serialItemId}`} className="inline-flex min-h-12 items-center text-amber-950 underline">
                  {text}
                </Link>
              )}
            </li>
          );
        })}
      </ul>
      {cell.upcomingTotal > cell.upcoming.length ? (
        wall ? (
          <p className="text-2xl text-amber-200">{t("upcoming.more", { count: cell.upcomingTotal - cell.upcoming.length })}</p>
        ) : (
          <Link href="/alerts" className="inline-flex min-h-12 items-center text-sm text-blue-800 underline">
            {t("upcoming.more", { count: cell.upcomingTotal - cell.upcoming.length })}
          </Link>
        )
      ) : null}
    </div>
  );
}

function TileView({ t, tile, timeZone, wall }: { t: WipT; tile: WipTile; timeZone: string; wall: boolean }) {
  const blocked = tile.blockers.length > 0;
  const status = tile.status === "in_progress" ? (tile.stationCode ? t("tile.inProgressAt", { station: tile.stationCode }) : t("tile.inProgress")) : t("tile.waiting");
  if (wall) {
    return (
      <li className={cn("rounded border-2 p-2", blocked ? "border-red-400 bg-red-950" : "border-slate-500 bg-slate-800")} data-serial={tile.serial}>
        <p className="flex flex-wrap items-baseline justify-between gap-2 text-3xl font-bold text-white">
          <span className="font-mono">{tile.serial}</span>
          <span className="text-2xl font-semibold text-slate-100">{minutesText(t, tile.minutesAtOperation)}</span>
        </p>
        <p className="text-2xl text-slate-100">
          {tile.workOrderNumber} · {status}
        </p>
        {tile.blockers.slice(0, 2).map((b, i) => (
          <p key={i} className="text-2xl font-semibold text-red-200">
            {blockerLabel(t, b.kind)}: {blockerText(t, b, timeZone)}
          </p>
        ))}
      </li>
    );
  }
  return (
    <li className={cn("rounded border p-2", blocked ? "border-red-700 bg-red-50" : "border-slate-300 bg-white")} data-serial={tile.serial} aria-label={blocked ? t("tile.unitBlocked", { serial: tile.serial }) : t("tile.unit", { serial: tile.serial })}>
      <p className="flex flex-wrap items-center gap-2">
        <Link href={asBuiltHref(tile.serialItemId)} className="inline-flex min-h-12 items-center font-mono text-lg font-bold text-blue-800 underline" title={t("tile.asBuiltSoFar")}>
          {tile.serial}
        </Link>
        <Link href={`/wip/${tile.workOrderId}`} className="inline-flex min-h-12 items-center font-mono text-blue-800 underline">
          {tile.workOrderNumber}
        </Link>
        <span className="text-sm text-slate-700">{t("tile.partRev", { part: tile.partNumber, revision: tile.revision })}</span>
      </p>
      <p className="flex flex-wrap items-center gap-2 text-sm">
        <Badge tone={tile.status === "in_progress" ? "amber" : "neutral"}>{status}</Badge>
        <span>{t("tile.opFor", { seq: tile.seq, time: minutesText(t, tile.minutesAtOperation) })}</span>
      </p>
      {blocked ? (
        <ul className="mt-1 space-y-1">
          {tile.blockers.map((b, i) => {
            const href = blockerHref(b, tile.workOrderId);
            const material = materialHref(b);
            return (
              <li key={i} className="text-sm">
                <Badge tone="red">{blockerLabel(t, b.kind)}</Badge>{" "}
                {href ? (
                  <Link href={href} className="inline-flex min-h-12 items-center text-red-900 underline">
                    {blockerText(t, b, timeZone)}
                  </Link>
                ) : (
                  <span className="text-red-900">{blockerText(t, b, timeZone)}</span>
                )}
                {material ? (
                  <>
                    {" "}
                    ·{" "}
                    <Link href={material} className="inline-flex min-h-12 items-center text-blue-800 underline">
                      {b.kind === "hold" && b.item ? t("tile.whereUsed", { item: b.item }) : t("tile.whereUsedIt")}
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
