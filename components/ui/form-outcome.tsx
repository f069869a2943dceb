"use client";

import { useEffect, useState } from "react";

/** The look of an office form's fields and labels. */
export const formField = "min-h-10 rounded-md border-2 border-slate-400 bg-white px-2 text-sm focus:border-blue-600 focus:outline-none disabled:bg-slate-100";
export const formLabel = "mb-1 block text-sm font-semibold";

/** False until the page has hydrated: forms keep their submit disabled until their handlers exist. */
export function useHydrated(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  return ready;
}

/** A form's answer: what was done (polite status) or what went wrong (alert), always in the page for screen readers. */
export function FormOutcome({ ok, problem }: { ok: string | null; problem: string | null }) {
  return (
    <>
      <div role="status" aria-live="polite">
        {ok ? <p className="rounded-md border-2 border-green-300 bg-green-50 px-3 py-2 font-semibold text-green-900">{ok}</p> : null}
      </div>
      <div role="alert" className={problem ? "rounded-md border-2 border-red-300 bg-red-50 px-3 py-2 font-semibold text-red-900" : "sr-only"}>
        {problem ?? ""}
      </div>
    </>
  );
}
