import { Badge } from "@/components/ui/badge";
import { durationWords, localDateTime } from "@/server/domain/material-clock/material-clock";

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

/** One line of words for a lot's out-time, thaw state and effective expiry (labels and titles use the same words). */
export function clockWords(c: ClockFacts, timeZone: string): string {
  const parts: string[] = [];
  if (c.remainingMinutes !== null) {
    if (c.spent) parts.push("Out-time used up");
    else if (c.running && c.outTimeEndsAt) parts.push(`Out-time ${durationWords(c.remainingMinutes)} left (until ${localDateTime(at(c.outTimeEndsAt), timeZone)})`);
    else parts.push(`Out-time ${durationWords(c.remainingMinutes)} left, clock stopped (in storage)`);
  }
  if (c.thaw.state === "thawing" && c.thaw.completeAt) parts.push(`Thawing until ${localDateTime(at(c.thaw.completeAt), timeZone)}`);
  if (c.thaw.state === "frozen") parts.push("Frozen");
  if (c.thaw.state === "thawed") parts.push("Thawed");
  if (c.effectiveExpiry.at) parts.push(`${c.effectiveExpiry.cause === "out_time" ? "Use by" : "Expires"} ${localDateTime(at(c.effectiveExpiry.at), timeZone)}`);
  return parts.join(" · ");
}

/** Remaining out-time, thaw state and effective expiry of a time-sensitive lot, as badges. */
export function ClockChip({ clock, timeZone }: { clock: ClockFacts | null; timeZone: string }) {
  if (!clock) return null;
  const tone = clock.spent ? "red" : clock.thaw.state === "thawing" || clock.thaw.state === "frozen" ? "amber" : clock.running ? "blue" : "neutral";
  return (
    <span className="inline-flex flex-wrap gap-1" data-testid="clock-chip">
      <Badge tone={tone}>{clockWords(clock, timeZone)}</Badge>
    </span>
  );
}
