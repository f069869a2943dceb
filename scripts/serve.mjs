// @ts-check
// The production server (`npm start`, `npm run demo`): Next's request handler behind a plain Node HTTP server that
// (1) listens on 127.0.0.1 unless TRACELINE_HOST or HOST says otherwise, and (2) hands the app the socket's peer
// address in a header no client can set (scripts/serve-peer.mjs), so throttling and the audit log see the real client
// (server/auth/client-key.ts; behind a proxy listed in TRACELINE_TRUSTED_PROXIES, the address that proxy saw).
import { createServer } from "node:http";
import next from "next";
import { bindHostFrom, PEER_STAMPED, portFrom, stampPeer } from "./serve-peer.mjs";

const host = bindHostFrom(process.env);
const port = portFrom(process.env);
// Read by the app at start-up (instrumentation.ts) to warn when demo credentials are reachable from other machines.
process.env.TRACELINE_BIND_HOST = host;
Object.defineProperty(globalThis, PEER_STAMPED, { value: true, configurable: false, writable: false });

const app = next({ dev: false, hostname: host, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  stampPeer(req);
  void handle(req, res);
});
server.listen(port, host, () => {
  const shown = host.includes(":") ? `[${host}]` : host;
  console.log(`Traceline listening on http://${shown}:${port}`);
});

for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
  process.once(signal, () => {
    server.close();
    // process.exit runs the exit handlers (the embedded database's lock file is released there).
    process.exit(0);
  });
}
