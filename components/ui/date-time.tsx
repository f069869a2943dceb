/**
 * Dates and times in the site's time zone (Actor.timeZone), as unambiguous 24-hour ISO-like text. Pure: the time zone
 * is passed in, the value too.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withTime}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      ...(withTime ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" as const } : {}),
    });
    formatters.set(key, f);
  }
  return f;
}

function parts(value: Date, timeZone: string, withTime: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of formatter(timeZone, withTime).formatToParts(value)) out[p.type] = p.value;
  return out;
}

export function formatDate(value: Date, timeZone: string): string {
  const p = parts(value, timeZone, false);
  return `${p.year}-${p.month}-${p.day}`;
}

export function formatDateTime(value: Date, timeZone: string): string {
  const p = parts(value, timeZone, true);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

export function DateTime({ value, timeZone, dateOnly = false }: { value: Date | null; timeZone: string; dateOnly?: boolean }) {
  if (!value) return <span className="text-slate-500">—</span>;
  const text = dateOnly ? formatDate(value, timeZone) : formatDateTime(value, timeZone);
  return (
    <time dateTime={value.toISOString()} className="whitespace-nowrap tabular-nums">
      {text}
    </time>
  );
}
