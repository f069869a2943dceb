import "server-only";
import { createHash } from "node:crypto";
import type { Db, Tx } from "@/db/client";
import * as inbox from "@/server/repos/erp-inbox";
import { applyMessage, type ApplyContext } from "./apply-message";
import { isFastCandidate, receiveFastBatch, type FastItem } from "./receive-batch";
import { assembleSegments, decideVersion, SEQUENTIAL_TYPES } from "@/server/domain/erp/versioning";
import { isDomainError } from "@/server/domain/shared/errors";
import { canonicalJson } from "@/server/domain/canonical-json/canonical-json";
import { SITE_SCOPED_MESSAGE_TYPES } from "@/server/domain/erp/message-scope";
import { envelope, fieldErrors, PAYLOADS, type Envelope, type FieldError, type MessageType, type Payload } from "@/server/integrations/erp/messages";
import { classifyFailure } from "@/server/domain/shared/failure";
import { logFailure, newCorrelationId } from "@/server/services/shared/failure-log";

export type Connection = { id: string; source: string; plantSites: Record<string, string> };
export type MessageStatus = "applied" | "duplicate" | "overtaken" | "held" | "rejected";
export type MessageOutcome = { messageId: string; status: MessageStatus; error?: { code: string; message: string; fields?: FieldError[] }; warnings?: string[] };

/** How long a production-order message may wait for a missing earlier version before it is dead-lettered. */
export const HELD_LIMIT_MINUTES = 30;
/** Unexpected failures (not a bad message) are retried on redelivery; after this many the message is dead-lettered. */
export const MAX_ATTEMPTS = 3;

const SITE_SCOPED = new Set<string>(SITE_SCOPED_MESSAGE_TYPES);

/**
 * The hash stored in erp_inbox: SHA-256 of the message's canonical JSON, so the same message hashes the same whatever
 * the key order on the wire. A number beyond a double's range (1e400) reads from JSON as Infinity, which canonical JSON
 * refuses: such a message is hashed as JSON writes it (null there), as it always was, and then fails validation.
 */
export function payloadHash(message: unknown): string {
  let text: string;
  try {
    text = canonicalJson(message);
  } catch (e) {
    if (!isDomainError(e)) throw e;
    text = canonicalJson(JSON.parse(JSON.stringify(message) ?? "null"));
  }
  return createHash("sha256").update(text).digest("hex");
}

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

/**
 * Receive a batch of ERP messages. Each message is handled in its own transaction (one bad message never affects
 * another), deduplicated by (source, messageId) in the same transaction as its effect (invariant 8).
 */
