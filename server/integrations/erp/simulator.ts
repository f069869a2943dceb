import type { Envelope, Payload } from "./messages";

/*
 * The simulated ERP's brain, without a network: from a base message set (the demo plant's, see
 * db/seed/demo-erp-messages.ts) it plans the requests to send, with faults injected on request, and the answer the
 * interface must give to each injected message; then it judges the answers. scripts/erp-sim.ts sends the plan over
 * HTTP; server/integrations/erp/simulator.int.test.ts drives it through receiveErpMessages in-process.
 *
 * Faults:
 * - duplicates:     some messages are sent again (one of them twice in one request). A redelivery must answer
 *                   `duplicate` (or, when the first delivery was refused or held, the same answer again).
 * - newer versions: new versions of some parts are sent (each must be `applied`);
 * - shuffle:        ...newest first, then the older version (`overtaken`, and it must not change the part); split
 *                   BOM segments arrive out of order. Without --newer-versions, shuffle sends those versions too.
 * - split BOMs:     every BOM is sent again as a new version in N segments: all but the last delivered are `held`,
 *                   the last delivered is `applied` (the BOM changes only then, all at once).
 * - malformed:      a body that is not JSON, an envelope with missing fields, an unknown message type, an unknown
 *                   plant, a part without its description, a BOM naming a part that does not exist: all `rejected`,
 *                   with the field at fault.
 *
 * Fault messages get ids and versions unique to the run (runId, versionBase), so the simulator can run any number of
 * times against the same database: the demo messages answer `duplicate` (or `overtaken`), the faults as above.
 */

export type FaultKind = "duplicates" | "newer-versions" | "shuffle" | "split-boms" | "malformed";

export type SimulationOptions = {
  /** Unique per run (e.g. from the clock): goes into every injected message id. */
  runId: string;
  /** Larger than any version sent before (e.g. hundredths of a second since 1970): injected versions are base + 1..5. */
  versionBase: number;
  /** Messages per request (the endpoint takes at most 1000). */
  batchSize: number;
  duplicates?: boolean;
  newerVersions?: boolean;
  shuffle?: boolean;
  /** Re-split every BOM into this many segments (at most one line per segment); false or 0: off. */
  splitBoms?: number | false;
  malformed?: boolean;
};

export type AnswerStatus = "applied" | "duplicate" | "overtaken" | "held" | "rejected";
/** One message's answer, as POST /api/erp/v1/messages gives it (and receiveErpMessages returns it). */
export type Answer = {
  messageId: string;
  status: AnswerStatus;
  error?: { code: string; message: string; fields?: { field: string; reason: string }[] };
  warnings?: string[];
};

export type Expectation =
  /** A message of the base set: reported, not judged (its answer depends on what the database already holds). */
  | { kind: "reported" }
  | { kind: "status"; status: AnswerStatus; field?: string; why: string }
  /** A redelivery: answered `duplicate`, or the first delivery's answer again when that was held or refused. */
  | { kind: "redelivery"; of: string; why: string };

export type PlannedMessage = {
  /** What is sent: an envelope, or (malformed) anything. */
  body: unknown;
  messageId: string;
  label: string;
  fault: FaultKind | null;
  expect: Expectation;
};

export type PlannedRequest =
  | { kind: "messages"; title: string; fault: FaultKind | null; messages: PlannedMessage[] }
  /** A body that is not JSON: the endpoint answers 400 with one rejected result. */
  | { kind: "raw"; title: string; fault: "malformed"; body: string; message: PlannedMessage };

export type SimulationPlan = { requests: PlannedRequest[]; baseCount: number; faults: FaultKind[] };

