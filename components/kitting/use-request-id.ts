"use client";

import { useRef } from "react";

/**
 * A client request id per action attempt: the same action retried after a failed delivery (network, timeout) reuses
 * its id, so the server applies it at most once; any answer from the server (done or refused) starts a new one.
 */
export function useRequestId() {
  const current = useRef<{ key: string; id: string } | null>(null);
  return {
    /** The id for this payload: reused while the last attempt with the same payload got no answer. */
    idFor(payload: unknown): string {
      const key = JSON.stringify(payload);
      if (current.current && current.current.key === key) return current.current.id;
      current.current = { key, id: crypto.randomUUID() };
      return current.current.id;
    },
    /** The server answered: the next action is a new request. */
    answered() {
      current.current = null;
    },
  };
}

/**
 * True when the server answered with a refusal (as opposed to the request not arriving, its answer being lost, or a
 * retryable failure such as the database not answering: then the same action is sent again with the same request id,
 * so that it takes effect once).
 */
export function serverAnswered(error: unknown): boolean {
  const data = (error as { data?: { code?: string; retryable?: boolean } } | null)?.data;
  return Boolean(data?.code) && data?.retryable !== true;
}
