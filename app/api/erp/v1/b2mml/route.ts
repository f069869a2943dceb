import { getDb } from "@/db/app-database";
import { authenticateConnection } from "@/server/services/erp/connections";
import { MAX_B2MML_BODY, receiveB2mmlDocument } from "@/server/services/erp/receive-b2mml";

export const dynamic = "force-dynamic";

/**
 * POST an ISA-95 / B2MML V0700 XML document (UTF-8), with `Authorization: Bearer <key>` and optionally `?plant=`
 * (for documents without a Site-level HierarchyScope). Answers per message like the JSON endpoint,
 * `{ results: [...] }`, plus `{ errors: [{ field, reason }] }` for elements that could not be mapped.
 * Malformed XML: 400 with the line and column. Nothing mappable at all: 422.
 */
export async function POST(request: Request) {
  const db = await getDb();
  const connection = await authenticateConnection(db, request.headers.get("authorization"));
  if (!connection) return Response.json({ error: "Unknown or revoked API key." }, { status: 401 });
  if (Number(request.headers.get("content-length") ?? 0) > MAX_B2MML_BODY * 4) {
    return Response.json({ error: `A B2MML document is at most ${MAX_B2MML_BODY / 1024 / 1024} MB; split it into several documents.` }, { status: 413 });
  }
  const text = await request.text();
  const plant = new URL(request.url).searchParams.get("plant")?.trim() || undefined;
  const receipt = await receiveB2mmlDocument(db, connection, text, { plant }, new Date());
  switch (receipt.kind) {
    case "malformed":
      return Response.json({ error: receipt.error, results: receipt.results }, { status: 400 });
    case "too_large":
      return Response.json({ error: receipt.error }, { status: 413 });
    case "received": {
      const nothingMapped = receipt.results.length === 0 && receipt.errors.length > 0;
      return Response.json({ results: receipt.results, errors: receipt.errors }, { status: nothingMapped ? 422 : 200 });
    }
  }
}
