import { useLocale } from "next-intl";

/**
 * Dates and times in the site's time zone (Actor.timeZone), in the reader's language: English as unambiguous 24-hour
 * ISO-like text (2026-11-19 14:05: neither US nor UK order), French as 19/11/2026 14:05. Pure: the time zone, the
 * locale and the value are passed in (the <DateTime> component reads the request's locale).
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

export function formatDate(value: Date, timeZone: string, locale = "en"): string {
  const p = parts(value, timeZone, false);
  return locale === "fr" ? `${p.day}/${p.month}/${p.year}` : `${p.year}-${p.month}-${p.day}`;
}

export function formatDateTime(value: Date, timeZone: string, locale = "en"): string {
  const p = parts(value, timeZone, true);
  return `${formatDate(value, timeZone, locale)} ${p.hour}:${p.minute}`;
}

export function DateTime({ value, timeZone, dateOnly = false }: { value: Date | null; timeZone: string; dateOnly?: boolean }) {
  const locale = useLocale();
  if (!value) return <span className="text-slate-500">—</span>;
  const text = dateOnly ? formatDate(value, timeZone, locale) : formatDateTime(value, timeZone, locale);
  return (
    <time dateTime={value.toISOString()} className="whitespace-nowrap tabular-nums">
      {text}
    </time>
  );
}
