import "server-only";
import { getDb } from "@/db/app-database";
import { getActor } from "@/server/auth/session";
import { clientKeyFromHeaders } from "@/server/auth/client-key";
import type { Context } from "./trpc";

/**
 * The tRPC context of one HTTP request: the app database, the actor (session + database, null when signed out or
 * the session ended), the client key for throttling, and the clock.
 */
export async function createContext(opts: { headers: Headers }): Promise<Context> {
  const [db, actor] = await Promise.all([getDb(), getActor()]);
  return { db, actor, clientKey: clientKeyFromHeaders(opts.headers), now: () => new Date() };
}
