import "server-only";
import { getDb } from "@/db/app-database";
import { getActor } from "@/server/auth/session";
import { clientKeyFromHeaders } from "@/server/auth/client-key";
import { classifyFailure, FailureError } from "./failures";
import type { Context } from "./trpc";

/**
 * The tRPC context of one HTTP request: the app database, the actor (session + database, null when signed out or
 * the session ended), the client key for throttling, the clock and the request's correlation id. When the database
 * cannot be reached to read the actor, the request is answered as that failure (retryable), never with its details.
 */
export async function createContext(opts: { headers: Headers; correlationId: string }): Promise<Context> {
  try {
    const [db, actor] = await Promise.all([getDb(), getActor()]);
    return { db, actor, clientKey: clientKeyFromHeaders(opts.headers), now: () => new Date(), recordAt: "commit", correlationId: opts.correlationId };
  } catch (e) {
    throw new FailureError(classifyFailure(e), e);
  }
}
