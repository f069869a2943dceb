import { describe, expect, it } from "vitest";
import { clientAddress, clientKeyFromHeaders, normalizeAddress, parseTrustedProxies, PEER_HEADER } from "./client-key";
import { PEER_HEADER as SERVER_PEER_HEADER } from "@/scripts/serve-peer.mjs";

const none = parseTrustedProxies(undefined);
const proxies = parseTrustedProxies("10.0.0.0/8, 192.168.1.5, ::1, fd00::/8");

describe("the client address", () => {
  it("is the socket's peer when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(clientAddress("203.0.113.7", "1.2.3.4, 5.6.7.8", none)).toBe("203.0.113.7");
    expect(clientAddress("::ffff:203.0.113.7", "1.2.3.4", none)).toBe("203.0.113.7");
  });
  it("is the peer when the peer is not a trusted proxy, even with trusted proxies configured", () => {
    expect(clientAddress("203.0.113.7", "10.0.0.1", proxies)).toBe("203.0.113.7");
  });
  it("behind trusted proxies, is the right-most X-Forwarded-For entry that is not a trusted proxy", () => {
    expect(clientAddress("10.0.0.2", "198.51.100.9", proxies)).toBe("198.51.100.9");
    // The client wrote "6.6.6.6" itself; the proxy appended what it saw (198.51.100.9); a second proxy appended 10.1.1.1.
    expect(clientAddress("10.0.0.2", "6.6.6.6, 198.51.100.9, 10.1.1.1", proxies)).toBe("198.51.100.9");
    expect(clientAddress("::1", "192.168.1.5, 2001:db8::7", proxies)).toBe("2001:db8::7");
    expect(clientAddress("10.0.0.2", "[2001:db8::8]:4711", proxies)).toBe("2001:db8::8");
  });
  it("is the left-most entry when every hop is a trusted proxy, and the proxy itself when there is no header", () => {
    expect(clientAddress("10.0.0.2", "10.9.9.9, 192.168.1.5", proxies)).toBe("10.9.9.9");
    expect(clientAddress("10.0.0.2", null, proxies)).toBe("10.0.0.2");
  });
  it("refuses a malformed TRACELINE_TRUSTED_PROXIES", () => {
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow(/"10.0.0.0\/33" is not an IP address or CIDR range/);
    expect(() => parseTrustedProxies("proxy.local")).toThrow(/TRACELINE_TRUSTED_PROXIES/);
    expect(parseTrustedProxies(" , ").size).toBe(0);
  });
  it("normalizes ports, brackets and IPv4-mapped addresses", () => {
    expect(normalizeAddress("10.0.0.7:5123")).toBe("10.0.0.7");
    expect(normalizeAddress("[::1]:443")).toBe("::1");
    expect(normalizeAddress("::FFFF:10.0.0.7")).toBe("10.0.0.7");
  });
});

describe("clientKeyFromHeaders", () => {
  it("under scripts/serve.mjs uses the stamped peer and ignores a spoofed X-Forwarded-For", () => {
    expect(SERVER_PEER_HEADER).toBe(PEER_HEADER);
    const spoofed = new Headers({ [PEER_HEADER]: "203.0.113.7", "x-forwarded-for": "1.1.1.1", "x-real-ip": "2.2.2.2" });
    expect(clientKeyFromHeaders(spoofed, { stamped: true, trusted: none })).toBe("203.0.113.7");
    expect(clientKeyFromHeaders(new Headers({ [PEER_HEADER]: "10.0.0.2", "x-forwarded-for": "6.6.6.6, 198.51.100.9" }), { stamped: true, trusted: proxies })).toBe("198.51.100.9");
    expect(clientKeyFromHeaders(new Headers({ "x-forwarded-for": "1.1.1.1" }), { stamped: true, trusted: none })).toBe("unknown");
  });
  it("without it (next dev, plain next start) falls back to the right-most X-Forwarded-For, X-Real-IP, local", () => {
    expect(clientKeyFromHeaders(new Headers({ [PEER_HEADER]: "9.9.9.9", "x-forwarded-for": "203.0.113.9, 10.0.0.7" }), { stamped: false })).toBe("10.0.0.7");
    expect(clientKeyFromHeaders(new Headers({ "x-real-ip": "192.0.2.1" }), { stamped: false })).toBe("192.0.2.1");
    expect(clientKeyFromHeaders(new Headers(), { stamped: false })).toBe("local");
  });
});
