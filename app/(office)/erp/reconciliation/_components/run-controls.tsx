"use client";

import { useEffect, useState } from "react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useMutation, useQuery } from "@tanstack/react-query";
import { RunPhaseText } from "@/components/erp/run-phase";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { useErrorWords } from "@/components/errors/use-error-words";

/**
 * Start a reconciliation of this site now, follow the active run's progress (polled every second while it is queued or
 * running), and cancel it. The page refreshes when the run ends, to show its results.
 */
export function RunControls({ activeRunId }: { activeRunId: string | null }) {
  const t = useTranslations("reconciliation.run");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const [ready, setReady] = useState(false);
  const [runId, setRunId] = useState<string | null>(activeRunId);
  useEffect(() => setReady(true), []);
  const start = useMutation(trpc.reconciliation.requestRun.mutationOptions({ onSuccess: (out) => setRunId(out.run.id) }));
  const cancel = useMutation(trpc.reconciliation.cancelRun.mutationOptions());
  const run = useQuery({
    ...trpc.reconciliation.run.queryOptions({ id: runId ?? "00000000-0000-0000-0000-000000000000" }),
    enabled: runId !== null,
    refetchInterval: (q) => (q.state.data && (q.state.data.status === "queued" || q.state.data.status === "running") ? 1000 : false),
  });
  const active = run.data && (run.data.status === "queued" || run.data.status === "running");
  const ended = run.data && !active;
  useEffect(() => {
    if (ended) router.refresh();
  }, [ended, router]);

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <Button type="button" variant="primary" disabled={!ready || start.isPending || Boolean(active)} onClick={() => start.mutate()}>
          {start.isPending ? t("starting") : t("start")}
        </Button>
        {active ? (
          <Button type="button" disabled={!ready || cancel.isPending || Boolean(run.data?.cancelRequestedAt)} onClick={() => cancel.mutate({ id: run.data!.id })}>
            {run.data?.cancelRequestedAt ? t("cancelling") : t("cancel")}
          </Button>
        ) : null}
      </div>
      <div role="status" aria-live="polite" className="space-y-2">
        {run.data ? (
          <div className="max-w-2xl">
            <p className="text-sm font-semibold">
              {t.rich("progress", {
                number: run.data.number,
                status: t(`status.${run.data.status}`),
                phase: () => <RunPhaseText phase={run.data!.phase} values={run.data!.phaseValues} />,
              })}
            </p>
            <progress className="h-3 w-full" max={100} value={run.data.progress} aria-label={t("progressLabel", { number: run.data.number })}>
              {run.data.progress}%
            </progress>
          </div>
        ) : null}
        {start.error ? <div className="rounded-md border-2 border-red-300 bg-red-50 px-3 py-2 font-semibold text-red-900">{actionErrorMessage(start.error)}</div> : null}
        {cancel.error ? <div className="rounded-md border-2 border-red-300 bg-red-50 px-3 py-2 font-semibold text-red-900">{actionErrorMessage(cancel.error)}</div> : null}
      </div>
    </div>
  );
}
