"use client";

import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { useErrorWords } from "@/components/errors/use-error-words";
import { FormOutcome, formField, formLabel, useHydrated } from "@/components/ui/form-outcome";
import { SignDialog, type SignatureInput } from "@/components/quality/sign-dialog";

/**
 * Put a tool found out of calibration on hold, or release a held one, signed in a dialog (meaning "hold" or "release").
 * A held tool is refused at the station and the units it touched are marked on the WIP board. The request id is kept
 * while the same action is retried (a mistyped password).
 */
export function ToolHoldForm({ tools, signerName }: { tools: { code: string; held: boolean }[]; signerName: string }) {
  const t = useTranslations("suspect");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useHydrated();
  const [code, setCode] = useState(tools[0]?.code ?? "");
  const [reason, setReason] = useState("");
  const [since, setSince] = useState(true);
  const [signing, setSigning] = useState(false);
  const [requestId, setRequestId] = useState<string | null>(null);
  const held = tools.find((x) => x.code === code)?.held ?? false;
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
  const ok = hold.data ? t("toolHold.held", { code: hold.data.code }) : release.data ? t("toolHold.releasedDone", { code: release.data.code }) : null;
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
      <form aria-label={t("toolHold.formLabel")} onSubmit={open} className="grid gap-3 md:grid-cols-3">
        <div>
          <label htmlFor="hold-tool" className={formLabel}>
            {t("toolHold.tool")}
          </label>
          <select id="hold-tool" value={code} onChange={(e) => { setCode(e.target.value); reset(); }} className={`${formField} w-full font-mono`}>
            {tools.map((x) => (
              <option key={x.code} value={x.code}>
                {x.held ? t("toolHold.onHoldOption", { code: x.code }) : x.code}
              </option>
            ))}
          </select>
        </div>
        <div className="md:col-span-2">
          <label htmlFor="hold-tool-reason" className={formLabel}>
            {held ? t("toolHold.reasonRelease") : t("toolHold.reasonHold")}
          </label>
          <input id="hold-tool-reason" value={reason} onChange={(e) => { setReason(e.target.value); reset(); }} required maxLength={1000} className={`${formField} w-full`} />
        </div>
        {held ? null : (
          <label className="flex min-h-10 items-center gap-2 text-sm font-semibold md:col-span-3">
            <input type="checkbox" checked={since} onChange={(e) => { setSince(e.target.checked); reset(); }} className="h-5 w-5" /> {t("toolHold.since")}
          </label>
        )}
        <div className="md:col-span-3">
          <Button type="submit" variant={held ? "secondary" : "danger"} disabled={!ready || run.isPending || !code}>
            {held ? t("toolHold.release") : t("toolHold.hold")}
          </Button>
        </div>
        <div className="md:col-span-3">
          <FormOutcome ok={ok} problem={!signing && error ? error : null} />
        </div>
      </form>
      <SignDialog
        open={signing}
        title={held ? t("toolHold.signRelease") : t("toolHold.signHold")}
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
