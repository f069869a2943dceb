import { getDb } from "@/db/app-database";
import { decodeBody, ERP_BODY_TEXT_LIMITS, ERP_JSON_MAX_BODY_BYTES, readBody, unsupportedMediaType } from "@/server/api/erp-input";
import { apiRoute, refusalResponse, unstorableInput } from "@/server/api/route-answers";
import { authenticateConnection } from "@/server/services/erp/connections";
import { MAX_BATCH, receiveErpMessages, receiveMalformedBody } from "@/server/services/erp/receive-messages";

export const dynamic = "force-dynamic";

const isJson = (type: string) => type === "application/json" || /^application\/[\w.+-]+\+json$/.test(type);

/**
 * POST a JSON batch of ERP message envelopes: `[ {...}, ... ]` or `{ "messages": [ ... ] }`, UTF-8, Content-Type
 * application/json, at most 10 MB and 1,000 messages. Answers per message, in order: a message that cannot be stored,
 * is malformed or fails is answered (and kept) on its own; the others go on. Refusals of the whole request (key, media
 * type, size, encoding, not JSON) answer `{ code, error, correlationId, retryable }` (docs/erp-interface.md).
 */
export const POST = apiRoute("ERP messages", async (request, rc) => {
  const db = await getDb();
  const connection = await authenticateConnection(db, request.headers.get("authorization"));
  if (!connection) return refusalResponse(rc, { status: 401, code: "UNAUTHENTICATED", message: "Unknown or revoked API key." });
  const media = unsupportedMediaType(request.headers.get("content-type"), isJson, ["utf-8", "utf8"], "application/json");
  if (media) return refusalResponse(rc, media);
  const body = await readBody(request, ERP_JSON_MAX_BODY_BYTES);
  if (!body.ok) return refusalResponse(rc, body.refusal);
  try {
    const decoded = decodeBody(body.bytes, { utf16: false });
    if (!decoded.ok) return refusalResponse(rc, decoded.refusal);
    const text = decoded.text;
    const unstorableText = unstorableInput({ body: text }, ERP_BODY_TEXT_LIMITS);
    if (unstorableText) return refusalResponse(rc, unstorableText);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      const stored = await receiveMalformedBody(db, connection, text, `Malformed JSON: ${(e as Error).message}`, new Date());
      return refusalResponse(rc, { status: 400, code: "MALFORMED_JSON", message: stored.error?.message ?? "Malformed JSON." }, "json", { results: [stored] });
    }
    const batch = Array.isArray(parsed) ? parsed : parsed !== null && typeof parsed === "object" ? (parsed as { messages?: unknown }).messages : undefined;
    if (!Array.isArray(batch)) {
      return refusalResponse(rc, { status: 400, code: "MALFORMED_BATCH", message: 'The body must be a JSON array of message envelopes, or { "messages": [...] }.' });
    }
    if (batch.length > MAX_BATCH) return refusalResponse(rc, { status: 413, code: "BATCH_TOO_LARGE", message: `At most ${MAX_BATCH} messages per batch (this one has ${batch.length}).`, field: "body" });
    // Each message is checked for what cannot be stored (NUL, lone surrogates, size, depth) on its own, by the service.
    const results = await receiveErpMessages(db, connection, batch, new Date());
    return Response.json({ results });
  } finally {
    body.release();
  }
});
