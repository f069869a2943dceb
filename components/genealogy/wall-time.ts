/*
 * "As it was at" times: the picker shows and takes wall-clock time in the site's time zone (an <input
 * type="datetime-local"> value, "YYYY-MM-DDTHH:mm"), the API takes an instant. Pure: the zone is passed in.
 */

const WALL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

function wallParts(at: Date, timeZone: string): [number, number, number, number, number, number] {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const x of f.formatToParts(at)) if (x.type !== "literal") p[x.type] = Number(x.value);
  return [p.year!, p.month!, p.day!, p.hour!, p.minute!, p.second!];
}

/** The wall-clock value of an instant in a zone, as a datetime-local value (minutes). */
export function toWallTime(at: Date, timeZone: string): string {
  const [y, mo, d, h, mi] = wallParts(at, timeZone);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${String(y).padStart(4, "0")}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}`;
}

/**
 * The instant a wall-clock time in a zone stands for, or null when the text is not a real date and time. In the hour
 * skipped by a daylight-saving change the later offset applies; in the repeated hour, the earlier instant.
 */
export function fromWallTime(value: string, timeZone: string): Date | null {
  const m = WALL.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(asUtc);
  if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) return null; // 2026-02-30 and the like
  const offsetAt = (t: number) => {
    const [py, pmo, pd, ph, pmi, ps] = wallParts(new Date(t), timeZone);
    return Date.UTC(py, pmo - 1, pd, ph, pmi, ps) - t;
  };
  // Two candidate offsets (before and after a possible change): prefer the earliest instant that shows this wall time.
  const o1 = offsetAt(asUtc - offsetAt(asUtc));
  const o2 = offsetAt(asUtc - 86_400_000);
  const candidates = [asUtc - o1, asUtc - o2].filter((t) => offsetAt(t) === asUtc - t).sort((a, b) => a - b);
  // None: the wall time falls in the hour skipped by a change; read it with the offset before the change (moves forward).
  return new Date(candidates[0] ?? asUtc - o2);
}
