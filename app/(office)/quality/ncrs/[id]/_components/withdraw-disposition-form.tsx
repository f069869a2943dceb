"use client";

import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { useErrorWords } from "@/components/errors/use-error-words";
import { SignDialog, type SignatureInput } from "@/components/quality/sign-dialog";
import { Button } from "@/components/ui/button";
import { formField, formLabel, useHydrated } from "@/components/ui/form-outcome";

/** Withdraw the proposed disposition before every role signed it: a reason and the signer's signature ("responsibility"). */
export function WithdrawDispositionForm({ ncrId, signerName }: { ncrId: string; signerName: string }) {
  const t = useTranslations("ncr.withdraw");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useHydrated();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [signing, setSigning] = useState(false);
  const [requestId, setRequestId] = useState<string | null>(null);
  const withdraw = useMutation(
    trpc.ncr.withdrawDisposition.mutationOptions({
      onSuccess: () => {
        setSigning(false);
        setOpen(false);
        setRequestId(null);
        router.refresh();
      },
    }),
  );
  if (!open) {
    return (
      <Button variant="secondary" disabled={!ready} onClick={() => setOpen(true)}>
        {t("open")}
      </Button>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    withdraw.reset();
    setSigning(true);
  };
  const onSign = (s: SignatureInput) => {
    const id = requestId ?? crypto.randomUUID();
    setRequestId(id);
    withdraw.mutate({ requestId: id, ncrId, reason, signature: s });
  };
  return (
    <form onSubmit={submit} aria-label={t("title")} className="space-y-2">
      <label htmlFor="withdraw-reason" className={formLabel}>
        {t("reason")}
      </label>
      <textarea id="withdraw-reason" className={`${formField} w-full`} rows={2} maxLength={500} value={reason} onChange={(e) => (setReason(e.target.value), setRequestId(null))} />
      <div className="flex gap-2">
        <Button type="submit" variant="danger" disabled={!ready || withdraw.isPending}>
          {t("submit")}
        </Button>
        <Button variant="secondary" disabled={withdraw.isPending} onClick={() => setOpen(false)}>
          {t("cancel")}
        </Button>
      </div>
      <SignDialog
        open={signing}
        title={t("dialog")}
        signerName={signerName}
        defaultMeaning="responsibility"
        pending={withdraw.isPending}
        error={withdraw.error ? actionErrorMessage(withdraw.error) : null}
        onSign={onSign}
        onCancel={() => {
          setSigning(false);
          withdraw.reset();
        }}
      />
    </form>
  );
}
