import { getDb } from "@/db/app-database";
import { authenticateConnection } from "@/server/services/erp/connections";
import { acknowledgeConfirmations } from "@/server/services/erp/outbound-confirmations";
import { erpErrorResponse } from "../../erp-response";

export const dynamic = "force-dynamic";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_IDS = 1000;

/** POST { "messageIds": [...] }: the pulling ERP applied these confirmations. Answers which were new, known, unknown. */
export async function POST(request: Request) {
  try {
    const db = await getDb();
    const connection = await authenticateConnection(db, request.headers.get("authorization"));
    if (!connection) return Response.json({ error: { code: "UNAUTHENTICATED", message: "Unknown or revoked API key." } }, { status: 401 });
    let body: unknown;
    try {
      body = JSON.parse(await request.text());
    } catch {
      return Response.json({ error: { code: "VALIDATION_FAILED", message: "The body must be JSON: { \"messageIds\": [\"...\"] }." } }, { status: 400 });
    }
    const ids = (body as { messageIds?: unknown })?.messageIds;
    if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== "string" || !UUID.test(id))) {
      return Response.json({ error: { code: "VALIDATION_FAILED", message: "messageIds must be a non-empty array of the confirmations' message ids.", field: "messageIds" } }, { status: 400 });
    }
    if (ids.length > MAX_IDS) return Response.json({ error: { code: "VALIDATION_FAILED", message: `At most ${MAX_IDS} message ids per call.`, field: "messageIds" } }, { status: 413 });
    return Response.json(await acknowledgeConfirmations(db, connection, ids as string[], new Date()));
  } catch (e) {
    return erpErrorResponse(e);
  }
}
