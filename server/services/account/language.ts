import "server-only";
import type { DbOrTx } from "@/db/client";
import { effectiveLocale, type Locale } from "@/i18n/locales";
import { DomainError } from "@/server/domain/shared/errors";
import type { Actor } from "@/server/auth/types";
import { setUserLocale } from "@/server/repos/auth-users";

/**
 * The signed-in user chooses the language of their screens (null: follow the active site's default). Kept on the user,
 * so it follows them to every tablet and survives sign-out. Returns the language their screens now use.
 */
export async function chooseLanguage(db: DbOrTx, actor: Actor, locale: Locale | null): Promise<{ locale: Locale; chosenLocale: Locale | null }> {
  if (!(await setUserLocale(db, actor.userId, locale))) throw new DomainError("NOT_FOUND", "No such user.", { userId: actor.userId }, { key: "noSuchAccount" });
  const site = actor.sites.find((s) => s.id === actor.siteId);
  return { locale: effectiveLocale(locale, site?.defaultLocale), chosenLocale: locale };
}
