"use client";

import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { useErrorWords } from "@/components/errors/use-error-words";
import { FormOutcome, formField, formLabel, useHydrated } from "@/components/ui/form-outcome";

const list = (text: string) => text.split(/[,;\s]+/).map((x) => x.trim()).filter(Boolean);

/**
 * The skills and tool classes one routing operation requires, with the reason for the audit trail. A requirement ERP
 * owns is shown read-only (its field disabled); the service refuses it too, naming the owner.
 */
export function RequirementsForm({
  routingCode,
  seq,
  skills,
  toolClasses,
  skillsEditable,
  toolsEditable,
}: {
  routingCode: string;
  seq: number;
  skills: string[];
  toolClasses: string[];
  skillsEditable: boolean;
  toolsEditable: boolean;
}) {
  const t = useTranslations("suspect");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useHydrated();
  const [skillText, setSkillText] = useState(skills.join(", "));
  const [toolText, setToolText] = useState(toolClasses.join(", "));
  const [reason, setReason] = useState("");
  const run = useMutation(
    trpc.qualification.setOperationRequirements.mutationOptions({
      onSuccess: () => {
        setReason("");
        router.refresh();
      },
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate({ routingCode, seq, requiredSkills: list(skillText), requiredToolClasses: list(toolText), reason });
  };
  const id = `${routingCode}-${seq}`.replace(/[^A-Za-z0-9-]/g, "_");
  return (
    <form aria-label={t("operations.formLabel", { routing: routingCode, seq })} onSubmit={submit} className="grid gap-2 sm:grid-cols-3">
      <div>
        <label htmlFor={`skills-${id}`} className={formLabel}>
          {t("operations.skillsField")}
        </label>
        <input id={`skills-${id}`} value={skillText} onChange={(e) => { setSkillText(e.target.value); run.reset(); }} disabled={!skillsEditable} maxLength={400} autoComplete="off" spellCheck={false} className={`${formField} w-full font-mono`} />
      </div>
      <div>
        <label htmlFor={`tools-${id}`} className={formLabel}>
          {t("operations.toolsField")}
        </label>
        <input id={`tools-${id}`} value={toolText} onChange={(e) => { setToolText(e.target.value); run.reset(); }} disabled={!toolsEditable} maxLength={400} autoComplete="off" spellCheck={false} className={`${formField} w-full font-mono`} />
      </div>
      <div>
        <label htmlFor={`reason-${id}`} className={formLabel}>
          {t("operations.reason")}
        </label>
        <input id={`reason-${id}`} value={reason} onChange={(e) => { setReason(e.target.value); run.reset(); }} required minLength={5} maxLength={1000} className={`${formField} w-full`} />
      </div>
      <div className="sm:col-span-3 flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={!ready || run.isPending || !(skillsEditable || toolsEditable)}>
          {run.isPending ? t("operations.saving") : t("operations.save")}
        </Button>
        <FormOutcome ok={run.data ? t("operations.saved") : null} problem={run.error ? actionErrorMessage(run.error) : null} />
      </div>
    </form>
  );
}
