"use client";

import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { useErrorWords } from "@/components/errors/use-error-words";
import { Button } from "@/components/ui/button";
import { FormOutcome, formField, formLabel, useHydrated } from "@/components/ui/form-outcome";
import { NCR_DEFECTS, type NcrDefect } from "@/server/domain/quality/nonconformance";

/** A quality engineer raises an NCR on a lot or serial (scanned or typed): the item is held from the answer on. */
export function RaiseNcrForm() {
  const t = useTranslations("ncr");
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useHydrated();
  const { actionErrorMessage } = useErrorWords();
  const [scan, setScan] = useState("");
  const [quantity, setQuantity] = useState("");
  const [defect, setDefect] = useState<NcrDefect>("damaged");
  const [description, setDescription] = useState("");
  const [requestId, setRequestId] = useState<string | null>(null);
  const [ok, setOk] = useState<string | null>(null);
  const raise = useMutation(
    trpc.ncr.raise.mutationOptions({
      onSuccess: (o) => {
        setOk(t("raise.done", { number: o.number, held: o.held ?? "" }));
        setRequestId(null);
        setScan("");
        setQuantity("");
        setDescription("");
        router.refresh();
      },
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setOk(null);
    const id = requestId ?? crypto.randomUUID();
    setRequestId(id);
    raise.mutate({ requestId: id, source: "quality", defect, target: { kind: "scan", scan }, quantity: quantity || null, description });
  };
  const edited = () => {
    setRequestId(null);
    raise.reset();
  };
  return (
    <form onSubmit={submit} className="grid gap-3 sm:grid-cols-2" aria-label={t("raise.title")}>
      <div>
        <label htmlFor="ncr-item" className={formLabel}>
          {t("raise.item")}
        </label>
        <input id="ncr-item" className={`${formField} w-full font-mono`} value={scan} required autoComplete="off" spellCheck={false} onChange={(e) => (setScan(e.target.value), edited())} />
      </div>
      <div>
        <label htmlFor="ncr-qty" className={formLabel}>
          {t("raise.quantity")}
        </label>
        <input id="ncr-qty" className={`${formField} w-32`} inputMode="decimal" value={quantity} onChange={(e) => (setQuantity(e.target.value), edited())} />
      </div>
      <div>
        <label htmlFor="ncr-defect" className={formLabel}>
          {t("raise.defect")}
        </label>
        <select id="ncr-defect" className={formField} value={defect} onChange={(e) => (setDefect(e.target.value as NcrDefect), edited())}>
          {NCR_DEFECTS.map((d) => (
            <option key={d} value={d}>
              {t(`defect.${d}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="sm:col-span-2">
        <label htmlFor="ncr-text" className={formLabel}>
          {t("raise.text")}
        </label>
        <textarea id="ncr-text" className={`${formField} w-full`} rows={2} maxLength={2000} required value={description} onChange={(e) => (setDescription(e.target.value), edited())} />
      </div>
      <div className="sm:col-span-2 space-y-2">
        <Button type="submit" disabled={!ready || raise.isPending}>
          {raise.isPending ? t("raise.pending") : t("raise.submit")}
        </Button>
        <FormOutcome ok={ok} problem={raise.error ? actionErrorMessage(raise.error) : null} />
      </div>
    </form>
  );
}
