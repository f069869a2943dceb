"use client";

import { useEffect, useState } from "react";
import { useTranslations } from "next-intl";
import { actionErrorMessage } from "@/components/ui/action-error";
import type { ErrorWords } from "@/components/errors/operator-message";

/** One clear result after each action: green with what was recorded, or red with the reason and what to do. */
export type ActionOutcome = { ok: true; text: string } | { ok: false; text: string } | null;

/**
 * A refused or failed action in operator words, with its one next step (both from the server's answer). `t`: the
 * `errors` catalog's translator for failures that are not refusals (useErrorWords / useTranslations("errors")).
 */
export function refusedOutcome(error: unknown, t?: ErrorWords): ActionOutcome {
  return { ok: false, text: actionErrorMessage(error, t) };
}

/** refusedOutcome in the page's language, for client islands. */
export function useRefusedOutcome(): (error: unknown) => ActionOutcome {
  const t = useTranslations("errors") as unknown as ErrorWords;
  return (error: unknown) => refusedOutcome(error, t);
}

export function ActionResult({ outcome }: { outcome: ActionOutcome }) {
  const t = useTranslations("kitting.result");
  if (!outcome) return null;
  return outcome.ok ? (
    <div role="status" aria-live="polite" className="rounded-md border-2 border-green-700 bg-green-50 p-4 text-xl font-semibold text-green-900">
      ✔ {outcome.text}
    </div>
  ) : (
    <div role="status" aria-live="assertive" className="rounded-md border-2 border-red-700 bg-red-50 p-4 text-xl text-red-900">
      <p className="font-bold">{t("refused", { text: outcome.text })}</p>
    </div>
  );
}

/** Actions stay disabled until the page is hydrated (a click before that would do nothing). */
export function useHydrated() {
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  return ready;
}
