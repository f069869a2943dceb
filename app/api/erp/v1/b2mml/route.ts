import { getDb } from "@/db/app-database";
import { ERP_BODY_TEXT_LIMITS, ERP_INPUT_LIMITS } from "@/server/api/erp-input";
import { apiRoute, refusalResponse, unstorableInput } from "@/server/api/route-answers";
import { authenticateConnection } from "@/server/services/erp/connections";
import { MAX_B2MML_BODY, receiveB2mmlDocument } from "@/server/services/erp/receive-b2mml";

export const dynamic = "force-dynamic";

/**
 * POST an ISA-95 / B2MML V0700 XML document (UTF-8), with `Authorization: Bearer <key>` and optionally `?plant=`
 * (for documents without a Site-level HierarchyScope). Answers per message like the JSON endpoint,
 * `{ results: [...] }`, plus `{ errors: [{ field, reason }] }` for elements that could not be mapped.
 * Malformed XML: 400 with the line and column. Nothing mappable at all: 422. Refusals of the whole request carry
 * `code` and `correlationId` beside `error`.
 */
export const POST = apiRoute("ERP B2MML", async (request, rc) => {
  const db = await getDb();
  const connection = await authenticateConnection(db, request.headers.get("authorization"));
  if (!connection) return refusalResponse(rc, { status: 401, code: "UNAUTHENTICATED", message: "Unknown or revoked API key." });
  const tooLarge = { status: 413, code: "DOCUMENT_TOO_LARGE" };
  if (Number(request.headers.get("content-length") ?? 0) > MAX_B2MML_BODY * 4) {
    return refusalResponse(rc, { ...tooLarge, message: `A B2MML document is at most ${MAX_B2MML_BODY / 1024 / 1024} MB; split it into several documents.` });
  }
  const query = new URL(request.url).searchParams;
  const unstorableQuery = unstorableInput({ query }, ERP_INPUT_LIMITS);
  if (unstorableQuery) return refusalResponse(rc, unstorableQuery);
  const text = await request.text();
  const unstorable = unstorableInput({ body: text }, ERP_BODY_TEXT_LIMITS);
  if (unstorable) return refusalResponse(rc, unstorable);
  const plant = query.get("plant")?.trim() || undefined;
  const receipt = await receiveB2mmlDocument(db, connection, text, { plant }, new Date());
  switch (receipt.kind) {
    case "malformed":
      return refusalResponse(rc, { status: 400, code: "MALFORMED_XML", message: receipt.error }, "json", { results: receipt.results });
    case "too_large":
      return refusalResponse(rc, { ...tooLarge, message: receipt.error });
    case "received": {
      if (receipt.results.length === 0 && receipt.errors.length > 0) {
        const message = "Nothing in the document could be mapped to a message; errors lists each element and why.";
        return refusalResponse(rc, { status: 422, code: "NOTHING_MAPPED", message }, "json", { results: receipt.results, errors: receipt.errors });
      }
      return Response.json({ results: receipt.results, errors: receipt.errors });
    }
  }
});
