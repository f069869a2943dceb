import "server-only";
import { getDb } from "@/db/app-database";
import { getSession } from "@/server/auth/session";
import { clientKeyFromHeaders } from "@/server/auth/client-key";
import { classifyFailure, FailureError } from "./failures";
import type { Context } from "./trpc";

/**
 * The tRPC context of one HTTP request: the app database, the signed-in session (its actor is read from the database
 * when a procedure needs it: server/api/trpc.ts), the client key for throttling, the clock and the request's
 * correlation id. When the database cannot be opened, the request is answered as that failure (retryable), never with
 * its details; a failure reading the actor is answered the same way by the procedure's error handling.
 */
export async function createContext(opts: { headers: Headers; correlationId: string }): Promise<Context> {
  try {
    const [db, session] = await Promise.all([getDb(), getSession()]);
    return { db, actor: null, session, clientKey: clientKeyFromHeaders(opts.headers), now: () => new Date(), recordAt: "commit", correlationId: opts.correlationId };
  } catch (e) {
    throw new FailureError(classifyFailure(e), e);
  }
}
