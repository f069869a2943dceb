"use client";

import { useEffect, useId, useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { useErrorWords } from "@/components/errors/use-error-words";
import { LOCALE_NAMES, LOCALES, type Locale } from "@/i18n/locales";

const SITE_DEFAULT = "site";

/**
 * The language of one's own screens: the site's default, or English / Français (each named in itself). Kept on the
 * user (session.setLanguage), so it follows them to every tablet and to their next sign-in; the page then renders
 * again in the new language. Disabled until hydrated.
 */
export function LanguageSwitcher({ chosen, siteDefaultName }: { chosen: Locale | null; siteDefaultName: string }) {
  const t = useTranslations("shell");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const id = useId();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const setLanguage = useMutation(trpc.session.setLanguage.mutationOptions({ onSuccess: () => router.refresh() }));
  const pendingValue = setLanguage.isPending && setLanguage.variables ? (setLanguage.variables.locale ?? SITE_DEFAULT) : null;

  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="text-sm font-semibold text-slate-200">
        {t("language")}
      </label>
      <select
        id={id}
        data-testid="language-switch"
        value={pendingValue ?? chosen ?? SITE_DEFAULT}
        disabled={!ready || setLanguage.isPending}
        onChange={(e) => setLanguage.mutate({ locale: e.target.value === SITE_DEFAULT ? null : (e.target.value as Locale) })}
        className="min-h-12 rounded-md border-2 border-white/40 bg-slate-800 px-3 text-base font-semibold text-white disabled:opacity-60"
      >
        <option value={SITE_DEFAULT}>{t("siteDefault", { language: siteDefaultName })}</option>
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LOCALE_NAMES[l]}
          </option>
        ))}
      </select>
      {setLanguage.error ? (
        <span role="status" className="text-sm font-semibold text-red-200">
          {actionErrorMessage(setLanguage.error)}
        </span>
      ) : null}
    </div>
  );
}
