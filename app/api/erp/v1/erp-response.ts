import { randomUUID } from "node:crypto";
import { isDomainError } from "@/server/domain/shared/errors";

const STATUS: Partial<Record<string, number>> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, VALIDATION_FAILED: 400 };

/**
 * The answer to an ERP when a call fails: a code, a message for people and a correlation id; a refusal keeps its own
 * words, anything else is logged here with the correlation id and answered without details.
 */
export function erpErrorResponse(e: unknown): Response {
  const correlationId = randomUUID();
  if (isDomainError(e)) {
    const field = (e.details as { field?: unknown } | undefined)?.field;
    return Response.json({ error: { code: e.code, message: e.message, ...(typeof field === "string" ? { field } : {}), correlationId } }, { status: STATUS[e.code] ?? 409 });
  }
  console.error(`[erp ${correlationId}]`, e);
  return Response.json({ error: { code: "INTERNAL_ERROR", message: "The request could not be completed. It is safe to send it again.", correlationId } }, { status: 500 });
}
