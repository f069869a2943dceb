import { createFormatter, createTranslator } from "next-intl";
import { MESSAGES } from "./messages";
import type { Locale } from "./locales";

/**
 * `t` and `format` outside a React render (the tRPC error formatter, PDF exports): the same catalogs and ICU messages
 * as the screens. Server Components use getTranslations() from next-intl/server, Client Components useTranslations().
 */
export function translatorFor(locale: Locale, timeZone = "UTC") {
  return createTranslator({ locale, messages: MESSAGES[locale], timeZone });
}

export function formatterFor(locale: Locale, timeZone: string) {
  return createFormatter({ locale, timeZone });
}
