import "server-only";
import type { Db, Tx } from "@/db/client";
import * as inbox from "@/server/repos/erp-inbox";
import { applyMessage, type ApplyContext } from "./apply-message";
import { isFastCandidate, receiveFastBatch, type FastItem } from "./receive-batch";
import { assembleSegments, decideStampedOrder, decideVersion, nextInSequence, SEQUENTIAL_TYPES, type VersionDecision } from "@/server/domain/erp/versioning";
import { isDomainError } from "@/server/domain/shared/errors";
import { contentHash, payloadHash } from "./message-hashes";
import { SITE_SCOPED_MESSAGE_TYPES } from "@/server/domain/erp/message-scope";
import { describeInputProblem, findInputProblem, storableCopy, type InputLimits } from "@/server/domain/shared/storable-input";
import { envelope, fieldErrors, PAYLOADS, type Envelope, type FieldError, type MessageType, type Payload } from "@/server/integrations/erp/messages";
import { classifyFailure } from "@/server/domain/shared/failure";
import { logFailure, newCorrelationId } from "@/server/services/shared/failure-log";

export type Connection = { id: string; source: string; plantSites: Record<string, string> };
export type MessageStatus = "applied" | "duplicate" | "overtaken" | "held" | "rejected";
export type MessageOutcome = { messageId: string; status: MessageStatus; error?: { code: string; message: string; fields?: FieldError[] }; warnings?: string[] };

/** Most messages in one batch (a JSON request, or the messages one B2MML document maps to). */
export const MAX_BATCH = 1000;
/** How long a production-order message may wait for a missing earlier version before it is dead-lettered. */
export const HELD_LIMIT_MINUTES = 30;
/** Unexpected failures (not a bad message) are retried on redelivery; after this many the message is dead-lettered. */
export const MAX_ATTEMPTS = 3;
/**
 * What one message may hold before anything of it is used (server/domain/shared/storable-input.ts): no NUL or lone
 * surrogate, strings up to 100,000 characters, nesting up to 30 levels (the deepest message is 5). A message beyond
 * them is rejected on its own, naming the field; the other messages of the batch go on.
 */
export const ERP_MESSAGE_LIMITS: InputLimits = { maxStringLength: 100_000, maxDepth: 30, maxValues: 5_000_000 };

const SITE_SCOPED = new Set<string>(SITE_SCOPED_MESSAGE_TYPES);

function expectedKey(type: MessageType, p: Record<string, unknown>): string | null {
  switch (type) {
    case "part":
    case "approved_manufacturers":
      return String(p.partNumber);
    case "bom":
      return `${String(p.partNumber)}/${String(p.revision)}`;
    case "routing":
    case "supplier":
      return String(p.code);
    case "production_order":
      return String(p.number);
    case "inspection_status":
      return `${String(p.partNumber)}/${String(p.revision)}/${String(p.lotNumber ?? p.serialNumber)}`;
    default:
      return null;
  }
}

function versionKey(env: Pick<Envelope, "type" | "key" | "plant">): string {
  return SITE_SCOPED.has(env.type) ? `${env.plant}:${env.key}` : env.key;
}

type Rejection = { code: string; message: string; fields?: FieldError[] };
const reject = (message: string, fields?: FieldError[], code = "MESSAGE_INVALID"): Rejection => ({ code, message, ...(fields ? { fields } : {}) });

/** One element of a batch, looked at before anything is stored: what it is and how it is answered. */
type Prepared =
  | { kind: "valid"; env: Envelope & { source: string }; raw: unknown; hash: string }
  | { kind: "refused"; keep: KeptRow; error: Rejection };

type KeptRow = { messageId: string; type: string; objectKey: string; version: number; plant: string; payload: unknown; contentHash: string };

const text = (v: unknown, max: number): string | null => (typeof v === "string" && v.trim() && !findInputProblem(v, ERP_MESSAGE_LIMITS) ? v.trim().slice(0, max) : null);

/**
 * Classify one element of a batch without touching the database: input that cannot be stored, a malformed envelope,
 * an envelope naming another source than the connection's; else a valid envelope with its content hash.
 */
