import "server-only";
import type { Db } from "@/db/client";
import * as bulk from "@/server/repos/erp-bulk";
import { checkBomLines, checkPartUpdate, partAttributes, rejectField, type PartAttributes } from "@/server/domain/erp/master-data-rules";
import { decideVersion, filterErpOwned, type Ownership } from "@/server/domain/erp/versioning";
import { isDomainError } from "@/server/domain/shared/errors";
import { fieldErrors, PAYLOADS, type Envelope, type Payload } from "@/server/integrations/erp/messages";
import { payloadHash } from "./message-hashes";
import type { Connection, MessageOutcome } from "./receive-messages";

/**
 * The set-based path for the bulk of ERP traffic: part and (unsegmented) BOM messages of one batch are decided in
 * memory, in batch order, exactly as the one-by-one path would decide them (versions, ownership, references), and then
 * written with a handful of statements in ONE transaction, together with their inbox rows (dedupe in the same
 * transaction as the effect). Messages whose id was already received are left to the one-by-one path (duplicates and
 * conflicts). If anything unexpected fails, the transaction rolls back and the caller falls back to one-by-one.
 */
export type FastItem = { index: number; env: Envelope & { source: string }; raw: unknown; hash: string; siteId: string };

type PartState = { id: string | null; tracking: string; revisions: Map<string, string | null> };
type PartRef = { partNumber: string; revision: string };

const key = (pn: string, rev: string) => `${pn}|${rev}`;

export function isFastCandidate(env: Envelope): boolean {
  if (env.type === "part") return true;
  if (env.type !== "bom") return false;
  const payload = env.payload as { segment?: unknown } | null;
  return !(payload && typeof payload === "object" && "segment" in payload);
}

