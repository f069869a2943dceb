"use client";

import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { actionErrorMessage } from "@/components/ui/action-error";

/**
 * Start a reconciliation of this site now, follow the active run's progress (polled every second while it is queued or
 * running), and cancel it. The page refreshes when the run ends, to show its results.
 */
export function RunControls({ activeRunId }: { activeRunId: string | null }) {
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
          {start.isPending ? "Starting…" : "Run reconciliation now"}
        </Button>
        {active ? (
          <Button type="button" disabled={!ready || cancel.isPending || Boolean(run.data?.cancelRequestedAt)} onClick={() => cancel.mutate({ id: run.data!.id })}>
            {run.data?.cancelRequestedAt ? "Cancelling…" : "Cancel run"}
          </Button>
        ) : null}
      </div>
      <div role="status" aria-live="polite" className="space-y-2">
        {run.data ? (
          <div className="max-w-2xl">
            <p className="text-sm font-semibold">
              Run {run.data.number}: {run.data.status} — {run.data.phase}
            </p>
            <progress className="h-3 w-full" max={100} value={run.data.progress} aria-label={`Run ${run.data.number} progress`}>
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
