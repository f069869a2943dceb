import "server-only";
import { QUALITY_ROLES } from "@/server/api/areas";
import { apiRoute, refusalResponse, unstorableInput, type RouteContext } from "@/server/api/route-answers";
import type { Actor } from "@/server/auth/types";
import { SCREEN_INPUT_LIMITS } from "@/server/domain/shared/storable-input";
import { logFailure } from "@/server/api/failures";
import type { ExportFile, ExportFormat } from "@/server/services/genealogy/export-as-built";

/*
 * The shared part of the genealogy export route handlers: who may export (quality engineers and supervisors of the
 * active site), the file response, and refusals as plain text in operator words with their code and reference
 * (a browser shows them as the download's page). Unexpected failures answer the same way (server/api/route-answers.ts).
 */

export function exportRoute(where: string, handler: (request: Request, rc: RouteContext) => Promise<Response>) {
  return apiRoute(where, async (request, rc) => {
    // Parameters the database cannot store are refused before anything reads the session or the database.
    const unstorable = unstorableInput({ query: new URL(request.url).searchParams }, SCREEN_INPUT_LIMITS);
    if (unstorable) return refusalResponse(rc, unstorable, "text");
    return handler(request, rc);
  }, { errors: "text" });
}

export function exportRefusal(rc: RouteContext, actor: Actor | null): Response | null {
  if (!actor) return refuse(rc, 401, "UNAUTHENTICATED", "Sign in to export genealogy.");
  if (!actor.roles.some((r) => QUALITY_ROLES.includes(r))) {
    return refuse(rc, 403, "FORBIDDEN", `Exports of genealogy are for quality engineers and supervisors at ${actor.siteName}.`);
  }
  return null;
}

export function refuse(rc: RouteContext, status: number, code: string, message: string): Response {
  return refusalResponse(rc, { status, code, message }, "text");
}

/** A file made whole before it is answered (the reconciliation exceptions: at most 10,000 rows). */
export type BufferedFile = { filename: string; contentType: string; body: string | Buffer };

/** The file: a genealogy export streamed as it is written (no content-length: chunked), or a buffered one. */
export function fileResponse(file: ExportFile | BufferedFile): Response {
  const body = file.body instanceof ReadableStream || typeof file.body === "string" ? file.body : new Uint8Array(file.body);
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "no-store",
    },
  });
}

/** A failure after the first bytes of a file went out: logged under the answer's correlation id (the download fails). */
export function streamFailureLogger(where: string, rc: RouteContext) {
  return (e: unknown) => logFailure(`${where} (while streaming)`, rc.correlationId, e);
}

export function exportFormat(sp: URLSearchParams): ExportFormat | null {
  const f = one(sp, "format") || "csv";
  return f === "csv" || f === "pdf" || f === "json" ? f : null;
}

export const one = (sp: URLSearchParams, name: string) => (sp.get(name) ?? "").trim();

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isId = (v: string) => GUID.test(v);
