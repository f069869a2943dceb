import { NextResponse, type NextRequest } from "next/server";
import { commonSecurityHeaders, hstsMaxAge, newNonce, pageCsp, servedOverHttps } from "@/server/api/security-headers";

/**
 * Security headers of every page (Next 16 Proxy, Node.js runtime): a Content-Security-Policy with a fresh nonce per
 * answer, which Next reads from the request's own CSP header and puts on its scripts (framework, page chunks, inline
 * data), so that the pages hydrate while no other script runs; no framing, nosniff, Referrer-Policy, Permissions-Policy,
 * HSTS over https (TRACELINE_HSTS_MAX_AGE). API routes set the same headers themselves (server/api/route-answers.ts)
 * and are not matched here, so their bodies (ERP documents up to 10 MB) are never buffered by the proxy.
 */
export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const https = servedOverHttps(request);
  const csp = pageCsp(nonce, { https, dev: process.env.NODE_ENV === "development" });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  for (const [name, value] of Object.entries(commonSecurityHeaders({ https, hstsMaxAge: hstsMaxAge() }))) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: not the API (its own headers), not Next's static files (headers from next.config.js).
      source: "/((?!api/|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
