import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import { useTestDatabase } from "@/db/testing/test-database";
import { decode } from "next-auth/jwt";
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import type { Role } from "./types";
import { readClaims } from "./claims";
import { resolveSessionActor } from "./actor";
import { decodeSignInRefusal } from "./sign-in-errors";
import { createSite, createUser, unique } from "./testing/users";

/**
 * The real next-auth v5 handlers, as the route mounts them at /api/auth/[...nextauth] (app/api/auth/.../route.ts),
 * against a real database: what the browser's `signIn(provider, { redirect: false })` sends and reads back. Proves the
 * refusal code reaches the browser, the session carries only the claims, a badge session ends 8 hours after sign-in,
 * and that sign-out and idleness end the session on the server: the old cookie, replayed, is refused. The clock is
 * injected (fake Date in the app, `now` in resolveSessionActor), never slept on.
 */

const t = useTestDatabase("demo");
const ORIGIN = "http://127.0.0.1:3000";

let handlers: { GET: (req: NextRequest) => Promise<Response>; POST: (req: NextRequest) => Promise<Response> };
const saved = { ...process.env };

beforeAll(async () => {
  process.env.DATABASE_URL = t.url;
  process.env.TRACELINE_DEMO = "0";
  process.env.AUTH_SECRET = "test-only-secret-0123456789-abcdefghijklmnop";
  handlers = await import("@/app/api/auth/[...nextauth]/route");
});

afterEach(() => {
  vi.useRealTimers();
  delete process.env.TRACELINE_IDLE_MINUTES_FLOOR;
  delete process.env.TRACELINE_IDLE_MINUTES_OFFICE;
});

afterAll(async () => {
  const { getDatabase } = await import("@/db/app-database");
  await (await getDatabase()).close();
  process.env = saved;
});

class Browser {
  cookies = new Map<string, string>();
  /** Headers the client adds to every request (e.g. a forged X-Forwarded-For). */
  extra: Record<string, string> = {};
  constructor(readonly ip: string) {}

  private headers(extra: Record<string, string> = {}) {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    return { "x-forwarded-for": this.ip, host: "127.0.0.1:3000", ...(cookie ? { cookie } : {}), ...this.extra, ...extra };
  }

