import "server-only";
import { headers } from "next/headers";
import { TRPCError } from "@trpc/server";
import { getDb } from "@/db/app-database";
import { clientKeyFromHeaders } from "@/server/auth/client-key";
import type { Actor } from "@/server/auth/types";
import { appRouter } from "./root";
import { createCallerFactory } from "./trpc";
import { logFailure, newCorrelationId } from "./failures";

const createCaller = createCallerFactory(appRouter);

/**
 * The tRPC API for Server Components, called in-process with the actor the page already resolved (requireActor), so
 * pages go through the same procedures, role checks and site scoping as the browser.
 */
export async function serverCaller(actor: Actor) {
  const correlationId = newCorrelationId();
  return createCaller(
    { db: await getDb(), actor, clientKey: clientKeyFromHeaders(await headers()), now: () => new Date(), recordAt: "commit", correlationId },
    {
      // A failure reaches the page's error boundary (app/error.tsx), which shows Next's digest: make it this call's
      // correlation id, the one the server log line below carries with the error's details.
      onError({ error, path }) {
        const tagged = error as { digest?: unknown };
        if (tagged.digest === undefined) tagged.digest = correlationId;
        if (error.code === "INTERNAL_SERVER_ERROR" || error.code === "SERVICE_UNAVAILABLE") logFailure(`page call ${path ?? "?"}`, correlationId, error.cause ?? error);
      },
    },
  );
}

/** The result, or null when the procedure answered NOT_FOUND (e.g. an id of another site). Other errors propagate. */
export async function orNotFound<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (e) {
    if (e instanceof TRPCError && e.code === "NOT_FOUND") return null;
    throw e;
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when a URL segment can be an object id; anything else is simply not found. */
export function looksLikeId(value: string): boolean {
  return GUID.test(value);
}