export function prepareMessage(raw: unknown, connection: Connection): Prepared {
  const r = raw !== null && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const problem = findInputProblem(raw, ERP_MESSAGE_LIMITS);
  const kept = (payload: unknown, hash: string, messageId?: string | null): KeptRow => ({
    // without an id of its own, a refused message is named by a hash of all of it (not only its business content)
    messageId: messageId ?? text(r.messageId, 128) ?? `malformed-${payloadHash(payload).slice(0, 24)}`,
    type: text(r.type, 64) ?? "unknown",
    objectKey: text(r.key, 200) ?? "",
    version: typeof r.version === "number" && Number.isSafeInteger(r.version) && r.version > 0 ? r.version : 0,
    plant: text(r.plant, 64) ?? "",
    // a message that is not an object (null, a number, a list) is kept inside one, so the row always has a payload
    payload: payload !== null && typeof payload === "object" && !Array.isArray(payload) ? payload : { received: payload ?? null },
    contentHash: hash,
  });
  if (problem) {
    const copy = storableCopy(raw, ERP_MESSAGE_LIMITS);
    const field = problem.path;
    return { kind: "refused", keep: kept(copy, contentHash(copy)), error: reject(describeInputProblem(problem, ERP_MESSAGE_LIMITS), [{ field: field || "message", reason: problem.reason.replaceAll("_", " ") }]) };
  }
  const hash = contentHash(raw);
  const parsed = envelope.safeParse(raw);
  if (!parsed.success) return { kind: "refused", keep: kept(raw, hash), error: reject("The message envelope is not valid.", fieldErrors(parsed.error)) };
  const env = parsed.data;
  if (env.source !== undefined && env.source !== connection.source) {
    return {
      kind: "refused",
      keep: kept(raw, hash, env.messageId),
      error: reject(`This connection sends as source "${connection.source}", not "${env.source}".`, [{ field: "source", reason: "not this connection's source" }]),
    };
  }
  return { kind: "valid", env: { ...env, source: connection.source }, raw, hash };
}

/**
 * Receive a batch of ERP messages from a connection. Every element gets its own answer, in order: each message is
 * handled in its own transaction, deduplicated by (connection, message id) and content hash in the same transaction as
 * its effect (invariant 8), and whatever one message is or does (unstorable, malformed, failing) never changes the
 * answer or the effect of another.
 */
export async function receiveErpMessages(
  db: Db,
  connection: Connection,
  batch: unknown[],
  now: Date,
  opts: { fastPathMinBatch?: number } = {},
): Promise<MessageOutcome[]> {
  await expireHeldMessages(db, now);
  const prepared = batch.map((raw) => prepareMessage(raw, connection));
  const out: (MessageOutcome | undefined)[] = new Array(batch.length);
  // Part and BOM messages of a large batch take the set-based path (same decisions, a few statements per batch);
  // they are applied first, so masters precede the documents that name them. Everything else goes one by one.
  const fast: FastItem[] = [];
  prepared.forEach((p, index) => {
    if (p.kind !== "valid" || !isFastCandidate(p.env)) return;
    const siteId = connection.plantSites[p.env.plant];
    if (siteId) fast.push({ index, env: p.env, raw: p.raw, hash: p.hash, siteId });
  });
  if (fast.length >= (opts.fastPathMinBatch ?? FAST_PATH_MIN_BATCH)) {
    try {
      const registry = await inbox.loadOwnership(db);
      const outcomes = await receiveFastBatch(db, connection, fast, registry, (env, payload) => expectedKey(env.type, payload), now);
      for (const [index, outcome] of outcomes) out[index] = outcome;
    } catch (e) {
      const cause = (e as { cause?: unknown }).cause ?? e;
      console.warn(`ERP batch: set-based path failed (${cause instanceof Error ? cause.message : String(cause)}); applying one by one`);
    }
  }
  for (let i = 0; i < batch.length; i++) out[i] ??= await receiveOne(db, connection, prepared[i]!, now);
  return out as MessageOutcome[];
}

/** Below this many part/BOM messages in a batch, the one-by-one path is as fast. */
export const FAST_PATH_MIN_BATCH = 8;

