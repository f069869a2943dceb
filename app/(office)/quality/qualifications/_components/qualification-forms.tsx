"use client";

import { useId, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { useErrorWords } from "@/components/errors/use-error-words";
import { FormOutcome, formField, formLabel, useHydrated } from "@/components/ui/form-outcome";
import { formatLocalDay } from "@/i18n/format";

/** Record (grant or renew) an operator's qualification in a skill, valid from a day through a day (or with no expiry). */
export function RecordQualificationForm({ people, skills, today }: { people: { userId: string; displayName: string }[]; skills: { code: string; name: string }[]; today: string }) {
  const t = useTranslations("quality.qualifications");
  const locale = useLocale();
  const { actionErrorMessage } = useErrorWords();
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
    if (!userId) return setProblem(t("record.chooseOperator"));
    if (!skillCode) return setProblem(t("record.chooseSkill"));
    if (reason.trim().length < 5) return setProblem(t("record.giveReason"));
    record.mutate({ userId, skillCode, qualifiedOn, validThrough: validThrough || null, reason: reason.trim() });
  }

  const done = record.data;
  const ok = done
    ? done.validThrough
      ? t("record.recordedThrough", { operator: done.operator, skill: done.skill, from: formatLocalDay(done.qualifiedOn, locale), through: formatLocalDay(done.validThrough, locale) })
      : t("record.recordedNoExpiry", { operator: done.operator, skill: done.skill, from: formatLocalDay(done.qualifiedOn, locale) })
    : null;
  return (
    <form onSubmit={onSubmit} noValidate aria-label={t("recordTitle")} className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor={`${ids}-who`} className={formLabel}>{t("record.operator")}</label>
          <select id={`${ids}-who`} value={userId} onChange={(e) => setUserId(e.target.value)} className={`${formField} w-56`} disabled={record.isPending}>
            <option value="">{t("record.choose")}</option>
            {people.map((p) => (
              <option key={p.userId} value={p.userId}>{p.displayName}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${ids}-skill`} className={formLabel}>{t("record.skill")}</label>
          <select id={`${ids}-skill`} value={skillCode} onChange={(e) => setSkillCode(e.target.value)} className={`${formField} w-64`} disabled={record.isPending}>
            <option value="">{t("record.choose")}</option>
            {skills.map((s) => (
              <option key={s.code} value={s.code}>{s.code} — {s.name}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${ids}-from`} className={formLabel}>{t("record.validFrom")}</label>
          <input id={`${ids}-from`} type="date" value={qualifiedOn} onChange={(e) => setQualifiedOn(e.target.value)} className={formField} disabled={record.isPending} />
        </div>
        <div>
          <label htmlFor={`${ids}-through`} className={formLabel}>{t("record.validThrough")}</label>
          <input id={`${ids}-through`} type="date" value={validThrough} onChange={(e) => setValidThrough(e.target.value)} className={formField} disabled={record.isPending} />
        </div>
        <div className="min-w-64 flex-1">
          <label htmlFor={`${ids}-reason`} className={formLabel}>{t("record.reason")}</label>
          <input id={`${ids}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} placeholder={t("record.reasonPlaceholder")} className={`${formField} w-full`} disabled={record.isPending} />
        </div>
        <Button type="submit" disabled={!ready || record.isPending}>
          {record.isPending ? t("record.recording") : t("record.submit")}
        </Button>
      </div>
      <FormOutcome ok={ok} problem={problem ?? (record.error ? actionErrorMessage(record.error) : null)} />
    </form>
  );
}

/** Define a skill of the site, which operations may then require. */
export function DefineSkillForm() {
  const t = useTranslations("quality.qualifications.define");
  const tc = useTranslations("common");
  const { actionErrorMessage } = useErrorWords();
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
    <form onSubmit={onSubmit} noValidate aria-label={t("formLabel")} className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor={`${ids}-code`} className={formLabel}>{t("code")}</label>
          <input id={`${ids}-code`} value={code} onChange={(e) => setCode(e.target.value)} maxLength={32} placeholder={t("codePlaceholder")} className={`${formField} w-40 font-mono`} disabled={define.isPending} />
        </div>
        <div className="min-w-64 flex-1">
          <label htmlFor={`${ids}-name`} className={formLabel}>{t("name")}</label>
          <input id={`${ids}-name`} value={name} onChange={(e) => setName(e.target.value)} maxLength={120} placeholder={t("namePlaceholder")} className={`${formField} w-full`} disabled={define.isPending} />
        </div>
        <Button type="submit" disabled={!ready || define.isPending}>
          {define.isPending ? tc("saving") : t("submit")}
        </Button>
      </div>
      <FormOutcome ok={define.data ? t("defined", { code: define.data.code }) : null} problem={define.error ? actionErrorMessage(define.error) : null} />
    </form>
  );
}

/** Withdraw one qualification now, with a reason. */
export function WithdrawQualificationButton({ userId, skillCode, who }: { userId: string; skillCode: string; who: string }) {
  const t = useTranslations("quality.qualifications.withdraw");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useHydrated();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const withdraw = useMutation(trpc.qualification.revokeQualification.mutationOptions({ onSuccess: () => router.refresh() }));
  if (!open) {
    return (
      <Button type="button" variant="secondary" disabled={!ready} onClick={() => setOpen(true)} aria-label={t("openLabel", { skill: skillCode, name: who })}>
        {t("open")}
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
      <label className="sr-only" htmlFor={`withdraw-${userId}-${skillCode}`}>{t("reasonLabel", { skill: skillCode, name: who })}</label>
      <input id={`withdraw-${userId}-${skillCode}`} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t("reasonPlaceholder")} className={`${formField} w-48`} />
      <Button type="submit" disabled={withdraw.isPending}>{withdraw.isPending ? t("withdrawing") : t("confirm")}</Button>
      {withdraw.error ? <span role="alert" className="text-sm font-semibold text-red-800">{actionErrorMessage(withdraw.error)}</span> : null}
    </form>
  );
}
