import "server-only";
import type { Db } from "@/db/client";
import { b2mmlToEnvelopes, findXmlSyntaxError, type B2mmlError, type VersionFrom } from "@/server/integrations/erp/b2mml";
import { validateB2mmlSchema } from "@/server/integrations/erp/b2mml-validator";
import { MAX_BATCH, receiveErpMessages, receiveMalformedBody, type Connection, type MessageOutcome } from "./receive-messages";

/** At most this many messages from one B2MML document (the JSON endpoint's batch limit). */
export const MAX_B2MML_MESSAGES = MAX_BATCH;

/** One mapped message's answer, and where its version came from (`Version`, a change stamp, or the receipt). */
export type B2mmlOutcome = MessageOutcome & { version?: number; versionFrom?: VersionFrom };

export type B2mmlReceipt =
  /** Not well-formed XML: nothing mapped; the body is kept as one rejected message for inspection. */
  | { kind: "malformed"; error: string; line: number; column: number; results: MessageOutcome[] }
  | { kind: "too_large"; error: string }
  /** Not valid against the schemas outside every element that maps (e.g. the ApplicationArea): nothing mapped. */
  | { kind: "schema_invalid"; results: MessageOutcome[]; errors: B2mmlError[] }
  /** Mapped: one outcome per message (as the JSON endpoint answers), and the elements that could not be mapped. */
  | { kind: "received"; results: B2mmlOutcome[]; errors: B2mmlError[] };

/**
 * Receive one ISA-95 / B2MML V0700 document from an ERP connection: check it is well-formed, validate it against the
 * V0700 schemas (an element that is not valid maps to nothing: its error gives the line, column, element and rule), map
 * it to the inbound envelopes (server/integrations/erp/b2mml.ts) and hand them to receiveErpMessages, so they are
 * validated, deduplicated, versioned and applied exactly like JSON messages. When some elements cannot be mapped, the
 * document is also kept as one rejected inbox entry whose error lists them, so the interface monitor shows it.
 */
export async function receiveB2mmlDocument(db: Db, connection: Connection, xml: string, options: { plant?: string; language?: string }, now: Date): Promise<B2mmlReceipt> {
  const syntax = findXmlSyntaxError(xml);
  const malformed = async (line: number, column: number, message: string): Promise<B2mmlReceipt> => {
    const error = `Malformed XML at line ${line}, column ${column}: ${message}`;
    return { kind: "malformed", error, line, column, results: [await receiveMalformedBody(db, connection, xml, error, now)] };
  };
  if (syntax) return malformed(syntax.line, syntax.column, syntax.message);
  const schema = await validateB2mmlSchema(xml);
  if (schema.kind === "not_well_formed") {
    const first = schema.issues[0];
    return malformed(first?.line ?? 1, first?.column ?? 1, first?.message ?? "libxml2 could not read the document");
  }
  const { envelopes, versionFrom, errors } = b2mmlToEnvelopes(xml, {
    source: connection.source,
    plant: options.plant,
    receivedAt: now,
    language: options.language,
    schemaIssues: schema.kind === "invalid" ? schema.issues : [],
  });
  if (envelopes.length > MAX_B2MML_MESSAGES) {
    return { kind: "too_large", error: `The document maps to ${envelopes.length} messages; send at most ${MAX_B2MML_MESSAGES} per document.` };
  }
  const results: B2mmlOutcome[] = envelopes.length > 0 ? await receiveErpMessages(db, connection, envelopes, now) : [];
  results.forEach((r, i) => {
    r.version = envelopes[i]!.version;
    r.versionFrom = versionFrom[i];
  });
  if (errors.length > 0) {
    const listed = errors.map((e) => `${e.field}: ${e.reason}`).join("; ");
    const reason = `${errors.length} B2MML element${errors.length === 1 ? "" : "s"} could not be mapped: ${listed.length > 4000 ? `${listed.slice(0, 4000)}…` : listed}`;
    await receiveMalformedBody(db, connection, xml, reason, now);
  }
  if (envelopes.length === 0 && errors.length > 0 && errors.every((e) => e.rule !== undefined)) return { kind: "schema_invalid", results, errors };
  return { kind: "received", results, errors };
}
