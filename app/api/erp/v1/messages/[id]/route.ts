import { getDb } from "@/db/app-database";
import { ERP_INPUT_LIMITS } from "@/server/api/erp-input";
import { apiRoute, refusalResponse, unstorableInput } from "@/server/api/route-answers";
import { authenticateConnection } from "@/server/services/erp/connections";
import { messageStatus } from "@/server/services/erp/message-status";

export const dynamic = "force-dynamic";

/**
 * GET /api/erp/v1/messages/{messageId}: where one of this connection's messages stands now (the asynchronous answer
 * for a held message: it says when it applied or was dead-lettered), with its history. The id is percent-encoded in the
 * path (`BODID#1.part` as `BODID%231.part`). Another connection's messages are not found.
 */
export const GET = apiRoute("ERP message status", async (request, rc) => {
  const db = await getDb();
  const connection = await authenticateConnection(db, request.headers.get("authorization"));
  if (!connection) return refusalResponse(rc, { status: 401, code: "UNAUTHENTICATED", message: "Unknown or revoked API key." });
  const segment = new URL(request.url).pathname.split("/").pop() ?? "";
  let messageId: string;
  try {
    messageId = decodeURIComponent(segment).trim();
  } catch {
    return refusalResponse(rc, { status: 400, code: "VALIDATION_FAILED", message: "The message id in the path is not valid percent-encoding.", field: "messageId" });
  }
  const unstorable = unstorableInput({ query: new URLSearchParams({ messageId }) }, ERP_INPUT_LIMITS);
  if (unstorable) return refusalResponse(rc, unstorable);
  if (!messageId || messageId.length > 128) return refusalResponse(rc, { status: 400, code: "VALIDATION_FAILED", message: "Give a message id of 1 to 128 characters.", field: "messageId" });
  const status = await messageStatus(db, connection, messageId);
  if (!status) return refusalResponse(rc, { status: 404, code: "NOT_FOUND", message: `No message ${messageId} was received from this connection.`, field: "messageId" });
  return Response.json(status);
});
