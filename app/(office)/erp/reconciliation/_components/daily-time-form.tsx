"use client";

import { useEffect, useState } from "react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { useErrorWords } from "@/components/errors/use-error-words";

/** The site's daily reconciliation time (administrators): HH:MM in the site's time zone, or empty for on demand only. */
export function DailyTimeForm({ dailyAt, timeZone }: { dailyAt: string | null; timeZone: string }) {
  const t = useTranslations("reconciliation.schedule");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const [ready, setReady] = useState(false);
  const [value, setValue] = useState(dailyAt ?? "");
  useEffect(() => setReady(true), []);
  const save = useMutation(trpc.reconciliation.setDailyTime.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <form
      className="flex flex-wrap items-end gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ dailyAt: value.trim() === "" ? null : value.trim() });
      }}
    >
      <div>
        <label htmlFor="recon-daily-at" className="mb-1 block text-sm font-semibold">
          {t("label", { timeZone })}
        </label>
        <input id="recon-daily-at" type="time" value={value} onChange={(e) => setValue(e.target.value)} className="min-h-9 rounded-md border-2 border-slate-400 px-2" />
      </div>
      <Button type="submit" disabled={!ready || save.isPending}>
        {save.isPending ? t("saving") : t("save")}
      </Button>
      <div role="status" aria-live="polite" className="text-sm">
        {save.isSuccess ? <span className="font-semibold text-green-900">{t("saved")}</span> : null}
        {save.error ? <span className="font-semibold text-red-900">{actionErrorMessage(save.error)}</span> : null}
      </div>
    </form>
  );
}
