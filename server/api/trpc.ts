import "server-only";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import type { Db } from "@/db/client";
import type { Actor, Role } from "@/server/auth/types";
import { readerOf, rememberReader, resolveSessionActor, type SignedInSession } from "@/server/auth/actor";
import { isDomainError } from "@/server/domain/shared/errors";
import { describeInputProblem, findInputProblem, SCREEN_INPUT_LIMITS, type InputProblem } from "@/server/domain/shared/storable-input";
import { inputProblemWords } from "./input-problem-words";
import { workplaceOf } from "@/server/domain/vocabulary/next-step";
import { refusalWords } from "./refusal-words";
import { serverSentence, validationWords } from "./validation-words";
import { DOMAIN_TO_TRPC } from "./errors";
import { classifyFailure, FailureError } from "./failures";

export type Context = {
  /**
   * The actor when already read (in-process callers: pages, tests); null when nobody is signed in (or the session
   * ended: signed out, idle, user disabled, lifetime over), or when it is still to be read from `session`.
   */
  actor: Actor | null;
  /**
   * An HTTP request's signed-in session (null or absent: none). Its actor is read from the database when a procedure
   * needs it: before the procedure (siteProcedure, once per request), or inside the procedure's own transaction, in
   * its first round trip (sessionSiteProcedure: the station's scan).
   */
  session?: SignedInSession | null;
  db: Db;
  /** Identifies the calling client (its network address) for throttling. */
  clientKey: string;
  now: () => Date;
  /**
   * How installs and signed actions record their time: "commit" (the app's requests), the database's clock read inside
   * their transaction after their locks (server/services/shared/recorded-time.ts); absent, now() (tests on a fixed clock).
   */
  recordAt?: "commit";
  /** The id that ties this request's error answer to its server log line (set by the HTTP handler). */
  correlationId?: string;
};

type Meta = { roles: readonly Role[] };

/** The correlation id of an error answered over HTTP, when the context was never created (see trpc-http.ts). */
const correlationIds = new WeakMap<object, string>();

export function tagCorrelationId(error: object, correlationId: string): void {
  correlationIds.set(error, correlationId);
}

/** Input refused before any query: the field and why. */
export class BadInputError extends Error {
  constructor(
    message: string,
    readonly field: string,
    /** what is wrong with it, to word it in the reader's language (server/api/input-problem-words.ts) */
    readonly problem: InputProblem | null = null,
  ) {
    super(message);
    this.name = "BadInputError";
  }
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    /**
     * Every error answer: a code (data.code, and data.domain.code for a business refusal, with its one next step in
     * data.domain.next), words for people (message),
     * a correlation id (also in the server log line of a failure), and whether to retry. Never a stack, SQL or
     * parameters: an error that is not a refusal answers with its classified words only (server/api/failures.ts).
     */
    errorFormatter({ shape, error, ctx }) {
      const cause = error.cause;
      const failure = error instanceof FailureError ? error.failure : error.code === "INTERNAL_SERVER_ERROR" ? classifyFailure(cause ?? error) : null;
      // a refusal's one next step: the table's, for the workplace of the procedure (or the refusal's own, in details.next)
      // ... in the language of the person who asked (English when nobody is signed in)
      const reader = ctx?.actor ? { locale: ctx.actor.locale ?? "en", timeZone: ctx.actor.timeZone } : readerOf(ctx?.session);
      const locale = reader?.locale ?? "en";
      const words = isDomainError(cause) ? refusalWords(cause, workplaceOf(shape.data.path), locale, reader?.timeZone ?? "UTC") : null;
      const domain = isDomainError(cause) && words ? { code: cause.code, details: cause.details, next: words.next } : null;
      // input refused by zod: one sentence and the issues per field (data.zod), in the reader's words (validation-words.ts)
      const invalid = cause instanceof ZodError ? validationWords(cause, locale) : null;
      const zod = invalid?.flattened ?? null;
      const unstorable = cause instanceof BadInputError && cause.problem ? inputProblemWords(cause.problem, SCREEN_INPUT_LIMITS, locale) : null;
      const message = failure ? failure.message : invalid ? invalid.message : (words?.message ?? unstorable ?? serverSentence(shape.message, locale));
      return {
        code: shape.code,
        message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          correlationId: ctx?.correlationId ?? correlationIds.get(error) ?? null,
          retryable: failure?.retryable ?? (domain?.code === "EMBEDDED_DATABASE_BUSY" || error.code === "SERVICE_UNAVAILABLE"),
          failure: failure?.code ?? null,
          field: cause instanceof BadInputError ? cause.field : null,
          domain,
          zod,
        },
      };
    },
  });

