import "server-only";
import { createHash } from "node:crypto";
import { canonicalJson } from "@/server/domain/canonical-json/canonical-json";
import { businessContent } from "@/server/domain/erp/message-content";
import { isDomainError } from "@/server/domain/shared/errors";

/* The hashes the ERP inbox deduplicates on (receive-messages.ts, receive-batch.ts). */

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** Canonical JSON, or (for a number beyond a double's range, read as Infinity) the form JSON writes it in. */
function canonicalOf(value: unknown): string {
  try {
    return canonicalJson(value);
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return canonicalJson(JSON.parse(JSON.stringify(value) ?? "null"));
  }
}

/** The hash rows received before content hashes carry: SHA-256 of the whole message's canonical JSON. */
export function payloadHash(message: unknown): string {
  return sha256(canonicalOf(message));
}

/**
 * The hash the inbox deduplicates on with the message id: SHA-256 of the business content (type, key, version, plant,
 * payload, strings trimmed and NFC; server/domain/erp/message-content.ts). A retry re-stamped by middleware (another
 * occurredAt, a padded message id, other whitespace) is the same message; other content under the same id is a conflict.
 */
export function contentHash(message: unknown): string {
  return sha256(canonicalOf(businessContent(message)));
}

