"use client";

import { useId, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { actionErrorMessage } from "@/components/ui/action-error";
import { FormOutcome, formField, formLabel, useHydrated } from "@/components/ui/form-outcome";


/** Register a tool or gauge, with its calibration when known. */
export function RegisterToolForm() {
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
    <form onSubmit={onSubmit} noValidate aria-label="Register a tool" className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor={`${ids}-code`} className={formLabel}>Tool code (label)</label>
          <input id={`${ids}-code`} value={v.code} onChange={set("code")} maxLength={64} className={`${formField} w-40 font-mono`} disabled={register.isPending} />
        </div>
        <div>
          <label htmlFor={`${ids}-class`} className={formLabel}>Class</label>
          <input id={`${ids}-class`} value={v.toolClass} onChange={set("toolClass")} maxLength={64} placeholder="TORQUE-WRENCH" className={`${formField} w-44 font-mono`} disabled={register.isPending} />
        </div>
        <div className="min-w-48 flex-1">
          <label htmlFor={`${ids}-desc`} className={formLabel}>Description</label>
          <input id={`${ids}-desc`} value={v.description} onChange={set("description")} maxLength={200} placeholder="Torque wrench 5-25 N·m" className={`${formField} w-full`} disabled={register.isPending} />
        </div>
        <div>
          <label htmlFor={`${ids}-cal`} className={formLabel}>Calibrated on</label>
          <input id={`${ids}-cal`} type="date" value={v.calibratedOn} onChange={set("calibratedOn")} className={formField} disabled={register.isPending} />
        </div>
        <div>
          <label htmlFor={`${ids}-due`} className={formLabel}>Next calibration due</label>
          <input id={`${ids}-due`} type="date" value={v.dueOn} onChange={set("dueOn")} className={formField} disabled={register.isPending} />
        </div>
        <Button type="submit" disabled={!ready || register.isPending}>{register.isPending ? "Registering…" : "Register tool"}</Button>
      </div>
      <FormOutcome ok={register.data ? `Tool ${register.data.code} registered.` : null} problem={register.error ? actionErrorMessage(register.error) : null} />
    </form>
  );
}

/** Record a calibration (certificate as the reason), or take a tool out of / back into service. */
export function CalibrateToolForm({ codes }: { codes: string[] }) {
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
    <form onSubmit={onSubmit} noValidate aria-label="Record a calibration" className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor={`${ids}-code`} className={formLabel}>Tool</label>
          <select id={`${ids}-code`} value={v.code} onChange={set("code")} className={`${formField} w-40 font-mono`} disabled={calibrate.isPending}>
            {codes.map((c) => (
              <option key={c} value={c}>{c}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${ids}-cal`} className={formLabel}>Calibrated on</label>
          <input id={`${ids}-cal`} type="date" value={v.calibratedOn} onChange={set("calibratedOn")} className={formField} disabled={calibrate.isPending} />
        </div>
        <div>
          <label htmlFor={`${ids}-due`} className={formLabel}>Next calibration due</label>
          <input id={`${ids}-due`} type="date" value={v.dueOn} onChange={set("dueOn")} className={formField} disabled={calibrate.isPending} />
        </div>
        <div className="min-w-48 flex-1">
          <label htmlFor={`${ids}-reason`} className={formLabel}>Certificate / reason</label>
          <input id={`${ids}-reason`} value={v.reason} onChange={set("reason")} maxLength={1000} className={`${formField} w-full`} disabled={calibrate.isPending} />
        </div>
        <Button type="submit" disabled={!ready || calibrate.isPending}>{calibrate.isPending ? "Recording…" : "Record calibration"}</Button>
      </div>
      <FormOutcome ok={calibrate.data ? `Calibration of ${calibrate.data.code} recorded.` : null} problem={calibrate.error ? actionErrorMessage(calibrate.error) : null} />
    </form>
  );
}
