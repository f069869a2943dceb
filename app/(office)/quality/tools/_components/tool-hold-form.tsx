"use client";

import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { actionErrorMessage } from "@/components/ui/action-error";
import { FormOutcome, formField, formLabel, useHydrated } from "@/components/ui/form-outcome";
import { SignDialog, type SignatureInput } from "@/components/quality/sign-dialog";

/**
 * Put a tool found out of calibration on hold, or release a held one, signed in a dialog (meaning "hold" or "release").
 * A held tool is refused at the station and the units it touched are marked on the WIP board. The request id is kept
 * while the same action is retried (a mistyped password).
 */
export function ToolHoldForm({ tools, signerName }: { tools: { code: string; held: boolean }[]; signerName: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useHydrated();
  const [code, setCode] = useState(tools[0]?.code ?? "");
  const [reason, setReason] = useState("");
  const [since, setSince] = useState(true);
  const [signing, setSigning] = useState(false);
  const [requestId, setRequestId] = useState<string | null>(null);
  const held = tools.find((t) => t.code === code)?.held ?? false;
  const done = () => {
    setSigning(false);
    setRequestId(null);
    setReason("");
    router.refresh();
  };
  const hold = useMutation(trpc.tools.holdTool.mutationOptions({ onSuccess: done }));
  const release = useMutation(trpc.tools.releaseToolHold.mutationOptions({ onSuccess: done }));
  const run = held ? release : hold;
  const reset = () => {
    setRequestId(null);
    hold.reset();
    release.reset();
  };
  const error = run.error ? actionErrorMessage(run.error) : null;
  const ok = hold.data ? `Tool ${hold.data.code} is on hold: refused at the station, its units marked on the WIP board.` : release.data ? `Tool ${release.data.code} is released.` : null;
  const open = (e: FormEvent) => {
    e.preventDefault();
    reset();
    setRequestId(crypto.randomUUID());
    setSigning(true);
  };
  const sign = (s: SignatureInput) => {
    const id = requestId ?? crypto.randomUUID();
    setRequestId(id);
    if (held) release.mutate({ requestId: id, code, reason, signature: s });
    else hold.mutate({ requestId: id, code, reason, sinceLastCalibration: since, signature: s });
  };
  return (
    <>
      <form aria-label="Hold or release a tool" onSubmit={open} className="grid gap-3 md:grid-cols-3">
        <div>
          <label htmlFor="hold-tool" className={formLabel}>
            Tool
          </label>
          <select id="hold-tool" value={code} onChange={(e) => { setCode(e.target.value); reset(); }} className={`${formField} w-full font-mono`}>
            {tools.map((t) => (
              <option key={t.code} value={t.code}>
                {t.code}
                {t.held ? " (on hold)" : ""}
              </option>
            ))}
          </select>
        </div>
        <div className="md:col-span-2">
          <label htmlFor="hold-tool-reason" className={formLabel}>
            {held ? "Reason for the release" : "Reason for the hold"}
          </label>
          <input id="hold-tool-reason" value={reason} onChange={(e) => { setReason(e.target.value); reset(); }} required maxLength={1000} className={`${formField} w-full`} />
        </div>
        {held ? null : (
          <label className="flex min-h-10 items-center gap-2 text-sm font-semibold md:col-span-3">
            <input type="checkbox" checked={since} onChange={(e) => { setSince(e.target.checked); reset(); }} className="h-5 w-5" /> Only units touched since its last good calibration
          </label>
        )}
        <div className="md:col-span-3">
          <Button type="submit" variant={held ? "secondary" : "danger"} disabled={!ready || run.isPending || !code}>
            {held ? "Release and sign…" : "Hold and sign…"}
          </Button>
        </div>
        <div className="md:col-span-3">
          <FormOutcome ok={ok} problem={!signing && error ? error : null} />
        </div>
      </form>
      <SignDialog
        open={signing}
        title={held ? "Sign the tool's release" : "Sign the tool hold"}
        signerName={signerName}
        defaultMeaning={held ? "release" : "hold"}
        pending={run.isPending}
        error={signing ? error : null}
        onSign={sign}
        onCancel={() => {
          setSigning(false);
          reset();
        }}
      />
    </>
  );
}
