import "server-only";
import { createHash } from "node:crypto";
import type { Signable } from "@/server/domain/quality/signature";
import { canonicalJson } from "@/server/domain/canonical-json/canonical-json";

/** SHA-256 (lower-case hex) of a record's canonical JSON: what an electronic signature is bound to. */
export function contentHash(content: Signable): string {
  return createHash("sha256").update(canonicalJson(content), "utf8").digest("hex");
}
