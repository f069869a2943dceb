"use client";

import { useRef, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { FormOutcome, formLabel, useHydrated } from "@/components/ui/form-outcome";

/**
 * Add a photo (a tablet opens its camera: accept image/*, capture) or a PDF to an NCR: posted as multipart to
 * /api/quality/ncrs/<id>/attachments, which checks the content (type by its first bytes, at most 5 MB).
 */
export function AttachmentUpload({ ncrId }: { ncrId: string }) {
  const t = useTranslations("ncr");
  const router = useRouter();
  const ready = useHydrated();
  const input = useRef<HTMLInputElement>(null);
  const [pending, setPending] = useState(false);
  const [ok, setOk] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const file = input.current?.files?.[0];
    if (!file) return;
    setPending(true);
    setOk(null);
    setProblem(null);
    try {
      const body = new FormData();
      body.set("file", file);
      const res = await fetch(`/api/quality/ncrs/${ncrId}/attachments`, { method: "POST", body });
      const answer = (await res.json().catch(() => ({}))) as { fileName?: string; error?: string };
      if (!res.ok) setProblem(t("upload.failed", { reason: answer.error ?? String(res.status) }));
      else {
        setOk(t("upload.done", { file: answer.fileName ?? file.name }));
        if (input.current) input.current.value = "";
        router.refresh();
      }
    } catch (err) {
      setProblem(t("upload.failed", { reason: err instanceof Error ? err.message : String(err) }));
    } finally {
      setPending(false);
    }
  };
  return (
    <form onSubmit={submit} className="space-y-2" aria-label={t("upload.label")}>
      <label htmlFor="ncr-file" className={formLabel}>
        {t("upload.label")}
      </label>
      <input id="ncr-file" ref={input} type="file" accept="image/*,application/pdf" capture="environment" required className="block min-h-10 text-sm" />
      <p className="text-sm text-slate-700">{t("upload.hint")}</p>
      <Button type="submit" disabled={!ready || pending}>
        {pending ? t("upload.pending") : t("upload.submit")}
      </Button>
      <FormOutcome ok={ok} problem={problem} />
    </form>
  );
}
