"use client";

import { useEffect, useState } from "react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { useErrorWords } from "@/components/errors/use-error-words";

/**
 * Send a dead-lettered confirmation again (administrators), with a reason that goes into its history and the audit log;
 * the page refreshes to show it back in the queue. Disabled until hydrated and while it runs.
 */
export function ReplayConfirmation({ id, messageId }: { id: number; messageId: string }) {
  const t = useTranslations("erp.confirmation.replay");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const [ready, setReady] = useState(false);
  const [reason, setReason] = useState("");
  useEffect(() => setReady(true), []);
  const replay = useMutation(trpc.erp.replayConfirmation.mutationOptions({ onSuccess: () => router.refresh() }));

  return (
    <form
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        replay.mutate({ id, reason });
      }}
    >
      <label htmlFor="replay-reason" className="block font-semibold">
        {t("why")}
      </label>
      <input
        id="replay-reason"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        maxLength={500}
        required
        minLength={3}
        placeholder={t("placeholder")}
        className="min-h-11 w-full max-w-xl rounded-md border-2 border-slate-400 px-3 focus:border-blue-600 focus:outline-none"
      />
      <p className="text-sm text-slate-700">
        {t.rich("help", { id: messageId, mono: (c) => <span className="font-mono">{c}</span> })}
      </p>
      <Button type="submit" variant="primary" disabled={!ready || replay.isPending || reason.trim().length < 3}>
        {replay.isPending ? t("pending") : t("button")}
      </Button>
      <div role="status" aria-live="polite">
        {replay.isSuccess ? <div className="rounded-md border-2 border-green-300 bg-green-50 px-3 py-2 font-semibold text-green-900">{t("done")}</div> : null}
        {replay.error ? <div className="rounded-md border-2 border-red-300 bg-red-50 px-3 py-2 font-semibold text-red-900">{actionErrorMessage(replay.error)}</div> : null}
      </div>
    </form>
  );
}
