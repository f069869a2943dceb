import { getDb } from "@/db/app-database";
import { authenticateConnection } from "@/server/services/erp/connections";
import { receiveErpMessages, receiveMalformedBody } from "@/server/services/erp/receive-messages";

export const dynamic = "force-dynamic";
const MAX_BATCH = 1000;

/** POST a JSON batch of ERP message envelopes: `[ {...}, ... ]` or `{ "messages": [ ... ] }`. Answers per message. */
export async function POST(request: Request) {
  const db = await getDb();
  const connection = await authenticateConnection(db, request.headers.get("authorization"));
  if (!connection) return Response.json({ error: "Unknown or revoked API key." }, { status: 401 });
  const text = await request.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    const stored = await receiveMalformedBody(db, connection, text, `Malformed JSON: ${(e as Error).message}`, new Date());
    return Response.json({ error: stored.error?.message, results: [stored] }, { status: 400 });
  }
  const batch = Array.isArray(body) ? body : (body as { messages?: unknown })?.messages;
  if (!Array.isArray(batch)) {
    return Response.json({ error: "The body must be a JSON array of message envelopes, or { \"messages\": [...] }." }, { status: 400 });
  }
  if (batch.length > MAX_BATCH) return Response.json({ error: `At most ${MAX_BATCH} messages per batch.` }, { status: 413 });
  const results = await receiveErpMessages(db, connection, batch, new Date());
  return Response.json({ results });
}
