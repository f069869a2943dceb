"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { useErrorWords } from "@/components/errors/use-error-words";
import { SignDialog, type SignatureInput } from "@/components/quality/sign-dialog";
import { Button } from "@/components/ui/button";
import { FormOutcome, useHydrated } from "@/components/ui/form-outcome";

/** The inspector's stamp on one operation: re-authenticated, meaning "approval"; it completes the operation. */
export function BuyOffButton({ unitId, unitSerial, seq, signerName }: { unitId: string; unitSerial: string; seq: number; signerName: string }) {
  const t = useTranslations("ncr.buyOff");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const ready = useHydrated();
  const [signing, setSigning] = useState(false);
  const [requestId, setRequestId] = useState<string | null>(null);
  const buyOff = useMutation(
    trpc.ncr.buyOffOperation.mutationOptions({
      // the row stays (with its answer) until the list is read again: a refresh would take the row and its answer away
      onSuccess: () => {
        setSigning(false);
        setRequestId(null);
      },
    }),
  );
  const onSign = (s: SignatureInput) => {
    const id = requestId ?? crypto.randomUUID();
    setRequestId(id);
    buyOff.mutate({ requestId: id, unitId, operationSeq: seq, signature: s });
  };
  return (
    <div className="space-y-2">
      <Button disabled={!ready || buyOff.isPending || buyOff.isSuccess} onClick={() => (buyOff.reset(), setSigning(true))} aria-label={t("buttonLabel", { unit: unitSerial, seq })}>
        {t("button")}
      </Button>
      <FormOutcome ok={buyOff.data ? (buyOff.data.unitCompleted ? t("doneUnit", { unit: unitSerial, seq }) : t("done", { unit: unitSerial, seq })) : null} problem={null} />
      <SignDialog
        open={signing}
        title={t("dialog", { unit: unitSerial, seq })}
        signerName={signerName}
        defaultMeaning="approval"
        pending={buyOff.isPending}
        error={buyOff.error ? actionErrorMessage(buyOff.error) : null}
        onSign={onSign}
        onCancel={() => {
          setSigning(false);
          setRequestId(null);
          buyOff.reset();
        }}
      />
    </div>
  );
}
