"use client";

import { useEffect, useMemo, useState } from "react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { useErrorWords } from "@/components/errors/use-error-words";

type Action = "investigate" | "accept" | "requestCorrection" | "adjust";

const ACTIONS: readonly Action[] = ["investigate", "accept", "requestCorrection", "adjust"];

/**
 * The resolutions of one exception: a reason for every one; the adjustment is an electronic signature (re-enter the
 * password, meaning "approval") and, for a difference compared over the whole floor, the location to book it at. One
 * request id per attempt of an action (reused if the same action is retried), buttons disabled while pending.
 */
export function ResolveForms({
  exceptionId,
  allowed,
  needsLocation,
  locations,
  delta,
}: {
  exceptionId: string;
  allowed: Record<Action, boolean>;
  needsLocation: boolean;
  locations: { id: string; code: string }[];
  delta: string | null;
}) {
  const t = useTranslations("reconciliation.resolve");
  const { actionErrorMessage } = useErrorWords();
  const trpc = useTRPC();
  const router = useRouter();
  const [ready, setReady] = useState(false);
  const [action, setAction] = useState<Action>(allowed.adjust ? "adjust" : allowed.requestCorrection ? "requestCorrection" : "accept");
  const [reason, setReason] = useState("");
  const [secret, setSecret] = useState("");
  const [locationId, setLocationId] = useState(locations[0]?.id ?? "");
  // a new request id when what is asked changes; a retry of the same action reuses it
  const requestId = useMemo(() => (action && reason !== undefined && locationId !== undefined ? crypto.randomUUID() : ""), [action, reason, locationId]);
  useEffect(() => setReady(true), []);
  const done = { onSuccess: () => router.refresh() };
  const investigate = useMutation(trpc.reconciliation.investigate.mutationOptions(done));
  const accept = useMutation(trpc.reconciliation.accept.mutationOptions(done));
  const correct = useMutation(trpc.reconciliation.requestCorrection.mutationOptions(done));
  const adjust = useMutation(trpc.reconciliation.adjust.mutationOptions(done));
  const m = { investigate, accept, requestCorrection: correct, adjust }[action];
  const pending = investigate.isPending || accept.isPending || correct.isPending || adjust.isPending;
  const actions = ACTIONS.filter((a) => allowed[a]);

  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        const base = { requestId, exceptionId, reason };
        if (action === "adjust") adjust.mutate({ ...base, locationId: needsLocation ? locationId || null : null, signature: { method: "password", secret, meaning: "approval" } });
        else if (action === "investigate") investigate.mutate(base);
        else if (action === "accept") accept.mutate(base);
        else correct.mutate(base);
      }}
    >
      <fieldset className="space-y-1">
        <legend className="font-semibold">{t("legend")}</legend>
        {actions.map((a) => (
          <label key={a} className="flex items-center gap-2">
            <input type="radio" name="action" value={a} checked={action === a} onChange={() => setAction(a)} />
            {a === "adjust" ? t("choice.adjust", { delta: delta ?? "?" }) : t(`choice.${a}`)}
          </label>
        ))}
      </fieldset>
      <div>
        <label htmlFor="resolve-reason" className="block font-semibold">
          {t("reason")}
        </label>
        <textarea id="resolve-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} rows={2} required className="w-full max-w-2xl rounded-md border-2 border-slate-400 px-3 py-2" />
      </div>
      {action === "adjust" && needsLocation ? (
        <div>
          <label htmlFor="resolve-location" className="block font-semibold">
            {t("bookAt")}
          </label>
          <select id="resolve-location" value={locationId} onChange={(e) => setLocationId(e.target.value)} className="min-h-9 rounded-md border-2 border-slate-400 px-2">
            {locations.map((l) => (
              <option key={l.id} value={l.id}>
                {l.code}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {action === "adjust" ? (
        <div>
          <label htmlFor="resolve-secret" className="block font-semibold">
            {t("password")}
          </label>
          <input id="resolve-secret" type="password" autoComplete="current-password" value={secret} onChange={(e) => setSecret(e.target.value)} className="min-h-11 w-72 rounded-md border-2 border-slate-400 px-3" />
        </div>
      ) : null}
      <Button type="submit" variant="primary" disabled={!ready || pending || reason.trim().length < 3 || (action === "adjust" && (!secret || (needsLocation && !locationId)))}>
        {m.isPending ? t(`pending.${action}`) : t(`button.${action}`)}
      </Button>
      <div role="status" aria-live="polite">
        {m.isSuccess ? <div className="rounded-md border-2 border-green-300 bg-green-50 px-3 py-2 font-semibold text-green-900">{t(`done.${action}`)}</div> : null}
        {m.error ? <div className="rounded-md border-2 border-red-300 bg-red-50 px-3 py-2 font-semibold text-red-900">{actionErrorMessage(m.error)}</div> : null}
      </div>
    </form>
  );
}
