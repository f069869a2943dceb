import "server-only";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import type { Db } from "@/db/client";
import type { Actor, Role } from "@/server/auth/types";
import { isDomainError } from "@/server/domain/shared/errors";
import { DOMAIN_TO_TRPC } from "./errors";

export type Context = {
  db: Db;
  /** Null when nobody is signed in (or the session ended: user disabled, lifetime over). */
  actor: Actor | null;
  /** Identifies the calling client (IP) for throttling. */
  clientKey: string;
  now: () => Date;
};

type Meta = { roles: readonly Role[] };

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      return {
        ...shape,
        data: {
          ...shape.data,
          stack: undefined,
          domain: isDomainError(cause) ? { code: cause.code, details: cause.details } : null,
          zod: cause instanceof ZodError ? cause.flatten() : null,
        },
      };
    },
  });

export const createRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Domain refusals become tRPC errors with the mapped code; the message stays in operator words. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isDomainError(result.error.cause)) {
    const cause = result.error.cause;
    throw new TRPCError({ code: DOMAIN_TO_TRPC[cause.code], message: cause.message, cause });
  }
  return result;
});

const base = t.procedure.use(domainErrors);

/**
 * Deny by default: every procedure names the roles that may call it at the active site.
 * Objects of other sites must be looked up with ctx.actor.siteId, so they answer NOT_FOUND.
 */
export function siteProcedure(roles: readonly Role[]) {
  return base.meta({ roles }).use(({ ctx, next }) => {
    const actor = ctx.actor;
    if (!actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in again." });
    if (!actor.roles.some((r) => roles.includes(r))) {
      throw new TRPCError({ code: "FORBIDDEN", message: "Your role at this site does not allow that." });
    }
    return next({ ctx: { ...ctx, actor } });
  });
}
