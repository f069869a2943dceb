import "server-only";
import type { Db } from "@/db/client";
import { b2mmlToEnvelopes, findXmlSyntaxError } from "@/server/integrations/erp/b2mml";
import type { FieldError } from "@/server/integrations/erp/messages";
import { receiveErpMessages, receiveMalformedBody, type Connection, type MessageOutcome } from "./receive-messages";

/** At most this many messages from one B2MML document (the JSON endpoint's batch limit). */
export const MAX_B2MML_MESSAGES = 1000;
/** Largest B2MML body accepted, in characters. */
export const MAX_B2MML_BODY = 10 * 1024 * 1024;

export type B2mmlReceipt =
  /** Not well-formed XML: nothing mapped; the body is kept as one rejected message for inspection. */
  | { kind: "malformed"; error: string; results: MessageOutcome[] }
  | { kind: "too_large"; error: string }
  /** Mapped: one outcome per message (as the JSON endpoint answers), and the elements that could not be mapped. */
  | { kind: "received"; results: MessageOutcome[]; errors: FieldError[] };

/**
 * Receive one ISA-95 / B2MML V0700 document from an ERP connection: map it to the inbound envelopes
 * (server/integrations/erp/b2mml.ts) and hand them to receiveErpMessages, so they are validated, deduplicated,
 * versioned and applied exactly like JSON messages. When some elements cannot be mapped, the document is also
 * kept as one rejected inbox entry whose error lists them, so the interface monitor shows what was refused.
 */
export async function receiveB2mmlDocument(db: Db, connection: Connection, xml: string, options: { plant?: string }, now: Date): Promise<B2mmlReceipt> {
  if (xml.length > MAX_B2MML_BODY) return { kind: "too_large", error: `A B2MML document is at most ${MAX_B2MML_BODY / 1024 / 1024} MB; split it into several documents.` };
  const syntax = findXmlSyntaxError(xml);
  if (syntax) {
    const error = `Malformed XML at line ${syntax.line}, column ${syntax.column}: ${syntax.message}`;
    return { kind: "malformed", error, results: [await receiveMalformedBody(db, connection, xml, error, now)] };
  }
  const { envelopes, errors } = b2mmlToEnvelopes(xml, { source: connection.source, plant: options.plant, receivedAt: now });
  if (envelopes.length > MAX_B2MML_MESSAGES) {
    return { kind: "too_large", error: `The document maps to ${envelopes.length} messages; send at most ${MAX_B2MML_MESSAGES} per document.` };
  }
  const results = envelopes.length > 0 ? await receiveErpMessages(db, connection, envelopes, now) : [];
  if (errors.length > 0) {
    const listed = errors.map((e) => `${e.field}: ${e.reason}`).join("; ");
    const reason = `${errors.length} B2MML element${errors.length === 1 ? "" : "s"} could not be mapped: ${listed.length > 4000 ? `${listed.slice(0, 4000)}…` : listed}`;
    await receiveMalformedBody(db, connection, xml, reason, now);
  }
  return { kind: "received", results, errors };
}
