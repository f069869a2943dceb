import { localDate } from "../kitting/dates";

/*
 * A unit's fate once it has left the floor, in words (where-used, as-built, refusals): "Shipped to <customer> on
 * <date> (<delivery note>)" or "Scrapped on <date>: <reason>". Dates are calendar dates in the site's time zone.
 */

export type UnitFate =
  | { kind: "shipped"; at: Date | null; to: string | null; reference: string | null }
  | { kind: "scrapped"; at: Date | null; reason: string | null };

export function fateText(fate: UnitFate, timeZone: string): string {
  const on = fate.at ? ` on ${localDate(fate.at, timeZone)}` : "";
  if (fate.kind === "shipped") return `Shipped${fate.to ? ` to ${fate.to}` : ""}${on}${fate.reference ? ` (${fate.reference})` : ""}`;
  return `Scrapped${on}${fate.reason ? `: ${fate.reason}` : ""}`;
}
