import { describe, expect, it } from "vitest";
import { encode } from "next-auth/jwt";
import { decodeSessionToken } from "./session-token";

const salt = "authjs.session-token";
const secret = "a-test-secret-of-enough-length-for-the-jwe-key-0123456789";

describe("session token decryption (kept for a minute per token string)", () => {
  it("answers the same payload again, and never for an altered, foreign or expired token", async () => {
    const token = await encode({ salt, secret, token: { sub: "u1", userId: "u1" }, maxAge: 3600 });
    const first = await decodeSessionToken({ salt, secret, token });
    expect(first).toMatchObject({ sub: "u1", userId: "u1" });
    expect(await decodeSessionToken({ salt, secret, token })).toEqual(first);

    // one character changed: not the kept entry, and the decryption refuses it
    const altered = token.slice(0, -2) + (token.at(-2) === "A" ? "B" : "A") + token.at(-1);
    await expect(decodeSessionToken({ salt, secret, token: altered })).rejects.toThrow();
    // the same token under another cookie name (salt) is a different key
    await expect(decodeSessionToken({ salt: "other", secret, token })).rejects.toThrow();
    expect(await decodeSessionToken({ salt, secret, token: "" })).toBeNull();

    // an expired token is refused by the decryption, and so never kept
    const expired = await encode({ salt, secret, token: { sub: "u2" }, maxAge: -60 });
    await expect(decodeSessionToken({ salt, secret, token: expired })).rejects.toThrow();
  });
});
