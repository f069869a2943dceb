"use client";

import { useFormatter, useTranslations } from "next-intl";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type TrendPoint = { label: string; open: number; over7d: number; mismatchRate: number; lagMinutes: number | null };

/**
 * Reconciliation over time, for a plant controller: open exceptions (and those older than a week) on the left axis;
 * the mismatch rate (% of keys that differ) and the confirmation lag (minutes the oldest unacknowledged confirmation
 * waited) on the right. One point per completed run. A table of the same figures sits beside it on the page. Axis
 * labels, legend and tooltip in the reader's language, numbers in their format (2,5 in French).
 */
export function ReconTrendChart({ points }: { points: TrendPoint[] }) {
  const t = useTranslations("reconciliation.trend");
  const format = useFormatter();
  const num = (v: unknown) => (typeof v === "number" ? format.number(v) : String(v ?? ""));
  return (
    <div className="h-72 w-full" role="img" aria-label={t("chartLabel", { count: points.length })}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 24, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#cbd5e1" />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} />
          <YAxis yAxisId="count" allowDecimals={false} tick={{ fontSize: 12 }} tickFormatter={num} label={{ value: t("axisExceptions"), angle: -90, position: "insideLeft", fontSize: 12 }} />
          <YAxis yAxisId="rate" orientation="right" tick={{ fontSize: 12 }} tickFormatter={num} label={{ value: t("axisRate"), angle: 90, position: "insideRight", fontSize: 12 }} />
          <Tooltip formatter={(value) => num(value)} />
          <Legend />
          <Line yAxisId="count" type="monotone" dataKey="open" name={t("open")} stroke="#1d4ed8" strokeWidth={2} isAnimationActive={false} />
          <Line yAxisId="count" type="monotone" dataKey="over7d" name={t("over7d")} stroke="#b91c1c" strokeWidth={2} isAnimationActive={false} />
          <Line yAxisId="rate" type="monotone" dataKey="mismatchRate" name={t("mismatchRate")} stroke="#a16207" strokeDasharray="5 3" isAnimationActive={false} />
          <Line yAxisId="rate" type="monotone" dataKey="lagMinutes" name={t("lag")} stroke="#15803d" strokeDasharray="2 2" isAnimationActive={false} connectNulls />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
