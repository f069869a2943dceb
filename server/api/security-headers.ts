/*
 * The security headers of every answer: pages (proxy.ts, with a per-request nonce for Next's scripts) and API routes
 * (server/api/route-answers.ts). No server-only import: proxy.ts loads this too.
 */

/** HSTS max-age in seconds from TRACELINE_HSTS_MAX_AGE (default one year; 0 turns it off). Sent on https answers only. */
export function hstsMaxAge(env: Record<string, string | undefined> = process.env): number {
  const raw = env.TRACELINE_HSTS_MAX_AGE?.trim();
  if (!raw) return 31_536_000;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : 31_536_000;
}

/** Whether the browser reached us over https: directly, or through a proxy that says so (X-Forwarded-Proto). */
export function servedOverHttps(req: { url: string; headers: Headers }): boolean {
  const forwarded = req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  if (forwarded) return forwarded === "https";
  try {
    return new URL(req.url).protocol === "https:";
  } catch {
    return false;
  }
}

/** A fresh nonce for one page answer (128 random bits, base64). */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The Content-Security-Policy of a page: scripts only with this answer's nonce (Next puts it on its own scripts and
 * inline data; 'strict-dynamic' lets them load the chunks they need), styles from the app or with the nonce, style
 * attributes allowed (React sets some; they cannot run script), nothing embedded from elsewhere, never framed.
 * In development React needs eval and inline styles for its overlay.
 */
export function pageCsp(nonce: string, opts: { https: boolean; dev: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    opts.dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(opts.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** API answers are data, never documents: nothing may load from them, and they are never framed. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export const PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()";

/** The headers every answer carries, besides its Content-Security-Policy. */
export function commonSecurityHeaders(opts: { https: boolean; hstsMaxAge: number }): Record<string, string> {
  return {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
    ...(opts.https && opts.hstsMaxAge > 0 ? { "Strict-Transport-Security": `max-age=${opts.hstsMaxAge}` } : {}),
  };
}
