"use client";

import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { actionErrorMessage } from "@/components/ui/action-error";

const OUTCOME: Record<string, { text: string; tone: string }> = {
  applied: { text: "Replayed: the message is now applied.", tone: "border-green-300 bg-green-50 text-green-900" },
  overtaken: { text: "Replayed: a newer version was applied meanwhile, so this one is recorded as overtaken.", tone: "border-violet-300 bg-violet-50 text-violet-900" },
  held: { text: "Replayed: the message now waits for an earlier version.", tone: "border-amber-300 bg-amber-50 text-amber-900" },
  rejected: { text: "Replayed, and rejected again:", tone: "border-red-300 bg-red-50 text-red-900" },
  duplicate: { text: "Nothing to replay: this message was already applied.", tone: "border-slate-300 bg-slate-50 text-slate-900" },
};

/**
 * Replay a rejected or dead-lettered message (administrators): runs it again through the interface, shows the new
 * outcome, and refreshes the page so the history shows the replay. Disabled until hydrated and while it runs. Stays
 * mounted when the refreshed message is no longer replayable, so the outcome remains on screen.
 */
export function ReplayButton({ id, messageId, replayable }: { id: number; messageId: string; replayable: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const replay = useMutation(trpc.erp.replay.mutationOptions({ onSuccess: () => router.refresh() }));
  const result = replay.data ? (OUTCOME[replay.data.outcome.status] ?? OUTCOME.duplicate!) : null;

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
            {replay.isPending ? "Replaying…" : "Replay message"}
          </Button>
          <p id="replay-help" className="text-sm text-slate-700">
            Runs message <span className="font-mono">{messageId}</span> again, exactly as received. Fix the cause first (e.g. the part a BOM names must have arrived).
          </p>
        </>
      ) : null}
      <div role="status" aria-live="polite">
        {result && replay.data ? (
          <div className={`rounded-md border-2 px-3 py-2 font-semibold ${result.tone}`}>
            {result.text}
            {replay.data.outcome.error ? <span className="block font-normal">{replay.data.outcome.error.message}</span> : null}
          </div>
        ) : null}
        {replay.error ? <div className="rounded-md border-2 border-red-300 bg-red-50 px-3 py-2 font-semibold text-red-900">{actionErrorMessage(replay.error)}</div> : null}
      </div>
    </div>
  );
}
