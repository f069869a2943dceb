"use client";

import { useEffect, useState } from "react";
import { actionErrorMessage } from "@/components/ui/action-error";

/** One clear result after each action: green with what was recorded, or red with the reason and what to do. */
export type ActionOutcome = { ok: true; text: string } | { ok: false; text: string } | null;

/** A refused or failed action in operator words, with its one next step (both from the server's answer). */
export function refusedOutcome(error: unknown): ActionOutcome {
  return { ok: false, text: actionErrorMessage(error) };
}

export function ActionResult({ outcome }: { outcome: ActionOutcome }) {
  if (!outcome) return null;
  return outcome.ok ? (
    <div role="status" aria-live="polite" className="rounded-md border-2 border-green-700 bg-green-50 p-4 text-xl font-semibold text-green-900">
      ✔ {outcome.text}
    </div>
  ) : (
    <div role="status" aria-live="assertive" className="rounded-md border-2 border-red-700 bg-red-50 p-4 text-xl text-red-900">
      <p className="font-bold">✖ Refused: {outcome.text}</p>
    </div>
  );
}

/** Actions stay disabled until the page is hydrated (a click before that would do nothing). */
export function useHydrated() {
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  return ready;
}