/** One message, answered whatever happens: a failure of its own becomes its answer, never the batch's. */
async function receiveOne(db: Db, connection: Connection, p: Prepared, now: Date): Promise<MessageOutcome> {
  if (p.kind === "refused") {
    try {
      await storeRejected(db, connection, p.keep, p.error, now);
    } catch (failure) {
      // Not even kept (the database did not answer): the answer still says why the message is refused.
      logFailure(`ERP message ${connection.source}/${p.keep.messageId} (keeping a refused message)`, newCorrelationId(), failure);
    }
    return { messageId: p.keep.messageId, status: "rejected", error: p.error };
  }
  try {
    return await receiveValid(db, connection, p.env, p.raw, p.hash, now);
  } catch (failure) {
    try {
      return await recordFailure(db, connection, p.env, p.raw, p.hash, failure, now);
    } catch (again) {
      const reference = newCorrelationId();
      logFailure(`ERP message ${connection.source}/${p.env.messageId} (recording a failure)`, reference, again);
      return { messageId: p.env.messageId, status: "rejected", error: temporaryFailure(again, reference) };
    }
  }
}

const newRow = (connection: Connection, env: Envelope, raw: unknown, hash: string, siteId: string | null, now: Date) => ({
  source: connection.source,
  messageId: env.messageId,
  type: env.type,
  objectKey: env.key,
  version: env.version,
  plant: env.plant,
  siteId,
  occurredAt: new Date(env.occurredAt),
  payload: raw as object,
  payloadHash: null,
  contentHash: hash,
  connectionId: connection.id,
  receivedAt: now,
});

/** Whether a stored row is the same message as this one (content hash; for rows from before content hashes, the whole message). */
function sameMessage(row: inbox.InboxRow, raw: unknown, hash: string): boolean {
  return row.contentHash !== null ? row.contentHash === hash : row.payloadHash === payloadHash(raw);
}

async function receiveValid(db: Db, connection: Connection, env: Envelope, raw: unknown, hash: string, now: Date): Promise<MessageOutcome> {
  return db.transaction(async (tx) => {
    const siteId = connection.plantSites[env.plant] ?? null;
    const { row, inserted } = await inbox.insertOrLockMessage(tx, newRow(connection, env, raw, hash, siteId, now));
    if (!inserted) {
      if (!sameMessage(row, raw, hash)) {
        return { messageId: env.messageId, status: "rejected" as const, error: reject(`Message id ${env.messageId} was already received with a different content.`, undefined, "MESSAGE_ID_CONFLICT") };
      }
      if (row.status !== "received") return replayAnswer(row);
    } else {
      await inbox.setMessageStatus(tx, row.id, "received", { note: "received" });
    }
    if (!siteId) {
      return finishRejected(tx, row.id, env.messageId, reject(`Plant ${env.plant} is not mapped to a site for this connection.`, [{ field: "plant", reason: "unknown plant" }]));
    }
    return processMessage(tx, row.id, env, siteId, connection.source, now, null);
  });
}

export function replayAnswer(row: inbox.InboxRow): MessageOutcome {
  const base = { messageId: row.messageId };
  switch (row.status) {
    case "applied":
    case "overtaken":
    case "duplicate":
      return { ...base, status: "duplicate" };
    case "held":
      return { ...base, status: "held", error: row.error as Rejection };
    default:
      return { ...base, status: "rejected", error: (row.error as Rejection) ?? reject("This message was rejected earlier.") };
  }
}

async function finishRejected(tx: Tx, id: number, messageId: string, error: Rejection, actorUserId: string | null = null): Promise<MessageOutcome> {
  await inbox.setMessageStatus(tx, id, "rejected", { error, actorUserId });
  return { messageId, status: "rejected", error };
}

/** The version decision for a message: newest wins, counted sequences, or a stamped order's release first. */
function versionDecision(env: Envelope, applied: number | null): VersionDecision {
  if (!SEQUENTIAL_TYPES.has(env.type)) return decideVersion(env.version, applied, false);
  if (env.versionKind === "timestamp") {
    const action = (env.payload as { action?: unknown } | null)?.action;
    return decideStampedOrder(env.version, applied, action === "release");
  }
  return decideVersion(env.version, applied, true);
}

