/**
 * Which client a request comes from, for per-client sign-in throttling.
 *
 * The right-most X-Forwarded-For entry is the address seen by the nearest proxy (nginx and most load balancers append
 * it), so a client cannot choose it when the app runs behind one proxy; `next start` fills the header with the socket
 * address when it is absent. X-Real-IP is the fallback, then "local". Without a proxy a client can send its own header:
 * the per-account lock still holds whatever the client key is.
 */
export function clientKeyFromHeaders(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for");
  const last = forwarded
    ?.split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .at(-1);
  const candidate = last ?? headers.get("x-real-ip")?.trim();
  return candidate ? normalizeClientKey(candidate) : "local";
}

/** Bounded and printable, whatever a client sent. */
export function normalizeClientKey(key: string): string {
  const cleaned = key.replace(/[^\x21-\x7e]/g, "").slice(0, 100);
  return cleaned.length > 0 ? cleaned : "local";
}
