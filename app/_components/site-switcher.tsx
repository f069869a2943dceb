"use client";

import { useEffect, useId, useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { useErrorWords } from "@/components/errors/use-error-words";

export type SiteOption = { id: string; code: string; name: string };

/**
 * Work at another of one's sites: the session's active site changes on the server, then the whole page renders again
 * for the new site (from the home page: an object open now belongs to the old site). Disabled until hydrated.
 */
export function SiteSwitcher({ sites, activeSiteId }: { sites: SiteOption[]; activeSiteId: string }) {
  const t = useTranslations("shell");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const id = useId();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const switchSite = useMutation(
    trpc.session.switchSite.mutationOptions({
      onSuccess: () => {
        router.replace("/");
        router.refresh();
      },
    }),
  );

  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="text-sm font-semibold text-slate-200">
        {t("site")}
      </label>
      <select
        id={id}
        value={switchSite.isPending && switchSite.variables ? switchSite.variables.siteId : activeSiteId}
        disabled={!ready || switchSite.isPending}
        onChange={(e) => switchSite.mutate({ siteId: e.target.value })}
        className="min-h-12 rounded-md border-2 border-white/40 bg-slate-800 px-3 text-base font-semibold text-white disabled:opacity-60"
      >
        {sites.map((s) => (
          <option key={s.id} value={s.id}>
            {s.code} · {s.name}
          </option>
        ))}
      </select>
      {switchSite.error ? (
        <span role="status" className="text-sm font-semibold text-red-200">
          {actionErrorMessage(switchSite.error)}
        </span>
      ) : null}
    </div>
  );
}
