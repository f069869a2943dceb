import type { PushOutcome } from "@/server/domain/erp/outbound";
import type { WireRequest } from "./wire";

/*
 * One push of a batch of confirmations to an ERP endpoint over HTTP, and what its failure means: nothing sent (the
 * connection was refused: a plain retry), or ambiguous (the request may have been applied: timeout, reset, 5xx).
 */

/** Network errors that happen before a request could reach the server. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ERR_INVALID_URL", "UND_ERR_CONNECT_TIMEOUT"]);

function networkCode(e: unknown): string | undefined {
  const cause = (e as { cause?: { code?: string; errors?: { code?: string }[] } })?.cause;
  return cause?.code ?? cause?.errors?.[0]?.code ?? (e as { code?: string })?.code;
}

export type PushTarget = { url: string; secret: string | null; timeoutMs: number };

export async function pushBatch(target: PushTarget, request: WireRequest): Promise<PushOutcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), target.timeoutMs);
  try {
    const response = await fetch(target.url, {
      method: "POST",
      headers: {
        "content-type": request.contentType,
        accept: "application/json",
        ...(target.secret ? { authorization: `Bearer ${target.secret}` } : {}),
      },
      body: request.body,
      signal: controller.signal,
    });
    const text = await response.text();
    return { kind: "answered", httpStatus: response.status, results: parseResults(text) };
  } catch (e) {
    if (controller.signal.aborted) return { kind: "ambiguous", error: `No answer within ${target.timeoutMs} ms.` };
    const code = networkCode(e);
    if (code && NOT_SENT_CODES.has(code)) return { kind: "not_sent", error: `Could not reach the ERP (${code}).` };
    return { kind: "ambiguous", error: `The connection failed while waiting for the ERP's answer (${code ?? (e as Error).message}).` };
  } finally {
    clearTimeout(timer);
  }
}

/** The per-message results of an answer body, or null when it carries none (a bare 2xx means all applied). */
export function parseResults(text: string): Map<string, { status: string; error?: string }> | null {
  if (!text.trim()) return null;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  const results = (body as { results?: unknown })?.results;
  if (!Array.isArray(results)) return null;
  const out = new Map<string, { status: string; error?: string }>();
  for (const r of results) {
    const messageId = (r as { messageId?: unknown })?.messageId;
    const status = (r as { status?: unknown })?.status;
    if (typeof messageId !== "string" || typeof status !== "string") continue;
    const error = (r as { error?: unknown })?.error;
    out.set(messageId, { status, ...(typeof error === "string" ? { error: error.slice(0, 500) } : error && typeof error === "object" ? { error: String((error as { message?: unknown }).message ?? JSON.stringify(error)).slice(0, 500) } : {}) });
  }
  return out;
}

/**
 * Ask an ERP that does not recognise resent message ids whether it applied one (GET <url>/<messageId>): "applied",
 * "unknown" (404: safe to send), or null when it could not say (try again later).
 */
export async function queryStatus(target: PushTarget, messageId: string): Promise<"applied" | "unknown" | null> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), target.timeoutMs);
  try {
    const response = await fetch(`${target.url.replace(/\/+$/, "")}/${encodeURIComponent(messageId)}`, {
      headers: { accept: "application/json", ...(target.secret ? { authorization: `Bearer ${target.secret}` } : {}) },
      signal: controller.signal,
    });
    const text = await response.text();
    if (response.status === 404) return "unknown";
    if (!response.ok) return null;
    const status = (JSON.parse(text || "{}") as { status?: unknown }).status;
    return status === "applied" || status === "duplicate" ? "applied" : status === "unknown" ? "unknown" : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}
