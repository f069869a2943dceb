import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { useTestDatabase } from "@/db/testing/test-database";
import { DEMO_ERP_API_KEY } from "@/db/seed/demo-erp-messages";
import { config, proxy } from "@/proxy";
import { API_CSP, pageCsp } from "./security-headers";

/**
 * The security headers, on a page (proxy.ts), an API route (tRPC, next-auth) and the ERP endpoint: a strict CSP (with a
 * fresh nonce on pages), no framing, nosniff, Referrer-Policy, Permissions-Policy, and HSTS only over https.
 * (e2e/sign-in.spec.ts checks in Chromium that pages still hydrate under this policy.)
 */

const t = useTestDatabase("demo");
const saved = { ...process.env };
let routes: { erp: (r: Request) => Promise<Response>; trpc: (r: Request) => Promise<Response>; auth: (r: Request) => Promise<Response> };

beforeAll(async () => {
  process.env.DATABASE_URL = t.url;
  process.env.TRACELINE_DEMO = "0";
  process.env.AUTH_SECRET = "test-only-secret-0123456789-abcdefghijklmnop";
  routes = {
    erp: (await import("@/app/api/erp/v1/messages/route")).POST,
    trpc: (await import("@/app/api/trpc/[trpc]/route")).GET,
    auth: (await import("@/app/api/auth/[...nextauth]/route")).GET,
  };
});

afterAll(async () => {
  const { getDatabase } = await import("@/db/app-database");
  await (await getDatabase()).close();
  process.env = saved;
});

function expectCommon(h: Headers, https: boolean) {
  expect(h.get("x-frame-options")).toBe("DENY");
  expect(h.get("x-content-type-options")).toBe("nosniff");
  expect(h.get("referrer-policy")).toBe("same-origin");
  expect(h.get("permissions-policy")).toMatch(/camera=\(\), microphone=\(\), geolocation=\(\)/);
  expect(h.get("strict-transport-security")).toBe(https ? "max-age=31536000" : null);
}

describe("a page (proxy.ts)", () => {
  it("gets a CSP with a fresh nonce per answer, handed to Next's rendering in the request, and the other headers", () => {
    const first = proxy(new NextRequest("http://127.0.0.1:3000/station"));
    const second = proxy(new NextRequest("http://127.0.0.1:3000/station"));
    const csp = first.headers.get("content-security-policy")!;
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(second.headers.get("content-security-policy")).not.toContain(nonce);
    expect(csp).toBe(pageCsp(nonce!, { https: false, dev: false }));
    expect(csp).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    expect(csp).not.toContain("upgrade-insecure-requests");
    // Next reads the nonce from the request's CSP header while rendering (the proxy overrides the request headers).
    expect(first.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    expectCommon(first.headers, false);
  });

  it("adds HSTS and upgrade-insecure-requests over https, and HSTS can be turned off", () => {
    const https = proxy(new NextRequest("http://127.0.0.1:3000/", { headers: { "x-forwarded-proto": "https" } }));
    expectCommon(https.headers, true);
    expect(https.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
    process.env.TRACELINE_HSTS_MAX_AGE = "0";
    try {
      expect(proxy(new NextRequest("https://traceline.plant.example/")).headers.get("strict-transport-security")).toBeNull();
    } finally {
      delete process.env.TRACELINE_HSTS_MAX_AGE;
    }
  });

  it("runs on pages and not on the API or Next's static files", () => {
    const matches = (url: string, headers: Record<string, string> = {}) => unstable_doesMiddlewareMatch({ config, url, headers });
    expect(matches("/")).toBe(true);
    expect(matches("/station/7f0c4a3e-0000-4000-8000-000000000000")).toBe(true);
    expect(matches("/sign-in")).toBe(true);
    expect(matches("/api/erp/v1/messages")).toBe(false);
    expect(matches("/api/trpc/session.me")).toBe(false);
    expect(matches("/_next/static/chunks/main.js")).toBe(false);
  });
});

describe("API routes (server/api/route-answers.ts)", () => {
  it("the ERP endpoint answers with a data-only CSP, no framing, nosniff and a correlation id", async () => {
    const res = await routes.erp(new Request("http://127.0.0.1/api/erp/v1/messages", { method: "POST", body: "[]", headers: { authorization: `Bearer ${DEMO_ERP_API_KEY}`, "content-type": "application/json" } }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toBe(API_CSP);
    expect(res.headers.get("x-correlation-id")).toMatch(/^[0-9a-f]{16}$/);
    expectCommon(res.headers, false);
    const https = await routes.erp(new Request("https://traceline.plant.example/api/erp/v1/messages", { method: "POST", body: "[]", headers: { authorization: "Bearer nope" } }));
    expect(https.status).toBe(401);
    expectCommon(https.headers, true);
  });

  it("tRPC and next-auth answer with the same headers, refusals and all", async () => {
    for (const res of [
      await routes.trpc(new Request("http://127.0.0.1/api/trpc/no.such.procedure")),
      await routes.auth(new Request("http://127.0.0.1/api/auth/csrf", { headers: { host: "127.0.0.1" } })),
    ]) {
      expect(res.headers.get("content-security-policy")).toBe(API_CSP);
      expectCommon(res.headers, false);
    }
  });
});
