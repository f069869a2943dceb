"use client";

import { useEffect, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { useErrorWords } from "@/components/errors/use-error-words";
import { SignDialog, type SignatureInput } from "@/components/quality/sign-dialog";

/**
 * Release a hold: the reason, then sign (password or PIN, meaning "release") in a dialog. The request id is kept while
 * the same release is retried, and the page refreshes once it is recorded.
 */
export function ReleaseHoldForm({ holdId, signerName }: { holdId: string; signerName: string }) {
  const t = useTranslations("holds");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const [reason, setReason] = useState("");
  const [signing, setSigning] = useState(false);
  const [requestId, setRequestId] = useState<string | null>(null);
  const release = useMutation(
    trpc.quality.releaseHold.mutationOptions({
      onSuccess: () => {
        setSigning(false);
        setRequestId(null);
        router.refresh();
      },
    }),
  );

  const openSign = (e: FormEvent) => {
    e.preventDefault();
    release.reset();
    setSigning(true);
  };

  const sign = (s: SignatureInput) => {
    const id = requestId ?? crypto.randomUUID();
    setRequestId(id);
    release.mutate({ requestId: id, holdId, reason, signature: s });
  };

  return (
    <>
      <form onSubmit={openSign} className="space-y-3" aria-label={t("releaseForm.ariaLabel")}>
        <div>
          <label htmlFor="release-reason" className="mb-1 block text-sm font-semibold">
            {t("releaseForm.reason")}
          </label>
          <textarea
            id="release-reason"
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              setRequestId(null);
              release.reset();
            }}
            required
            maxLength={1000}
            rows={2}
            className="min-h-10 w-full rounded-md border-2 border-slate-400 bg-white px-3 focus:border-blue-600 focus:outline-none"
          />
        </div>
        <Button type="submit" disabled={!ready || release.isPending}>
          {t("releaseForm.submit")}
        </Button>
      </form>
      <SignDialog
        open={signing}
        title={t("releaseForm.signTitle")}
        signerName={signerName}
        defaultMeaning="release"
        pending={release.isPending}
        error={release.error ? actionErrorMessage(release.error) : null}
        onSign={sign}
        onCancel={() => {
          setSigning(false);
          release.reset();
        }}
      />
    </>
  );
}