const labelOf = (env: Envelope) => `${env.type} ${env.key} v${env.version} @${env.plant}`;

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Plan the requests: the base set first (in order, in batches), then each requested fault. */
export function planSimulation(base: Envelope[], opts: SimulationOptions): SimulationPlan {
  if (!Number.isInteger(opts.batchSize) || opts.batchSize < 1 || opts.batchSize > 1000) throw new Error("The batch size must be a whole number from 1 to 1000.");
  if (!/^[A-Za-z0-9-]{1,40}$/.test(opts.runId)) throw new Error("The run id must be 1-40 letters, digits or dashes.");
  if (!Number.isSafeInteger(opts.versionBase) || opts.versionBase < 1) throw new Error("The version base must be a positive whole number.");
  const requests: PlannedRequest[] = [];
  const faults: FaultKind[] = [];
  const push = (title: string, fault: FaultKind | null, messages: PlannedMessage[]) => {
    const parts = chunk(messages, opts.batchSize);
    parts.forEach((m, i) => requests.push({ kind: "messages", title: parts.length > 1 ? `${title} (${i + 1}/${parts.length})` : title, fault, messages: m }));
  };
  const id = (what: string) => `SIM-${opts.runId}-${what}`;
  const source = base[0]?.source ?? "SAP-DEMO";
  const plant = base[0]?.plant ?? "1000";
  const occurredAt = base.at(-1)?.occurredAt ?? "2026-01-01T00:00:00Z";

  push(
    "demo message set",
    null,
    base.map((env) => ({ body: env, messageId: env.messageId, label: labelOf(env), fault: null, expect: { kind: "reported" } })),
  );

  if (opts.duplicates) {
    faults.push("duplicates");
    // One message of each type, and every tenth message besides; the first one twice in the same request.
    const picked = new Map<string, Envelope>();
    const seenTypes = new Set<string>();
    base.forEach((env, i) => {
      if (!seenTypes.has(env.type) || i % 10 === 5) picked.set(env.messageId, env);
      seenTypes.add(env.type);
    });
    const again = [...picked.values()];
    if (again[0]) again.push(again[0]);
    push(
      "fault: duplicates (messages sent again)",
      "duplicates",
      again.map((env) => ({
        body: env,
        messageId: env.messageId,
        label: labelOf(env),
        fault: "duplicates",
        expect: { kind: "redelivery", of: env.messageId, why: "the same message again: counted once" },
      })),
    );
  }

  if (opts.newerVersions || opts.shuffle) {
    if (opts.newerVersions) faults.push("newer-versions");
    if (opts.shuffle) faults.push("shuffle");
    const parts = base.filter((e): e is Envelope & { type: "part" } => e.type === "part").slice(0, 3);
    const messages: PlannedMessage[] = [];
    for (const env of parts) {
      const payload = env.payload as Payload<"part">;
      const newer: Envelope = { ...env, messageId: id(`part-${env.key}-v${opts.versionBase + 2}`), version: opts.versionBase + 2 };
      const older: Envelope = {
        ...env,
        messageId: id(`part-${env.key}-v${opts.versionBase + 1}`),
        version: opts.versionBase + 1,
        payload: { ...payload, description: `${payload.description} (older version)`.slice(0, 200) },
      };
      const m = (e: Envelope, status: AnswerStatus, why: string, fault: FaultKind): PlannedMessage => ({ body: e, messageId: e.messageId, label: labelOf(e), fault, expect: { kind: "status", status, why } });
      if (opts.shuffle) {
        messages.push(m(newer, "applied", "a newer version applies", "shuffle"), m(older, "overtaken", "an older version after a newer one is not applied", "shuffle"));
      } else {
        messages.push(m(older, "applied", "a newer version applies", "newer-versions"), m(newer, "applied", "a newer version applies", "newer-versions"));
      }
    }
    push(opts.shuffle ? "fault: newer part versions first, then the older ones" : "fault: newer part versions, in order", opts.shuffle ? "shuffle" : "newer-versions", messages);
  }

  const segmentsWanted = opts.splitBoms ? Math.floor(opts.splitBoms) : 0;
  if (segmentsWanted >= 2) {
    faults.push("split-boms");
    // Reassemble each BOM of the base set (some arrive in segments already), then re-split it as a new version.
    const boms = new Map<string, { env: Envelope; payload: Payload<"bom">; lines: Payload<"bom">["lines"][] }>();
    for (const env of base) {
      if (env.type !== "bom") continue;
      const p = env.payload as Payload<"bom">;
      const entry = boms.get(env.key) ?? { env, payload: p, lines: [] };
      entry.lines[(p.segment?.index ?? 1) - 1] = p.lines;
      boms.set(env.key, entry);
    }
    for (const { env, payload, lines } of boms.values()) {
      const all = lines.flat();
      const count = Math.max(1, Math.min(segmentsWanted, all.length));
      const size = Math.ceil(all.length / count);
      const segments = chunk(all, size);
      const version = opts.versionBase + 3;
      let envs: Envelope[] = segments.map((segLines, i) => ({
        ...env,
        messageId: id(`bom-${env.key}-v${version}-${i + 1}of${segments.length}`),
        version,
        payload: { partNumber: payload.partNumber, revision: payload.revision, segment: { index: i + 1, count: segments.length }, lines: segLines },
      }));
      if (opts.shuffle) envs = [...envs.slice(1).reverse(), envs[0]!]; // out of order: last segments first
      push(
        `fault: BOM ${env.key} re-split into ${segments.length} segments${opts.shuffle ? ", out of order" : ""}`,
        "split-boms",
        envs.map((e, i) => {
          const last = i === envs.length - 1;
          return {
            body: e,
            messageId: e.messageId,
            label: `${labelOf(e)} segment ${(e.payload as Payload<"bom">).segment!.index}/${segments.length}`,
            fault: "split-boms" as const,
            expect: last || segments.length === 1
              ? { kind: "status" as const, status: "applied" as const, why: "the last segment completes the BOM" }
              : { kind: "status" as const, status: "held" as const, why: "a BOM waits for all its segments" },
          };
        }),
      );
    }
  }

  if (opts.malformed) {
    faults.push("malformed");
    const rejected = (field: string, why: string): Expectation => ({ kind: "status", status: "rejected", field, why });
    const badJsonId = id("bad-json");
    const badJson = `[{"source":"${source}","messageId":"${badJsonId}","type":"supplier","key":"V-${opts.runId}",`;
    requests.push({
      kind: "raw",
      title: "fault: a body that is not JSON",
      fault: "malformed",
      body: badJson,
      message: { body: badJson, messageId: "(derived from the body)", label: "truncated JSON body", fault: "malformed", expect: rejected("body", "not JSON") },
    });
    const supplierCode = `VSIM-${opts.runId}`.slice(0, 64);
    const env = (what: string, fields: Partial<Envelope> & Record<string, unknown>): Envelope =>
      ({ source, messageId: id(what), type: "supplier", key: supplierCode, version: 1, plant, occurredAt, payload: { code: supplierCode, name: "Simulated supplier" }, ...fields }) as Envelope;
    const missing = env("missing-fields", {}) as Record<string, unknown>;
    delete missing.version;
    delete missing.occurredAt;
    const partPayload = { partNumber: `SIM-${opts.runId}`, uom: "EA", tracking: "lot", revisions: [{ revision: "A" }] };
    const bomParent = base.find((e) => e.type === "bom");
    const bomPayload = bomParent ? (bomParent.payload as Payload<"bom">) : { partNumber: "SIM-PARENT", revision: "A", lines: [] };
    const malformed: PlannedMessage[] = [
      { body: missing, messageId: id("missing-fields"), label: "envelope without version and occurredAt", fault: "malformed", expect: rejected("version", "required envelope field missing") },
      { body: env("unknown-type", { type: "purchase_order" as Envelope["type"] }), messageId: id("unknown-type"), label: "unknown message type purchase_order", fault: "malformed", expect: rejected("type", "unknown message type") },
      { body: env("unknown-plant", { plant: "9999" }), messageId: id("unknown-plant"), label: "supplier for unknown plant 9999", fault: "malformed", expect: rejected("plant", "plant not mapped to a site") },
      {
        body: env("part-without-description", { type: "part", key: partPayload.partNumber, payload: partPayload }),
        messageId: id("part-without-description"),
        label: `part ${partPayload.partNumber} without a description`,
        fault: "malformed",
        expect: rejected("payload.description", "required payload field missing"),
      },
      {
        body: env("bom-unknown-part", {
          type: "bom",
          key: `${bomPayload.partNumber}/${bomPayload.revision}`,
          version: opts.versionBase + 5,
          payload: {
            partNumber: bomPayload.partNumber,
            revision: bomPayload.revision,
            lines: [{ findNumber: 10, partNumber: `NO-SUCH-PART-${opts.runId}`, revision: "A", quantity: "1", operationSeq: 10 }],
          },
        }),
        messageId: id("bom-unknown-part"),
        label: `BOM ${bomPayload.partNumber}/${bomPayload.revision} naming unknown part NO-SUCH-PART-${opts.runId}`,
        fault: "malformed",
        expect: rejected("payload.lines.0.partNumber", "a BOM line names a part ERP never sent"),
      },
    ];
    push("fault: malformed messages", "malformed", malformed);
  }

  return { requests, baseCount: base.length, faults };
}

