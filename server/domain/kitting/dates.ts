/** Calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(at: Date, timeZone: string): string {
  // zone offsets are whole minutes (every zone, since 1972), so the instants of one UTC minute share a local date: the
  // last one per zone is kept (a station asks for it on every scan)
  const minute = Math.floor(at.getTime() / 60_000);
  const last = lastDate.get(timeZone);
  if (last && last.minute === minute) return last.date;
  const date = formatter(dateFormats, timeZone, () => new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })).format(at);
  if (lastDate.size < 1000 || lastDate.has(timeZone)) lastDate.set(timeZone, { minute, date });
  return date;
}

const lastDate = new Map<string, { minute: number; date: string }>();

// Building an Intl.DateTimeFormat costs far more than formatting with one (it showed in the station benchmark's
// profile): one per time zone, kept. Sites have a handful of zones; an unknown zone throws before it is kept.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const partFormats = new Map<string, Intl.DateTimeFormat>();

function formatter(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = cache.get(timeZone);
  if (!f) {
    f = make();
    if (cache.size < 1000) cache.set(timeZone, f);
  }
  return f;
}

/** The instant a calendar date starts in a time zone (DST-safe: corrects by the zone's offset at that instant). */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const guess = new Date(`${date}T00:00:00Z`);
  const offset = zoneOffsetMs(guess, timeZone);
  const first = new Date(guess.getTime() - offset);
  const second = zoneOffsetMs(first, timeZone);
  return second === offset ? first : new Date(guess.getTime() - second);
}

function zoneOffsetMs(at: Date, timeZone: string): number {
  const parts = formatter(partFormats, timeZone, () => new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  })).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? "0");
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/**
 * When kitted material is planned to be used: the start of the work order's due date in the site's time zone, or now
 * if that is already past (material used today must be good today).
 */
export function plannedUseAt(dueDate: string, timeZone: string, now: Date): Date {
  const due = startOfLocalDay(dueDate, timeZone);
  return due.getTime() > now.getTime() ? due : now;
}
