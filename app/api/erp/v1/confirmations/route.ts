import { getDb } from "@/db/app-database";
import { authenticateConnection } from "@/server/services/erp/connections";
import { pullConfirmations, PULL_LIMIT_MAX } from "@/server/services/erp/outbound-confirmations";
import { erpErrorResponse } from "../erp-response";

export const dynamic = "force-dynamic";

/**
 * GET /api/erp/v1/confirmations?after=<cursor>&limit=<n>: the confirmations of the connection's plants after the
 * cursor, oldest first (a pulling ERP or middleware). The same cursor always returns the same confirmations; send
 * `next` the next time. Acknowledge what was applied with POST /api/erp/v1/confirmations/ack.
 */
export async function GET(request: Request) {
  try {
    const db = await getDb();
    const connection = await authenticateConnection(db, request.headers.get("authorization"));
    if (!connection) return Response.json({ error: { code: "UNAUTHENTICATED", message: "Unknown or revoked API key." } }, { status: 401 });
    const params = new URL(request.url).searchParams;
    const limitText = params.get("limit");
    const limit = limitText === null ? 100 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > PULL_LIMIT_MAX) {
      return Response.json({ error: { code: "VALIDATION_FAILED", message: `limit must be a whole number from 1 to ${PULL_LIMIT_MAX}.`, field: "limit" } }, { status: 400 });
    }
    return Response.json(await pullConfirmations(db, connection, params.get("after"), limit));
  } catch (e) {
    return erpErrorResponse(e);
  }
}