export type Verdict = { request: string; message: PlannedMessage; answer: Answer | null; ok: boolean | null; expected: string };

export type SimulationReport = {
  verdicts: Verdict[];
  /** Answers per status, over every message delivered. */
  byStatus: Record<string, number>;
  rejections: Verdict[];
  mismatches: Verdict[];
  /** Injected messages whose answer was judged, per fault. */
  checked: Partial<Record<FaultKind, number>>;
  /** True when every injected fault was answered as expected. */
  ok: boolean;
};

function expectedText(e: Expectation, first: Answer | undefined): string {
  if (e.kind === "reported") return "any answer";
  if (e.kind === "status") return `${e.status}${e.field ? ` (field ${e.field})` : ""}: ${e.why}`;
  if (!first || first.status === "applied" || first.status === "overtaken" || first.status === "duplicate") return `duplicate: ${e.why}`;
  if (first.status === "held") return "held or duplicate: the first delivery is held";
  return `rejected ${first.error?.code ?? ""}: the first delivery was refused`;
}

function meets(e: Expectation, a: Answer, first: Answer | undefined): boolean {
  if (e.kind === "reported") return true;
  if (e.kind === "status") {
    if (a.status !== e.status) return false;
    return !e.field || Boolean(a.error?.fields?.some((f) => f.field === e.field));
  }
  if (!first || first.status === "applied" || first.status === "overtaken" || first.status === "duplicate") return a.status === "duplicate";
  if (first.status === "held") return a.status === "held" || a.status === "duplicate";
  return a.status === "rejected" && a.error?.code === first.error?.code;
}

