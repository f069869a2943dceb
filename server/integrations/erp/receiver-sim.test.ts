import { describe, expect, it } from "vitest";
import { CONFIRMATION_EXAMPLES } from "./outbound/examples.test-helper";
import { encodeBatch, OUTBOUND_FORMATS } from "./outbound/formats";
import { readConfirmationsRequest } from "./receiver-sim";

// The simulated receiving ERP reads every outbound format back into the message ids, types, plants, times and ordering
// keys its dedupe and skip rules need, and refuses a body in none of them.
describe("readConfirmationsRequest", () => {
  const all = Object.values(CONFIRMATION_EXAMPLES);

  it.each(OUTBOUND_FORMATS.map((f) => [f]))("reads a %s request back, in order", (format) => {
    const read = readConfirmationsRequest(encodeBatch(format, all).body);
    expect(read?.map((r) => ({ messageId: r.messageId, type: r.type, orderingKey: r.orderingKey, plant: r.plant, occurredAt: new Date(r.occurredAt).getTime(), format: r.format }))).toEqual(
      all.map((c) => ({ messageId: c.messageId, type: c.type, orderingKey: c.orderingKey, plant: c.plant, occurredAt: c.occurredAt.getTime(), format })),
    );
  });

  it.each([
    ["not JSON", "confirmations please"],
    ["JSON without confirmations or messages", JSON.stringify({ source: "TRACELINE" })],
    ["SAP-style without the format", JSON.stringify({ source: "TRACELINE", messages: [] })],
    ["a SAP-style message without its ordering key", JSON.stringify({ format: "sap", messages: [{ messageId: "m1", type: "consumption" }] })],
    ["XML that is not an OperationsPerformance", '<SyncMaterialLot xmlns="http://www.mesa.org/xml/B2MML"/>'],
    ["an OperationsResponse without its ordering key", encodeBatch("b2mml", [CONFIRMATION_EXAMPLES.consumption]).body.replace(/<SegmentData><ID>OrderingKey<\/ID>.*?<\/SegmentData>/, "")],
    ["XML that is not well-formed", "<SyncOperationsPerformance><DataArea>"],
  ])("refuses %s", (_name, body) => {
    expect(readConfirmationsRequest(body)).toBeNull();
  });
});
