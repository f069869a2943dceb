import type { Confirmation } from "@/server/domain/erp/outbound";
import { b2mmlDocument, encodeB2mmlBatch } from "./b2mml";
import { ConfirmationNotMappable } from "./confirmation-types";
import { encodeJsonBatch } from "./json";
import { encodeSapBatch } from "./sap";
import type { WireRequest } from "./wire";

/*
 * The wire formats of confirmations, chosen per ERP connection. Whatever the format of the request, the receiver
 * answers with the same JSON: `{ "results": [ { "messageId", "status": "applied" | "duplicate" | "rejected" |
 * "skipped", "error"? } ] }` (docs/erp-interface.md, "Confirmations (outbound)"); a 2xx without a body means every
 * message applied.
 */

export const OUTBOUND_FORMATS = ["json", "b2mml", "sap"] as const;
export type OutboundFormat = (typeof OUTBOUND_FORMATS)[number];

/** The content type of a request (and of a pulled `document`) in each format. */
export const FORMAT_CONTENT_TYPES: Record<OutboundFormat, string> = {
  json: "application/json",
  b2mml: "application/xml",
  sap: "application/json",
};

export function isSupportedFormat(format: string): format is OutboundFormat {
  return (OUTBOUND_FORMATS as readonly string[]).includes(format);
}

/**
 * One request carrying these confirmations, in this order, in the connection's format. Throws ConfirmationNotMappable
 * when one of them cannot be put into the format (b2mml, sap: an unknown type or a payload its type does not fit).
 */
export function encodeBatch(format: OutboundFormat, confirmations: readonly Confirmation[]): WireRequest {
  switch (format) {
    case "json":
      return encodeJsonBatch(confirmations);
    case "b2mml":
      return encodeB2mmlBatch(confirmations);
    case "sap":
      return encodeSapBatch(confirmations);
    default:
      throw new Error(`Confirmations in the ${format as string} format are not available.`);
  }
}

/**
 * Why this confirmation cannot be sent in the format (null: it can). A sender can set such a confirmation aside (a
 * dead letter with this cause) instead of failing the whole request.
 */
export function unmappableReason(format: OutboundFormat, c: Confirmation): string | null {
  if (format === "json") return null;
  try {
    encodeBatch(format, [c]);
    return null;
  } catch (e) {
    if (e instanceof ConfirmationNotMappable) return e.message;
    throw e;
  }
}

/** One confirmation alone, in the format (the pull feed's `document`): the body of a request carrying only it. */
export function encodeOne(format: OutboundFormat, c: Confirmation, o: { pretty?: boolean } = {}): string {
  if (format === "b2mml") return b2mmlDocument([c], o);
  const body = encodeBatch(format, [c]).body;
  return o.pretty ? JSON.stringify(JSON.parse(body), null, 2) : body;
}

/**
 * What the pull feed adds to a confirmation for a connection in the b2mml or sap format: `document`, the confirmation
 * alone in that format; or, when it cannot be put into it, `documentError` with the reason (the feed is not stopped by
 * one confirmation). Nothing for json: the item itself is the confirmation.
 */
export function pulledDocument(format: OutboundFormat, c: Confirmation): { document?: string; documentError?: string } {
  if (format === "json") return {};
  try {
    return { document: encodeOne(format, c) };
  } catch (e) {
    if (e instanceof ConfirmationNotMappable) return { documentError: e.message };
    throw e;
  }
}
