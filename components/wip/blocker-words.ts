import { whereUsedHref } from "@/components/genealogy/links";
import type { Blocker } from "@/server/domain/wip/blockers";

/*
 * What each blocker says to a supervisor (messages/<locale>/wip.json, `blockers`), and where to go about it (the hold,
 * the lot, the kit, the order's kitting). The words take the `wip` namespace's translator of the page.
 */

/** The `wip` namespace's translator, as the board's components get it from useTranslations("wip"). */
export type WipT = (key: string, values?: Record<string, string | number | Date>) => string;

export function blockerLabel(t: WipT, kind: Blocker["kind"]): string {
  return t(`blockers.labels.${kind}`);
}

export function minutesText(t: WipT, minutes: number): string {
  const m = Math.max(0, Math.floor(minutes));
  if (m < 60) return t("duration.minutes", { m });
  if (m < 24 * 60) return t("duration.hours", { h: Math.floor(m / 60), m: String(m % 60).padStart(2, "0") });
  return t("duration.days", { d: Math.floor(m / 1440), h: Math.floor((m % 1440) / 60) });
}

const hhmm = (d: Date, timeZone: string) => new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit" }).format(d);

export function blockerText(t: WipT, b: Blocker, timeZone: string): string {
  switch (b.kind) {
    case "hold":
      return t("blockers.hold", { item: b.item || t("blockers.material"), where: b.where, reason: b.reason });
    case "tool_hold":
      return t("blockers.toolHold", { tool: b.toolCode, reason: b.reason, installs: b.installs });
    case "short_kit":
      return t("blockers.shortKit", { kit: b.kitNumber, hasParts: b.parts.length > 0 ? "yes" : "no", parts: b.parts.join(", ") });
    case "missing_component":
      return t("blockers.missing", { part: b.partNumber, revision: b.revision, remaining: b.remaining });
    case "expiring":
      return t("blockers.expiring", { item: b.item, part: b.partNumber, cause: b.cause, time: hhmm(b.at, timeZone) });
    case "parameter":
      return t("blockers.parameter", { name: b.name, value: b.value, unit: b.unit, limits: b.limits });
    case "waiting_long":
      return t("blockers.waitingLong", { minutes: minutesText(t, b.minutes), usual: minutesText(t, b.usualMinutes) });
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