export const createRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Refusals and failures, once for every procedure: domain refusals become tRPC errors with the mapped code (the
 * message stays in operator words); anything unexpected (a lost connection, a deadlock, a bug) is classified and
 * answered in words with its code (SERVICE_UNAVAILABLE + retryable for the database ones); the original error stays
 * the cause, for the server log only.
 */
const answerErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (isDomainError(cause)) throw new TRPCError({ code: DOMAIN_TO_TRPC[cause.code], message: cause.message, cause });
  if (result.error.code === "INTERNAL_SERVER_ERROR" && !(result.error instanceof FailureError)) {
    throw new FailureError(classifyFailure(cause ?? result.error), cause ?? result.error);
  }
  return result;
});

/**
 * Input the database cannot store (NUL, lone surrogates) or beyond the limits (huge strings, deep nesting) is refused
 * as BAD_REQUEST naming the field, before the procedure's own validation and before any query, for every procedure.
 */
const refuseUnstorableInput = t.middleware(async ({ getRawInput, next }) => {
  const problem = findInputProblem(await getRawInput(), SCREEN_INPUT_LIMITS);
  if (problem) {
    const message = describeInputProblem(problem, SCREEN_INPUT_LIMITS);
    throw new TRPCError({ code: "BAD_REQUEST", message, cause: new BadInputError(message, problem.path, problem) });
  }
  return next();
});

const base = t.procedure.use(answerErrors).use(refuseUnstorableInput);

/**
 * Deny by default: every procedure names the roles that may call it at the active site.
 * Objects of other sites must be looked up with ctx.actor.siteId, so they answer NOT_FOUND.
 */
export function siteProcedure(roles: readonly Role[]) {
  return base.meta({ roles }).use(async ({ ctx, next }) => {
    const actor = ctx.actor ?? (ctx.session ? await actorOf(ctx.db, ctx.session) : null);
    if (!actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in again." });
    allowed(actor, roles);
    return next({ ctx: { ...ctx, actor } });
  });
}

/**
 * As siteProcedure, for a procedure whose service reads the actor inside its own transaction, in the round trip of its
 * first locks (the station's scan: one round trip fewer per scan), and refuses there as siteProcedure would
 * (UNAUTHENTICATED, FORBIDDEN). It gets `caller`: the actor when already read, else the signed-in session.
 */
export function sessionSiteProcedure(roles: readonly Role[]) {
  return base.meta({ roles }).use(({ ctx, next }) => {
    if (ctx.actor) {
      allowed(ctx.actor, roles);
      return next({ ctx: { ...ctx, caller: ctx.actor as Actor | SignedInSession } });
    }
    if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in again." });
    return next({ ctx: { ...ctx, caller: ctx.session as Actor | SignedInSession } });
  });
}

function allowed(actor: Actor, roles: readonly Role[]): void {
  if (!actor.roles.some((r) => roles.includes(r))) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Your role at this site does not allow that." });
  }
}

/** The actor of a request's session, read once per request however many procedures of a batch need it. */
const actorsRead = new WeakMap<SignedInSession, Promise<Actor | null>>();
function actorOf(db: Db, session: SignedInSession): Promise<Actor | null> {
  let read = actorsRead.get(session);
  if (!read) {
    read = resolveSessionActor(db, session.claims, session.now).then((actor) => {
      rememberReader(session, actor);
      return actor;
    });
    actorsRead.set(session, read);
  }
  return read;
}
