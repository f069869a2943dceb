import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { connection } from "next/server";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Traceline", template: "%s · Traceline" },
  description: "Shop-floor inventory and traceability",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

/**
 * Every page is rendered per request (connection()): its Content-Security-Policy carries a fresh nonce (proxy.ts) that
 * Next puts on its own scripts, which a page prerendered at build time could not have.
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body className="min-h-dvh bg-slate-100 font-sans text-slate-900 antialiased">{children}</body>
    </html>
  );
}
