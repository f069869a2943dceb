import { useTranslations } from "next-intl";

type DurationT = (key: string, values: Record<string, string | number>) => string;

/** "3 h 20 min left" / "2 d 4 h ago" / "3 h 20 min" (bare): a duration in minutes in the reader's language. */
export function durationText(t: DurationT, minutes: number, mode: "left" | "ago" | "bare"): string {
  const m = Math.abs(Math.floor(minutes));
  if (m < 60) return t(`${mode}.minutes`, { m });
  if (m < 48 * 60) return t(`${mode}.hours`, { h: Math.floor(m / 60), m: String(m % 60).padStart(2, "0") });
  return t(`${mode}.days`, { d: Math.floor(m / 1440), h: Math.floor((m % 1440) / 60) });
}

/** Minutes left (negative: passed that long ago). */
export function TimeLeft({ minutes }: { minutes: number }) {
  const t = useTranslations("alerts");
  return <>{durationText(t as unknown as DurationT, minutes, minutes >= 0 ? "left" : "ago")}</>;
}
