import { getDb } from "@/db/app-database";
import { ERP_INPUT_LIMITS } from "@/server/api/erp-input";
import { apiRoute, refusalResponse, unstorableInput } from "@/server/api/route-answers";
import { authenticateConnection } from "@/server/services/erp/connections";
import { pullConfirmations, PULL_LIMIT_MAX } from "@/server/services/erp/outbound-confirmations";

export const dynamic = "force-dynamic";

/**
 * GET /api/erp/v1/confirmations?after=<cursor>&limit=<n>: the confirmations of the connection's plants after the
 * cursor, oldest first (a pulling ERP or middleware). The same cursor always returns the same confirmations; send
 * `next` the next time. Acknowledge what was applied with POST /api/erp/v1/confirmations/ack.
 */
export const GET = apiRoute("ERP confirmations feed", async (request, rc) => {
  const db = await getDb();
  const connection = await authenticateConnection(db, request.headers.get("authorization"));
  if (!connection) return refusalResponse(rc, { status: 401, code: "UNAUTHENTICATED", message: "Unknown or revoked API key." });
  const params = new URL(request.url).searchParams;
  const unstorable = unstorableInput({ query: params }, ERP_INPUT_LIMITS);
  if (unstorable) return refusalResponse(rc, unstorable);
  const limitText = params.get("limit");
  const limit = limitText === null ? 100 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > PULL_LIMIT_MAX) {
    return refusalResponse(rc, { status: 400, code: "VALIDATION_FAILED", message: `limit must be a whole number from 1 to ${PULL_LIMIT_MAX}.`, field: "limit" });
  }
  return Response.json(await pullConfirmations(db, connection, params.get("after"), limit));
});
