"use client";

import { useEffect, useId, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { actionErrorMessage } from "@/components/ui/action-error";

export type OutboundSettings = { mode: "none" | "push" | "pull"; format: "json" | "b2mml" | "sap"; url: string | null; credentialHint: string | null; dedupes: boolean };

const input = "min-h-9 w-full rounded-md border-2 border-slate-400 bg-white px-2 text-sm focus:border-blue-600 focus:outline-none disabled:bg-slate-100";
const label = "mb-1 block text-sm font-semibold";

const FORMATS = [
  { value: "json", label: "Traceline JSON" },
  { value: "b2mml", label: "ISA-95 B2MML V0700 (OperationsPerformance)" },
  { value: "sap", label: "SAP-style goods movements and order confirmations" },
] as const;

/** One line saying how a connection receives confirmations. */
export function outboundSummary(o: OutboundSettings): string {
  const format = FORMATS.find((f) => f.value === o.format)?.label ?? o.format;
  if (o.mode === "push") return `Pushed to ${o.url ?? "?"} (${format})`;
  if (o.mode === "pull") return `Pulled by the ERP (${format})`;
  return "Not sent to this ERP";
}

/**
 * How a connection receives confirmations (administrators of every site it feeds): push to its endpoint with an
 * optional credential (stored encrypted; only its last characters shown), or pull with the connection's API key, in
 * the chosen format. Saved settings apply to the next delivery round.
 */
export function OutboundSettingsForm({ connectionId, name, current, onDone }: { connectionId: string; name: string; current: OutboundSettings; onDone: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const ids = useId();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const [mode, setMode] = useState(current.mode);
  const [format, setFormat] = useState(current.format);
  const [url, setUrl] = useState(current.url ?? "");
  const [dedupes, setDedupes] = useState(current.dedupes);
  const [credential, setCredential] = useState("");
  const [removeCredential, setRemoveCredential] = useState(false);
  const save = useMutation(
    trpc.admin.configureOutbound.mutationOptions({
      onSuccess: () => {
        router.refresh();
        onDone();
      },
    }),
  );

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    save.mutate({
      connectionId,
      mode,
      format,
      url: mode === "push" ? url : null,
      dedupes,
      ...(removeCredential ? { credential: null } : credential ? { credential } : {}),
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label={`Confirmations for ${name}`} className="space-y-3 rounded-lg border border-slate-300 bg-slate-50 p-4">
      <fieldset>
        <legend className={label}>How does {name} receive confirmations?</legend>
        <div className="flex flex-wrap gap-4">
          {(
            [
              ["pull", "The ERP pulls them (GET /api/erp/v1/confirmations with its API key)"],
              ["push", "Traceline pushes them to the ERP's endpoint"],
              ["none", "Not at all"],
            ] as const
          ).map(([value, text]) => (
            <label key={value} className="flex items-center gap-2">
              <input type="radio" name={`${ids}-mode`} value={value} checked={mode === value} onChange={() => setMode(value)} className="size-5" />
              {text}
            </label>
          ))}
        </div>
      </fieldset>
      {mode !== "none" ? (
        <div className="grid gap-3 md:grid-cols-2">
          <div>
            <label htmlFor={`${ids}-format`} className={label}>
              Format
            </label>
            <select id={`${ids}-format`} value={format} onChange={(e) => setFormat(e.target.value as OutboundSettings["format"])} className={input}>
              {FORMATS.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </select>
          </div>
          {mode === "push" ? (
            <div>
              <label htmlFor={`${ids}-url`} className={label}>
                ERP endpoint
              </label>
              <input id={`${ids}-url`} value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://erp.example.com/traceline/confirmations" className={`${input} font-mono`} />
            </div>
          ) : null}
          {mode === "push" ? (
            <div>
              <label htmlFor={`${ids}-credential`} className={label}>
                Credential Traceline presents (Bearer token)
              </label>
              <input
                id={`${ids}-credential`}
                type="password"
                autoComplete="off"
                value={credential}
                disabled={removeCredential}
                onChange={(e) => setCredential(e.target.value)}
                placeholder={current.credentialHint ? `stored: …${current.credentialHint} (leave empty to keep it)` : "none stored"}
                className={input}
              />
              {current.credentialHint ? (
                <label className="mt-1 flex items-center gap-2 text-sm">
                  <input type="checkbox" checked={removeCredential} onChange={(e) => setRemoveCredential(e.target.checked)} className="size-4" />
                  Remove the stored credential
                </label>
              ) : null}
            </div>
          ) : null}
          {mode === "push" ? (
            <label className="flex items-start gap-2 text-sm md:col-span-2">
              <input type="checkbox" checked={dedupes} onChange={(e) => setDedupes(e.target.checked)} className="mt-0.5 size-4" />
              <span>
                The ERP recognises a message id it has already applied. Untick if it does not: then, after a failure that may have reached it (a timeout, a
                dropped connection), Traceline asks <span className="font-mono">GET &lt;endpoint&gt;/&lt;message id&gt;</span> before sending again.
              </span>
            </label>
          ) : null}
        </div>
      ) : null}
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" variant="primary" disabled={!ready || save.isPending}>
          {save.isPending ? "Saving…" : "Save"}
        </Button>
        <Button type="button" variant="secondary" disabled={save.isPending} onClick={onDone}>
          Cancel
        </Button>
      </div>
      {save.error ? (
        <p role="alert" className="rounded-md border-2 border-red-300 bg-red-50 px-3 py-2 font-semibold text-red-900">
          {actionErrorMessage(save.error)}
        </p>
      ) : null}
    </form>
  );
}
