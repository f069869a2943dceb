"use client";

import { useId, useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { useErrorWords } from "@/components/errors/use-error-words";
import { Button } from "@/components/ui/button";
import { FormOutcome, formField, formLabel, useHydrated } from "@/components/ui/form-outcome";

/** The site's alert horizons (supervisor, quality engineer): audited; the list and badge follow at once. */
export function HorizonForm({ outTimeMinutes, shelfLifeDays }: { outTimeMinutes: number; shelfLifeDays: number }) {
  const t = useTranslations("alerts.settings");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useHydrated();
  const id = useId();
  const [minutes, setMinutes] = useState(String(outTimeMinutes));
  const [days, setDays] = useState(String(shelfLifeDays));
  const [reason, setReason] = useState("");
  const [outcome, setOutcome] = useState<{ ok: string | null; problem: string | null }>({ ok: null, problem: null });
  const save = useMutation(
    trpc.alerts.setHorizons.mutationOptions({
      onSuccess: (h) => {
        setOutcome({ ok: t("saved", { minutes: h.outTimeMinutes, days: h.shelfLifeDays }), problem: null });
        router.refresh();
      },
      onError: (e) => setOutcome({ ok: null, problem: actionErrorMessage(e) }),
    }),
  );
  return (
    <form
      className="flex flex-wrap items-end gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        setOutcome({ ok: null, problem: null });
        save.mutate({ outTimeMinutes: Number(minutes), shelfLifeDays: Number(days), reason: reason.trim() || undefined });
      }}
    >
      <div>
        <label htmlFor={`${id}-min`} className={formLabel}>
          {t("outTimeMinutes")}
        </label>
        <input id={`${id}-min`} type="number" inputMode="numeric" required value={minutes} onChange={(e) => setMinutes(e.target.value)} className={`${formField} w-32`} />
      </div>
      <div>
        <label htmlFor={`${id}-days`} className={formLabel}>
          {t("shelfLifeDays")}
        </label>
        <input id={`${id}-days`} type="number" inputMode="numeric" required value={days} onChange={(e) => setDays(e.target.value)} className={`${formField} w-32`} />
      </div>
      <div>
        <label htmlFor={`${id}-reason`} className={formLabel}>
          {t("reason")}
        </label>
        <input id={`${id}-reason`} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} className={`${formField} w-64`} />
      </div>
      <Button type="submit" disabled={!ready || save.isPending}>
        {t("save")}
      </Button>
      <div className="w-full">
        <FormOutcome ok={outcome.ok} problem={outcome.problem} />
      </div>
    </form>
  );
}
