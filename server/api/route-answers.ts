import "server-only";
import { isDomainError } from "@/server/domain/shared/errors";
import { describeInputProblem, findInputProblem, type InputLimits } from "@/server/domain/shared/storable-input";
import { DOMAIN_TO_TRPC } from "./errors";
import { classifyFailure, logFailure, newCorrelationId } from "./failures";
import { API_CSP, commonSecurityHeaders, hstsMaxAge, servedOverHttps } from "./security-headers";

/*
 * Every API route handler (ERP, genealogy exports, next-auth, tRPC) runs inside apiRoute: one correlation id per
 * request (X-Correlation-Id on every answer), the security headers on every answer, and anything thrown answered as a
 * code, words for people and the correlation id, while the error itself (SQL, parameters, stack) goes to the server
 * log under the same id.
 */

export type RouteContext = { correlationId: string };
export type ErrorFormat = "json" | "text";

const HTTP_STATUS: Record<string, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  UNPROCESSABLE_CONTENT: 422,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
};

export type Refusal = { status: number; code: string; message: string; retryable?: boolean; field?: string };

/** An error answer: JSON `{ code, error, correlationId, retryable, field? }` (error is the message), or plain text for browsers. */
export function refusalResponse(rc: RouteContext, r: Refusal, format: ErrorFormat = "json", extra: Record<string, unknown> = {}): Response {
  const headers = { "cache-control": "no-store" };
  if (format === "text") {
    const body = `${r.message}\n\nCode: ${r.code}. Reference: ${rc.correlationId}.\n`;
    return new Response(body, { status: r.status, headers: { ...headers, "content-type": "text/plain; charset=utf-8" } });
  }
  const body = { code: r.code, error: r.message, correlationId: rc.correlationId, retryable: r.retryable ?? false, ...(r.field !== undefined ? { field: r.field } : {}), ...extra };
  return Response.json(body, { status: r.status, headers });
}

/** What anything thrown out of a handler answers: a domain refusal by its mapped status, else the classified failure. */
export function refusalFor(e: unknown): Refusal {
  if (isDomainError(e)) {
    const status = HTTP_STATUS[DOMAIN_TO_TRPC[e.code]] ?? 400;
    return { status, code: e.code, message: e.message, retryable: status === 503 };
  }
  const f = classifyFailure(e);
  return { status: f.status, code: f.code, message: f.message, retryable: f.retryable };
}

/**
 * Input the database cannot store (NUL, lone surrogates) or beyond the limits, anywhere in a parsed body or in query
 * parameters: a 400 refusal naming the field (`query.<name>`, or the path in the body), before any query uses it.
 */
export function unstorableInput(parts: { body?: unknown; query?: URLSearchParams }, limits: InputLimits): Refusal | null {
  if (parts.query) {
    const problem = findInputProblem(Object.fromEntries(parts.query), limits);
    if (problem) return badInput({ ...problem, path: `query.${problem.path}` }, limits);
  }
  if (parts.body !== undefined) {
    const problem = findInputProblem(parts.body, limits);
    if (problem) return badInput({ ...problem, path: problem.path ? `body.${problem.path}` : "body" }, limits);
  }
  return null;
}

function badInput(problem: { path: string; reason: Parameters<typeof describeInputProblem>[0]["reason"] }, limits: InputLimits): Refusal {
  return { status: 400, code: "INVALID_INPUT", message: describeInputProblem(problem, limits), field: problem.path };
}

/** The answer with the security headers of an API answer and the correlation id. Rebuilt, since some are immutable. */
export function withApiHeaders(res: Response, req: Request, correlationId: string): Response {
  const headers = new Headers(res.headers);
  const security = commonSecurityHeaders({ https: servedOverHttps(req), hstsMaxAge: hstsMaxAge() });
  for (const [k, v] of Object.entries(security)) headers.set(k, v);
  headers.set("Content-Security-Policy", API_CSP);
  headers.set("X-Correlation-Id", correlationId);
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

export function apiRoute<A extends unknown[]>(
  where: string,
  handler: (req: Request, rc: RouteContext, ...rest: A) => Promise<Response>,
  opts: { errors?: ErrorFormat } = {},
): (req: Request, ...rest: A) => Promise<Response> {
  return async (req: Request, ...rest: A) => {
    const rc: RouteContext = { correlationId: newCorrelationId() };
    let res: Response;
    try {
      res = await handler(req, rc, ...rest);
    } catch (e) {
      const refusal = refusalFor(e);
      if (refusal.status >= 500) logFailure(`${where} ${req.method} ${new URL(req.url).pathname}`, rc.correlationId, e);
      res = refusalResponse(rc, refusal, opts.errors ?? "json");
    }
    return withApiHeaders(res, req, rc.correlationId);
  };
}
