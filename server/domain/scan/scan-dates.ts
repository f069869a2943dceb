/**
 * Calendar helpers for scanned dates. Pure: the current date is always passed in (only its UTC year is used).
 */

/**
 * GS1 century rule (GS1 General Specifications, "Determination of century in dates"): a two-digit year is placed in
 * the century that puts it within -49..+50 years of the current year.
 */
export function resolveCentury(yy: number, today: Date): number {
  const current = today.getUTCFullYear();
  const century = current - (current % 100);
  const diff = yy - (current % 100);
  if (diff >= 51) return century - 100 + yy;
  if (diff <= -50) return century + 100 + yy;
  return century + yy;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

export type DateCheck = { ok: true; iso: string } | { ok: false; problem: string };

/** Checks year/month/day; day 0 means "last day of the month" when allowed (GS1 yymmd0). */
export function checkCalendarDate(year: number, month: number, day: number, allowDayZero: boolean): DateCheck {
  if (month < 1 || month > 12) return { ok: false, problem: `month ${pad(month)} does not exist` };
  const last = daysInMonth(year, month);
  if (day === 0) {
    if (!allowDayZero) return { ok: false, problem: "day 00 is not allowed here" };
    return { ok: true, iso: `${pad(year, 4)}-${pad(month)}-${pad(last)}` };
  }
  if (day > last) return { ok: false, problem: `day ${pad(day)} does not exist in ${pad(year, 4)}-${pad(month)}` };
  return { ok: true, iso: `${pad(year, 4)}-${pad(month)}-${pad(day)}` };
}

/** YYMMDD with the GS1 century rule. */
export function checkYymmdd(data: string, today: Date, allowDayZero: boolean): DateCheck {
  if (!/^\d{6}$/.test(data)) return { ok: false, problem: `date "${data}" is not six digits YYMMDD` };
  const yy = Number(data.slice(0, 2));
  return checkCalendarDate(resolveCentury(yy, today), Number(data.slice(2, 4)), Number(data.slice(4, 6)), allowDayZero);
}

/** YYYYMMDD. */
export function checkYyyymmdd(data: string): DateCheck {
  if (!/^\d{8}$/.test(data)) return { ok: false, problem: `date "${data}" is not eight digits YYYYMMDD` };
  return checkCalendarDate(Number(data.slice(0, 4)), Number(data.slice(4, 6)), Number(data.slice(6, 8)), false);
}

/** DDMMYYYY. */
export function checkDdmmyyyy(data: string): DateCheck {
  if (!/^\d{8}$/.test(data)) return { ok: false, problem: `date "${data}" is not eight digits DDMMYYYY` };
  return checkCalendarDate(Number(data.slice(4, 8)), Number(data.slice(2, 4)), Number(data.slice(0, 2)), false);
}
