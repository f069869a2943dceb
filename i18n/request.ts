import "server-only";
import { headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { getActor } from "@/server/auth/session";
import { localeFromAcceptLanguage, type Locale } from "./locales";
import { MESSAGES } from "./messages";

/**
 * next-intl's configuration of one request (found by the plugin in next.config.js). The locale is not in the URL: it is
 * the signed-in user's (their choice, else the active site's default: Actor.locale); before sign-in, or when the actor
 * cannot be read, the browser's Accept-Language, else English. Times are shown in the active site's time zone.
 */
export default getRequestConfig(async () => {
  const actor = await getActor().catch(() => null);
  const locale: Locale = actor?.locale ?? localeFromAcceptLanguage((await headers()).get("accept-language"));
  return { locale, messages: MESSAGES[locale], timeZone: actor?.timeZone ?? "UTC" };
});