/**
 * Judge the answers (one array per planned request, in order; null for a request that got no answer). The first
 * delivery of a message is its first appearance in the plan.
 */
export function judgeSimulation(plan: SimulationPlan, answers: (Answer[] | null)[]): SimulationReport {
  const verdicts: Verdict[] = [];
  const firstAnswer = new Map<string, Answer>();
  const byStatus: Record<string, number> = {};
  const checked: Partial<Record<FaultKind, number>> = {};
  plan.requests.forEach((request, r) => {
    const got = answers[r] ?? null;
    const messages = request.kind === "raw" ? [request.message] : request.messages;
    messages.forEach((message, i) => {
      const answer = got?.[i] ?? null;
      const first = message.expect.kind === "redelivery" ? firstAnswer.get(message.expect.of) : undefined;
      const expected = expectedText(message.expect, first);
      let ok: boolean | null = null;
      if (message.expect.kind !== "reported") {
        ok = answer ? meets(message.expect, answer, first) : false;
        if (message.fault) checked[message.fault] = (checked[message.fault] ?? 0) + 1;
      }
      if (answer) {
        byStatus[answer.status] = (byStatus[answer.status] ?? 0) + 1;
        if (!firstAnswer.has(message.messageId)) firstAnswer.set(message.messageId, answer);
      }
      verdicts.push({ request: request.title, message, answer, ok, expected });
    });
  });
  const mismatches = verdicts.filter((v) => v.ok === false);
  return { verdicts, byStatus, rejections: verdicts.filter((v) => v.answer?.status === "rejected"), mismatches, checked, ok: mismatches.length === 0 };
}
