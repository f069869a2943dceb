"use client";

import { useEffect, useId, useState } from "react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { useErrorWords } from "@/components/errors/use-error-words";

/**
 * An administrator's actions on one production order's queue: skip the missing version(s), or resume the queue, each
 * with a reason (audited). Disabled until hydrated and while one runs; the page refreshes to show the new state.
 */
export function QueueActions({ objectKey, plant, canSkip }: { objectKey: string; plant: string; canSkip: boolean }) {
  const t = useTranslations("erp.queues");
  const tStatus = useTranslations("status");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const id = useId();
  const [ready, setReady] = useState(false);
  const [reason, setReason] = useState("");
  useEffect(() => setReady(true), []);
  const skip = useMutation(trpc.erp.skipGap.mutationOptions({ onSuccess: () => router.refresh() }));
  const resume = useMutation(trpc.erp.resumeQueue.mutationOptions({ onSuccess: () => router.refresh() }));
  const busy = skip.isPending || resume.isPending;
  const done = skip.data ?? resume.data;
  const error = skip.error ?? resume.error;
  const enough = reason.trim().length >= 3;
  return (
    <div className="space-y-2">
      <label htmlFor={`${id}-reason`} className="block text-sm font-semibold">
        {t("reason")}
      </label>
      <input
        id={`${id}-reason`}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        maxLength={500}
        className="min-h-9 w-full max-w-md rounded-md border-2 border-slate-400 bg-white px-2 text-sm focus:border-blue-600 focus:outline-none"
        placeholder={t("reasonPlaceholder")}
      />
      <div className="flex flex-wrap gap-2">
        {canSkip ? (
          <Button variant="primary" disabled={!ready || busy || !enough} onClick={() => skip.mutate({ objectKey, plant, reason })}>
            {skip.isPending ? t("skipping") : t("skip")}
          </Button>
        ) : null}
        <Button disabled={!ready || busy || !enough} onClick={() => resume.mutate({ objectKey, plant, reason })}>
          {resume.isPending ? t("resuming") : t("resume")}
        </Button>
      </div>
      <div role="status" aria-live="polite">
        {done ? (
          <p className="rounded-md border-2 border-green-300 bg-green-50 px-3 py-2 font-semibold text-green-900">
            {done.skipped
              ? `${done.skipped.from === done.skipped.to ? t("skippedOne", { version: done.skipped.from }) : t("skippedRange", { from: done.skipped.from, to: done.skipped.to })} `
              : ""}
            {done.outcome
              ? t("outcome", { id: done.outcome.messageId, status: tStatus(done.outcome.status as "applied") })
              : t("nothingNext")}{" "}
            {done.appliedVersion === null || done.appliedVersion === undefined ? t("atNoVersion") : t("atVersion", { version: done.appliedVersion })}
          </p>
        ) : null}
        {error ? <p className="rounded-md border-2 border-red-300 bg-red-50 px-3 py-2 font-semibold text-red-900">{actionErrorMessage(error)}</p> : null}
      </div>
    </div>
  );
}
