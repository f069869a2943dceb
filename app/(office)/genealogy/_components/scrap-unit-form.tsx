"use client";

import { useId, useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { ActionResult, useHydrated, useRefusedOutcome, type ActionOutcome } from "@/components/kitting/action-result";
import { serverAnswered, useRequestId } from "@/components/kitting/use-request-id";

/**
 * Scrap a whole unit (supervisor or quality engineer): the reason, and a tick that says it is meant (a scrapped unit
 * never comes back). The button is disabled while pending; a retry of the same scrap reuses its request id.
 */
export function ScrapUnitForm({ unitId, serial, inWork }: { unitId: string; serial: string; inWork: boolean }) {
  const t = useTranslations("genealogy.scrap");
  const refusedOutcome = useRefusedOutcome();
  const trpc = useTRPC();
  const router = useRouter();
  const ready = useHydrated();
  const id = useId();
  const req = useRequestId();
  const [reason, setReason] = useState("");
  const [sure, setSure] = useState(false);
  const [outcome, setOutcome] = useState<ActionOutcome>(null);
  const scrap = useMutation(
    trpc.production.scrapUnit.mutationOptions({
      onSuccess: (o) => {
        req.answered();
        setOutcome({ ok: true, text: o.operationSeq !== null ? t("scrappedAt", { serial: o.serial, from: o.from, seq: o.operationSeq }) : t("scrapped", { serial: o.serial, from: o.from }) });
        router.refresh();
      },
      onError: (e) => {
        if (serverAnswered(e)) req.answered();
        setOutcome(refusedOutcome(e));
      },
    }),
  );

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const input = { unitId, reason };
    scrap.mutate({ requestId: req.idFor(input), ...input });
  }

  return (
    <div className="space-y-3">
      <form onSubmit={submit} aria-label={t("form")} className="flex flex-wrap items-end gap-3">
        <div className="min-w-72 flex-1">
          <label htmlFor={`${id}-why`} className="mb-1 block font-semibold">
            {t("why", { serial })}
          </label>
          <input id={`${id}-why`} autoComplete="off" maxLength={500} className="min-h-10 w-full rounded-md border-2 border-slate-400 bg-white px-3" value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
        <label className="flex min-h-10 items-center gap-2">
          <input type="checkbox" checked={sure} onChange={(e) => setSure(e.target.checked)} className="h-5 w-5" />
          {inWork ? t("sureInWork") : t("sure")}
        </label>
        <Button type="submit" variant="danger" disabled={!ready || !sure || scrap.isPending}>
          {scrap.isPending ? t("scrapping") : t("submit")}
        </Button>
      </form>
      <ActionResult outcome={outcome} />
    </div>
  );
}
