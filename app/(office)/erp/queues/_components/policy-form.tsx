"use client";

import { useEffect, useState } from "react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { useErrorWords } from "@/components/errors/use-error-words";

/** Change the site's rule for ERP issues of material from unapproved manufacturers (administrators), with a reason. */
export function PolicyForm({ current }: { current: "warn" | "refuse" }) {
  const t = useTranslations("erp.queues");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const [ready, setReady] = useState(false);
  const [reason, setReason] = useState("");
  useEffect(() => setReady(true), []);
  const change = useMutation(trpc.erp.setUnapprovedMaterialPolicy.mutationOptions({ onSuccess: () => router.refresh() }));
  const other = current === "refuse" ? "warn" : "refuse";
  return (
    <div className="space-y-2">
      <label htmlFor="policy-reason" className="block text-sm font-semibold">
        {t("reason")}
      </label>
      <input
        id="policy-reason"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        maxLength={500}
        className="min-h-9 w-full max-w-md rounded-md border-2 border-slate-400 bg-white px-2 text-sm focus:border-blue-600 focus:outline-none"
      />
      <Button disabled={!ready || change.isPending || reason.trim().length < 3} onClick={() => change.mutate({ policy: other, reason })}>
        {other === "refuse" ? t("policy.toRefuse") : t("policy.toWarn")}
      </Button>
      <div role="status" aria-live="polite">
        {change.error ? <p className="rounded-md border-2 border-red-300 bg-red-50 px-3 py-2 font-semibold text-red-900">{actionErrorMessage(change.error)}</p> : null}
      </div>
    </div>
  );
}