/**
 * Validate the payload, decide on the version, and apply — inside the transaction that holds the inbox row.
 * A bad message (shape or reference) is rejected and kept; an unexpected failure rolls everything back.
 */
async function processMessage(tx: Tx, id: number, env: Envelope, siteId: string, source: string, now: Date, actorUserId: string | null): Promise<MessageOutcome> {
  const payload = PAYLOADS[env.type].safeParse(env.payload);
  if (!payload.success) return finishRejected(tx, id, env.messageId, reject(`The ${env.type} payload is not valid.`, fieldErrors(payload.error, "payload")), actorUserId);
  const wanted = expectedKey(env.type, payload.data as Record<string, unknown>);
  if (wanted !== null && wanted !== env.key) {
    return finishRejected(tx, id, env.messageId, reject(`The key "${env.key}" does not name the object in the payload ("${wanted}").`, [{ field: "key", reason: `must be "${wanted}"` }]), actorUserId);
  }
  const vkey = versionKey(env);
  const applied = await inbox.lockObjectVersion(tx, env.type, vkey);
  const decision = versionDecision(env, applied);
  if (decision.kind === "overtaken") {
    await inbox.setMessageStatus(tx, id, "overtaken", { note: `version ${env.version} is not newer than the applied version ${decision.appliedVersion}`, actorUserId });
    return { messageId: env.messageId, status: "overtaken" };
  }
  if (decision.kind === "held") {
    const what = `${env.type.replaceAll("_", " ")} ${env.key}`;
    const error = reject(decision.waitingFor === 0 ? `Waiting for the release of ${what}.` : `Waiting for version ${decision.waitingFor} of ${what}.`, undefined, "WAITING_FOR_EARLIER_VERSION");
    await inbox.setMessageStatus(tx, id, "held", { error, actorUserId });
    return { messageId: env.messageId, status: "held", error };
  }

  let body: unknown = payload.data;
  let segmentRows: number[] = [];
  if (env.type === "bom") {
    const bom = payload.data as Payload<"bom">;
    if (bom.segment && bom.segment.count > 1) {
      const held = (await inbox.heldMessages(tx, "bom", env.key)).filter((h) => h.version === env.version && h.plant === env.plant && h.id !== id);
      const parts = [...held.map((h) => ({ id: h.id, data: PAYLOADS.bom.parse((h.payload as Envelope).payload) })), { id, data: bom }]
        .filter((p): p is { id: number; data: Payload<"bom"> & { segment: { index: number; count: number } } } => Boolean(p.data.segment))
        .map((p) => ({ ...p, segment: p.data.segment }));
      const assembled = assembleSegments(parts, bom.segment.count);
      if (!assembled.complete) {
        const error = reject(`BOM ${env.key} version ${env.version}: waiting for segment(s) ${assembled.missing.join(", ")} of ${bom.segment.count}.`, undefined, "WAITING_FOR_SEGMENTS");
        await inbox.setMessageStatus(tx, id, "held", { error, actorUserId });
        return { messageId: env.messageId, status: "held", error };
      }
      body = { ...bom, segment: undefined, lines: assembled.ordered.flatMap((p) => p.data.lines) };
      segmentRows = assembled.ordered.map((p) => p.id).filter((x) => x !== id);
    }
  }

  const ctx: ApplyContext = {
    tx,
    siteId,
    version: env.version,
    registry: await inbox.loadOwnership(tx),
    warnings: [],
    now,
    reference: { erpMessageId: env.messageId },
    source,
    inboxId: id,
    versionKind: env.versionKind ?? "counter",
  };
  try {
    await tx.transaction((sp) => applyMessage({ ...ctx, tx: sp }, env.type, env.key, body));
  } catch (e) {
    if (!isDomainError(e)) throw e;
    const field = typeof e.details.field === "string" ? e.details.field : undefined;
    return finishRejected(tx, id, env.messageId, reject(e.message, field ? [{ field, reason: e.message }] : undefined, e.code === "VALIDATION_FAILED" ? "MESSAGE_INVALID" : e.code), actorUserId);
  }
  await inbox.recordObjectVersion(tx, env.type, vkey, env.version);
  await inbox.setMessageStatus(tx, id, "applied", { warnings: ctx.warnings, appliedAt: now, actorUserId });
  for (const other of segmentRows) await inbox.setMessageStatus(tx, other, "applied", { appliedAt: now, note: `applied with the last segment (message ${env.messageId})`, actorUserId });

  if (SEQUENTIAL_TYPES.has(env.type)) {
    await resumeWaiting(tx, { type: env.type, objectKey: env.key, plant: env.plant, siteId }, env.version, now, actorUserId, `resumed: version ${env.version} arrived`);
  }
  return { messageId: env.messageId, status: "applied", ...(ctx.warnings.length ? { warnings: ctx.warnings } : {}) };
}

