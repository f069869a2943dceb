"use client";

import { useEffect, useState } from "react";
import enErrors from "@/messages/en/errors.json";
import frErrors from "@/messages/fr/errors.json";
import type { Locale } from "@/i18n/locales";

const WORDS: Record<Locale, typeof enErrors> = { en: enErrors, fr: frErrors };

/**
 * What a page shows when rendering it failed on the server or in the browser: words for people, the reference that
 * ties it to the server's log line (Next's error digest, which is the request's correlation id for failures of the
 * API the page called), and a way out. Never the error's message or stack.
 */
export function ErrorScreen({ error, reset, locale = "en" }: { error: Error & { digest?: string }; reset?: () => void; locale?: Locale }) {
  // the `errors` catalog read directly: the root layout's provider may be what failed (app/global-error.tsx)
  const w = WORDS[locale] ?? enErrors;
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const reference = typeof error.digest === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(error.digest) ? error.digest : null;
  return (
    <main className="mx-auto flex min-h-dvh w-full max-w-2xl flex-col justify-center px-4 py-10">
      <div role="alert" className="rounded-lg border-2 border-red-700 bg-red-50 p-6 text-red-950">
        <h1 className="text-3xl font-bold">{w.pageTitle}</h1>
        <p className="mt-3 text-lg">{w.pageBody}</p>
        <p className="mt-2 text-lg">{reference ? w.pageTryAgainWithReference : w.pageTryAgain}</p>
        {reference ? (
          <p className="mt-4 text-lg">
            {w.referenceLabel} <span className="font-mono font-semibold" data-testid="error-reference">{reference}</span>
          </p>
        ) : null}
        <div className="mt-6 flex flex-wrap gap-3">
          {reset ? (
            <button
              type="button"
              onClick={() => reset()}
              disabled={!ready}
              className="min-h-11 rounded-md bg-red-800 px-4 py-2 text-base font-semibold text-white hover:bg-red-900 disabled:opacity-50"
            >
              {w.tryAgain}
            </button>
          ) : null}
          <a href="/" className="min-h-11 rounded-md border-2 border-red-300 bg-white px-4 py-2 text-base font-semibold text-red-900">
            {w.home}
          </a>
        </div>
      </div>
    </main>
  );
}
