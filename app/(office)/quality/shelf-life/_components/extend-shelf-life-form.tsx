"use client";

import { useEffect, useId, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { useErrorWords } from "@/components/errors/use-error-words";
import { SignDialog, type SignatureInput } from "@/components/quality/sign-dialog";
import { localDate } from "@/server/domain/kitting/dates";

const field = "min-h-10 w-full rounded-md border-2 border-slate-400 bg-white px-3 focus:border-blue-600 focus:outline-none";

/**
 * Extend a lot's shelf life after a re-test: the new expiry date, the reason and the test report's reference, then sign
 * (password or PIN, meaning "approval") in a dialog. The request id is kept while the same extension is retried.
 */
export function ExtendShelfLifeForm({ lotId, lotNumber, signerName, timeZone }: { lotId: string; lotNumber: string; signerName: string; timeZone: string }) {
  const t = useTranslations("mixing.shelfLife");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const id = useId();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const [newExpiryDate, setNewExpiryDate] = useState("");
  const [reason, setReason] = useState("");
  const [testReference, setTestReference] = useState("");
  const [signing, setSigning] = useState(false);
  const [requestId, setRequestId] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const extend = useMutation(
    trpc.material.extendShelfLife.mutationOptions({
      onSuccess: (o) => {
        setSigning(false);
        setRequestId(null);
        setDone(t("extended", { lot: o.lotNumber, at: localDate(new Date(o.newExpiresAt), timeZone), erp: o.erpTold ? "yes" : "no" }));
        setNewExpiryDate("");
        setReason("");
        setTestReference("");
        router.refresh();
      },
    }),
  );
  const changed = () => {
    setRequestId(null);
    setDone(null);
    extend.reset();
  };

  const openSign = (e: FormEvent) => {
    e.preventDefault();
    extend.reset();
    setSigning(true);
  };

  const sign = (s: SignatureInput) => {
    const rid = requestId ?? crypto.randomUUID();
    setRequestId(rid);
    extend.mutate({ requestId: rid, lotId, newExpiryDate, reason, testReference, signature: s });
  };

  return (
    <section aria-labelledby={`${id}-title`} className="space-y-3 rounded-md border border-slate-300 p-4">
      <h3 id={`${id}-title`} className="font-semibold">
        {t("extendTitle")}
      </h3>
      <p className="text-sm text-slate-700">{t("extendDescription")}</p>
      <form onSubmit={openSign} aria-label={t("extendForm", { lot: lotNumber })} className="grid gap-3 md:grid-cols-3 md:items-end">
        <div>
          <label htmlFor={`${id}-date`} className="mb-1 block text-sm font-semibold">
            {t("newExpiry")}
          </label>
          <input id={`${id}-date`} type="date" required className={field} value={newExpiryDate} onChange={(e) => (setNewExpiryDate(e.target.value), changed())} />
        </div>
        <div>
          <label htmlFor={`${id}-ref`} className="mb-1 block text-sm font-semibold">
            {t("testReferenceLabel")}
          </label>
          <input id={`${id}-ref`} required maxLength={200} autoComplete="off" className={field} value={testReference} onChange={(e) => (setTestReference(e.target.value), changed())} />
        </div>
        <div className="md:col-span-3">
          <label htmlFor={`${id}-reason`} className="mb-1 block text-sm font-semibold">
            {t("reason")}
          </label>
          <textarea id={`${id}-reason`} required maxLength={1000} rows={2} className={field} value={reason} onChange={(e) => (setReason(e.target.value), changed())} />
        </div>
        <Button type="submit" disabled={!ready || extend.isPending}>
          {t("extend")}
        </Button>
      </form>
      {done ? (
        <p role="status" className="rounded-md border-2 border-green-700 bg-green-50 p-3 font-semibold text-green-900">
          {done}
        </p>
      ) : null}
      {!signing && extend.error ? (
        <p role="status" className="rounded-md border-2 border-red-700 bg-red-50 p-3 text-red-900">
          {actionErrorMessage(extend.error)}
        </p>
      ) : null}
      <SignDialog
        open={signing}
        title={t("signTitle", { lot: lotNumber })}
        signerName={signerName}
        defaultMeaning="approval"
        pending={extend.isPending}
        error={extend.error ? actionErrorMessage(extend.error) : null}
        onSign={sign}
        onCancel={() => {
          setSigning(false);
          extend.reset();
        }}
      />
    </section>
  );
}
