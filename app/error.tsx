"use client";

import { useLocale } from "next-intl";
import { ErrorScreen } from "@/components/errors/error-screen";

/** Any page that failed to render: the reference (correlation id) and a retry, never the error's text or stack. */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const locale = useLocale();
  return <ErrorScreen error={error} reset={reset} locale={locale} />;
}