export async function receiveErpMessages(
  db: Db,
  connection: Connection,
  batch: unknown[],
  now: Date,
  opts: { fastPathMinBatch?: number } = {},
): Promise<MessageOutcome[]> {
  await expireHeldMessages(db, now);
  const out: (MessageOutcome | undefined)[] = new Array(batch.length);
  // Part and BOM messages of a large batch take the set-based path (same decisions, a few statements per batch);
  // they are applied first, so masters precede the documents that name them. Everything else goes one by one.
  const fast: FastItem[] = [];
  batch.forEach((raw, index) => {
    const parsed = envelope.safeParse(raw);
    if (!parsed.success || parsed.data.source !== connection.source || !isFastCandidate(parsed.data)) return;
    const siteId = connection.plantSites[parsed.data.plant];
    if (siteId) fast.push({ index, env: parsed.data, raw, hash: payloadHash(raw), siteId });
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
  for (let i = 0; i < batch.length; i++) out[i] ??= await receiveOne(db, connection, batch[i], now);
  return out as MessageOutcome[];
}

/** Below this many part/BOM messages in a batch, the one-by-one path is as fast. */
export const FAST_PATH_MIN_BATCH = 8;

async function receiveOne(db: Db, connection: Connection, raw: unknown, now: Date): Promise<MessageOutcome> {
  const parsed = envelope.safeParse(raw);
  const r = (raw ?? {}) as Record<string, unknown>;
  const hash = payloadHash(raw);
  if (!parsed.success) {
    // Keep what we can of a malformed message for inspection, under its own id or one derived from its content.
    const messageId = typeof r.messageId === "string" && r.messageId.trim() ? r.messageId.trim().slice(0, 128) : `malformed-${hash.slice(0, 24)}`;
    const error = reject("The message envelope is not valid.", fieldErrors(parsed.error));
    await storeRejected(db, connection, {
      source: typeof r.source === "string" ? r.source.slice(0, 64) : connection.source,
      messageId,
      type: typeof r.type === "string" ? r.type.slice(0, 64) : "unknown",
      objectKey: typeof r.key === "string" ? r.key.slice(0, 200) : "",
      version: typeof r.version === "number" && Number.isSafeInteger(r.version) ? r.version : 0,
      plant: typeof r.plant === "string" ? r.plant.slice(0, 64) : "",
      payload: raw ?? null,
      payloadHash: hash,
    }, error, now);
    return { messageId, status: "rejected", error };
  }
  const env = parsed.data;
  try {
    return await receiveValid(db, connection, env, raw, hash, now);
  } catch (failure) {
    return recordFailure(db, connection, env, raw, hash, failure, now);
  }
}

async function receiveValid(db: Db, connection: Connection, env: Envelope, raw: unknown, hash: string, now: Date): Promise<MessageOutcome> {
  return db.transaction(async (tx) => {
    const siteId = connection.plantSites[env.plant] ?? null;
    const { row, inserted } = await inbox.insertOrLockMessage(tx, {
      source: env.source,
      messageId: env.messageId,
      type: env.type,
      objectKey: env.key,
      version: env.version,
      plant: env.plant,
      siteId,
      occurredAt: new Date(env.occurredAt),
      payload: raw as object,
      payloadHash: hash,
      connectionId: connection.id,
      receivedAt: now,
    });
    if (!inserted) {
      if (row.payloadHash !== hash) {
        return { messageId: env.messageId, status: "rejected" as const, error: reject(`Message id ${env.messageId} was already received with a different content.`, undefined, "MESSAGE_ID_CONFLICT") };
      }
      if (row.status !== "received") return replayAnswer(row);
    } else {
      await inbox.setMessageStatus(tx, row.id, "received", { note: "received" });
    }
    if (env.source !== connection.source) {
      return finishRejected(tx, row.id, env.messageId, reject(`This connection sends as source "${connection.source}", not "${env.source}".`, [{ field: "source", reason: "not this connection's source" }]));
    }
    if (!siteId) {
      return finishRejected(tx, row.id, env.messageId, reject(`Plant ${env.plant} is not mapped to a site for this connection.`, [{ field: "plant", reason: "unknown plant" }]));
    }
    return processMessage(tx, row.id, env, siteId, now, null);
  });
}

function replayAnswer(row: inbox.InboxRow): MessageOutcome {
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

/**
 * Validate the payload, decide on the version, and apply — inside the transaction that holds the inbox row.
 * A bad message (shape or reference) is rejected and kept; an unexpected failure rolls everything back.
 */
async function processMessage(tx: Tx, id: number, env: Envelope, siteId: string, now: Date, actorUserId: string | null): Promise<MessageOutcome> {
  const payload = PAYLOADS[env.type].safeParse(env.payload);
  if (!payload.success) return finishRejected(tx, id, env.messageId, reject(`The ${env.type} payload is not valid.`, fieldErrors(payload.error, "payload")), actorUserId);
  const wanted = expectedKey(env.type, payload.data as Record<string, unknown>);
  if (wanted !== null && wanted !== env.key) {
    return finishRejected(tx, id, env.messageId, reject(`The key "${env.key}" does not name the object in the payload ("${wanted}").`, [{ field: "key", reason: `must be "${wanted}"` }]), actorUserId);
  }
  const vkey = versionKey(env);
  const applied = await inbox.lockObjectVersion(tx, env.type, vkey);
  const decision = decideVersion(env.version, applied, SEQUENTIAL_TYPES.has(env.type));
  if (decision.kind === "overtaken") {
    await inbox.setMessageStatus(tx, id, "overtaken", { note: `version ${env.version} is not newer than the applied version ${decision.appliedVersion}`, actorUserId });
    return { messageId: env.messageId, status: "overtaken" };
  }
  if (decision.kind === "held") {
    const error = reject(`Waiting for version ${decision.waitingFor} of ${env.type.replaceAll("_", " ")} ${env.key}.`, undefined, "WAITING_FOR_EARLIER_VERSION");
    await inbox.setMessageStatus(tx, id, "held", { error, actorUserId });
    return { messageId: env.messageId, status: "held", error };
  }

  let body: unknown = payload.data;
  let segmentRows: number[] = [];
  if (env.type === "bom") {
    const bom = payload.data as Payload<"bom">;
    if (bom.segment && bom.segment.count > 1) {
      const held = (await inbox.heldMessages(tx, env.source, "bom", env.key)).filter((h) => h.version === env.version && h.plant === env.plant && h.id !== id);
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

  const ctx: ApplyContext = { tx, siteId, version: env.version, registry: await inbox.loadOwnership(tx), warnings: [], now, reference: { erpMessageId: env.messageId } };
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
    const held = (await inbox.heldMessages(tx, env.source, env.type, env.key)).filter((h) => h.plant === env.plant);
    // A copy of a version that is now applied (the ERP sent it again under another message id while it waited) will
    // never apply: it is overtaken now rather than left waiting to be dead-lettered.
    for (const h of held.filter((h) => h.version <= env.version)) {
      await inbox.setMessageStatus(tx, h.id, "overtaken", { note: `version ${h.version} is not newer than the applied version ${env.version}`, actorUserId });
    }
    // The gap may now be filled: apply the held successor(s) in order, in this same transaction.
    const next = held.find((h) => h.version === env.version + 1);
    if (next) await processMessage(tx, next.id, next.payload as Envelope, siteId, now, actorUserId);
  }
  return { messageId: env.messageId, status: "applied", ...(ctx.warnings.length ? { warnings: ctx.warnings } : {}) };
}

async function storeRejected(db: Db, connection: Connection, row: Omit<inbox.NewInboxRow, "occurredAt" | "siteId" | "connectionId">, error: Rejection, now: Date) {
  await db.transaction(async (tx) => {
    const { row: stored, inserted } = await inbox.insertOrLockMessage(tx, { ...row, siteId: null, occurredAt: now, connectionId: connection.id, receivedAt: now });
    if (inserted) await inbox.setMessageStatus(tx, stored.id, "rejected", { error });
  });
}

/** A body that is not JSON at all: kept for inspection as one rejected message. */
export async function receiveMalformedBody(db: Db, connection: Connection, text: string, reason: string, now: Date): Promise<MessageOutcome> {
  const hash = payloadHash(text);
  const messageId = `malformed-${hash.slice(0, 24)}`;
  const error = reject(reason, [{ field: "body", reason }]);
  await storeRejected(db, connection, { source: connection.source, messageId, type: "unknown", objectKey: "", version: 0, plant: "", payload: { raw: text.slice(0, 65_536) }, payloadHash: hash }, error, now);
  return { messageId, status: "rejected", error };
}

/** Held messages whose gap never filled are dead-lettered with the reason, so they do not wait forever. */
export async function expireHeldMessages(db: Db, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - HELD_LIMIT_MINUTES * 60_000);
  return db.transaction(async (tx) => {
    const rows = await inbox.heldOlderThan(tx, cutoff);
    for (const row of rows) {
      const waited = (row.error as Rejection | null)?.message ?? "waiting";
      await inbox.setMessageStatus(tx, row.id, "dead_letter", {
        error: reject(`${waited} Gave up after ${HELD_LIMIT_MINUTES} minutes.`, undefined, "HELD_TOO_LONG"),
      });
    }
    return rows.length;
  });
}

/** Record an unexpected failure: the message stays "received" for redelivery, and is dead-lettered after MAX_ATTEMPTS. */
async function recordFailure(db: Db, connection: Connection, env: Envelope, raw: unknown, hash: string, failure: unknown, now: Date): Promise<MessageOutcome> {
  // The ERP and the monitor get the kind of failure and a reference; its details (SQL, parameters) go to the log only.
  const reference = newCorrelationId();
  logFailure(`ERP message ${env.source}/${env.messageId}`, reference, failure);
  const error = reject(`Temporary failure while applying (${classifyFailure(failure).code}, reference ${reference}). Send it again.`, undefined, "TEMPORARY_FAILURE");
  return db.transaction(async (tx) => {
    const { row } = await inbox.insertOrLockMessage(tx, {
      source: env.source,
      messageId: env.messageId,
      type: env.type,
      objectKey: env.key,
      version: env.version,
      plant: env.plant,
      siteId: connection.plantSites[env.plant] ?? null,
      occurredAt: new Date(env.occurredAt),
      payload: raw as object,
      payloadHash: hash,
      connectionId: connection.id,
      receivedAt: now,
    });
    if (row.status !== "received" || row.payloadHash !== hash) return replayAnswer(row);
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
    return processMessage(tx, row.id, parsed.data, row.siteId, now, actorUserId);
  });
}
