import { getDb } from "@/db/app-database";
import { decodeBody, ERP_B2MML_MAX_BODY_BYTES, ERP_BODY_TEXT_LIMITS, ERP_INPUT_LIMITS, readBody, unsupportedMediaType } from "@/server/api/erp-input";
import { apiRoute, refusalResponse, unstorableInput } from "@/server/api/route-answers";
import { SchemaValidatorUnavailable } from "@/server/integrations/erp/b2mml-validator";
import { authenticateConnection } from "@/server/services/erp/connections";
import { receiveB2mmlDocument } from "@/server/services/erp/receive-b2mml";

export const dynamic = "force-dynamic";

const isXml = (type: string) => type === "application/xml" || type === "text/xml" || /^application\/[\w.+-]+\+xml$/.test(type);
/** The language descriptions are taken in (a Description's languageID), e.g. "en" or "de". */
const LANGUAGE = process.env.TRACELINE_ERP_LANGUAGE?.trim() || "en";

/**
 * POST an ISA-95 / B2MML V0700 XML document (UTF-8, or UTF-16 with its byte order mark; Content-Type application/xml
 * or text/xml; at most 10 MB), with `Authorization: Bearer <key>` and optionally `?plant=` (for documents without a
 * Site-level HierarchyScope). Answers per message like the JSON endpoint, `{ results: [...] }` (each result also says
 * which version it carried and where it came from), plus `{ errors: [...] }` for elements that could not be mapped,
 * XSD errors with their line, column, element and rule. Malformed XML: 400 with the line and column. Nothing mappable
 * at all: 422. Refusals of the whole request carry `code` and `correlationId` beside `error`.
 */
export const POST = apiRoute("ERP B2MML", async (request, rc) => {
  const db = await getDb();
  const connection = await authenticateConnection(db, request.headers.get("authorization"));
  if (!connection) return refusalResponse(rc, { status: 401, code: "UNAUTHENTICATED", message: "Unknown or revoked API key." });
  const query = new URL(request.url).searchParams;
  const unstorableQuery = unstorableInput({ query }, ERP_INPUT_LIMITS);
  if (unstorableQuery) return refusalResponse(rc, unstorableQuery);
  const media = unsupportedMediaType(request.headers.get("content-type"), isXml, ["utf-8", "utf8", "utf-16", "utf-16le", "utf-16be"], "application/xml");
  if (media) return refusalResponse(rc, media);
  const body = await readBody(request, ERP_B2MML_MAX_BODY_BYTES);
  if (!body.ok) return refusalResponse(rc, body.refusal);
  try {
    const decoded = decodeBody(body.bytes, { utf16: true });
    if (!decoded.ok) return refusalResponse(rc, decoded.refusal);
    // Read from UTF-16, the text is a string now: its declaration is made to say so for the parsers that follow.
    const text = decoded.encoding === "UTF-16" ? decoded.text.replace(/^(\s*<\?xml[^?]*?\bencoding\s*=\s*["'])utf-?16(?:le|be)?(["'])/i, "$1UTF-8$2") : decoded.text;
    const unstorable = unstorableInput({ body: text }, ERP_BODY_TEXT_LIMITS);
    if (unstorable) return refusalResponse(rc, unstorable);
    const plant = query.get("plant")?.trim() || undefined;
    let receipt;
    try {
      receipt = await receiveB2mmlDocument(db, connection, text, { plant, language: LANGUAGE }, new Date());
    } catch (e) {
      if (!(e instanceof SchemaValidatorUnavailable)) throw e;
      return refusalResponse(rc, { status: 503, code: "SCHEMA_VALIDATOR_UNAVAILABLE", message: "The B2MML schema check did not answer; nothing was stored. Send the document again in a moment.", retryable: true });
    }
    switch (receipt.kind) {
      case "malformed":
        return refusalResponse(rc, { status: 400, code: "MALFORMED_XML", message: receipt.error }, "json", { line: receipt.line, column: receipt.column, results: receipt.results });
      case "too_large":
        return refusalResponse(rc, { status: 413, code: "DOCUMENT_TOO_LARGE", message: receipt.error });
      case "schema_invalid": {
        const message = "The document is not valid against the B2MML V0700 schemas; errors lists each problem with its line, column, element and rule.";
        return refusalResponse(rc, { status: 422, code: "SCHEMA_INVALID", message }, "json", { results: receipt.results, errors: receipt.errors });
      }
      case "received": {
        if (receipt.results.length === 0 && receipt.errors.length > 0) {
          const message = "Nothing in the document could be mapped to a message; errors lists each element and why.";
          return refusalResponse(rc, { status: 422, code: "NOTHING_MAPPED", message }, "json", { results: receipt.results, errors: receipt.errors });
        }
        return Response.json({ results: receipt.results, errors: receipt.errors });
      }
    }
  } finally {
    body.release();
  }
});
