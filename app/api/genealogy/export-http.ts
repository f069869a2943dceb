import "server-only";
import { QUALITY_ROLES } from "@/server/api/areas";
import type { Actor } from "@/server/auth/types";
import { isDomainError } from "@/server/domain/shared/errors";
import type { ExportFile } from "@/server/services/genealogy/export-as-built";

/*
 * The shared part of the genealogy export route handlers: who may export (quality engineers and supervisors of the
 * active site), the file response, and errors as plain text in operator words.
 */

export function exportRefusal(actor: Actor | null): Response | null {
  if (!actor) return text(401, "Sign in to export genealogy.");
  if (!actor.roles.some((r) => QUALITY_ROLES.includes(r))) return text(403, `Exports of genealogy are for quality engineers and supervisors at ${actor.siteName}.`);
  return null;
}

export function text(status: number, message: string): Response {
  return new Response(message + "\n", { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}

export function fileResponse(file: ExportFile): Response {
  const body = typeof file.body === "string" ? file.body : new Uint8Array(file.body);
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "no-store",
    },
  });
}

/** A not-found or bad-input error as a 404/400 text answer; anything else is rethrown. */
export function errorResponse(e: unknown): Response {
  if (isDomainError(e)) return text(e.code === "NOT_FOUND" ? 404 : 400, e.message);
  throw e;
}

export const one = (sp: URLSearchParams, name: string) => (sp.get(name) ?? "").trim();

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isId = (v: string) => GUID.test(v);
