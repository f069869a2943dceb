import "server-only";
import { randomUUID } from "node:crypto";

/**
 * A fresh correlation id: 16 hex characters, short enough to read out to support. Taken from a random UUID (Node
 * draws those from a buffer of random bytes it refills in bulk; randomBytes(8) per request showed in the station
 * benchmark's CPU profile): the UUID's first 16 hex digits, 60 of whose 64 bits are random.
 */
export function newCorrelationId(): string {
  const u = randomUUID();
  return u.slice(0, 8) + u.slice(9, 13) + u.slice(14, 18);
}

/** Accepts an id a trusted caller already chose (e.g. Next's error digest); anything else gets a fresh one. */
export function correlationIdFrom(candidate: unknown): string {
  return typeof candidate === "string" && /^[A-Za-z0-9_-]{6,64}$/.test(candidate) ? candidate : newCorrelationId();
}

/**
 * The server log line of a failure: where, the correlation id the caller was given, and the error itself (message with
 * its SQL and parameters, stack, cause chain). This is the only place those details go.
 */
export function logFailure(where: string, correlationId: string, error: unknown, facts: Record<string, unknown> = {}): void {
  const shown = Object.keys(facts).length > 0 ? ` ${JSON.stringify(facts)}` : "";
  console.error(`[traceline] ${where} failed; correlation id ${correlationId}${shown}:`, error);
}
