import { getDb } from "@/db/app-database";
import { ERP_BODY_TEXT_LIMITS, ERP_INPUT_LIMITS } from "@/server/api/erp-input";
import { apiRoute, refusalResponse, unstorableInput } from "@/server/api/route-answers";
import { authenticateConnection } from "@/server/services/erp/connections";
import { receiveErpMessages, receiveMalformedBody } from "@/server/services/erp/receive-messages";

export const dynamic = "force-dynamic";
const MAX_BATCH = 1000;

/**
 * POST a JSON batch of ERP message envelopes: `[ {...}, ... ]` or `{ "messages": [ ... ] }`. Answers per message.
 * Refusals of the whole request answer `{ code, error, correlationId, retryable }` (docs/erp-interface.md).
 */
export const POST = apiRoute("ERP messages", async (request, rc) => {
  const db = await getDb();
  const connection = await authenticateConnection(db, request.headers.get("authorization"));
  if (!connection) return refusalResponse(rc, { status: 401, code: "UNAUTHENTICATED", message: "Unknown or revoked API key." });
  const text = await request.text();
  const unstorableText = unstorableInput({ body: text }, ERP_BODY_TEXT_LIMITS);
  if (unstorableText) return refusalResponse(rc, unstorableText);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    const stored = await receiveMalformedBody(db, connection, text, `Malformed JSON: ${(e as Error).message}`, new Date());
    return refusalResponse(rc, { status: 400, code: "MALFORMED_JSON", message: stored.error?.message ?? "Malformed JSON." }, "json", { results: [stored] });
  }
  const unstorable = unstorableInput({ body }, ERP_INPUT_LIMITS);
  if (unstorable) return refusalResponse(rc, unstorable);
  const batch = Array.isArray(body) ? body : (body as { messages?: unknown })?.messages;
  if (!Array.isArray(batch)) {
    return refusalResponse(rc, { status: 400, code: "MALFORMED_BATCH", message: 'The body must be a JSON array of message envelopes, or { "messages": [...] }.' });
  }
  if (batch.length > MAX_BATCH) return refusalResponse(rc, { status: 413, code: "BATCH_TOO_LARGE", message: `At most ${MAX_BATCH} messages per batch.` });
  const results = await receiveErpMessages(db, connection, batch, new Date());
  return Response.json({ results });
});
