import { getDb } from "@/db/app-database";
import { apiRoute, refusalResponse } from "@/server/api/route-answers";
import { authenticateConnection } from "@/server/services/erp/connections";
import { acknowledgeConfirmations } from "@/server/services/erp/outbound-confirmations";

export const dynamic = "force-dynamic";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_IDS = 1000;
const MAX_BODY = 64 * 1024;

/** POST { "messageIds": [...] }: the pulling ERP applied these confirmations. Answers which were new, known, unknown. */
export const POST = apiRoute("ERP confirmations acknowledgement", async (request, rc) => {
  const db = await getDb();
  const connection = await authenticateConnection(db, request.headers.get("authorization"));
  if (!connection) return refusalResponse(rc, { status: 401, code: "UNAUTHENTICATED", message: "Unknown or revoked API key." });
  const text = await request.text();
  if (text.length > MAX_BODY) return refusalResponse(rc, { status: 413, code: "BODY_TOO_LARGE", message: `At most ${MAX_IDS} message ids (${MAX_BODY} bytes) per call.` });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return refusalResponse(rc, { status: 400, code: "MALFORMED_JSON", message: 'The body must be JSON: { "messageIds": ["..."] }.' });
  }
  const ids = (body as { messageIds?: unknown })?.messageIds;
  if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== "string" || !UUID.test(id))) {
    return refusalResponse(rc, { status: 400, code: "VALIDATION_FAILED", message: "messageIds must be a non-empty array of the confirmations' message ids.", field: "messageIds" });
  }
  if (ids.length > MAX_IDS) return refusalResponse(rc, { status: 413, code: "VALIDATION_FAILED", message: `At most ${MAX_IDS} message ids per call.`, field: "messageIds" });
  return Response.json(await acknowledgeConfirmations(db, connection, ids as string[], new Date()));
});
