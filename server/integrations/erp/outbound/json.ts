import type { Confirmation } from "@/server/domain/erp/outbound";
import { TRACELINE_SOURCE, type WireRequest } from "./wire";

/** A confirmation in Traceline's own JSON (docs/erp-interface.md, "Confirmations"). */
export type JsonConfirmation = {
  messageId: string;
  type: string;
  plant: string;
  orderingKey: string;
  occurredAt: string;
  payload: Record<string, unknown>;
};

export function toJsonConfirmation(c: Confirmation): JsonConfirmation {
  return { messageId: c.messageId, type: c.type, plant: c.plant, orderingKey: c.orderingKey, occurredAt: c.occurredAt.toISOString(), payload: c.payload };
}

/** `{ "source": "TRACELINE", "confirmations": [ ... ] }`: confirmations of one ordering key appear in order. */
export function encodeJsonBatch(confirmations: readonly Confirmation[]): WireRequest {
  return { contentType: "application/json", body: JSON.stringify({ source: TRACELINE_SOURCE, confirmations: confirmations.map(toJsonConfirmation) }) };
}
