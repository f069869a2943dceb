"use client";

import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { useErrorWords } from "@/components/errors/use-error-words";
import { FormOutcome, formField, formLabel, useHydrated } from "@/components/ui/form-outcome";

/**
 * Mark a manufacturer or supplier an authorised source or not, with the reason for the audit trail. Offered only for the
 * kinds whose flag Traceline owns (the page says why the others are read-only).
 */
export function SourceAuthorisationForm({ kinds }: { kinds: ("manufacturer" | "supplier")[] }) {
  const t = useTranslations("suspect");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useHydrated();
  const [kind, setKind] = useState(kinds[0]!);
  const [code, setCode] = useState("");
  const [authorised, setAuthorised] = useState("no");
  const [reason, setReason] = useState("");
  const run = useMutation(
    trpc.quality.setSourceAuthorisation.mutationOptions({
      onSuccess: () => {
        setCode("");
        setReason("");
        router.refresh();
      },
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate({ kind, code, authorised: authorised === "yes", reason });
  };
  const edited = () => run.reset();
  const ok = run.data ? t("sources.done", { kind: run.data.kind, name: run.data.name, code: run.data.code, authorised: run.data.authorised ? "yes" : "no" }) : null;
  return (
    <form aria-label={t("sources.formLabel")} onSubmit={submit} className="grid gap-3 md:grid-cols-4">
      <div>
        <label htmlFor="source-kind" className={formLabel}>
          {t("sources.kind")}
        </label>
        <select id="source-kind" value={kind} onChange={(e) => { setKind(e.target.value as typeof kind); edited(); }} className={`${formField} w-full`}>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {k === "manufacturer" ? t("sources.manufacturer") : t("sources.supplier")}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="source-code" className={formLabel}>
          {t("sources.code")}
        </label>
        <input id="source-code" value={code} onChange={(e) => { setCode(e.target.value); edited(); }} required maxLength={100} autoComplete="off" spellCheck={false} className={`${formField} w-full font-mono`} />
      </div>
      <div>
        <label htmlFor="source-authorised" className={formLabel}>
          {t("sources.authorisedField")}
        </label>
        <select id="source-authorised" value={authorised} onChange={(e) => { setAuthorised(e.target.value); edited(); }} className={`${formField} w-full`}>
          <option value="no">{t("sources.no")}</option>
          <option value="yes">{t("sources.yes")}</option>
        </select>
      </div>
      <div>
        <label htmlFor="source-reason" className={formLabel}>
          {t("sources.reason")}
        </label>
        <input id="source-reason" value={reason} onChange={(e) => { setReason(e.target.value); edited(); }} required minLength={5} maxLength={1000} className={`${formField} w-full`} />
      </div>
      <div className="md:col-span-4 flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={!ready || run.isPending}>
          {run.isPending ? t("sources.saving") : t("sources.save")}
        </Button>
        <p className="text-sm text-slate-700">{t("sources.effect")}</p>
      </div>
      <div className="md:col-span-4">
        <FormOutcome ok={ok} problem={run.error ? actionErrorMessage(run.error) : null} />
      </div>
    </form>
  );
}
