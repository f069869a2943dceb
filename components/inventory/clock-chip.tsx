import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { localDateTime } from "@/server/domain/material-clock/material-clock";

/** What a screen knows of a lot's clocks (a ClockView or its JSON summary: instants as Date or ISO text). */
export type ClockFacts = {
  running: boolean;
  remainingMinutes: number | null;
  outTimeEndsAt: Date | string | null;
  thaw: { state: "not_frozen" | "frozen" | "thawing" | "thawed"; completeAt: Date | string | null };
  effectiveExpiry: { at: Date | string | null; cause: "expiry" | "out_time" | null };
  spent: boolean;
};

const at = (v: Date | string) => (typeof v === "string" ? new Date(v) : v);

/** The words of a lot's out-time, thaw state and effective expiry, in the page's language (labels use the same). */
export function useClockWords(): (c: ClockFacts, timeZone: string) => string {
  const t = useTranslations("storage.clock");
  const duration = (minutes: number) => {
    const m = Math.max(0, Math.floor(minutes));
    if (m < 60) return t("minutes", { m });
    if (m < 48 * 60) return t("hours", { h: Math.floor(m / 60), m: String(m % 60).padStart(2, "0") });
    return t("days", { d: Math.floor(m / 1440), h: Math.floor((m % 1440) / 60) });
  };
  return (c, timeZone) => {
    const parts: string[] = [];
    if (c.remainingMinutes !== null) {
      if (c.spent) parts.push(t("spent"));
      else if (c.running && c.outTimeEndsAt) parts.push(t("running", { left: duration(c.remainingMinutes), until: localDateTime(at(c.outTimeEndsAt), timeZone) }));
      else parts.push(t("stopped", { left: duration(c.remainingMinutes) }));
    }
    if (c.thaw.state === "thawing" && c.thaw.completeAt) parts.push(t("thawing", { until: localDateTime(at(c.thaw.completeAt), timeZone) }));
    if (c.thaw.state === "frozen") parts.push(t("frozen"));
    if (c.thaw.state === "thawed") parts.push(t("thawed"));
    if (c.effectiveExpiry.at) {
      const when = localDateTime(at(c.effectiveExpiry.at), timeZone);
      parts.push(c.effectiveExpiry.cause === "out_time" ? t("useBy", { at: when }) : t("expires", { at: when }));
    }
    return parts.join(" · ");
  };
}

/** Remaining out-time, thaw state and effective expiry of a time-sensitive lot, as a badge. */
export function ClockChip({ clock, timeZone }: { clock: ClockFacts | null; timeZone: string }) {
  const words = useClockWords();
  if (!clock) return null;
  const tone = clock.spent ? "red" : clock.thaw.state === "thawing" || clock.thaw.state === "frozen" ? "amber" : clock.running ? "blue" : "neutral";
  return (
    <span className="inline-flex flex-wrap gap-1" data-testid="clock-chip">
      <Badge tone={tone}>{words(clock, timeZone)}</Badge>
    </span>
  );
}
