"use client";

import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { useErrorWords } from "@/components/errors/use-error-words";
import { Button } from "@/components/ui/button";
import { FormOutcome, formField, formLabel, useHydrated } from "@/components/ui/form-outcome";
import { SignDialog, type SignatureInput } from "@/components/quality/sign-dialog";

type Kind = "revision" | "part" | "manufacturer" | "lot";

function Field({ id, label, value, onChange, type, inputMode }: { id: string; label: string; value: string; onChange: (e: { target: { value: string } }) => void; type?: string; inputMode?: "decimal" }) {
  return (
    <div>
      <label htmlFor={id} className={formLabel}>
        {label}
      </label>
      <input id={id} className={`${formField} w-full`} value={value} onChange={onChange} required autoComplete="off" type={type} inputMode={inputMode} />
    </div>
  );
}

/** A quality engineer approves a deviation and signs it (meaning "approval", re-authenticated). */
export function CreateDeviationForm({ signerName }: { signerName: string }) {
  const t = useTranslations("ncr");
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useHydrated();
  const { actionErrorMessage } = useErrorWords();
  const [v, setV] = useState({ designedPart: "", designedRevision: "", kind: "revision" as Kind, subPart: "", subRevision: "", code: "", lot: "", scopeKind: "order", scope: "", validThrough: "", limit: "", reason: "" });
  const [signing, setSigning] = useState(false);
  const [requestId, setRequestId] = useState<string | null>(null);
  const [ok, setOk] = useState<string | null>(null);
  const create = useMutation(
    trpc.ncr.createDeviation.mutationOptions({
      onSuccess: (o) => {
        setSigning(false);
        setRequestId(null);
        setOk(t("deviations.done", { number: o.number }));
        router.refresh();
      },
    }),
  );
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => {
    setV({ ...v, [k]: e.target.value });
    setRequestId(null);
    create.reset();
  };
  const open = (e: FormEvent) => {
    e.preventDefault();
    setOk(null);
    create.reset();
    setSigning(true);
  };
  const onSign = (s: SignatureInput) => {
    const id = requestId ?? crypto.randomUUID();
    setRequestId(id);
    const substitute =
      v.kind === "manufacturer" ? { kind: v.kind, code: v.code } : v.kind === "lot" ? { kind: v.kind, lotNumber: v.lot } : { kind: v.kind, partNumber: v.kind === "revision" ? v.designedPart : v.subPart, revision: v.subRevision };
    const scope = v.scopeKind === "order" ? { workOrderNumber: v.scope } : { unitSerials: v.scope.split(",").map((x) => x.trim()).filter(Boolean) };
    create.mutate({ requestId: id, designed: { partNumber: v.designedPart, revision: v.designedRevision }, substitute, scope, reason: v.reason, validThrough: v.validThrough, quantityLimit: v.limit, signature: s });
  };
  return (
    <>
      <form onSubmit={open} className="grid gap-3 sm:grid-cols-3" aria-label={t("deviations.create")}>
        <Field id="dev-part" label={t("deviations.designedPart")} value={v.designedPart} onChange={set("designedPart")} />
        <Field id="dev-rev" label={t("deviations.designedRevision")} value={v.designedRevision} onChange={set("designedRevision")} />
        <div>
          <label htmlFor="dev-kind" className={formLabel}>
            {t("deviations.kind")}
          </label>
          <select id="dev-kind" className={formField} value={v.kind} onChange={set("kind")}>
            <option value="revision">{t("deviations.kindRevision")}</option>
            <option value="part">{t("deviations.kindPart")}</option>
            <option value="manufacturer">{t("deviations.kindManufacturer")}</option>
            <option value="lot">{t("deviations.kindLot")}</option>
          </select>
        </div>
        {v.kind === "part" ? <Field id="dev-subpart" label={t("deviations.subPart")} value={v.subPart} onChange={set("subPart")} /> : null}
        {v.kind === "part" || v.kind === "revision" ? <Field id="dev-subrev" label={t("deviations.subRevision")} value={v.subRevision} onChange={set("subRevision")} /> : null}
        {v.kind === "manufacturer" ? <Field id="dev-code" label={t("deviations.subManufacturer")} value={v.code} onChange={set("code")} /> : null}
        {v.kind === "lot" ? <Field id="dev-lot" label={t("deviations.subLot")} value={v.lot} onChange={set("lot")} /> : null}
        <div>
          <label htmlFor="dev-scope-kind" className={formLabel}>
            {t("deviations.colScope")}
          </label>
          <select id="dev-scope-kind" className={formField} value={v.scopeKind} onChange={set("scopeKind")}>
            <option value="order">{t("deviations.scopeOrder")}</option>
            <option value="units">{t("deviations.scopeUnits")}</option>
          </select>
        </div>
        <Field id="dev-scope" label={t("deviations.scope")} value={v.scope} onChange={set("scope")} />
        <Field id="dev-until" label={t("deviations.validThrough")} value={v.validThrough} onChange={set("validThrough")} type="date" />
        <Field id="dev-limit" label={t("deviations.limit")} value={v.limit} onChange={set("limit")} inputMode="decimal" />
        <div className="sm:col-span-3">
          <label htmlFor="dev-reason" className={formLabel}>
            {t("deviations.reason")}
          </label>
          <textarea id="dev-reason" className={`${formField} w-full`} rows={2} maxLength={500} required value={v.reason} onChange={set("reason")} />
        </div>
        <div className="sm:col-span-3 space-y-2">
          <Button type="submit" disabled={!ready || create.isPending}>
            {t("deviations.submit")}
          </Button>
          <FormOutcome ok={ok} problem={null} />
        </div>
      </form>
      <SignDialog
        open={signing}
        title={t("deviations.dialog")}
        signerName={signerName}
        defaultMeaning="approval"
        pending={create.isPending}
        error={create.error ? actionErrorMessage(create.error) : null}
        onSign={onSign}
        onCancel={() => {
          setSigning(false);
          create.reset();
        }}
      />
    </>
  );
}
