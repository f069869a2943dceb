import type { Confirmation } from "@/server/domain/erp/outbound";
import { encodeJsonBatch } from "./json";
import type { WireRequest } from "./wire";

/*
 * The wire formats of confirmations, chosen per ERP connection. Whatever the format of the request, the receiver
 * answers with the same JSON: `{ "results": [ { "messageId", "status": "applied" | "duplicate" | "rejected" |
 * "skipped", "error"? } ] }` (docs/erp-interface.md, "Confirmations"); a 2xx without a body means every message applied.
 */

export const OUTBOUND_FORMATS = ["json"] as const;
export type OutboundFormat = (typeof OUTBOUND_FORMATS)[number] | "b2mml" | "sap";

export function isSupportedFormat(format: string): format is (typeof OUTBOUND_FORMATS)[number] {
  return (OUTBOUND_FORMATS as readonly string[]).includes(format);
}

/** One request carrying these confirmations, in this order, in the connection's format. */
export function encodeBatch(format: OutboundFormat, confirmations: readonly Confirmation[]): WireRequest {
  switch (format) {
    case "json":
      return encodeJsonBatch(confirmations);
    default:
      throw new Error(`Confirmations in the ${format} format are not available.`);
  }
}
