/*
 * BOM-line effectivity: whether a line applies to a unit, by the unit's serial and by a calendar date. One rule, used
 * by kitting (pick list), the station (lines at an operation) and the as-designed comparison. Pure.
 */

/** A line's effectivity: an inclusive serial range and an inclusive date range; a null end is open. */
export type Effectivity = {
  serialFrom: string | null;
  serialTo: string | null;
  /** calendar dates, YYYY-MM-DD */
  effectiveFrom: string | null;
  effectiveTo: string | null;
};

/**
 * Serial order for effectivity ranges: runs of digits compare as numbers ("ACT-99" < "ACT-100", "ACT-0999" equals
 * "ACT-999"), letters without regard to case or accents, everything else as text ("A-5" < "B-1").
 */
export function compareSerials(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true, sensitivity: "base" });
}

/**
 * True when a line applies to the unit with `serial` on `onDate` (a calendar date in the site's time zone, YYYY-MM-DD):
 * `serialFrom <= serial <= serialTo` and `effectiveFrom <= onDate <= effectiveTo`, both ends inclusive, a null end open.
 * `serial` null (an order that has no unit rows yet): the serial range cannot be evaluated and is not applied.
 */
export function isEffective(line: Effectivity, serial: string | null, onDate: string): boolean {
  if (serial !== null) {
    if (line.serialFrom && compareSerials(serial, line.serialFrom) < 0) return false;
    if (line.serialTo && compareSerials(serial, line.serialTo) > 0) return false;
  }
  if (line.effectiveFrom && onDate < line.effectiveFrom) return false;
  if (line.effectiveTo && onDate > line.effectiveTo) return false;
  return true;
}
