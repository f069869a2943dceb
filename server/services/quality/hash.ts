import "server-only";
import { createHash } from "node:crypto";
import { canonicalContent, type Signable } from "@/server/domain/quality/signature";

/** SHA-256 (lower-case hex) of a record's canonical content: what an electronic signature is bound to. */
export function contentHash(content: Signable): string {
  return createHash("sha256").update(canonicalContent(content), "utf8").digest("hex");
}
