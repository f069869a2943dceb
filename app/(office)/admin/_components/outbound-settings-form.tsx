"use client";

import { useEffect, useId, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { useErrorWords } from "@/components/errors/use-error-words";

export type OutboundSettings = { mode: "none" | "push" | "pull"; format: "json" | "b2mml" | "sap"; url: string | null; credentialHint: string | null; dedupes: boolean };

const input = "min-h-9 w-full rounded-md border-2 border-slate-400 bg-white px-2 text-sm focus:border-blue-600 focus:outline-none disabled:bg-slate-100";
const label = "mb-1 block text-sm font-semibold";

const FORMATS = ["json", "b2mml", "sap"] as const;
/** An address, the same in every language. */
const EXAMPLE_ENDPOINT = "https://erp.example.com/traceline/confirmations";

/** One line saying how a connection receives confirmations, in the reader's words. */
export function useOutboundSummary(): (o: OutboundSettings) => string {
  const t = useTranslations("admin.outbound");
  return (o) => {
    const format = t(`formats.${o.format}`);
    if (o.mode === "push") return t("pushed", { url: o.url ?? "?", format });
    if (o.mode === "pull") return t("pulled", { format });
    return t("none");
  };
}

/**
 * How a connection receives confirmations (administrators of every site it feeds): push to its endpoint with an
 * optional credential (stored encrypted; only its last characters shown), or pull with the connection's API key, in
 * the chosen format. Saved settings apply to the next delivery round.
 */
export function OutboundSettingsForm({ connectionId, name, current, onDone }: { connectionId: string; name: string; current: OutboundSettings; onDone: () => void }) {
  const t = useTranslations("admin.outbound");
  const tc = useTranslations("common");
  const { actionErrorMessage } = useErrorWords();
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
    <form onSubmit={onSubmit} noValidate aria-label={t("formLabel", { name })} className="space-y-3 rounded-lg border border-slate-300 bg-slate-50 p-4">
      <fieldset>
        <legend className={label}>{t("how", { name })}</legend>
        <div className="flex flex-wrap gap-4">
          {(["pull", "push", "none"] as const).map((value) => (
            <label key={value} className="flex items-center gap-2">
              <input type="radio" name={`${ids}-mode`} value={value} checked={mode === value} onChange={() => setMode(value)} className="size-5" />
              {t(`modes.${value}`)}
            </label>
          ))}
        </div>
      </fieldset>
      {mode !== "none" ? (
        <div className="grid gap-3 md:grid-cols-2">
          <div>
            <label htmlFor={`${ids}-format`} className={label}>
              {t("format")}
            </label>
            <select id={`${ids}-format`} value={format} onChange={(e) => setFormat(e.target.value as OutboundSettings["format"])} className={input}>
              {FORMATS.map((f) => (
                <option key={f} value={f}>
                  {t(`formats.${f}`)}
                </option>
              ))}
            </select>
          </div>
          {mode === "push" ? (
            <div>
              <label htmlFor={`${ids}-url`} className={label}>
                {t("endpoint")}
              </label>
              <input id={`${ids}-url`} value={url} onChange={(e) => setUrl(e.target.value)} placeholder={EXAMPLE_ENDPOINT} className={`${input} font-mono`} />
            </div>
          ) : null}
          {mode === "push" ? (
            <div>
              <label htmlFor={`${ids}-credential`} className={label}>
                {t("credential")}
              </label>
              <input
                id={`${ids}-credential`}
                type="password"
                autoComplete="off"
                value={credential}
                disabled={removeCredential}
                onChange={(e) => setCredential(e.target.value)}
                placeholder={current.credentialHint ? t("credentialStored", { hint: current.credentialHint }) : t("credentialNone")}
                className={input}
              />
              {current.credentialHint ? (
                <label className="mt-1 flex items-center gap-2 text-sm">
                  <input type="checkbox" checked={removeCredential} onChange={(e) => setRemoveCredential(e.target.checked)} className="size-4" />
                  {t("removeCredential")}
                </label>
              ) : null}
            </div>
          ) : null}
          {mode === "push" ? (
            <label className="flex items-start gap-2 text-sm md:col-span-2">
              <input type="checkbox" checked={dedupes} onChange={(e) => setDedupes(e.target.checked)} className="mt-0.5 size-4" />
              <span>{t.rich("dedupes", { mono: (chunks) => <span className="font-mono">{chunks}</span> })}</span>
            </label>
          ) : null}
        </div>
      ) : null}
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" variant="primary" disabled={!ready || save.isPending}>
          {save.isPending ? tc("saving") : t("save")}
        </Button>
        <Button type="button" variant="secondary" disabled={save.isPending} onClick={onDone}>
          {tc("cancel")}
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