export type OrderedObject = { type: string; objectKey: string; plant: string; siteId: string };

/**
 * After an ordered object's version `applied` took effect (or an administrator skipped to it): copies of versions now
 * applied are settled as overtaken, and the next waiting version (held, or dead-lettered because it waited too long: a
 * late predecessor resumes it) applies in this same transaction, which in turn resumes its own successor. Returns what
 * the resumed message did, or null when none was next.
 */
export async function resumeWaiting(tx: Tx, o: OrderedObject, applied: number, now: Date, actorUserId: string | null, note: string): Promise<MessageOutcome | null> {
  const waiting = (await inbox.heldMessages(tx, o.type, o.objectKey, { stalled: true })).filter((h) => h.plant === o.plant);
  // A copy of a version that is now applied (the ERP sent it again under another message id while it waited) will
  // never apply: it is overtaken now rather than left waiting to be dead-lettered.
  for (const h of waiting.filter((h) => h.version <= applied)) {
    await inbox.setMessageStatus(tx, h.id, "overtaken", { note: `version ${h.version} is not newer than the applied version ${applied}`, actorUserId });
  }
  const candidates = waiting.filter((h) => h.version > applied).map((h) => ({ row: h, version: h.version, env: envelope.safeParse(h.payload) }));
  const stamped = candidates.some((c) => c.env.success && c.env.data.versionKind === "timestamp");
  const next = nextInSequence(candidates, applied, stamped);
  if (!next) return null;
  if (!next.env.success) return finishRejected(tx, next.row.id, next.row.messageId, reject("The message envelope is not valid.", fieldErrors(next.env.error)), actorUserId);
  if (next.row.status !== "held") await inbox.setMessageStatus(tx, next.row.id, "received", { note, actorUserId });
  return processMessage(tx, next.row.id, next.env.data, o.siteId, next.row.source, now, actorUserId);
}

/** The applied version of an ordered object, locked for the transaction; set it (an administrator's skip) with `to`. */
export async function orderedObjectVersion(tx: Tx, o: Pick<OrderedObject, "type" | "objectKey" | "plant">, to?: number): Promise<number | null> {
  const vkey = SITE_SCOPED.has(o.type) ? `${o.plant}:${o.objectKey}` : o.objectKey;
  const applied = await inbox.lockObjectVersion(tx, o.type, vkey);
  if (to === undefined) return applied;
  await inbox.recordObjectVersion(tx, o.type, vkey, to);
  return to;
}

async function storeRejected(db: Db, connection: Connection, row: KeptRow, error: Rejection, now: Date) {
  await db.transaction(async (tx) => {
    const { row: stored, inserted } = await inbox.insertOrLockMessage(tx, {
      ...row,
      payload: row.payload as object,
      payloadHash: null,
      source: connection.source,
      siteId: null,
      occurredAt: now,
      connectionId: connection.id,
      receivedAt: now,
    });
    if (inserted) await inbox.setMessageStatus(tx, stored.id, "rejected", { error });
  });
}

/** A body that is not JSON at all: kept for inspection as one rejected message. */
export async function receiveMalformedBody(db: Db, connection: Connection, text: string, reason: string, now: Date): Promise<MessageOutcome> {
  const kept = storableCopy({ raw: text.slice(0, 65_536) }, ERP_MESSAGE_LIMITS);
  const hash = payloadHash(kept);
  const messageId = `malformed-${hash.slice(0, 24)}`;
  const error = reject(reason, [{ field: "body", reason }]);
  await storeRejected(db, connection, { messageId, type: "unknown", objectKey: "", version: 0, plant: "", payload: kept, contentHash: hash }, error, now);
  return { messageId, status: "rejected", error };
}

