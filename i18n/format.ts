/*
 * Locale-aware text for exact values, pure (no React, no framework): the screens' <Qty> and dates, and the server's
 * refusal words (server/api/refusal-words.ts) use the same functions. Quantities stay exact decimal strings (never a
 * float); input fields keep the dot (what the server parses).
 */

/**
 * A quantity shown from its exact decimal string: trailing zeros of the fraction are dropped by text, so "2.500000"
 * reads 2.5 and "0.100000" reads 0.1; in French with a decimal comma (2,5).
 */
export function formatQty(value: string, locale = "en"): string {
  const text = value.trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) return text;
  const trimmed = text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
  const shown = trimmed === "-0" ? "0" : trimmed;
  return locale === "fr" ? shown.replace(".", ",") : shown;
}

/**
 * A calendar day given as YYYY-MM-DD (a local date the server computed in the site's time zone: no time zone to
 * apply) in the reader's order: English keeps 2026-11-19 (as <DateTime>), French 19/11/2026. Anything else as given.
 */
export function formatLocalDay(day: string, locale = "en"): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day.trim());
  if (!m || locale !== "fr") return day;
  return `${m[3]}/${m[2]}/${m[1]}`;
}
