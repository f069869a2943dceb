// @ts-check
// Helpers of scripts/serve.mjs (the server `npm start` runs), kept apart so that tests can load them without Next.

/** The request header that carries the socket's peer address to the app; any value a client sends is replaced. */
export const PEER_HEADER = "x-traceline-peer";

/** Set on globalThis by scripts/serve.mjs: the app may then trust PEER_HEADER (server/auth/client-key.ts). */
export const PEER_STAMPED = Symbol.for("traceline.peerStamped");

/** "::ffff:10.0.0.7" (IPv4 on a dual-stack socket) is 10.0.0.7; anything else as it is. */
export function normalizePeer(address) {
  if (typeof address !== "string" || address.length === 0) return "unknown";
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

/**
 * Write the socket's peer address into the request's headers before Next sees it, replacing whatever the client sent
 * under that name (Node's headers object is what Next builds the request from).
 * @param {import("node:http").IncomingMessage} req
 */
export function stampPeer(req) {
  req.headers[PEER_HEADER] = normalizePeer(req.socket.remoteAddress);
}

/**
 * The address to listen on: TRACELINE_HOST, else HOST, else 127.0.0.1 (this machine only). Listening on all interfaces
 * ("0.0.0.0", "::") or a LAN address is a decision to say so.
 * @param {Record<string, string | undefined>} env
 */
export function bindHostFrom(env) {
  return (env.TRACELINE_HOST ?? env.HOST ?? "").trim() || "127.0.0.1";
}

/** @param {Record<string, string | undefined>} env */
export function portFrom(env) {
  const raw = (env.PORT ?? "").trim();
  const port = raw ? Number(raw) : 3000;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${raw}".`);
  return port;
}
