"use client";

import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { SIGNATURE_MEANINGS, type SignatureMeaning } from "@/server/domain/quality/signature";

export type SignatureInput = { method: "password" | "pin"; secret: string; meaning: SignatureMeaning };

/**
 * Re-authentication at signing (invariant 12): a modal that asks the signed-in person for their password (or badge
 * PIN) and the meaning of the signature, shows who signs, and hands the credentials to `onSign`. The secret is cleared
 * after every attempt; a refusal (wrong password, account locked) stays on screen in the dialog.
 */
export function SignDialog({
  open,
  title,
  signerName,
  defaultMeaning,
  pending,
  error,
  onSign,
  onCancel,
}: {
  open: boolean;
  title: string;
  signerName: string;
  defaultMeaning: SignatureMeaning;
  pending: boolean;
  error: string | null;
  onSign: (s: SignatureInput) => void;
  onCancel: () => void;
}) {
  const t = useTranslations("signatures");
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [method, setMethod] = useState<"password" | "pin">("password");
  const [secret, setSecret] = useState("");
  const [meaning, setMeaning] = useState<SignatureMeaning>(defaultMeaning);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      setMeaning(defaultMeaning);
      d.showModal();
    } else if (!open && d.open) d.close();
  }, [open, defaultMeaning]);

  useEffect(() => {
    if (error) setSecret("");
  }, [error]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!secret || pending) return;
    onSign({ method, secret, meaning });
  };

  return (
    <dialog
      ref={ref}
      aria-labelledby={`${id}-title`}
      onCancel={(e) => {
        e.preventDefault();
        if (!pending) onCancel();
      }}
      className="m-auto w-full max-w-md rounded-lg border-2 border-slate-400 p-0 shadow-xl backdrop:bg-slate-900/50"
    >
      <form onSubmit={submit} className="space-y-3 p-5">
        <h2 id={`${id}-title`} className="text-lg font-bold text-slate-900">
          {title}
        </h2>
        <p className="text-sm text-slate-700">{t.rich("dialog.signingAs", { name: signerName, b: (chunks) => <strong>{chunks}</strong> })}</p>
        <div>
          <label htmlFor={`${id}-meaning`} className="mb-1 block text-sm font-semibold">
            {t("dialog.meaning")}
          </label>
          <select
            id={`${id}-meaning`}
            value={meaning}
            onChange={(e) => setMeaning(e.target.value as SignatureMeaning)}
            className="min-h-10 w-full rounded-md border-2 border-slate-400 bg-white px-2"
          >
            {SIGNATURE_MEANINGS.map((m) => (
              <option key={m} value={m}>
                {t("dialog.meaningOption", { meaning: t(`meaning.${m}`), description: t(`meaningDescription.${m}`) })}
              </option>
            ))}
          </select>
        </div>
        <fieldset>
          <legend className="mb-1 text-sm font-semibold">{t("dialog.signWith")}</legend>
          <div className="flex gap-4">
            {(["password", "pin"] as const).map((m) => (
              <label key={m} className="inline-flex items-center gap-2">
                <input type="radio" name={`${id}-method`} value={m} checked={method === m} onChange={() => setMethod(m)} />
                {m === "password" ? t("dialog.password") : t("dialog.pin")}
              </label>
            ))}
          </div>
        </fieldset>
        <div>
          <label htmlFor={`${id}-secret`} className="mb-1 block text-sm font-semibold">
            {method === "password" ? t("dialog.yourPassword") : t("dialog.yourPin")}
          </label>
          <input
            id={`${id}-secret`}
            type="password"
            autoComplete={method === "password" ? "current-password" : "off"}
            inputMode={method === "pin" ? "numeric" : undefined}
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            required
            maxLength={1024}
            className="min-h-10 w-full rounded-md border-2 border-slate-400 bg-white px-3 focus:border-blue-600 focus:outline-none"
          />
        </div>
        <div role="alert" aria-live="assertive" className="min-h-0">
          {error ? <p className="rounded-md border-2 border-red-300 bg-red-50 px-3 py-2 font-semibold text-red-900">{error}</p> : null}
        </div>
        <div className="flex justify-end gap-2 pt-1">
          <Button variant="secondary" onClick={onCancel} disabled={pending}>
            {t("dialog.cancel")}
          </Button>
          <Button type="submit" disabled={pending || !secret}>
            {pending ? t("dialog.signing") : t("dialog.sign")}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
