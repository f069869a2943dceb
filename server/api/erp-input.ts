import type { InputLimits } from "@/server/domain/shared/storable-input";

/**
 * What an ERP body may hold, checked before anything is stored (server/api/route-answers.ts unstorableInput): no NUL or
 * lone surrogate anywhere; strings up to 100,000 characters (a long text attribute), nesting up to 32 levels (the
 * deepest message is 5), and no practical limit on the number of values (the batch limits bound it).
 */
export const ERP_INPUT_LIMITS: InputLimits = { maxStringLength: 100_000, maxDepth: 32, maxValues: 50_000_000 };

/** The raw body text: only characters matter (its size has its own limit), so no string-length limit here. */
export const ERP_BODY_TEXT_LIMITS: InputLimits = { maxStringLength: Number.MAX_SAFE_INTEGER, maxDepth: 1, maxValues: 1 };

/*
 * Reading an ERP request body: its media type, its size and its bytes, before anything is parsed. A body over the
 * limit is refused 413 as soon as its Content-Length (or its bytes, when sent chunked) say so, without reading the
 * rest; bodies being read or worked on count against one budget for the whole process, so a burst of large requests
 * is answered 503 (retry later) rather than taking the server's memory and stalling every other request.
 */

/** Largest JSON batch body, in bytes (1,000 messages of a few KB; a BOM beyond 2,000 lines travels in segments). */
export const ERP_JSON_MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Largest B2MML document, in bytes. */
export const ERP_B2MML_MAX_BODY_BYTES = 10 * 1024 * 1024;
/** What all ERP bodies being read or worked on at once may add up to. */
export const ERP_BODY_BUDGET_BYTES = 48 * 1024 * 1024;

let bytesInFlight = 0;

export type BodyRefusal = { status: number; code: string; message: string; retryable?: boolean; field?: string };
export type ReadBody = { ok: true; bytes: Uint8Array; release: () => void } | { ok: false; refusal: BodyRefusal };

const MIB = (n: number) => `${(n / 1024 / 1024).toLocaleString("en-US")} MB`;

/** The media type of a Content-Type header and its charset (lower case), or null when there is none. */
export function mediaTypeOf(header: string | null): { type: string; charset: string | null } | null {
  if (!header || !header.trim()) return null;
  const [type, ...params] = header.split(";");
  const charset = params.map((p) => /^\s*charset\s*=\s*"?([^";\s]+)"?\s*$/i.exec(p)?.[1]).find(Boolean);
  return { type: type!.trim().toLowerCase(), charset: charset ? charset.toLowerCase() : null };
}

/** Refuse a Content-Type that is not one of `accepted` (415), naming what to send. */
export function unsupportedMediaType(header: string | null, accepted: (type: string) => boolean, charsets: string[], want: string): BodyRefusal | null {
  const media = mediaTypeOf(header);
  if (!media || !accepted(media.type)) {
    return { status: 415, code: "UNSUPPORTED_MEDIA_TYPE", message: `Send the body with Content-Type: ${want}${media ? ` (got ${media.type})` : " (none was given)"}.`, field: "Content-Type" };
  }
  if (media.charset && !charsets.includes(media.charset)) {
    return { status: 415, code: "UNSUPPORTED_MEDIA_TYPE", message: `The body must be encoded as ${charsets[0]!.toUpperCase()} (Content-Type says charset=${media.charset}).`, field: "Content-Type" };
  }
  return null;
}

/** Read a request body up to `maxBytes`, within the process's budget. Call `release` when done with it. */
export async function readBody(request: Request, maxBytes: number): Promise<ReadBody> {
  const tooLarge: BodyRefusal = { status: 413, code: "BODY_TOO_LARGE", message: `A request body is at most ${MIB(maxBytes)} (${maxBytes.toLocaleString("en-US")} bytes); split it into several requests.`, field: "body" };
  const busy: BodyRefusal = { status: 503, code: "BUSY_WITH_LARGE_REQUESTS", message: "Traceline is working on other large ERP requests; nothing was stored. Send this request again in a moment.", retryable: true };
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return { ok: false, refusal: tooLarge };
  if (!request.body) return { ok: true, bytes: new Uint8Array(0), release: () => {} };
  let counted = 0;
  const release = () => {
    bytesInFlight -= counted;
    counted = 0;
  };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      counted += value.byteLength;
      bytesInFlight += value.byteLength;
      if (counted > maxBytes) {
        await reader.cancel().catch(() => {});
        release();
        return { ok: false, refusal: tooLarge };
      }
      if (bytesInFlight > ERP_BODY_BUDGET_BYTES) {
        await reader.cancel().catch(() => {});
        release();
        return { ok: false, refusal: busy };
      }
      chunks.push(value);
    }
  } catch (e) {
    release();
    throw e;
  }
  const bytes = new Uint8Array(counted);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return { ok: true, bytes, release };
}

/**
 * The body's text: UTF-8 (a BOM is dropped), or for XML also UTF-16 with its byte order mark. Bytes that are not
 * valid in that encoding are refused (400, with the byte offset), never replaced silently.
 */
export function decodeBody(bytes: Uint8Array, opts: { utf16: boolean }): { ok: true; text: string; encoding: "UTF-8" | "UTF-16" } | { ok: false; refusal: BodyRefusal } {
  let encoding: "utf-8" | "utf-16le" | "utf-16be" = "utf-8";
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) [encoding, start] = ["utf-16le", 2];
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) [encoding, start] = ["utf-16be", 2];
  else if (bytes.length >= 2 && bytes[0] === 0x3c && bytes[1] === 0x00) encoding = "utf-16le";
  else if (bytes.length >= 2 && bytes[0] === 0x00 && bytes[1] === 0x3c) encoding = "utf-16be";
  if (encoding !== "utf-8" && !opts.utf16) {
    return { ok: false, refusal: { status: 415, code: "UNSUPPORTED_MEDIA_TYPE", message: "The body is UTF-16: send JSON as UTF-8.", field: "body" } };
  }
  try {
    const text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes.subarray(start));
    return { ok: true, text, encoding: encoding === "utf-8" ? "UTF-8" : "UTF-16" };
  } catch {
    let bad = start;
    if (encoding === "utf-8") {
      // the first offset at which decoding fails: a binary search over prefixes that decode
      let lo = start;
      let hi = bytes.length;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        try {
          new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(start, mid), { stream: true });
          lo = mid;
        } catch {
          hi = mid - 1;
        }
      }
      bad = lo;
    }
    return { ok: false, refusal: { status: 400, code: "INVALID_ENCODING", message: `The body is not valid ${encoding.toUpperCase()} (at byte ${bad}); send it as UTF-8.`, field: "body" } };
  }
}
