"use client";

import { useEffect, useState } from "react";
import { signOut } from "next-auth/react";
import { useTranslations } from "next-intl";

/** Ends the session and goes to the sign-in page. Disabled until the page is interactive and while signing out. */
export function SignOutButton({ className }: { className?: string }) {
  const t = useTranslations("shell");
  const [ready, setReady] = useState(false);
  const [pending, setPending] = useState(false);
  useEffect(() => setReady(true), []);

  async function onClick() {
    setPending(true);
    try {
      await signOut({ redirect: false });
    } finally {
      // Even if the request failed, the sign-in page is where the person should land (it shows whether they are out).
      window.location.assign("/sign-in");
    }
  }

  return (
    <button
      type="button"
      onClick={onClick}
      disabled={!ready || pending}
      className={
        className ??
        "min-h-11 rounded-md border-2 border-slate-300 bg-white px-4 py-2 text-base font-semibold text-slate-800 " +
          "hover:bg-slate-100 focus-visible:outline-none focus-visible:ring-4 focus-visible:ring-blue-300 disabled:opacity-50"
      }
    >
      {pending ? t("signingOut") : t("signOut")}
    </button>
  );
}
