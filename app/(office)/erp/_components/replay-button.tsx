"use client";

import { useEffect, useState } from "react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { useErrorWords } from "@/components/errors/use-error-words";

type Outcome = "applied" | "overtaken" | "held" | "rejected" | "duplicate";
const OUTCOME_TONE: Record<Outcome, string> = {
  applied: "border-green-300 bg-green-50 text-green-900",
  overtaken: "border-violet-300 bg-violet-50 text-violet-900",
  held: "border-amber-300 bg-amber-50 text-amber-900",
  rejected: "border-red-300 bg-red-50 text-red-900",
  duplicate: "border-slate-300 bg-slate-50 text-slate-900",
};

/**
 * Replay a rejected or dead-lettered message (administrators): runs it again through the interface, shows the new
 * outcome, and refreshes the page so the history shows the replay. Disabled until hydrated and while it runs. Stays
 * mounted when the refreshed message is no longer replayable, so the outcome remains on screen.
 */
export function ReplayButton({ id, messageId, replayable }: { id: number; messageId: string; replayable: boolean }) {
  const t = useTranslations("erp.replay");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const replay = useMutation(trpc.erp.replay.mutationOptions({ onSuccess: () => router.refresh() }));
  const status = replay.data?.outcome.status;
  const result: Outcome | null = replay.data ? (status && status in OUTCOME_TONE ? (status as Outcome) : "duplicate") : null;

  return (
    <div className="space-y-2">
      {replayable ? (
        <>
          <Button
            variant="primary"
            disabled={!ready || replay.isPending}
            onClick={() => replay.mutate({ id })}
            aria-describedby="replay-help"
          >
            {replay.isPending ? t("pending") : t("button")}
          </Button>
          <p id="replay-help" className="text-sm text-slate-700">
            {t.rich("help", { id: messageId, mono: (c) => <span className="font-mono">{c}</span> })}
          </p>
        </>
      ) : null}
      <div role="status" aria-live="polite">
        {result && replay.data ? (
          <div className={`rounded-md border-2 px-3 py-2 font-semibold ${OUTCOME_TONE[result]}`}>
            {t(`outcome.${result}`)}
            {replay.data.outcome.error ? <span className="block font-normal">{replay.data.outcome.error.message}</span> : null}
          </div>
        ) : null}
        {replay.error ? <div className="rounded-md border-2 border-red-300 bg-red-50 px-3 py-2 font-semibold text-red-900">{actionErrorMessage(replay.error)}</div> : null}
      </div>
    </div>
  );
}
