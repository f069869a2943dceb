import { describe, expect, it } from "vitest";
import { encode } from "next-auth/jwt";
import { claimsFromCookies, sessionTokenOf } from "./session-cookie";

const secret = "a-test-secret-of-enough-length-for-the-jwe-key-0123456789";
const NOW = Date.UTC(2026, 10, 25, 9, 0, 0);
const claims = {
  userId: "11111111-1111-4111-8111-111111111111",
  sessionId: "22222222-2222-4222-8222-222222222222",
  sessionVersion: 1,
  activeSiteId: "33333333-3333-4333-8333-333333333333",
  method: "badge" as const,
  signedInAt: NOW - 60_000,
};
const token = (salt: string, extra: Record<string, unknown> = {}, maxAge = 3600) =>
  encode({ salt, secret, token: { sub: claims.userId, name: "Operator", ...claims, ...extra }, maxAge });

describe("the session read from the cookie (what auth() answers, without re-encrypting the cookie)", () => {
  it("reads the claims of a valid token under either cookie name", async () => {
    for (const name of ["authjs.session-token", "__Secure-authjs.session-token"]) {
      const value = await token(name);
      expect(await claimsFromCookies([{ name: "other", value: "x" }, { name, value }], secret, NOW)).toEqual(claims);
    }
  });

  it("joins a chunked token in the order of its chunks", async () => {
    const value = await token("authjs.session-token");
    const third = Math.ceil(value.length / 3);
    const parts = [value.slice(0, third), value.slice(third, 2 * third), value.slice(2 * third)];
    const jar = [2, 0, 1].map((i) => ({ name: `authjs.session-token.${i}`, value: parts[i]! }));
    expect(sessionTokenOf(jar)).toEqual({ salt: "authjs.session-token", token: value });
    expect(await claimsFromCookies(jar, secret, NOW)).toEqual(claims);
  });

  it("answers no session for a missing, altered, foreign-secret, renamed or expired token, or a sign-in past its lifetime", async () => {
    const value = await token("authjs.session-token");
    expect(await claimsFromCookies([], secret, NOW)).toBeNull();
    const altered = value.slice(0, -3) + (value.at(-3) === "A" ? "B" : "A") + value.slice(-2);
    expect(await claimsFromCookies([{ name: "authjs.session-token", value: altered }], secret, NOW)).toBeNull();
    expect(await claimsFromCookies([{ name: "authjs.session-token", value }], `${secret}-other`, NOW)).toBeNull();
    // issued under one cookie name, presented under the other: the name is the key's salt
    expect(await claimsFromCookies([{ name: "__Secure-authjs.session-token", value }], secret, NOW)).toBeNull();
    const expired = await token("authjs.session-token", {}, -60);
    expect(await claimsFromCookies([{ name: "authjs.session-token", value: expired }], secret, NOW)).toBeNull();
    // a badge sign-in ends 8 h after it began, whatever the token's own expiry
    expect(await claimsFromCookies([{ name: "authjs.session-token", value }], secret, claims.signedInAt + 8 * 3_600_000)).toBeNull();
    // a token without the claims (e.g. another app's next-auth token) is no session
    const bare = await encode({ salt: "authjs.session-token", secret, token: { sub: claims.userId }, maxAge: 3600 });
    expect(await claimsFromCookies([{ name: "authjs.session-token", value: bare }], secret, NOW)).toBeNull();
  });
});
