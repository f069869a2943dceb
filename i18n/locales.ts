/*
 * The languages of Traceline's screens. Pure (no framework): the schema's CHECKs, the actor, the request config and the
 * tests read it. A user's own choice (users.locale) wins, else the active site's default (sites.default_locale), else
 * English; before sign-in, the browser's Accept-Language, else English.
 */
export const LOCALES = ["en", "fr"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

/** Each language named in itself (the language switch shows these, whatever the current language). */
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", fr: "Français" };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** The user's language: their own choice, else the site's default, else English. */
export function effectiveLocale(userLocale: string | null | undefined, siteDefault: string | null | undefined): Locale {
  if (isLocale(userLocale)) return userLocale;
  if (isLocale(siteDefault)) return siteDefault;
  return DEFAULT_LOCALE;
}

/**
 * The best of our languages for an Accept-Language header ("fr-FR,fr;q=0.9,en;q=0.8"): by quality, then order; a
 * region falls back to its language. English when none matches or the header is missing or malformed.
 */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale {
  if (!header) return DEFAULT_LOCALE;
  const ranked = header
    .split(",")
    .slice(0, 32)
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const quality = q ? Number(q.slice(2)) : 1;
      return { language: tag.trim().toLowerCase().split("-")[0] ?? "", quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((r) => r.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranked.map((r) => r.language).find(isLocale) ?? DEFAULT_LOCALE;
}
