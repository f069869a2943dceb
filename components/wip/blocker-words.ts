import { whereUsedHref } from "@/components/genealogy/links";
import type { Blocker } from "@/server/domain/wip/blockers";

/* What each blocker says to a supervisor, and where to go about it (the hold, the lot, the kit, the order's kitting). */

export const BLOCKER_LABELS: Record<Blocker["kind"], string> = {
  hold: "On hold",
  tool_hold: "Tool on hold",
  short_kit: "Short kit",
  missing_component: "Missing component",
  expiring: "Expiring in shift",
  parameter: "Parameter out of limits",
  waiting_long: "Waiting too long",
};

export function minutesText(m: number): string {
  if (m < 60) return `${Math.max(0, Math.floor(m))} min`;
  if (m < 24 * 60) return `${Math.floor(m / 60)} h ${String(Math.floor(m % 60)).padStart(2, "0")} min`;
  return `${Math.floor(m / 1440)} d ${Math.floor((m % 1440) / 60)} h`;
}

const hhmm = (d: Date, timeZone: string) => new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit" }).format(d);

export function blockerText(b: Blocker, timeZone: string): string {
  switch (b.kind) {
    case "hold":
      return `${b.item || "Material"} ${b.where === "installed" ? "installed" : "staged"} is on hold: ${b.reason}`;
    case "tool_hold":
      return `Tool ${b.toolCode} is on hold (${b.reason})${b.installs > 0 ? `: ${b.installs} install${b.installs === 1 ? "" : "s"} on this unit made with it` : ": readings on this unit were taken with it"}`;
    case "short_kit":
      return `Kit ${b.kitNumber} is short${b.parts.length > 0 ? ` of ${b.parts.join(", ")}` : ""}`;
    case "missing_component":
      return `No usable ${b.partNumber} rev ${b.revision} at the station (${b.remaining} still to install)`;
    case "expiring":
      return `${b.item} (${b.partNumber}) ${b.cause === "out_time" ? "runs out of out-time" : "expires"} at ${hhmm(b.at, timeZone)}, before the shift ends`;
    case "parameter":
      return `${b.name} recorded ${b.value} ${b.unit}, outside ${b.limits}`;
    case "waiting_long":
      return `At this operation ${minutesText(b.minutes)}; usually ${minutesText(b.usualMinutes)}`;
  }
}

/** Where to act on a blocker: the hold, the lot's where-used, the kit, or the order's kitting page. */
export function blockerHref(b: Blocker, workOrderId: string): string | null {
  switch (b.kind) {
    case "hold":
      return `/quality/holds/${b.holdId}`;
    case "tool_hold":
      return `/quality/tools?tool=${encodeURIComponent(b.toolCode)}&since=calibration`;
    case "short_kit":
      return `/kitting/kits/${b.kitId}`;
    case "missing_component":
      return `/kitting/${workOrderId}`;
    case "expiring":
      return b.lotId ? whereUsedHref({ kind: "lot", id: b.lotId }) : `/kitting/${workOrderId}`;
    case "parameter":
    case "waiting_long":
      return `/wip/${workOrderId}`;
  }
}

/** A second link for a hold on a lot or serial: the material itself. */
export function materialHref(b: Blocker): string | null {
  if (b.kind !== "hold") return null;
  if (b.lotId) return whereUsedHref({ kind: "lot", id: b.lotId });
  if (b.serialItemId) return whereUsedHref({ kind: "serial", id: b.serialItemId });
  return null;
}