export async function receiveFastBatch(
  db: Db,
  connection: Connection,
  items: FastItem[],
  registry: ReadonlyMap<string, Ownership>,
  expectedKey: (env: Envelope, payload: Record<string, unknown>) => string | null,
  now: Date,
): Promise<Map<number, MessageOutcome>> {
  return db.transaction(async (tx) => {
    const inserted = await bulk.insertInboxRows(
      tx,
      items.map(({ env, raw, hash, siteId }) => ({
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
      })),
    );
    const inboxId = new Map(inserted.map((r) => [r.messageId, r.id]));
    const outcomes = new Map<number, MessageOutcome>();
    // Redeliveries of messages already applied (or overtaken) with the same content: answered here, nothing written.
    // Anything else already known (a conflict, a failed or held message) is left to the one-by-one path.
    const known = await bulk.existingInboxRows(tx, connection.id, items.filter((i) => !inboxId.has(i.env.messageId)).map((i) => i.env.messageId));
    const knownById = new Map(known.map((k) => [k.messageId, k]));
    for (const item of items) {
      const k = knownById.get(item.env.messageId);
      const same = k && (k.contentHash !== null ? k.contentHash === item.hash : k.payloadHash === payloadHash(item.raw));
      if (k && same && (k.status === "applied" || k.status === "overtaken" || k.status === "duplicate")) {
        outcomes.set(item.index, { messageId: item.env.messageId, status: "duplicate" });
      }
    }
    const mine = items.filter((i) => inboxId.has(i.env.messageId));
    // the same message id twice in one batch: only the first was inserted; the second goes one-by-one (duplicate)
    const seenIds = new Set<string>();
    const work = mine.filter((i) => (seenIds.has(i.env.messageId) ? false : (seenIds.add(i.env.messageId), true)));

    const versions = await bulk.lockVersions(tx, work.map((i) => ({ type: i.env.type, key: i.env.key })));
    const names = new Set<string>();
    for (const i of work) {
      const p = i.env.payload as { partNumber?: unknown; lines?: unknown };
      if (typeof p?.partNumber === "string") names.add(p.partNumber);
      if (i.env.type === "bom" && Array.isArray(p?.lines)) for (const l of p.lines as { partNumber?: unknown }[]) if (typeof l?.partNumber === "string") names.add(l.partNumber);
    }
    const parts = new Map<string, PartState>();
    for (const row of await bulk.partsWithRevisions(tx, [...names])) {
      const state = parts.get(row.partNumber) ?? { id: row.partId, tracking: row.tracking, revisions: new Map() };
      if (row.revision) state.revisions.set(row.revision, row.revisionId);
      parts.set(row.partNumber, state);
    }

    const finals: Parameters<typeof bulk.finishInboxRows>[1] = [];
    const partWrites = new Map<string, { values: PartAttributes; version: number; revisions: Map<string, string> }>();
    const bomWrites = new Map<string, { parent: PartRef; version: number; lines: ReturnType<typeof checkBomLines<PartRef>> }>();
    const writeStatus = registry.get("part_revision.status")?.owner === "erp";
    const bomOwned = registry.get("bom.lines")?.owner === "erp";

    for (const item of work) {
      const { env } = item;
      const id = inboxId.get(env.messageId)!;
      const reject = (error: { code: string; message: string; fields?: { field: string; reason: string }[] }) => {
        outcomes.set(item.index, { messageId: env.messageId, status: "rejected", error });
        finals.push({ id, status: "rejected", error, warnings: [], appliedAt: null });
      };
      const parsed = PAYLOADS[env.type as "part" | "bom"].safeParse(env.payload);
      if (!parsed.success) {
        reject({ code: "MESSAGE_INVALID", message: `The ${env.type} payload is not valid.`, fields: fieldErrors(parsed.error, "payload") });
        continue;
      }
      const wanted = expectedKey(env, parsed.data as Record<string, unknown>);
      if (wanted !== null && wanted !== env.key) {
        reject({ code: "MESSAGE_INVALID", message: `The key "${env.key}" does not name the object in the payload ("${wanted}").`, fields: [{ field: "key", reason: `must be "${wanted}"` }] });
        continue;
      }
      const vkey = `${env.type}|${env.key}`;
      const decision = decideVersion(env.version, versions.get(vkey) ?? null, false);
      if (decision.kind !== "apply") {
        const note = `version ${env.version} is not newer than the applied version ${versions.get(vkey) ?? 0}`;
        outcomes.set(item.index, { messageId: env.messageId, status: "overtaken" });
        finals.push({ id, status: "overtaken", error: null, warnings: [], appliedAt: null, note });
        continue;
      }
      const warnings: string[] = [];
      try {
        if (env.type === "part") {
          const p = parsed.data as Payload<"part">;
          const f = filterErpOwned("part", partAttributes(p), registry);
          warnings.push(...f.warnings);
          const values: PartAttributes = f.allowed;
          const state = parts.get(p.partNumber) ?? null;
          checkPartUpdate(p.partNumber, state, values);
          const next: PartState = state ?? { id: null, tracking: values.tracking!, revisions: new Map() };
          const write = partWrites.get(p.partNumber) ?? { values: {}, version: env.version, revisions: new Map<string, string>() };
          Object.assign(write.values, values);
          write.version = env.version;
          for (const r of p.revisions) {
            if (!next.revisions.has(r.revision)) next.revisions.set(r.revision, null);
            write.revisions.set(r.revision, r.status);
          }
          parts.set(p.partNumber, next);
          partWrites.set(p.partNumber, write);
        } else {
          const p = parsed.data as Payload<"bom">;
          if (!bomOwned) {
            warnings.push(registry.get("bom.lines") ? "bom.lines is owned by Traceline: ignored" : "bom.lines is not in the ownership registry: ignored");
          } else {
            const parent = parts.get(p.partNumber);
            if (!parent || !parent.revisions.has(p.revision)) rejectField("payload.partNumber", `Unknown part ${p.partNumber} revision ${p.revision}: send the part first.`);
            const lines = checkBomLines<PartRef>(
              p.lines,
              (pn, rev) => {
                const st = parts.get(pn);
                return st && st.revisions.has(rev) ? { ref: { partNumber: pn, revision: rev }, tracking: st.tracking } : null;
              },
              (ref) => ref.partNumber === p.partNumber && ref.revision === p.revision,
            );
            bomWrites.set(key(p.partNumber, p.revision), { parent: { partNumber: p.partNumber, revision: p.revision }, version: env.version, lines });
          }
        }
      } catch (e) {
        if (!isDomainError(e)) throw e;
        const field = typeof e.details.field === "string" ? e.details.field : undefined;
        reject({ code: "MESSAGE_INVALID", message: e.message, ...(field ? { fields: [{ field, reason: e.message }] } : {}) });
        continue;
      }
      versions.set(vkey, env.version);
      outcomes.set(item.index, { messageId: env.messageId, status: "applied", ...(warnings.length ? { warnings } : {}) });
      finals.push({ id, status: "applied", error: null, warnings, appliedAt: now });
    }

    // writes: parts, revisions, BOMs, versions, inbox statuses and history
    const newParts = [...partWrites].filter(([pn]) => !parts.get(pn)!.id);
    const created = await bulk.insertParts(
      tx,
      newParts.map(([partNumber, w]) => ({
        partNumber,
        description: w.values.description!,
        uom: w.values.uom!,
        tracking: w.values.tracking!,
        shelfLifeDays: w.values.shelfLifeDays ?? null,
        minRemainingShelfLifeDays: w.values.minRemainingShelfLifeDays ?? null,
        outTimeMinutes: w.values.outTimeMinutes ?? null,
        minThawMinutes: w.values.minThawMinutes ?? null,
        storageClass: w.values.storageClass ?? null,
        potLifeMinutes: w.values.potLifeMinutes ?? null,
        gtin: w.values.gtin ?? null,
        erpVersion: w.version,
        updatedAt: now,
      })),
    );
    for (const c of created) parts.get(c.partNumber)!.id = c.id;
    await bulk.updateParts(
      tx,
      [...partWrites].filter(([pn]) => !created.some((c) => c.partNumber === pn)).map(([pn, w]) => ({ id: parts.get(pn)!.id!, erpVersion: w.version, values: w.values })),
      now,
    );
    const revRows = [...partWrites].flatMap(([pn, w]) => [...w.revisions].map(([revision, status]) => ({ partId: parts.get(pn)!.id!, revision, status, erpVersion: w.version })));
    const revs = await bulk.upsertRevisions(tx, revRows, writeStatus);
    const partNumberOf = new Map([...parts].map(([pn, st]) => [st.id, pn]));
    for (const r of revs) parts.get(partNumberOf.get(r.partId)!)!.revisions.set(r.revision, r.id);
    const revisionId = (ref: PartRef) => parts.get(ref.partNumber)!.revisions.get(ref.revision)!;
    await bulk.replaceBoms(
      tx,
      [...bomWrites.values()].map((b) => ({
        parentRevisionId: revisionId(b.parent),
        erpVersion: b.version,
        lines: b.lines.map(({ component, ...l }) => ({ ...l, componentRevisionId: revisionId(component) })),
      })),
    );
    const applied = new Map<string, { type: string; objectKey: string; appliedVersion: number }>();
    for (const item of work) {
      if (outcomes.get(item.index)?.status !== "applied") continue;
      applied.set(`${item.env.type}|${item.env.key}`, { type: item.env.type, objectKey: item.env.key, appliedVersion: versions.get(`${item.env.type}|${item.env.key}`)! });
    }
    await bulk.recordVersions(tx, [...applied.values()]);
    await bulk.finishInboxRows(tx, finals);
    return outcomes;
  });
}
