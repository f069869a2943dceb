import "server-only";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "./root";
import { logFailure } from "./failures";
import { tagCorrelationId, type Context } from "./trpc";

/**
 * The tRPC HTTP endpoint (/api/trpc), for the route handler and for tests that go through the wire format. One
 * correlation id per HTTP request: in the context, in every error answer (data.correlationId) and in the server log line
 * of every failure (5xx), which alone carries the error's details.
 */
export function handleTrpcRequest(req: Request, correlationId: string, createContext: () => Promise<Context>): Promise<Response> {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createContext(),
    onError({ error, path }) {
      tagCorrelationId(error, correlationId);
      if (SERVER_SIDE.has(error.code)) logFailure(`tRPC ${path ?? "?"}`, correlationId, error.cause ?? error);
    },
  });
}

/** Codes that mean the server failed (logged with their details), as opposed to a refusal of what was asked. */
const SERVER_SIDE = new Set(["INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE", "BAD_GATEWAY", "GATEWAY_TIMEOUT", "NOT_IMPLEMENTED"]);
