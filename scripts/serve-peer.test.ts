import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientKeyFromHeaders } from "@/server/auth/client-key";
import { bindHostFrom, portFrom, stampPeer } from "./serve-peer.mjs";

/**
 * scripts/serve.mjs's stamping over a real socket: whatever headers a client sends (a forged X-Forwarded-For, a forged
 * peer header), the app sees the socket's address.
 */
let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    stampPeer(req);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    res.end(clientKeyFromHeaders(headers, { stamped: true }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function get(headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: "/", headers }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve(body));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the peer address stamped by the server", () => {
  it("is the socket's, whatever the client claims", async () => {
    expect(await get({})).toBe("127.0.0.1");
    expect(await get({ "x-forwarded-for": "203.0.113.50" })).toBe("127.0.0.1");
    expect(await get({ "x-traceline-peer": "203.0.113.51", "x-real-ip": "203.0.113.52" })).toBe("127.0.0.1");
  });
});

describe("where the server listens", () => {
  it("is 127.0.0.1 unless TRACELINE_HOST or HOST says otherwise", () => {
    expect(bindHostFrom({})).toBe("127.0.0.1");
    expect(bindHostFrom({ HOST: "0.0.0.0" })).toBe("0.0.0.0");
    expect(bindHostFrom({ HOST: "0.0.0.0", TRACELINE_HOST: "10.1.2.3" })).toBe("10.1.2.3");
    expect(bindHostFrom({ HOST: "  " })).toBe("127.0.0.1");
    expect(portFrom({})).toBe(3000);
    expect(portFrom({ PORT: "41234" })).toBe(41234);
    expect(() => portFrom({ PORT: "http" })).toThrow(/PORT must be a port number/);
  });
});
