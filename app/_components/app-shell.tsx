import Link from "next/link";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { SignOutButton } from "./sign-out-button";
import { TRPCReactProvider } from "@/components/providers/trpc-provider";
import { cn } from "@/components/ui/cn";
import { ALERT_ROLES, canOpen, navEntries } from "@/server/api/areas";
import type { Actor } from "@/server/auth/types";
import { NavLinks } from "@/components/shell/nav-links";
import { SiteSwitcher } from "./site-switcher";
import { LanguageSwitcher } from "./language-switcher";
import { LOCALE_NAMES } from "@/i18n/locales";
import { AlertBadge } from "./alert-badge";
import { FindByScan } from "./find-by-scan";

/**
 * The frame of every signed-in page: Traceline, the active site (with a switcher when the user has several), the
 * areas this user may open there, who is signed in with which role, and sign-out. `floor` pages get larger type and
 * targets (the `.floor` rules of app/globals.css: text at least 18 px, controls at least 48 px high).
 */
export function AppShell({ actor, variant = "office", children }: { actor: Actor; variant?: "floor" | "office"; children: ReactNode }) {
  const t = useTranslations();
  const nav = navEntries(actor.roles).map((e) => ({ href: e.href, label: t(`areas.${e.key}`) }));
  const siteDefault = actor.sites.find((s) => s.id === actor.siteId)?.defaultLocale ?? "en";
  return (
    <TRPCReactProvider>
      <div className={cn("flex min-h-dvh flex-col", variant === "floor" && "floor")}>
        <header className="bg-slate-900 text-white">
          <div className="flex flex-wrap items-center gap-x-6 gap-y-2 px-4 py-2">
            <Link href="/" className="inline-flex min-h-12 items-center text-2xl font-bold tracking-tight">
              {t("common.appName")}
            </Link>
            {actor.sites.length > 1 ? (
              <SiteSwitcher activeSiteId={actor.siteId} sites={actor.sites.map((s) => ({ id: s.id, code: s.code, name: s.name }))} />
            ) : (
              <p className="text-base">
                <span className="sr-only">{t("shell.siteLabel")}</span>
                <span className="font-semibold">{actor.siteCode}</span> · {actor.siteName}
              </p>
            )}
            <nav aria-label={t("shell.areas")} className="order-last w-full md:order-none md:w-auto">
              <NavLinks items={[{ href: "/", label: t("common.home") }, ...nav]} />
            </nav>
            <div className="ml-auto flex flex-wrap items-center gap-3">
              <FindByScan canTrace={canOpen(actor.roles, "genealogy")} />
              {actor.roles.some((r) => ALERT_ROLES.includes(r)) ? <AlertBadge /> : null}
              <p className="text-right leading-tight">
                <span className="block font-semibold">{actor.displayName}</span>
                <span className="block text-sm text-slate-300">{actor.roles.map((r) => t(`roles.${r}`)).join(", ")}</span>
              </p>
              <LanguageSwitcher chosen={actor.chosenLocale ?? null} siteDefaultName={LOCALE_NAMES[siteDefault]} />
              <SignOutButton />
            </div>
          </div>
        </header>
        <main className={cn("mx-auto w-full flex-1 px-4 py-5", variant === "floor" ? "max-w-6xl text-lg" : "max-w-7xl")}>{children}</main>
        <footer className="px-4 py-2 text-xs text-slate-600">{t("shell.timesIn", { timeZone: actor.timeZone })}</footer>
      </div>
    </TRPCReactProvider>
  );
}
