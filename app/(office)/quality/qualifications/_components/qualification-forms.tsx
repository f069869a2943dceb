"use client";

import { useId, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { actionErrorMessage } from "@/components/ui/action-error";
import { FormOutcome, formField, formLabel, useHydrated } from "@/components/ui/form-outcome";


/** Record (grant or renew) an operator's qualification in a skill, valid from a day through a day (or with no expiry). */
export function RecordQualificationForm({ people, skills, today }: { people: { userId: string; displayName: string }[]; skills: { code: string; name: string }[]; today: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const ids = useId();
  const ready = useHydrated();
  const [userId, setUserId] = useState("");
  const [skillCode, setSkillCode] = useState("");
  const [qualifiedOn, setQualifiedOn] = useState(today);
  const [validThrough, setValidThrough] = useState("");
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const record = useMutation(trpc.qualification.recordQualification.mutationOptions({ onSuccess: () => router.refresh() }));

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!ready || record.isPending) return;
    setProblem(null);
    record.reset();
    if (!userId) return setProblem("Choose the operator.");
    if (!skillCode) return setProblem("Choose the skill.");
    if (reason.trim().length < 5) return setProblem("Give a reason (certificate, training record): it goes into the audit trail.");
    record.mutate({ userId, skillCode, qualifiedOn, validThrough: validThrough || null, reason: reason.trim() });
  }

  const ok = record.data ? `Recorded: ${record.data.operator} is qualified in ${record.data.skill} from ${record.data.qualifiedOn}${record.data.validThrough ? ` through ${record.data.validThrough}` : ", with no expiry"} (in the audit trail).` : null;
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Record a qualification" className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor={`${ids}-who`} className={formLabel}>Operator</label>
          <select id={`${ids}-who`} value={userId} onChange={(e) => setUserId(e.target.value)} className={`${formField} w-56`} disabled={record.isPending}>
            <option value="">Choose…</option>
            {people.map((p) => (
              <option key={p.userId} value={p.userId}>{p.displayName}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${ids}-skill`} className={formLabel}>Skill</label>
          <select id={`${ids}-skill`} value={skillCode} onChange={(e) => setSkillCode(e.target.value)} className={`${formField} w-64`} disabled={record.isPending}>
            <option value="">Choose…</option>
            {skills.map((s) => (
              <option key={s.code} value={s.code}>{s.code} — {s.name}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${ids}-from`} className={formLabel}>Valid from</label>
          <input id={`${ids}-from`} type="date" value={qualifiedOn} onChange={(e) => setQualifiedOn(e.target.value)} className={formField} disabled={record.isPending} />
        </div>
        <div>
          <label htmlFor={`${ids}-through`} className={formLabel}>Valid through (empty: no expiry)</label>
          <input id={`${ids}-through`} type="date" value={validThrough} onChange={(e) => setValidThrough(e.target.value)} className={formField} disabled={record.isPending} />
        </div>
        <div className="min-w-64 flex-1">
          <label htmlFor={`${ids}-reason`} className={formLabel}>Reason (for the audit trail)</label>
          <input id={`${ids}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} placeholder="e.g. Certificate IPC/WHMA-A-620 no. 4471" className={`${formField} w-full`} disabled={record.isPending} />
        </div>
        <Button type="submit" disabled={!ready || record.isPending}>
          {record.isPending ? "Recording…" : "Record qualification"}
        </Button>
      </div>
      <FormOutcome ok={ok} problem={problem ?? (record.error ? actionErrorMessage(record.error) : null)} />
    </form>
  );
}

/** Define a skill of the site, which operations may then require. */
export function DefineSkillForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const ids = useId();
  const ready = useHydrated();
  const [code, setCode] = useState("");
  const [name, setName] = useState("");
  const define = useMutation(trpc.qualification.defineSkill.mutationOptions({ onSuccess: () => router.refresh() }));
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!ready || define.isPending) return;
    define.reset();
    define.mutate({ code: code.trim(), name: name.trim() });
  }
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Define a skill" className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor={`${ids}-code`} className={formLabel}>Skill code</label>
          <input id={`${ids}-code`} value={code} onChange={(e) => setCode(e.target.value)} maxLength={32} placeholder="e.g. CRIMP-A" className={`${formField} w-40 font-mono`} disabled={define.isPending} />
        </div>
        <div className="min-w-64 flex-1">
          <label htmlFor={`${ids}-name`} className={formLabel}>Name</label>
          <input id={`${ids}-name`} value={name} onChange={(e) => setName(e.target.value)} maxLength={120} placeholder="e.g. Crimping, IPC/WHMA-A-620 class 3" className={`${formField} w-full`} disabled={define.isPending} />
        </div>
        <Button type="submit" disabled={!ready || define.isPending}>
          {define.isPending ? "Saving…" : "Define skill"}
        </Button>
      </div>
      <FormOutcome ok={define.data ? `Skill ${define.data.code} defined.` : null} problem={define.error ? actionErrorMessage(define.error) : null} />
    </form>
  );
}

/** Withdraw one qualification now, with a reason. */
export function WithdrawQualificationButton({ userId, skillCode, who }: { userId: string; skillCode: string; who: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useHydrated();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const withdraw = useMutation(trpc.qualification.revokeQualification.mutationOptions({ onSuccess: () => router.refresh() }));
  if (!open) {
    return (
      <Button type="button" variant="secondary" disabled={!ready} onClick={() => setOpen(true)} aria-label={`Withdraw ${skillCode} of ${who}`}>
        Withdraw
      </Button>
    );
  }
  return (
    <form
      className="flex flex-wrap items-center gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (withdraw.isPending) return;
        withdraw.mutate({ userId, skillCode, reason: reason.trim() });
      }}
    >
      <label className="sr-only" htmlFor={`withdraw-${userId}-${skillCode}`}>Reason to withdraw {skillCode} of {who}</label>
      <input id={`withdraw-${userId}-${skillCode}`} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Reason" className={`${formField} w-48`} />
      <Button type="submit" disabled={withdraw.isPending}>{withdraw.isPending ? "Withdrawing…" : "Confirm"}</Button>
      {withdraw.error ? <span role="alert" className="text-sm font-semibold text-red-800">{actionErrorMessage(withdraw.error)}</span> : null}
    </form>
  );
}
