import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { connection } from "next/server";
import { NextIntlClientProvider } from "next-intl";
import { getLocale } from "next-intl/server";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Traceline", template: "%s · Traceline" },
  description: "Shop-floor inventory and traceability",
  // public/: the tab icon (every browser asks for /favicon.ico), and the web app manifest with which a tablet adds the
  // station to its home screen.
  icons: { icon: [{ url: "/favicon.ico", sizes: "16x16 32x32" }, { url: "/icon-192.png", sizes: "192x192", type: "image/png" }], apple: "/icon-192.png" },
  manifest: "/manifest.webmanifest",
  applicationName: "Traceline",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#1e3a8a" };

/**
 * Every page is rendered per request (connection()): its Content-Security-Policy carries a fresh nonce (proxy.ts) that
 * Next puts on its own scripts, which a page prerendered at build time could not have. The language (i18n/request.ts:
 * the user's, else the site's default, else the browser's before sign-in) is the page's `lang` and reaches the client
 * islands through NextIntlClientProvider (docs/I18N.md).
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  const locale = await getLocale();
  return (
    <html lang={locale}>
      <body className="min-h-dvh bg-slate-100 font-sans text-slate-900 antialiased">
        <NextIntlClientProvider>{children}</NextIntlClientProvider>
      </body>
    </html>
  );
}
