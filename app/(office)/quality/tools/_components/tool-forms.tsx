"use client";

import { useEffect, useId, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { actionErrorMessage } from "@/components/ui/action-error";

const field = "min-h-10 rounded-md border-2 border-slate-400 bg-white px-2 text-sm focus:border-blue-600 focus:outline-none disabled:bg-slate-100";
const label = "mb-1 block text-sm font-semibold";

function useReady() {
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  return ready;
}

function Outcome({ ok, problem }: { ok: string | null; problem: string | null }) {
  return (
    <>
      <div role="status" aria-live="polite">
        {ok ? <p className="rounded-md border-2 border-green-300 bg-green-50 px-3 py-2 font-semibold text-green-900">{ok}</p> : null}
      </div>
      <div role="alert" className={problem ? "rounded-md border-2 border-red-300 bg-red-50 px-3 py-2 font-semibold text-red-900" : "sr-only"}>
        {problem ?? ""}
      </div>
    </>
  );
}

/** Register a tool or gauge, with its calibration when known. */
export function RegisterToolForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const ids = useId();
  const ready = useReady();
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
          <label htmlFor={`${ids}-code`} className={label}>Tool code (label)</label>
          <input id={`${ids}-code`} value={v.code} onChange={set("code")} maxLength={64} className={`${field} w-40 font-mono`} disabled={register.isPending} />
        </div>
        <div>
          <label htmlFor={`${ids}-class`} className={label}>Class</label>
          <input id={`${ids}-class`} value={v.toolClass} onChange={set("toolClass")} maxLength={64} placeholder="TORQUE-WRENCH" className={`${field} w-44 font-mono`} disabled={register.isPending} />
        </div>
        <div className="min-w-48 flex-1">
          <label htmlFor={`${ids}-desc`} className={label}>Description</label>
          <input id={`${ids}-desc`} value={v.description} onChange={set("description")} maxLength={200} placeholder="Torque wrench 5-25 N·m" className={`${field} w-full`} disabled={register.isPending} />
        </div>
        <div>
          <label htmlFor={`${ids}-cal`} className={label}>Calibrated on</label>
          <input id={`${ids}-cal`} type="date" value={v.calibratedOn} onChange={set("calibratedOn")} className={field} disabled={register.isPending} />
        </div>
        <div>
          <label htmlFor={`${ids}-due`} className={label}>Next calibration due</label>
          <input id={`${ids}-due`} type="date" value={v.dueOn} onChange={set("dueOn")} className={field} disabled={register.isPending} />
        </div>
        <Button type="submit" disabled={!ready || register.isPending}>{register.isPending ? "Registering…" : "Register tool"}</Button>
      </div>
      <Outcome ok={register.data ? `Tool ${register.data.code} registered.` : null} problem={register.error ? actionErrorMessage(register.error) : null} />
    </form>
  );
}

/** Record a calibration (certificate as the reason), or take a tool out of / back into service. */
export function CalibrateToolForm({ codes }: { codes: string[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const ids = useId();
  const ready = useReady();
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
          <label htmlFor={`${ids}-code`} className={label}>Tool</label>
          <select id={`${ids}-code`} value={v.code} onChange={set("code")} className={`${field} w-40 font-mono`} disabled={calibrate.isPending}>
            {codes.map((c) => (
              <option key={c} value={c}>{c}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${ids}-cal`} className={label}>Calibrated on</label>
          <input id={`${ids}-cal`} type="date" value={v.calibratedOn} onChange={set("calibratedOn")} className={field} disabled={calibrate.isPending} />
        </div>
        <div>
          <label htmlFor={`${ids}-due`} className={label}>Next calibration due</label>
          <input id={`${ids}-due`} type="date" value={v.dueOn} onChange={set("dueOn")} className={field} disabled={calibrate.isPending} />
        </div>
        <div className="min-w-48 flex-1">
          <label htmlFor={`${ids}-reason`} className={label}>Certificate / reason</label>
          <input id={`${ids}-reason`} value={v.reason} onChange={set("reason")} maxLength={1000} className={`${field} w-full`} disabled={calibrate.isPending} />
        </div>
        <Button type="submit" disabled={!ready || calibrate.isPending}>{calibrate.isPending ? "Recording…" : "Record calibration"}</Button>
      </div>
      <Outcome ok={calibrate.data ? `Calibration of ${calibrate.data.code} recorded.` : null} problem={calibrate.error ? actionErrorMessage(calibrate.error) : null} />
    </form>
  );
}
