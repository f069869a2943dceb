"use client";

import { useId, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { useErrorWords } from "@/components/errors/use-error-words";
import { FormOutcome, formField, formLabel, useHydrated } from "@/components/ui/form-outcome";

/** Register a tool or gauge, with its calibration when known. */
export function RegisterToolForm() {
  const t = useTranslations("quality.tools");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const ids = useId();
  const ready = useHydrated();
  const [v, setV] = useState({ code: "", toolClass: "", description: "", calibratedOn: "", dueOn: "" });
  const register = useMutation(trpc.tools.registerTool.mutationOptions({ onSuccess: () => router.refresh() }));
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV((o) => ({ ...o, [k]: e.target.value }));
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!ready || register.isPending) return;
    register.reset();
    register.mutate({ code: v.code, toolClass: v.toolClass, description: v.description, calibratedOn: v.calibratedOn || null, dueOn: v.dueOn || null });
  }
  return (
    <form onSubmit={onSubmit} noValidate aria-label={t("registerTitle")} className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor={`${ids}-code`} className={formLabel}>{t("form.code")}</label>
          <input id={`${ids}-code`} value={v.code} onChange={set("code")} maxLength={64} className={`${formField} w-40 font-mono`} disabled={register.isPending} />
        </div>
        <div>
          <label htmlFor={`${ids}-class`} className={formLabel}>{t("form.class")}</label>
          <input id={`${ids}-class`} value={v.toolClass} onChange={set("toolClass")} maxLength={64} placeholder="TORQUE-WRENCH" className={`${formField} w-44 font-mono`} disabled={register.isPending} />
        </div>
        <div className="min-w-48 flex-1">
          <label htmlFor={`${ids}-desc`} className={formLabel}>{t("form.description")}</label>
          <input id={`${ids}-desc`} value={v.description} onChange={set("description")} maxLength={200} placeholder={t("form.descriptionPlaceholder")} className={`${formField} w-full`} disabled={register.isPending} />
        </div>
        <div>
          <label htmlFor={`${ids}-cal`} className={formLabel}>{t("form.calibratedOn")}</label>
          <input id={`${ids}-cal`} type="date" value={v.calibratedOn} onChange={set("calibratedOn")} className={formField} disabled={register.isPending} />
        </div>
        <div>
          <label htmlFor={`${ids}-due`} className={formLabel}>{t("form.dueOn")}</label>
          <input id={`${ids}-due`} type="date" value={v.dueOn} onChange={set("dueOn")} className={formField} disabled={register.isPending} />
        </div>
        <Button type="submit" disabled={!ready || register.isPending}>{register.isPending ? t("form.registering") : t("form.register")}</Button>
      </div>
      <FormOutcome ok={register.data ? t("form.registered", { code: register.data.code }) : null} problem={register.error ? actionErrorMessage(register.error) : null} />
    </form>
  );
}

/** Record a calibration (certificate as the reason), or take a tool out of / back into service. */
export function CalibrateToolForm({ codes }: { codes: string[] }) {
  const t = useTranslations("quality.tools");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const ids = useId();
  const ready = useHydrated();
  const [v, setV] = useState({ code: codes[0] ?? "", calibratedOn: "", dueOn: "", reason: "" });
  const calibrate = useMutation(trpc.tools.recordCalibration.mutationOptions({ onSuccess: () => router.refresh() }));
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV((o) => ({ ...o, [k]: e.target.value }));
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!ready || calibrate.isPending) return;
    calibrate.reset();
    calibrate.mutate(v);
  }
  return (
    <form onSubmit={onSubmit} noValidate aria-label={t("calibrateTitle")} className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor={`${ids}-code`} className={formLabel}>{t("form.tool")}</label>
          <select id={`${ids}-code`} value={v.code} onChange={set("code")} className={`${formField} w-40 font-mono`} disabled={calibrate.isPending}>
            {codes.map((c) => (
              <option key={c} value={c}>{c}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${ids}-cal`} className={formLabel}>{t("form.calibratedOn")}</label>
          <input id={`${ids}-cal`} type="date" value={v.calibratedOn} onChange={set("calibratedOn")} className={formField} disabled={calibrate.isPending} />
        </div>
        <div>
          <label htmlFor={`${ids}-due`} className={formLabel}>{t("form.dueOn")}</label>
          <input id={`${ids}-due`} type="date" value={v.dueOn} onChange={set("dueOn")} className={formField} disabled={calibrate.isPending} />
        </div>
        <div className="min-w-48 flex-1">
          <label htmlFor={`${ids}-reason`} className={formLabel}>{t("form.certificate")}</label>
          <input id={`${ids}-reason`} value={v.reason} onChange={set("reason")} maxLength={1000} className={`${formField} w-full`} disabled={calibrate.isPending} />
        </div>
        <Button type="submit" disabled={!ready || calibrate.isPending}>{calibrate.isPending ? t("form.recording") : t("form.calibrate")}</Button>
      </div>
      <FormOutcome ok={calibrate.data ? t("form.calibrated", { code: calibrate.data.code }) : null} problem={calibrate.error ? actionErrorMessage(calibrate.error) : null} />
    </form>
  );
}
