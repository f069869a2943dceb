import { describe, expect, it } from "vitest";
import { decodeSignInRefusal, encodeSignInRefusal, GENERIC_SIGN_IN_FAILURE, SIGN_IN_UNAVAILABLE } from "./sign-in-errors";
import { clientKeyFromHeaders } from "./client-key";
import { readClaims } from "./claims";

describe("a refused sign-in, as it travels to the sign-in form", () => {
  it("comes back with its code and operator words, through the URL next-auth builds", () => {
    const code = encodeSignInRefusal({ code: "SIGN_IN_THROTTLED", message: "Too many failed attempts. Try again in 7 minutes." });
    // next-auth puts it in ?code=..., the browser reads it with URLSearchParams.
    const url = new URL(`http://localhost/sign-in?${new URLSearchParams({ error: "CredentialsSignin", code })}`);
    expect(decodeSignInRefusal(url.searchParams.get("error") ?? undefined, url.searchParams.get("code") ?? undefined)).toEqual({
      code: "SIGN_IN_THROTTLED",
      message: "Too many failed attempts. Try again in 7 minutes.",
    });
  });
  it("falls back to generic words for next-auth's own code or an unknown one", () => {
    expect(decodeSignInRefusal("CredentialsSignin", "credentials")).toEqual({ code: "SIGN_IN_FAILED", message: GENERIC_SIGN_IN_FAILURE });
    expect(decodeSignInRefusal("CredentialsSignin", "HACKED:you have been pwned")).toEqual({ code: "SIGN_IN_FAILED", message: GENERIC_SIGN_IN_FAILURE });
    expect(decodeSignInRefusal("CredentialsSignin", undefined)).toEqual({ code: "SIGN_IN_FAILED", message: GENERIC_SIGN_IN_FAILURE });
  });
  it("carries the reference of a failure the server logged (UNAVAILABLE with its correlation id)", () => {
    const code = encodeSignInRefusal({ code: "UNAVAILABLE", message: `The database did not answer. ${SIGN_IN_UNAVAILABLE} Reference: 0123456789abcdef.` });
    expect(decodeSignInRefusal("CredentialsSignin", code)).toEqual({ code: "UNAVAILABLE", message: expect.stringMatching(/Reference: 0123456789abcdef\.$/) });
  });
  it("says sign-in is unavailable when the server failed", () => {
    expect(decodeSignInRefusal("Configuration", undefined)).toEqual({ code: "UNAVAILABLE", message: SIGN_IN_UNAVAILABLE });
  });
});

describe("client key", () => {
  it("takes the address the nearest proxy saw, then X-Real-IP, then local", () => {
    expect(clientKeyFromHeaders(new Headers({ "x-forwarded-for": "203.0.113.9, 10.0.0.7" }))).toBe("10.0.0.7");
    expect(clientKeyFromHeaders(new Headers({ "x-forwarded-for": "198.51.100.2" }))).toBe("198.51.100.2");
    expect(clientKeyFromHeaders(new Headers({ "x-real-ip": "192.0.2.1" }))).toBe("192.0.2.1");
    expect(clientKeyFromHeaders(new Headers())).toBe("local");
    expect(clientKeyFromHeaders(new Headers({ "x-forwarded-for": " , " }))).toBe("local");
    expect(clientKeyFromHeaders(new Headers({ "x-forwarded-for": "x".repeat(500) })).length).toBe(100);
  });
});

describe("session claims", () => {
  const good = { userId: "0b5c1c6e-8f0e-4c1b-9a57-2f1d2f6f8e11", sessionId: "4e0f3b1a-2c5d-4a8e-9b7f-1d2c3e4f5a6b", sessionVersion: 3, activeSiteId: null, method: "badge", signedInAt: 1_700_000_000_000 };
  it("reads well-formed claims and ignores the rest of a token", () => {
    expect(readClaims({ ...good, sub: "x", iat: 1, jti: "y" })).toMatchObject(good);
  });
  it.each([
    ["missing user", { ...good, userId: undefined }],
    ["malformed user", { ...good, userId: "admin" }],
    ["a token from before sessions were kept (no session id)", { ...good, sessionId: undefined }],
    ["unknown method", { ...good, method: "sso" }],
    ["fractional version", { ...good, sessionVersion: 1.5 }],
    ["nothing", null],
  ])("refuses %s", (_name, value) => {
    expect(readClaims(value)).toBeNull();
  });
});
