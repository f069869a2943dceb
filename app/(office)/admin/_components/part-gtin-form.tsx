"use client";

import { useEffect, useId, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { actionErrorCode } from "@/components/ui/action-error";
import { useErrorWords } from "@/components/errors/use-error-words";

const field = "min-h-9 rounded-md border-2 border-slate-400 bg-white px-2 text-sm focus:border-blue-600 focus:outline-none disabled:bg-slate-100";

/**
 * Set the GTIN a part's GS1 labels carry (scans are checked against it), where the ownership registry gives
 * `part.gtin` to Traceline. Owned by ERP, the server refuses naming the owner, and the refusal is shown as it is.
 */
export function PartGtinForm({ owner }: { owner: "erp" | "traceline" | null }) {
  const t = useTranslations("admin.gtin");
  const tc = useTranslations("common");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const ids = useId();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const [partNumber, setPartNumber] = useState("");
  const [gtin, setGtin] = useState("");
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const save = useMutation(trpc.admin.setPartGtin.mutationOptions({ onSuccess: () => router.refresh() }));

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!ready || save.isPending) return;
    setProblem(null);
    save.reset();
    const text = gtin.trim();
    if (!partNumber.trim()) return setProblem(t("enterPart"));
    if (text && !/^(\d{8}|\d{12,14})$/.test(text)) return setProblem(t("badGtin"));
    if (reason.trim().length < 5) return setProblem(t("giveReason"));
    save.mutate({ partNumber: partNumber.trim(), gtin: text || null, reason: reason.trim() });
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label={t("formLabel")} className="space-y-3">
      <p className="text-sm text-slate-700">{t.rich("ownedBy", { owner: owner ?? "none", strong: (chunks) => <strong>{chunks}</strong> })}</p>
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor={`${ids}-part`} className="mb-1 block text-sm font-semibold">
            {t("part")}
          </label>
          <input id={`${ids}-part`} value={partNumber} onChange={(e) => setPartNumber(e.target.value)} maxLength={64} autoComplete="off" spellCheck={false} className={`${field} w-56 font-mono`} disabled={save.isPending} />
        </div>
        <div>
          <label htmlFor={`${ids}-gtin`} className="mb-1 block text-sm font-semibold">
            {t("gtin")}
          </label>
          <input id={`${ids}-gtin`} value={gtin} onChange={(e) => setGtin(e.target.value)} inputMode="numeric" maxLength={14} placeholder={t("gtinPlaceholder")} className={`${field} w-44 font-mono`} disabled={save.isPending} />
        </div>
        <div className="min-w-64 flex-1">
          <label htmlFor={`${ids}-reason`} className="mb-1 block text-sm font-semibold">
            {t("reason")}
          </label>
          <input id={`${ids}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} placeholder={t("reasonPlaceholder")} className={`${field} w-full`} disabled={save.isPending} />
        </div>
        <Button type="submit" disabled={!ready || save.isPending}>
          {save.isPending ? tc("saving") : t("submit")}
        </Button>
      </div>
      <div role="status" aria-live="polite">
        {save.data ? (
          <p className="rounded-md border-2 border-green-300 bg-green-50 px-3 py-2 font-semibold text-green-900">
            {t.rich("saved", { part: save.data.partNumber, gtin: save.data.gtin ?? t("none"), mono: (chunks) => <span className="font-mono">{chunks}</span> })}
          </p>
        ) : null}
      </div>
      <div role="alert" className={problem || save.error ? "rounded-md border-2 border-red-300 bg-red-50 px-3 py-2 font-semibold text-red-900" : "sr-only"}>
        {problem ?? (save.error ? actionErrorMessage(save.error) : "")}
        {actionErrorCode(save.error) === "OWNED_BY_OTHER_SYSTEM" ? (
          <span className="mt-1 block font-normal">{t("proposeChange")}</span>
        ) : null}
      </div>
    </form>
  );
}
