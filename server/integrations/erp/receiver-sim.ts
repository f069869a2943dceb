import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { XMLParser } from "fast-xml-parser";
import type { OutboundFormat } from "./outbound/formats";
import type { JsonConfirmation } from "./outbound/json";

/*
 * A simulated receiving ERP, for the demo, tests and `npm run erp:sim -- --receive`: an HTTP endpoint that applies the
 * confirmations Traceline pushes (and a client that pulls them), records what it applied, and injects the faults real
 * links and ERPs produce. It keeps the receiving contract of docs/erp-interface.md ("Confirmations"): it answers per
 * message, applies a batch's confirmations in order, and once one of an ordering key fails it skips the later ones of
 * that key in the same batch ("skipped"). With `dedupe` off it applies a message id again when it is resent (as some
 * ERPs do): then Traceline must ask GET <endpoint>/<messageId> before resending after an ambiguous failure.
 * It takes every outbound format (Traceline's JSON, the SAP-style JSON, B2MML XML) and reads back from each the message
 * ids and ordering keys its rules need; whatever the format, it answers `{ results: [...] }` in JSON.
 */

export const RECEIVER_FAULTS = [
  /** 500 before applying anything */
  "error-before",
  /** applies, then answers 500: the acknowledgement is lost */
  "error-after",
  /** applies, then does not answer before the sender gives up */
  "timeout-after",
  /** closes the connection without an answer, before applying */
  "reset-before",
  /** applies, then closes the connection without an answer */
  "reset-after",
  /** answers correctly, slowly (within the sender's timeout) */
  "slow",
  /** a run of 503 answers (before applying) */
  "burst-5xx",
] as const;
export type ReceiverFault = (typeof RECEIVER_FAULTS)[number];

export type ReceiverOptions = {
  /** Recognise a message id applied before (answer "duplicate"); false: apply it again. */
  dedupe: boolean;
  /** Probability that a request meets a fault, and which faults may happen. */
  faultRate: number;
  faults: readonly ReceiverFault[];
  /** Randomness in [0, 1): pass a seeded generator to replay a run. */
  random: () => number;
  /** How long "timeout-after" holds the answer, and how slow "slow" is. */
  holdMs: number;
  slowMs: number;
  /** Length of a burst of 503s. */
  burst: number;
  /** A bearer token the sender must present (null: none needed). */
  token: string | null;
  /** Refuse these message ids for good ("rejected"), e.g. to make dead letters. */
  rejectIds?: ReadonlySet<string>;
  /** Keep every request's content type and body in `requests` (tests that check what was sent). */
  keepRequests?: boolean;
};

/**
 * A confirmation as the receiver read it from a request: id, ordering key, type, plant and time in every format; the
 * payload is the format's own content (Traceline's payload, the SAP message, the parsed OperationsResponse).
 */
export type ReceivedConfirmation = JsonConfirmation & { format: OutboundFormat };

export type AppliedConfirmation = { confirmation: ReceivedConfirmation; times: number; firstAt: number };

export type ReceiverStats = { requests: number; faults: Record<string, number>; statusQueries: number; applied: number; duplicates: number; rejected: number };

export class ReceivingErp {
  readonly applied = new Map<string, AppliedConfirmation>();
  /** Application order, one entry per application (a double shows twice). */
  readonly log: ReceivedConfirmation[] = [];
  readonly stats: ReceiverStats = { requests: 0, faults: {}, statusQueries: 0, applied: 0, duplicates: 0, rejected: 0 };
  /** The requests received, when `keepRequests` is on. */
  readonly requests: { contentType: string; body: string }[] = [];
  private server: Server | null = null;
  private burstLeft = 0;
  private readonly pending = new Set<NodeJS.Timeout>();

  constructor(readonly options: ReceiverOptions) {}