/** Held messages whose gap never filled are dead-lettered with the reason; their predecessor still resumes them. */
export async function expireHeldMessages(db: Db, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - HELD_LIMIT_MINUTES * 60_000);
  return db.transaction(async (tx) => {
    const rows = await inbox.heldOlderThan(tx, cutoff);
    for (const row of rows) {
      const waited = (row.error as Rejection | null)?.message ?? "waiting";
      await inbox.setMessageStatus(tx, row.id, "dead_letter", {
        error: reject(`${waited} Gave up after ${HELD_LIMIT_MINUTES} minutes; it applies when the missing message arrives, or an administrator skips the gap.`, undefined, "HELD_TOO_LONG"),
      });
    }
    return rows.length;
  });
}

function temporaryFailure(failure: unknown, reference: string): Rejection {
  return reject(`Temporary failure while applying (${classifyFailure(failure).code}, reference ${reference}). Send it again.`, undefined, "TEMPORARY_FAILURE");
}

/**
 * Record an unexpected failure. A value the database refuses (out of range, malformed: SQLSTATE class 22) is the
 * message's own fault and permanent: rejected as MESSAGE_INVALID at once. Anything else (the database busy, a lost
 * connection, a bug) leaves the message "received" for redelivery, and dead-letters it after MAX_ATTEMPTS.
 */
async function recordFailure(db: Db, connection: Connection, env: Envelope, raw: unknown, hash: string, failure: unknown, now: Date): Promise<MessageOutcome> {
  // The ERP and the monitor get the kind of failure and a reference; its details (SQL, parameters) go to the log only.
  const reference = newCorrelationId();
  logFailure(`ERP message ${connection.source}/${env.messageId}`, reference, failure);
  const permanent = classifyFailure(failure).code === "INVALID_INPUT";
  const error = permanent
    ? reject(`A value of this message is beyond what Traceline can store (reference ${reference}); check the payload against the published limits (GET /api/erp/v1/schema).`, [{ field: "payload", reason: "a value out of range or malformed" }])
    : temporaryFailure(failure, reference);
  return db.transaction(async (tx) => {
    const { row } = await inbox.insertOrLockMessage(tx, newRow(connection, env, raw, hash, connection.plantSites[env.plant] ?? null, now));
    if (row.status !== "received" || !sameMessage(row, raw, hash)) return replayAnswer(row);
    if (permanent) return finishRejected(tx, row.id, env.messageId, error);
    const attempts = row.attempts + 1;
    await inbox.setMessageStatus(tx, row.id, attempts >= MAX_ATTEMPTS ? "dead_letter" : "received", { error, attempts });
    return { messageId: env.messageId, status: "rejected" as const, error };
  });
}

/**
 * Replay a dead-lettered or rejected message (from the interface monitor). Idempotent: a message that is already
 * applied, overtaken or held is left as it is and its status returned.
 */
export async function replayMessage(db: Db, inboxId: number, actorUserId: string, now: Date): Promise<MessageOutcome | null> {
  return db.transaction(async (tx) => {
    const row = await inbox.lockMessageById(tx, inboxId);
    if (!row) return null;
    if (row.status !== "dead_letter" && row.status !== "rejected" && row.status !== "received") return replayAnswer(row);
    const parsed = envelope.safeParse(row.payload);
    if (!parsed.success) return finishRejected(tx, row.id, row.messageId, reject("The message envelope is not valid.", fieldErrors(parsed.error)), actorUserId);
    if (!row.siteId) return finishRejected(tx, row.id, row.messageId, reject(`Plant ${row.plant} is not mapped to a site.`, [{ field: "plant", reason: "unknown plant" }]), actorUserId);
    await inbox.setMessageStatus(tx, row.id, "received", { note: "replayed from the interface monitor", actorUserId, attempts: row.attempts + 1 });
    return processMessage(tx, row.id, parsed.data, row.siteId, row.source, now, actorUserId);
  });
}
