import "server-only";
import { QUALITY_ROLES } from "@/server/api/areas";
import { apiRoute, refusalFor, refusalResponse, unstorableInput, type Refusal, type RouteContext } from "@/server/api/route-answers";
import { inputProblemWords } from "@/server/api/input-problem-words";
import { refusalWords } from "@/server/api/refusal-words";
import type { Actor } from "@/server/auth/types";
import { DomainError, isDomainError } from "@/server/domain/shared/errors";
import { localeFromAcceptLanguage, type Locale } from "@/i18n/locales";
import { translatorFor } from "@/i18n/server-translate";
import { findInputProblem, SCREEN_INPUT_LIMITS } from "@/server/domain/shared/storable-input";
import { logFailure } from "@/server/api/failures";
import type { ExportFile, ExportFormat } from "@/server/services/genealogy/export-as-built";

/*
 * The shared part of the genealogy export route handlers: who may export (quality engineers and supervisors of the
 * active site), the file response, and refusals as plain text in operator words with their code and reference
 * (a browser shows them as the download's page). Unexpected failures answer the same way (server/api/route-answers.ts).
 * The genealogy exports word their refusals in the asker's language (`refuseIn`): the signed-in actor's, else the
 * browser's Accept-Language; English keeps the refusal's own message, other languages take its catalog message
 * (server/api/refusal-words.ts); the code and the reference never change.
 */

export function exportRoute(where: string, handler: (request: Request, rc: RouteContext) => Promise<Response>) {
  return apiRoute(where, async (request, rc) => {
    // Parameters the database cannot store are refused before anything reads the session or the database (so in the
    // browser's language), naming the parameter.
    const query = new URL(request.url).searchParams;
    const unstorable = unstorableInput({ query }, SCREEN_INPUT_LIMITS);
    if (unstorable) {
      const reader = readerOf(null, request);
      const problem = reader.locale === "en" ? null : findInputProblem(Object.fromEntries(query), SCREEN_INPUT_LIMITS);
      const message = problem ? inputProblemWords({ ...problem, path: `query.${problem.path}` }, SCREEN_INPUT_LIMITS, reader.locale) : unstorable.message;
      return plainText(rc, reader, { ...unstorable, message });
    }
    return handler(request, rc);
  }, { errors: "text" });
}

/**
 * Nobody signed in, or not a quality engineer or supervisor here: the refusal, in the asker's language (the actor's,
 * else the request's Accept-Language when it is given).
 */
export function exportRefusal(rc: RouteContext, actor: Actor | null, request?: Request): Response | null {
  const reader = readerOf(actor, request);
  if (!actor) return refuseIn(rc, reader, new DomainError("UNAUTHENTICATED", "Sign in to export genealogy.", {}, { key: "exportSignIn" }));
  if (!actor.roles.some((r) => QUALITY_ROLES.includes(r))) {
    const site = actor.siteName;
    return refuseIn(rc, reader, new DomainError("FORBIDDEN", `Exports of genealogy are for quality engineers and supervisors at ${site}.`, {}, { key: "exportForbidden", values: { site } }));
  }
  return null;
}

/** Who reads an export's refusal: the signed-in actor's language and zone, else the browser's language. */
export type Reader = { locale: Locale; timeZone: string };

export function readerOf(actor: Actor | null, request?: Request): Reader {
  if (actor) return { locale: actor.locale ?? "en", timeZone: actor.timeZone };
  return { locale: localeFromAcceptLanguage(request?.headers.get("accept-language")), timeZone: "UTC" };
}

/** A domain refusal as plain text in the reader's words, with its code and the answer's reference (both unchanged). */
export function refuseIn(rc: RouteContext, reader: Reader, e: DomainError): Response {
  return plainText(rc, reader, { ...refusalFor(e), message: refusalWords(e, "office", reader.locale, reader.timeZone).message });
}

/** A refusal already in the reader's words, as plain text with its code and reference (English: route-answers' own). */
function plainText(rc: RouteContext, reader: Reader, r: Refusal): Response {
  if (reader.locale === "en") return refusalResponse(rc, r, "text");
  const footer = translatorFor(reader.locale, reader.timeZone)("refusals.plainText.codeAndReference", { code: r.code, reference: rc.correlationId });
  return new Response(`${r.message}\n\n${footer}\n`, { status: r.status, headers: { "cache-control": "no-store", "content-type": "text/plain; charset=utf-8" } });
}

/** Run an export, answering the refusals of the services it calls (NOT_FOUND...) in the reader's words. */
export async function answerIn(rc: RouteContext, reader: Reader, run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (e) {
    if (isDomainError(e)) return refuseIn(rc, reader, e);
    throw e;
  }
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