  /** Start listening on 127.0.0.1 (port 0: any free port). Returns the endpoint URL. */
  async listen(port = 0): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/confirmations`;
  }

  async close(): Promise<void> {
    for (const t of this.pending) clearTimeout(t);
    this.pending.clear();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  /** Message ids applied more than once. */
  doubles(): string[] {
    return [...this.applied.entries()].filter(([, a]) => a.times > 1).map(([id]) => id);
  }

  /** Apply confirmations in order (the pull client uses the same rules). */
  applyBatch(confirmations: readonly ReceivedConfirmation[]): { messageId: string; status: string; error?: string }[] {
    const failedKeys = new Set<string>();
    return confirmations.map((c) => {
      if (failedKeys.has(c.orderingKey)) return { messageId: c.messageId, status: "skipped", error: "An earlier confirmation of the same order failed in this request." };
      if (this.options.rejectIds?.has(c.messageId)) {
        failedKeys.add(c.orderingKey);
        this.stats.rejected++;
        return { messageId: c.messageId, status: "rejected", error: "Simulated: this ERP refuses the message for good." };
      }
      const seen = this.applied.get(c.messageId);
      if (seen && this.options.dedupe) {
        this.stats.duplicates++;
        return { messageId: c.messageId, status: "duplicate" };
      }
      if (seen) seen.times++;
      else this.applied.set(c.messageId, { confirmation: c, times: 1, firstAt: Date.now() });
      this.log.push(c);
      this.stats.applied++;
      return { messageId: c.messageId, status: "applied" };
    });
  }

  private fault(): ReceiverFault | null {
    if (this.burstLeft > 0) {
      this.burstLeft--;
      return "burst-5xx";
    }
    if (this.options.faults.length === 0 || this.options.random() >= this.options.faultRate) return null;
    const f = this.options.faults[Math.floor(this.options.random() * this.options.faults.length)]!;
    if (f === "burst-5xx") this.burstLeft = Math.max(0, this.options.burst - 1);
    return f;
  }

  private later(ms: number, fn: () => void) {
    const t = setTimeout(() => {
      this.pending.delete(t);
      fn();
    }, ms);
    this.pending.add(t);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const send = (status: number, body: unknown) => {
      if (res.destroyed) return;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (this.options.token && req.headers.authorization !== `Bearer ${this.options.token}`) return send(401, { error: "Unknown credential." });
    const path = new URL(req.url ?? "/", "http://sim").pathname;
    if (req.method === "GET") {
      // status query: GET /confirmations/<messageId>
      this.stats.statusQueries++;
      const id = decodeURIComponent(path.split("/").at(-1) ?? "");
      return this.applied.has(id) ? send(200, { messageId: id, status: "applied" }) : send(404, { messageId: id, status: "unknown" });
    }
    if (req.method !== "POST") return send(405, { error: "POST confirmations, or GET one by message id." });
    this.stats.requests++;
    const text = Buffer.concat(chunks).toString("utf8");
    if (this.options.keepRequests) this.requests.push({ contentType: req.headers["content-type"] ?? "", body: text });
    const confirmations = readConfirmationsRequest(text);
    if (!confirmations) return send(400, { error: "Expected { confirmations: [...] }, { format: \"sap\", messages: [...] } or a B2MML OperationsPerformance." });
    const fault = this.fault();
    if (fault) this.stats.faults[fault] = (this.stats.faults[fault] ?? 0) + 1;
    switch (fault) {
      case "error-before":
        return send(500, { error: "Simulated: failed before applying." });
      case "burst-5xx":
        return send(503, { error: "Simulated: unavailable." });
      case "reset-before":
        return void req.socket.destroy();
      case "error-after":
        this.applyBatch(confirmations);
        return send(500, { error: "Simulated: applied, then failed to answer." });
      case "reset-after":
        this.applyBatch(confirmations);
        return void req.socket.destroy();
      case "timeout-after": {
        const results = this.applyBatch(confirmations);
        return this.later(this.options.holdMs, () => send(200, { results }));
      }
      case "slow": {
        const results = this.applyBatch(confirmations);
        return this.later(this.options.slowMs, () => send(200, { results }));
      }
      default:
        return send(200, { results: this.applyBatch(confirmations) });
    }
  }
}

/**
 * A pulling ERP: reads the feed from its cursor, applies in order, acknowledges; with `loseAcks` some acknowledgements
 * are "lost" (not sent), so the same confirmations come back on a re-read from an older cursor and must be recognised.
 */
export async function pullOnce(
  erp: ReceivingErp,
  o: { baseUrl: string; apiKey: string; cursor: string | null; limit: number; loseAckRate?: number; random?: () => number },
): Promise<{ cursor: string | null; received: number; more: boolean }> {
  const headers = { authorization: `Bearer ${o.apiKey}` };
  const url = `${o.baseUrl}/api/erp/v1/confirmations?limit=${o.limit}${o.cursor ? `&after=${encodeURIComponent(o.cursor)}` : ""}`;
  const res = await fetch(url, { headers });
  if (!res.ok) throw new Error(`pull answered HTTP ${res.status}: ${await res.text()}`);
  const page = (await res.json()) as { confirmations: (JsonConfirmation & { document?: string })[]; next: string | null; more: boolean };
  // a connection in the b2mml or sap format also gets each confirmation as a document of that format: apply from it
  const received = page.confirmations.map((c): ReceivedConfirmation => {
    if (c.document === undefined) return { ...c, format: "json" };
    const [fromDocument, ...rest] = readConfirmationsRequest(c.document) ?? [];
    if (!fromDocument || rest.length > 0 || fromDocument.messageId !== c.messageId || fromDocument.orderingKey !== c.orderingKey) {
      throw new Error(`the document of confirmation ${c.messageId} does not carry it alone: ${c.document.slice(0, 200)}`);
    }
    return fromDocument;
  });
  const results = erp.applyBatch(received);
  const done = results.filter((r) => r.status === "applied" || r.status === "duplicate").map((r) => r.messageId);
  const lose = (o.loseAckRate ?? 0) > 0 && (o.random ?? Math.random)() < o.loseAckRate!;
  if (done.length > 0 && !lose) {
    const ack = await fetch(`${o.baseUrl}/api/erp/v1/confirmations/ack`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify({ messageIds: done }) });
    if (!ack.ok) throw new Error(`ack answered HTTP ${ack.status}: ${await ack.text()}`);
  }
  // a lost acknowledgement: keep the old cursor, so the same page is read (and recognised) again
  return { cursor: lose ? o.cursor : page.next, received: page.confirmations.length, more: page.more };
}

// ---- reading a request in any outbound format -------------------------------------------------------------------

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => ["OperationsPerformance", "OperationsResponse", "SegmentResponse", "SegmentData", "MaterialActual"].includes(name),
});

type XmlNode = Record<string, unknown>;
const textOf = (v: unknown): string | null => (typeof v === "string" ? v : v && typeof v === "object" && typeof (v as XmlNode)["#text"] === "string" ? ((v as XmlNode)["#text"] as string) : null);

/**
 * The confirmations of one request body, in order, whatever its format: Traceline's JSON (`confirmations`), the
 * SAP-style JSON (`format: "sap"`, `messages`), or a B2MML OperationsPerformance (bare or in a BOD). Null when the body
 * is none of these.
 */
export function readConfirmationsRequest(text: string): ReceivedConfirmation[] | null {
  return text.trimStart().startsWith("<") ? readB2mml(text) : readJson(text);
}

function readJson(text: string): ReceivedConfirmation[] | null {
  let body: { confirmations?: unknown; format?: unknown; messages?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return null;
  }
  if (Array.isArray(body?.confirmations)) return (body.confirmations as JsonConfirmation[]).map((c) => ({ ...c, format: "json" }));
  if (body?.format !== "sap" || !Array.isArray(body.messages)) return null;
  const out: ReceivedConfirmation[] = [];
  for (const m of body.messages as Record<string, unknown>[]) {
    if (typeof m?.messageId !== "string" || typeof m.orderingKey !== "string" || typeof m.type !== "string") return null;
    out.push({ messageId: m.messageId, orderingKey: m.orderingKey, type: m.type, plant: typeof m.plant === "string" ? m.plant : "", occurredAt: typeof m.occurredAt === "string" ? m.occurredAt : "", payload: m, format: "sap" });
  }
  return out;
}

function readB2mml(text: string): ReceivedConfirmation[] | null {
  let doc: XmlNode;
  try {
    doc = xml.parse(text, true) as XmlNode;
  } catch {
    return null;
  }
  const rootName = Object.keys(doc).find((k) => k.endsWith("OperationsPerformance"));
  if (!rootName) return null;
  const root = doc[rootName] as XmlNode;
  const performances = rootName === "OperationsPerformance" ? [root] : ((root?.DataArea as XmlNode | undefined)?.OperationsPerformance as XmlNode[] | undefined);
  if (!Array.isArray(performances)) return null;
  const out: ReceivedConfirmation[] = [];
  for (const response of performances.flatMap((p) => (p.OperationsResponse as XmlNode[] | undefined) ?? [])) {
    const segment = (response.SegmentResponse as XmlNode[] | undefined)?.[0];
    const data = new Map(((segment?.SegmentData as XmlNode[] | undefined) ?? []).map((d) => [textOf(d.ID), textOf((d.Value as XmlNode | undefined)?.ValueString)]));
    const messageId = textOf(response.ID);
    const orderingKey = data.get("OrderingKey");
    const type = data.get("ConfirmationType");
    if (!messageId || !orderingKey || !type) return null;
    const plant = textOf((response.HierarchyScope as XmlNode | undefined)?.EquipmentID) ?? "";
    out.push({ messageId, orderingKey, type, plant, occurredAt: textOf(response.EndTime) ?? "", payload: response, format: "b2mml" });
  }
  return out.length > 0 ? out : null;
}
