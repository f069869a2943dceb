"use client";

import { useEffect, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { useErrorWords } from "@/components/errors/use-error-words";
import { SignDialog, type SignatureInput } from "@/components/quality/sign-dialog";

export const BULK_HOLD_FORM_ID = "bulk-hold";

/**
 * Bulk hold from where-used: the unit checkboxes of the table belong to this form (form="bulk-hold"); the quality
 * engineer gives one reason and signs once (password or PIN, meaning "hold"), and every selected unit gets its own
 * signed hold. The request id is kept while the same selection is retried (e.g. after a mistyped password).
 */
export function BulkHoldForm({ signerName }: { signerName: string }) {
  const t = useTranslations("genealogy.bulkHold");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const [reason, setReason] = useState("");
  const [selected, setSelected] = useState<string[]>([]);
  const [signing, setSigning] = useState(false);
  const [requestId, setRequestId] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [none, setNone] = useState(false);
  const hold = useMutation(
    trpc.containment.holdUnits.mutationOptions({
      onSuccess: (out) => {
        setSigning(false);
        setRequestId(null);
        setReason("");
        const held = out.holds.length;
        setDone(out.alreadyHeld.length > 0 ? t("doneAlready", { count: held, already: out.alreadyHeld.join(", ") }) : t("done", { count: held }));
        for (const el of document.querySelectorAll<HTMLInputElement>(`input[form="${BULK_HOLD_FORM_ID}"][name="unit"]`)) el.checked = false;
        router.refresh();
      },
    }),
  );

  const selection = () => [...document.querySelectorAll<HTMLInputElement>(`input[form="${BULK_HOLD_FORM_ID}"][name="unit"]:checked`)].map((i) => i.value);

  const openSign = (e: FormEvent) => {
    e.preventDefault();
    const units = selection();
    hold.reset();
    setDone(null);
    setNone(units.length === 0);
    if (units.length === 0) return;
    if (units.join() !== selected.join()) setRequestId(crypto.randomUUID());
    else setRequestId((r) => r ?? crypto.randomUUID());
    setSelected(units);
    setSigning(true);
  };

  const sign = (s: SignatureInput) => {
    const id = requestId ?? crypto.randomUUID();
    setRequestId(id);
    hold.mutate({ requestId: id, serialItemIds: selected, reason, signature: s });
  };

  const error = hold.error ? actionErrorMessage(hold.error) : null;
  return (
    <>
      <form id={BULK_HOLD_FORM_ID} onSubmit={openSign} aria-label={t("form")} className="mb-3 flex flex-wrap items-end gap-3 rounded border border-slate-300 bg-slate-50 p-3">
        <div className="min-w-72 flex-1">
          <label htmlFor="bulk-hold-reason" className="mb-1 block text-sm font-semibold">
            {t("reason")}
          </label>
          <input
            id="bulk-hold-reason"
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              setRequestId(null);
            }}
            required
            maxLength={1000}
            className="min-h-10 w-full rounded-md border-2 border-slate-400 bg-white px-3 focus:border-blue-600 focus:outline-none"
          />
        </div>
        <Button type="submit" variant="danger" disabled={!ready || hold.isPending}>
          {t("submit")}
        </Button>
        <p role="status" className="w-full text-sm">
          {done ? <span className="font-semibold text-green-900">{done}</span> : null}
          {none ? <span className="font-semibold text-red-900">{t("none")}</span> : null}
          {!none && !done ? <span className="text-slate-700">{t("hint")}</span> : null}
        </p>
      </form>
      <SignDialog
        open={signing}
        title={t("signTitle", { count: selected.length })}
        signerName={signerName}
        defaultMeaning="hold"
        pending={hold.isPending}
        error={error}
        onSign={sign}
        onCancel={() => {
          setSigning(false);
          hold.reset();
        }}
      />
    </>
  );
}
