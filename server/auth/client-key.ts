import { BlockList, isIP } from "node:net";

/**
 * Which client a request comes from: the key of per-client sign-in throttling and the address the audit log records.
 *
 * Under the server `npm start` runs (scripts/serve.mjs) the socket's peer address arrives in PEER_HEADER, set by that
 * server on every request (a client cannot choose it). That address is the client, unless it is a proxy listed in
 * TRACELINE_TRUSTED_PROXIES (addresses or CIDR ranges, comma-separated): then the client is the right-most
 * X-Forwarded-For entry that is not itself a trusted proxy (what the outermost trusted proxy saw). Entries left of it
 * were written by the client and are never used.
 *
 * Without that server (`next dev`, or `next start` run directly) there is no peer address: the right-most
 * X-Forwarded-For entry (`next start` writes the socket address there when the client sent none), else X-Real-IP, else
 * "local". A client can set those, so production runs `npm start`.
 */
export const PEER_HEADER = "x-traceline-peer";
const PEER_STAMPED = Symbol.for("traceline.peerStamped");

/** True when scripts/serve.mjs runs this process, so PEER_HEADER is the socket's peer address. */
export function peerAddressIsStamped(): boolean {
  return (globalThis as Record<symbol, unknown>)[PEER_STAMPED] === true;
}

export type TrustedProxies = { contains(address: string): boolean; readonly size: number };

/** Parse TRACELINE_TRUSTED_PROXIES: "10.0.0.0/8, 192.168.1.5, ::1, fd00::/8". A malformed entry is a configuration error. */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const list = new BlockList();
  let size = 0;
  for (const raw of (value ?? "").split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    const [address, prefix, extra] = entry.split("/");
    const family = isIP(address ?? "");
    const bits = prefix === undefined ? null : Number(prefix);
    if (!family || extra !== undefined || (bits !== null && (!Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128)))) {
      throw new Error(`TRACELINE_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range (e.g. 10.0.0.0/8).`);
    }
    const type = family === 4 ? "ipv4" : "ipv6";
    if (bits === null) list.addAddress(address!, type);
    else list.addSubnet(address!, bits, type);
    size++;
  }
  return {
    size,
    contains(candidate: string) {
      const a = normalizeAddress(candidate);
      const family = isIP(a);
      return family !== 0 && list.check(a, family === 4 ? "ipv4" : "ipv6");
    },
  };
}

let cached: { value: string | undefined; proxies: TrustedProxies } | null = null;

function trustedFromEnv(): TrustedProxies {
  const value = process.env.TRACELINE_TRUSTED_PROXIES;
  if (!cached || cached.value !== value) cached = { value, proxies: parseTrustedProxies(value) };
  return cached.proxies;
}

/** "::ffff:10.0.0.7" is 10.0.0.7; "[::1]:443" is ::1; "10.0.0.7:5123" is 10.0.0.7. */
export function normalizeAddress(value: string): string {
  let a = value.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) a = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(":"));
  if (a.toLowerCase().startsWith("::ffff:") && isIP(a.slice(7)) === 4) a = a.slice(7);
  return a;
}

/**
 * The client's address from the peer and the X-Forwarded-For chain (pure). Right to left, each trusted proxy vouches
 * for the entry before it; the first address that is not a trusted proxy is the client.
 */
export function clientAddress(peer: string, forwardedFor: string | null, trusted: TrustedProxies): string {
  let current = normalizeAddress(peer);
  if (!trusted.contains(current)) return current;
  const chain = (forwardedFor ?? "").split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  for (let i = chain.length - 1; i >= 0; i--) {
    current = normalizeAddress(chain[i]!);
    if (!trusted.contains(current)) return current;
  }
  return current;
}

export function clientKeyFromHeaders(headers: Headers, opts: { stamped?: boolean; trusted?: TrustedProxies } = {}): string {
  const stamped = opts.stamped ?? peerAddressIsStamped();
  if (stamped) {
    const peer = headers.get(PEER_HEADER);
    if (!peer) return "unknown";
    return normalizeClientKey(clientAddress(peer, headers.get("x-forwarded-for"), opts.trusted ?? trustedFromEnv()));
  }
  const forwarded = headers.get("x-forwarded-for");
  const last = forwarded
    ?.split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .at(-1);
  const candidate = last ?? headers.get("x-real-ip")?.trim();
  return candidate ? normalizeClientKey(normalizeAddress(candidate)) : "local";
}

/** Bounded and printable, whatever a client sent. */
export function normalizeClientKey(key: string): string {
  const cleaned = key.replace(/[^\x21-\x7e]/g, "").slice(0, 100);
  return cleaned.length > 0 ? cleaned : "local";
}
