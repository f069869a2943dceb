import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import type { Failure } from "@/server/domain/shared/failure";

export { classifyFailure, failureOf, type Failure, type FailureCode } from "@/server/domain/shared/failure";
export { correlationIdFrom, logFailure, newCorrelationId } from "@/server/services/shared/failure-log";

/** tRPC transport code for a failure's HTTP status (tRPC 11 has SERVICE_UNAVAILABLE, answered as HTTP 503). */
export function trpcCodeOf(f: Failure): TRPC_ERROR_CODE_KEY {
  return f.status === 503 ? "SERVICE_UNAVAILABLE" : f.status === 400 ? "BAD_REQUEST" : "INTERNAL_SERVER_ERROR";
}

/** A classified failure as a tRPC error: the message is the failure's words, the original error stays as the cause. */
export class FailureError extends TRPCError {
  constructor(
    readonly failure: Failure,
    cause: unknown,
  ) {
    super({ code: trpcCodeOf(failure), message: failure.message, cause: cause instanceof Error ? cause : undefined });
    this.name = "FailureError";
  }
}
