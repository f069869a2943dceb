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
 * Release an enterprise hold at every site at once: the reason, then one signature (password or PIN, meaning
 * "release") that signs each site's release. The request id is kept while the same release is retried (a mistyped
 * password), so nothing is released twice; the page refreshes with each site's state.
 */
export function EnterpriseReleaseForm({ enterpriseHoldId, signerName }: { enterpriseHoldId: string; signerName: string }) {
  const t = useTranslations("holds");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const [reason, setReason] = useState("");
  const [signing, setSigning] = useState(false);
  const [requestId, setRequestId] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const release = useMutation(
    trpc.enterprise.releaseHold.mutationOptions({
      onSuccess: (out) => {
        setSigning(false);
        setRequestId(null);
        setDone(t("releaseForm.releasedEverywhere", { sites: out.sites.filter((x) => x.releasedNow).map((x) => x.siteCode).join(", ") }));
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
    release.mutate({ requestId: id, enterpriseHoldId, reason, signature: s });
  };

  return (
    <>
      <form onSubmit={openSign} className="space-y-3" aria-label={t("releaseForm.everywhereAriaLabel")}>
        <div>
          <label htmlFor="enterprise-release-reason" className="mb-1 block text-sm font-semibold">
            {t("releaseForm.reason")}
          </label>
          <textarea
            id="enterprise-release-reason"
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              setRequestId(null);
              setDone(null);
              release.reset();
            }}
            required
            maxLength={1000}
            rows={2}
            className="min-h-10 w-full rounded-md border-2 border-slate-400 bg-white px-3 focus:border-blue-600 focus:outline-none"
          />
        </div>
        <Button type="submit" disabled={!ready || release.isPending}>
          {t("releaseForm.everywhereSubmit")}
        </Button>
        <div role="status" aria-live="polite">
          {done ? <p className="rounded-md border-2 border-green-300 bg-green-50 px-3 py-2 font-semibold text-green-900">{done}</p> : null}
        </div>
      </form>
      <SignDialog
        open={signing}
        title={t("releaseForm.everywhereSignTitle")}
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
