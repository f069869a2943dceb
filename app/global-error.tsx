"use client";

import "./globals.css";
import { useEffect, useState } from "react";
import { ErrorScreen } from "@/components/errors/error-screen";
import { localeFromAcceptLanguage, type Locale } from "@/i18n/locales";

/** The root layout itself failed: the same screen, in its own document. */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  // no provider here (the root layout failed): the browser's languages choose, as on the sign-in page
  const [locale, setLocale] = useState<Locale>("en");
  useEffect(() => setLocale(localeFromAcceptLanguage(navigator.languages.join(","))), []);
  return (
    <html lang={locale}>
      <body className="min-h-dvh bg-slate-100 font-sans text-slate-900 antialiased">
        <ErrorScreen error={error} reset={reset} locale={locale} />
      </body>
    </html>
  );
}
