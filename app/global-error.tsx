"use client";

import "./globals.css";
import { ErrorScreen } from "@/components/errors/error-screen";

/** The root layout itself failed: the same screen, in its own document. */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-dvh bg-slate-100 font-sans text-slate-900 antialiased">
        <ErrorScreen error={error} reset={reset} />
      </body>
    </html>
  );
}
