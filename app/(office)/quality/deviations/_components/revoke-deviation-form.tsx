"use client";

import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { useErrorWords } from "@/components/errors/use-error-words";
import { SignDialog, type SignatureInput } from "@/components/quality/sign-dialog";
import { Button } from "@/components/ui/button";
import { FormOutcome, formField, useHydrated } from "@/components/ui/form-outcome";

/** Revoke a deviation: a reason and the quality engineer's signature; the station refuses the substitute from then on. */
export function RevokeDeviationForm({ deviationId, number, signerName }: { deviationId: string; number: string; signerName: string }) {
  const t = useTranslations("ncr.deviations");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useHydrated();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [signing, setSigning] = useState(false);
  const [requestId, setRequestId] = useState<string | null>(null);
  const revoke = useMutation(
    trpc.ncr.revokeDeviation.mutationOptions({
      onSuccess: () => {
        setSigning(false);
        setOpen(false);
        router.refresh();
      },
    }),
  );
  const onSign = (s: SignatureInput) => {
    const id = requestId ?? crypto.randomUUID();
    setRequestId(id);
    revoke.mutate({ requestId: id, deviationId, reason, signature: s });
  };
  if (!open) {
    return (
      <div className="space-y-1">
        <Button variant="secondary" disabled={!ready} onClick={() => setOpen(true)} aria-label={t("revokeLabel", { number })}>
          {t("revoke")}
        </Button>
        <FormOutcome ok={revoke.data ? t("revoked", { number }) : null} problem={null} />
      </div>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    revoke.reset();
    setSigning(true);
  };
  return (
    <form onSubmit={submit} aria-label={t("revokeLabel", { number })} className="space-y-2">
      <label htmlFor={`revoke-${deviationId}`} className="block text-sm font-semibold">
        {t("revokeReason")}
      </label>
      <input id={`revoke-${deviationId}`} className={`${formField} w-64`} value={reason} maxLength={500} onChange={(e) => (setReason(e.target.value), setRequestId(null))} />
      <div className="flex gap-2">
        <Button type="submit" variant="danger" disabled={!ready || revoke.isPending}>
          {t("revokeSubmit")}
        </Button>
        <Button variant="secondary" disabled={revoke.isPending} onClick={() => setOpen(false)}>
          {t("revokeCancel")}
        </Button>
      </div>
      <SignDialog
        open={signing}
        title={t("revokeDialog", { number })}
        signerName={signerName}
        defaultMeaning="approval"
        pending={revoke.isPending}
        error={revoke.error ? actionErrorMessage(revoke.error) : null}
        onSign={onSign}
        onCancel={() => {
          setSigning(false);
          revoke.reset();
        }}
      />
    </form>
  );
}
