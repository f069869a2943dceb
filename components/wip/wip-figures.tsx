"use client";

import type { ReactNode } from "react";
import { useTranslations } from "next-intl";
import { Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { WipFigures } from "@/server/domain/wip/board";

/*
 * The WIP board's figures as charts (recharts), each with the same numbers as a table a screen reader (and a person
 * who wants the exact figure) can read. Props in, nothing fetched here.
 */

function Figure({ id, title, empty, children, table }: { id: string; title: string; empty: string | null; children: ReactNode; table: ReactNode }) {
  const t = useTranslations("wip.figures");
  return (
    <figure aria-labelledby={id} className="rounded-lg border border-slate-300 bg-white p-4">
      <figcaption id={id} className="mb-2 text-lg font-bold">
        {title}
      </figcaption>
      {empty ? (
        <p className="text-slate-700">{empty}</p>
      ) : (
        <>
          <div className="h-64 w-full" aria-hidden="true">
            {children}
          </div>
          <details className="mt-2 text-sm">
            <summary className="cursor-pointer text-blue-800 underline">{t("theFigures")}</summary>
            {table}
          </details>
        </>
      )}
    </figure>
  );
}

function SimpleTable({ head, rows }: { head: string[]; rows: (string | number)[][] }) {
  return (
    <table className="mt-1 w-full text-left">
      <thead>
        <tr>
          {head.map((h) => (
            <th key={h} className="border-b border-slate-300 pr-3">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {r.map((c, j) => (
              <td key={j} className="pr-3">
                {c}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function WipFiguresView({ figures, wipByOperation }: { figures: WipFigures; wipByOperation: { key: string; units: number; blocked: number }[] }) {
  const t = useTranslations("wip.figures");
  const days = figures.days;
  const kits = figures.kitShortages.map((k) => ({ ...k, short: Number(k.shortQty) }));
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Figure
        id="fig-completed"
        title={t("completedTitle", { days })}
        empty={figures.completedPerDay.every((d) => d.units === 0) ? t("completedEmpty", { days }) : null}
        table={<SimpleTable head={[t("day"), t("units")]} rows={figures.completedPerDay.map((d) => [d.day, d.units])} />}
      >
        <ResponsiveContainer>
          <BarChart data={figures.completedPerDay} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Bar dataKey="units" name={t("unitsCompleted")} fill="#1d4ed8" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </Figure>

      <Figure
        id="fig-wip"
        title={t("wipTitle")}
        empty={wipByOperation.length === 0 ? t("wipEmpty") : null}
        table={<SimpleTable head={[t("operation"), t("units"), t("blocked")]} rows={wipByOperation.map((o) => [o.key, o.units, o.blocked])} />}
      >
        <ResponsiveContainer>
          <BarChart data={wipByOperation.map((o) => ({ ...o, flowing: o.units - o.blocked }))} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="key" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Bar dataKey="flowing" name={t("notBlocked")} stackId="a" fill="#15803d" isAnimationActive={false} />
            <Bar dataKey="blocked" name={t("blocked")} stackId="a" fill="#b91c1c" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </Figure>

      <Figure
        id="fig-times"
        title={t("timesTitle", { days })}
        empty={figures.operationTimes.length === 0 ? t("timesEmpty", { days }) : null}
        table={
          <SimpleTable
            head={[t("operation"), t("completed"), t("averageMin"), t("medianMin"), t("longestMin")]}
            rows={figures.operationTimes.map((o) => [o.operation, o.samples, o.averageMinutes, o.medianMinutes, o.longestMinutes])}
          />
        }
      >
        <ResponsiveContainer>
          <BarChart data={figures.operationTimes} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="operation" />
            <YAxis unit=" min" />
            <Tooltip />
            <Legend />
            <Bar dataKey="averageMinutes" name={t("average")} fill="#1d4ed8" isAnimationActive={false} />
            <Bar dataKey="longestMinutes" name={t("longest")} fill="#b45309" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </Figure>

      <Figure
        id="fig-scrap"
        title={t("scrapTitle", { days })}
        empty={figures.scrapPareto.length === 0 ? t("scrapEmpty", { days }) : null}
        table={<SimpleTable head={[t("reason"), t("units"), t("cumulative")]} rows={figures.scrapPareto.map((r) => [r.reason, r.units, r.cumulativePercent])} />}
      >
        <ResponsiveContainer>
          <ComposedChart data={figures.scrapPareto} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="reason" />
            <YAxis yAxisId="units" allowDecimals={false} />
            <YAxis yAxisId="pct" orientation="right" domain={[0, 100]} unit="%" />
            <Tooltip />
            <Legend />
            <Bar yAxisId="units" dataKey="units" name={t("unitsScrapped")} fill="#b91c1c" isAnimationActive={false} />
            <Line yAxisId="pct" dataKey="cumulativePercent" name={t("cumulative")} stroke="#0f172a" isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      </Figure>

      <Figure
        id="fig-kits"
        title={t("kitsTitle")}
        empty={kits.length === 0 ? t("kitsEmpty") : null}
        table={<SimpleTable head={[t("part"), t("short"), t("kits")]} rows={kits.map((k) => [k.part, t("shortQty", { qty: k.shortQty, uom: k.uom }), k.kits])} />}
      >
        <ResponsiveContainer>
          <BarChart data={kits} layout="vertical" accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" />
            <YAxis type="category" dataKey="part" width={160} />
            <Tooltip />
            <Bar dataKey="short" name={t("quantityShort")} fill="#b45309" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </Figure>
    </div>
  );
}
