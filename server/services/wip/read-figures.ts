import "server-only";
import Decimal from "decimal.js";
import type { DbOrTx } from "@/db/client";
import { siteDate } from "@/server/domain/wip/blockers";
import { readCompletedPerDay, readKitShortages, readScrapByReason } from "@/server/repos/wip-board";
import { operationTimes } from "./read-board";
import type { WipFigures } from "@/server/domain/wip/board";

/*
 * The WIP board's figures for one site: units completed per day, time per operation (average and longest, arrival to
 * completion), scrap by reason as a Pareto (count and cumulative share), and what open orders' kits are short of.
 * WIP by operation comes with the board itself (it follows the board's filters).
 */

export const FIGURE_DAYS = 14;

export type { WipFigures };

export async function readWipFigures(db: DbOrTx, site: { siteId: string; timeZone: string }, now: Date): Promise<WipFigures> {
  const since = new Date(now.getTime() - FIGURE_DAYS * 86_400_000);
  const [perDay, times, scrap, shortages] = await Promise.all([
    readCompletedPerDay(db, site.siteId, site.timeZone, since),
    operationTimes(db, site.siteId, now),
    readScrapByReason(db, site.siteId, since),
    readKitShortages(db, site.siteId),
  ]);
  // one bar per day, the days without completions included
  const counts = new Map(perDay.map((r) => [r.day, r.units]));
  const completedPerDay: WipFigures["completedPerDay"] = [];
  for (let i = FIGURE_DAYS - 1; i >= 0; i--) {
    const day = siteDate(new Date(now.getTime() - i * 86_400_000), site.timeZone);
    if (!completedPerDay.some((d) => d.day === day)) completedPerDay.push({ day, units: counts.get(day) ?? 0 });
  }
  const totalScrap = scrap.reduce((n, r) => n + r.units, 0);
  let running = 0;
  return {
    days: FIGURE_DAYS,
    completedPerDay,
    operationTimes: times.map((t) => ({
      operation: `${t.work_center_code}/${t.op_code}`,
      samples: t.samples,
      averageMinutes: Math.round(t.average_minutes),
      longestMinutes: Math.round(t.longest_minutes),
      medianMinutes: Math.round(t.median_minutes),
    })),
    scrapPareto: scrap.map((r) => {
      running += r.units;
      return { reason: r.reason, units: r.units, cumulativePercent: Math.round((running / totalScrap) * 1000) / 10 };
    }),
    kitShortages: shortages.map((r) => ({ part: `${r.part_number} rev ${r.revision}`, uom: r.uom, shortQty: new Decimal(r.short_qty).toFixed(), kits: r.kits })),
  };
}

