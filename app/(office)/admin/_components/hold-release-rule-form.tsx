"use client";

import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { useErrorWords } from "@/components/errors/use-error-words";

/** The site's two-person rule for hold release: on, the quality engineer who placed a hold cannot release it. Audited with the reason. */
export function HoldReleaseRuleForm({ twoPerson, siteName }: { twoPerson: boolean; siteName: string }) {
  const t = useTranslations("admin.holdRule");
  const tc = useTranslations("common");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const [on, setOn] = useState(twoPerson);
  const [reason, setReason] = useState("");
  const save = useMutation(trpc.admin.setHoldReleaseRule.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <form
      aria-label={t("formLabel")}
      className="flex flex-wrap items-end gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ twoPerson: on, reason });
      }}
    >
      <label className="inline-flex min-h-10 items-center gap-2">
        <input type="checkbox" className="size-5" checked={on} onChange={(e) => setOn(e.target.checked)} />
        {t("twoPerson", { site: siteName })}
      </label>
      <div className="min-w-64 flex-1">
        <label htmlFor="hold-rule-reason" className="mb-1 block text-sm font-semibold">
          {t("why")}
        </label>
        <input
          id="hold-rule-reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          required
          maxLength={500}
          className="min-h-10 w-full rounded-md border-2 border-slate-400 bg-white px-3 focus:border-blue-600 focus:outline-none"
        />
      </div>
      <Button type="submit" variant="secondary" disabled={!ready || save.isPending || on === twoPerson}>
        {save.isPending ? tc("saving") : t("submit")}
      </Button>
      <p role="status" className="w-full text-sm">
        {save.isSuccess ? <span className="text-green-900">{t("saved", { on: on ? "on" : "off" })}</span> : null}
        {save.error ? <span className="text-red-900">{actionErrorMessage(save.error)}</span> : null}
      </p>
    </form>
  );
}
