import "server-only";
import { randomBytes } from "node:crypto";

/** A fresh correlation id: 16 hex characters, short enough to read out to support. */
export function newCorrelationId(): string {
  return randomBytes(8).toString("hex");
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