  private keep(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(";");
      const [name, ...rest] = pair!.split("=");
      const expired = attrs.some((a) => /^\s*expires=thu, 01 jan 1970/i.test(a)) || attrs.some((a) => /^\s*max-age=0\b/i.test(a));
      if (expired) this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), rest.join("="));
    }
  }

  async get(path: string) {
    const res = await handlers.GET(new NextRequest(`${ORIGIN}${path}`, { headers: this.headers() }));
    this.keep(res);
    return res;
  }

  async post(path: string, body: Record<string, string>) {
    const res = await handlers.POST(
      new NextRequest(`${ORIGIN}${path}`, {
        method: "POST",
        headers: this.headers({ "content-type": "application/x-www-form-urlencoded", "x-auth-return-redirect": "1" }),
        body: new URLSearchParams(body).toString(),
      }),
    );
    this.keep(res);
    return res;
  }

  /** What next-auth/react's signIn(provider, { redirect: false, ...credentials }) does. */
  async signIn(provider: "badge" | "password", credentials: Record<string, string>) {
    const { csrfToken } = (await (await this.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const res = await this.post(`/api/auth/callback/${provider}`, { ...credentials, csrfToken, callbackUrl: `${ORIGIN}/` });
    const { url } = (await res.json()) as { url: string };
    const params = new URL(url).searchParams;
    return { status: res.status, url, error: params.get("error") ?? undefined, code: params.get("code") ?? undefined };
  }

  async session() {
    return (await (await this.get("/api/auth/session")).json()) as Record<string, unknown> | null;
  }
}

async function person(role: Role = "operator") {
  const site = await createSite(t.db);
  const creds = { badgeId: unique("B"), pin: "8080", username: unique("office"), password: "office pass 1" };
  const user = await createUser(t.db, { displayName: "Mia Chen", ...creds, roles: [{ siteId: site.id, role }] });
  return { site, user, creds };
}

/** The claims inside a browser's session cookie, decrypted as the app does. */
async function cookieClaims(browser: Browser) {
  const [name, value] = [...browser.cookies].find(([k]) => /authjs\.session-token$/.test(k)) ?? [];
  if (!name || !value) return null;
  return readClaims(await decode({ token: value, salt: name, secret: process.env.AUTH_SECRET! }));
}

/** Someone who copied the cookies (a shared tablet's, a stolen one) and replays them later. */
function copyOf(browser: Browser): Browser {
  const replay = new Browser(unique("10.66"));
  for (const [k, v] of browser.cookies) replay.cookies.set(k, v);
  return replay;
}

describe("next-auth handlers", () => {
  it("signs in with badge and PIN and keeps only the claims in the session", async () => {
    const { site, user, creds } = await person();
    const browser = new Browser(unique("10.2"));
    const result = await browser.signIn("badge", { badgeId: creds.badgeId, pin: creds.pin });
    expect(result.error).toBeUndefined();
    // (next-auth's URLs say localhost whatever the host: the form navigates to "/" itself.)
    expect(new URL(result.url).pathname).toBe("/");

    const session = await browser.session();
    expect(session).toMatchObject({
      user: { name: "Mia Chen" },
      claims: { userId: user.id, sessionVersion: 1, activeSiteId: site.id, method: "badge" },
    });
    const claims = session!.claims as { signedInAt: number };
    // The session says when it really ends: 8 hours after a badge sign-in.
    expect(Date.parse(session!.expires as string)).toBe(claims.signedInAt + 8 * 3_600_000);
    expect(JSON.stringify(session)).not.toMatch(/hash|pin|email/i);
  });

  it("brings the operator-words refusal to the browser: wrong PIN, then throttled with minutes", async () => {
    const { creds } = await person();
    const browser = new Browser(unique("10.3"));
    const wrong = await browser.signIn("badge", { badgeId: creds.badgeId, pin: "0000" });
    expect(wrong.error).toBe("CredentialsSignin");
    expect(decodeSignInRefusal(wrong.error, wrong.code)).toEqual({ code: "SIGN_IN_FAILED", message: "Badge or PIN is wrong." });
    expect(await browser.session()).toBeNull();

    for (let i = 0; i < 3; i++) await browser.signIn("badge", { badgeId: creds.badgeId, pin: "0000" });
    const locked = await browser.signIn("badge", { badgeId: creds.badgeId, pin: "0000" });
    expect(decodeSignInRefusal(locked.error, locked.code)).toEqual({
      code: "SIGN_IN_THROTTLED",
      message: "Too many failed attempts. Try again in 15 minutes.",
    });
    const evenRight = await browser.signIn("badge", { badgeId: creds.badgeId, pin: creds.pin });
    expect(decodeSignInRefusal(evenRight.error, evenRight.code).code).toBe("SIGN_IN_THROTTLED");
    expect(await browser.session()).toBeNull();
  });

  it("words the refusal in the sign-in page's language (the browser's Accept-Language): French, the same codes", async () => {
    const { creds } = await person();
    const browser = new Browser(unique("10.31"));
    browser.extra = { "accept-language": "fr-FR,fr;q=0.9,en;q=0.5" };
    const wrong = await browser.signIn("badge", { badgeId: creds.badgeId, pin: "0000" });
    expect(decodeSignInRefusal(wrong.error, wrong.code)).toEqual({ code: "SIGN_IN_FAILED", message: "Badge ou code PIN incorrect." });
    const empty = await browser.signIn("password", { username: creds.username, password: "" });
    expect(decodeSignInRefusal(empty.error, empty.code)).toEqual({ code: "VALIDATION_FAILED", message: "Saisissez votre identifiant et votre mot de passe." });
    for (let i = 0; i < 3; i++) await browser.signIn("badge", { badgeId: creds.badgeId, pin: "0000" });
    const locked = await browser.signIn("badge", { badgeId: creds.badgeId, pin: "0000" });
    expect(decodeSignInRefusal(locked.error, locked.code)).toEqual({ code: "SIGN_IN_THROTTLED", message: "Trop de tentatives échouées. Réessayez dans 15 minutes." });
  });

  it("refuses credentials the database cannot store before any query, naming the field, with operator words", async () => {
    const browser = new Browser(unique("10.12"));
    const nul = await browser.signIn("badge", { badgeId: "B1\u0000", pin: "1234" });
    expect(decodeSignInRefusal(nul.error, nul.code)).toEqual({
      code: "VALIDATION_FAILED",
      message: 'The field "badgeId" contains a NUL character, which cannot be stored. Remove it and try again.',
    });
    // (A lone surrogate cannot reach the server in a form post: the browser's UTF-8 encoding makes it U+FFFD.)
    const office = await browser.signIn("password", { username: "x\u0000y", password: "p" });
    expect(decodeSignInRefusal(office.error, office.code).message).toMatch(/^The field "username" contains a NUL character/);
  });

  it("signs in an office user with the password provider, for 12 hours", async () => {
    const { creds } = await person();
    const browser = new Browser(unique("10.4"));
    expect((await browser.signIn("password", { username: creds.username, password: creds.password })).error).toBeUndefined();
    const session = await browser.session();
    const claims = session!.claims as { signedInAt: number; method: string };
    expect(claims.method).toBe("password");
    expect(Date.parse(session!.expires as string)).toBe(claims.signedInAt + 12 * 3_600_000);
  });

  it("ends a badge session 8 hours after sign-in and an office session 12 hours after, whatever the activity", async () => {
    // Long idle limits here: this is about the lifetime (idle timeouts have their own tests below).
    process.env.TRACELINE_IDLE_MINUTES_FLOOR = "600";
    process.env.TRACELINE_IDLE_MINUTES_OFFICE = "600";
    const { creds } = await person();
    const badge = new Browser(unique("10.6"));
    const office = new Browser(unique("10.7"));
    await badge.signIn("badge", { badgeId: creds.badgeId, pin: creds.pin });
    await office.signIn("password", { username: creds.username, password: creds.password });
    const start = Date.now();
    vi.useFakeTimers({ toFake: ["Date"], now: start + 4 * 3_600_000 });
    // Activity in between refreshes the cookie but not the end.
    expect(await badge.session()).not.toBeNull();
    vi.setSystemTime(start + 8 * 3_600_000 - 60_000);
    expect(await badge.session()).not.toBeNull();
    vi.setSystemTime(start + 8 * 3_600_000 + 1_000);
    expect(await badge.session()).toBeNull();
    expect(await office.session()).not.toBeNull();
    vi.setSystemTime(start + 12 * 3_600_000 + 1_000);
    expect(await office.session()).toBeNull();
  });

  it("ends the session on the server at sign-out: the old cookie, replayed, is refused everywhere, and the sign-out is audited", async () => {
    const { user, creds } = await person();
    const browser = new Browser(unique("10.8"));
    await browser.signIn("badge", { badgeId: creds.badgeId, pin: creds.pin });
    const replay = copyOf(browser);
    const claims = (await cookieClaims(browser))!;
    expect(claims).toMatchObject({ userId: user.id, sessionId: expect.any(String) });
    expect(await resolveSessionActor(t.db, claims, new Date())).not.toBeNull();
    expect(await replay.session()).not.toBeNull();

    const { csrfToken } = (await (await browser.get("/api/auth/csrf")).json()) as { csrfToken: string };
    await browser.post("/api/auth/signout", { csrfToken, callbackUrl: `${ORIGIN}/sign-in` });
    expect(await browser.session()).toBeNull();

    // The copied cookie still decrypts (it is a valid token until its lifetime), but the session behind it is over:
    // the per-request actor read (tRPC, pages, exports) and the session endpoint both refuse it.
    expect(await cookieClaims(replay)).toEqual(claims);
    expect(await resolveSessionActor(t.db, claims, new Date())).toBeNull();
    expect(await replay.session()).toBeNull();
    const [row] = await queryRows<{ end_reason: string }>(t.db, sql`select end_reason from user_sessions where id = ${claims.sessionId}::uuid`);
    expect(row).toEqual({ end_reason: "signed_out" });
    const audit = await queryRows<{ action: string }>(t.db, sql`select action from audit_log where entity = 'user' and entity_id = ${user.id} order by id`);
    expect(audit.map((a) => a.action)).toEqual(["sign_in", "sign_out"]);
  });

  it("ends a floor session after 30 minutes without a request (the clock is injected): activity keeps it, the idle cookie is refused", async () => {
    const { creds } = await person("operator");
    const browser = new Browser(unique("10.9"));
    const start = Date.now();
    vi.useFakeTimers({ toFake: ["Date"], now: start });
    await browser.signIn("badge", { badgeId: creds.badgeId, pin: creds.pin });
    const replay = copyOf(browser);
    const claims = (await cookieClaims(browser))!;
    const at = (minutes: number) => new Date(start + minutes * 60_000);
    vi.setSystemTime(at(20));
    expect(await browser.session()).not.toBeNull(); // a request at +20 min: activity
    vi.setSystemTime(at(49));
    expect(await browser.session()).not.toBeNull(); // 29 minutes after the last request
    // The per-request read itself, at injected times: +78 is 29 minutes after +49 (live, and counts as activity)...
    expect(await resolveSessionActor(t.db, claims, at(78))).not.toBeNull();
    // ...and +109 is 31 minutes after +78: the session is over.
    expect(await resolveSessionActor(t.db, claims, at(78 + 31))).toBeNull();
    vi.setSystemTime(at(78 + 31));
    expect(await replay.session()).toBeNull();
    expect(await browser.session()).toBeNull();
    // Idle is final: a later request does not revive it.
    expect(await resolveSessionActor(t.db, claims, at(78 + 32))).toBeNull();
  });

  it("gives an office role signing in with a password 2 hours of idleness, and TRACELINE_IDLE_MINUTES_* changes both", async () => {
    const { creds } = await person("supervisor");
    const office = new Browser(unique("10.10"));
    await office.signIn("password", { username: creds.username, password: creds.password });
    const claims = (await cookieClaims(office))!;
    const start = Date.now();
    const at = (minutes: number) => new Date(start + minutes * 60_000);
    expect(await resolveSessionActor(t.db, claims, at(61))).not.toBeNull();
    expect(await resolveSessionActor(t.db, claims, at(61 + 119))).not.toBeNull();
    expect(await resolveSessionActor(t.db, claims, at(61 + 119 + 121))).toBeNull();

    process.env.TRACELINE_IDLE_MINUTES_FLOOR = "5";
    const floor = await person("operator");
    const tablet = new Browser(unique("10.11"));
    await tablet.signIn("badge", { badgeId: floor.creds.badgeId, pin: floor.creds.pin });
    const tabletClaims = (await cookieClaims(tablet))!;
    const signedIn = Date.now();
    expect(await resolveSessionActor(t.db, tabletClaims, new Date(signedIn + 4 * 60_000))).not.toBeNull();
    expect(await resolveSessionActor(t.db, tabletClaims, new Date(signedIn + 4 * 60_000 + 6 * 60_000))).toBeNull();
  });

  it("throttles and audits the real peer address under scripts/serve.mjs, whatever X-Forwarded-For a client rotates through", async () => {
    const stamped = Symbol.for("traceline.peerStamped");
    (globalThis as Record<symbol, unknown>)[stamped] = true;
    try {
      const { user, creds } = await person();
      const peer = `203.0.113.${Math.floor(Math.random() * 200) + 20}`;
      // What scripts/serve.mjs hands the app: the socket's address in x-traceline-peer (any client value is replaced).
      const attacker = new Browser("6.6.6.6");
      attacker.extra = { "x-traceline-peer": peer };
      const wrong = await attacker.signIn("badge", { badgeId: creds.badgeId, pin: "0000" });
      expect(decodeSignInRefusal(wrong.error, wrong.code).code).toBe("SIGN_IN_FAILED");
      const [failed] = await queryRows<{ client_key: string }>(t.db, sql`select new_value->>'clientKey' as client_key from audit_log where entity_id = ${user.id} and action = 'sign_in_failed'`);
      expect(failed).toEqual({ client_key: peer });
      // 19 more failures on unknown badges, each with another forged X-Forwarded-For: the device is still one client.
      for (let i = 0; i < 19; i++) {
        attacker.extra = { "x-traceline-peer": peer, "x-forwarded-for": `198.51.100.${i}` };
        await attacker.signIn("badge", { badgeId: unique("GUESS"), pin: "1234" });
      }
      const blocked = await attacker.signIn("badge", { badgeId: creds.badgeId, pin: creds.pin });
      expect(decodeSignInRefusal(blocked.error, blocked.code)).toEqual({ code: "SIGN_IN_THROTTLED", message: "Too many failed attempts on this device. Try again in 15 minutes." });
      const throttled = await queryRows<{ client_key: string }>(t.db, sql`select distinct client_key from sign_in_attempts where client_key like '198.51.100.%' or client_key = ${peer}`);
      expect(throttled).toEqual([{ client_key: peer }]);
    } finally {
      delete (globalThis as Record<symbol, unknown>)[stamped];
    }
  });

  it("ends the session on sign-out", async () => {
    const { creds } = await person();
    const browser = new Browser(unique("10.5"));
    await browser.signIn("badge", { badgeId: creds.badgeId, pin: creds.pin });
    expect(await browser.session()).not.toBeNull();
    const { csrfToken } = (await (await browser.get("/api/auth/csrf")).json()) as { csrfToken: string };
    await browser.post("/api/auth/signout", { csrfToken, callbackUrl: `${ORIGIN}/sign-in` });
    expect(await browser.session()).toBeNull();
  });
});
