import type { Confirmation } from "@/server/domain/erp/outbound";
import { encodeCursor } from "@/server/domain/erp/outbound";
import { b2mmlDocument, b2mmlOperationsResponse } from "./b2mml";
import { encodeOne, type OutboundFormat } from "./formats";
import { toJsonConfirmation } from "./json";
import { sapRequest, toSapMessage } from "./sap";
import { TRACELINE_SOURCE } from "./wire";

/**
 * Test support: the text of the confirmation examples in docs/erp-interface.md, as the encoders produce it. The docs
 * test compares every marked block of the page with this, so the page cannot drift from the code.
 */

/** JSON on one line, with a space after each colon and comma: `{ "a": 1, "b": [1, 2] }`. */
function inlineJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inlineJson).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return entries.length === 0 ? "{}" : `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${inlineJson(v)}`).join(", ")} }`;
  }
  const text = JSON.stringify(value);
  if (text === undefined) throw new Error(`not JSON: ${String(value)}`);
  return text;
}

/**
 * JSON as the page shows it: two-space indentation, and a value that fits on its line (from `column`, within `width`)
 * written on one line.
 */
export function formatJson(value: unknown, indent = 0, column = indent, width = 118): string {
  const spaced = inlineJson(value);
  if (value === null || typeof value !== "object" || column + spaced.length <= width) return spaced;
  const pad = " ".repeat(indent + 2);
  if (Array.isArray(value)) return `[\n${value.map((v) => pad + formatJson(v, indent + 2, indent + 2, width)).join(",\n")}\n${" ".repeat(indent)}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  const lines = entries.map(([k, v], i) => {
    const head = `${pad}${JSON.stringify(k)}: `;
    const comma = i < entries.length - 1 ? 1 : 0;
    return head + formatJson(v, indent + 2, head.length + comma, width);
  });
  return `{\n${lines.join(",\n")}\n${" ".repeat(indent)}}`;
}

/** A block of one example: the confirmation alone, in one format (json: Traceline's JSON item; b2mml: its OperationsResponse). */
export function exampleBlock(format: OutboundFormat, c: Confirmation): string {
  switch (format) {
    case "json":
      return formatJson(toJsonConfirmation(c));
    case "sap":
      return formatJson(toSapMessage(c));
    case "b2mml":
      return b2mmlOperationsResponse(c, { pretty: true }).trimEnd();
  }
}

/** A whole request carrying these confirmations, in one format. */
export function requestBlock(format: OutboundFormat, cs: readonly Confirmation[]): string {
  switch (format) {
    case "json":
      return formatJson({ source: TRACELINE_SOURCE, confirmations: cs.map(toJsonConfirmation) });
    case "sap":
      return formatJson(sapRequest(cs));
    case "b2mml":
      return b2mmlDocument(cs, { pretty: true }).trimEnd();
  }
}

/** The pull feed's answer holding these confirmations, for a connection in this format. */
export function pullBlock(format: OutboundFormat, cs: readonly Confirmation[]): string {
  return formatJson({
    confirmations: cs.map((c) => ({ ...toJsonConfirmation(c), acknowledged: false, ...(format === "json" ? {} : { document: encodeOne(format, c) }) })),
    next: encodeCursor(1207),
    more: false,
  });
}

export const FENCE: Record<OutboundFormat, "json" | "xml"> = { json: "json", sap: "json", b2mml: "xml" };
