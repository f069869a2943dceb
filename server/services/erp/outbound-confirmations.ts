import "server-only";
import type { Db } from "@/db/client";
import * as outbox from "@/server/repos/erp-outbox";
import * as settingsRepo from "@/server/repos/erp-outbound-settings";
import { writeAudit } from "@/server/repos/audit";
import { DomainError } from "@/server/domain/shared/errors";
import { siteIdsNotAdministered } from "@/server/domain/erp/connection-access";
import { decodeCursor, encodeCursor } from "@/server/domain/erp/outbound";
import { isSupportedFormat, pulledDocument, type OutboundFormat } from "@/server/integrations/erp/outbound/formats";
import { toJsonConfirmation, type JsonConfirmation } from "@/server/integrations/erp/outbound/json";
import { sealSecret } from "@/server/integrations/erp/outbound/secret";
import { resolveAuthSecret } from "@/server/auth/auth-secret";
import type { Actor } from "@/server/auth/types";
import type { Connection } from "./receive-messages";

/*
 * The ERP's side of confirmations: pulling them with the connection's API key and acknowledging them (for middleware
 * that pulls), an admin choosing how a connection receives them, and replaying a dead letter.
 */

export const PULL_LIMIT_MAX = 1000;

/** For a connection in the b2mml or sap format, `document` holds the confirmation alone in that format. */
export type PulledConfirmation = JsonConfirmation & { acknowledged: boolean; document?: string; documentError?: string };
export type PullAnswer = { confirmations: PulledConfirmation[]; next: string | null; more: boolean };

/**
 * The connection's outbound settings when it may read the feed (it receives confirmations, by pull or by push: a pushed
 * ERP may read the feed to reconcile) and, with `toAcknowledge`, acknowledge (pull only: pushed confirmations are
 * acknowledged by the ERP's answers).
 */
async function feedConnection(db: Db, connection: Connection, toAcknowledge: boolean): Promise<settingsRepo.OutboundSettings> {
  const settings = await settingsRepo.outboundSettings(db, connection.id);
  if (!settings || settings.revoked) throw new DomainError("UNAUTHENTICATED", "Unknown or revoked API key.");
  if (settings.mode === "none" || (toAcknowledge && settings.mode !== "pull")) {
    throw new DomainError(
      "VALIDATION_FAILED",
      settings.mode === "push"
        ? "This connection receives confirmations by push: its answers acknowledge them. An administrator can switch it to pull."
        : "This connection does not receive confirmations: an administrator can set it to pull in Admin > ERP connections.",
      { field: "connection" },
    );
  }
  return settings;
}

/**
 * Confirmations after a cursor, oldest first, for every site the connection maps, each saying whether it was
 * acknowledged. The same cursor always gives the same confirmations; `next` is the cursor to send next time (the one
 * sent, when nothing new is there).
 */
export async function pullConfirmations(db: Db, connection: Connection, after: string | null, limit: number): Promise<PullAnswer> {
  const settings = await feedConnection(db, connection, false);
  const position = decodeCursor(after);
  const take = Math.min(Math.max(1, limit), PULL_LIMIT_MAX);
  const rows = await db.transaction((tx) => outbox.readFeed(tx, Object.values(connection.plantSites), position, take + 1));
  const page = rows.slice(0, take);
  const last = page.at(-1);
  return {
    confirmations: page.map((r) => {
      const c = { messageId: r.messageId, type: r.type, plant: r.plant, orderingKey: r.orderingKey, occurredAt: r.createdAt, payload: r.payload };
      return { ...toJsonConfirmation(c), acknowledged: r.status === "delivered", ...pulledDocument(settings.format, c) };
    }),
    next: last ? encodeCursor(last.feedSeq) : (after ?? null),
    more: rows.length > take,
  };
}

/** The pulling ERP says it applied these confirmations. Unknown ids (or another plant's) are listed as such. */
export async function acknowledgeConfirmations(
  db: Db,
  connection: Connection,
  messageIds: readonly string[],
  now: Date,
): Promise<{ acknowledged: string[]; already: string[]; unknown: string[] }> {
  await feedConnection(db, connection, true);
  const ids = [...new Set(messageIds)];
  const found = await outbox.acknowledge(db, Object.values(connection.plantSites), ids, connection.id, now);
  const known = new Set([...found.acknowledged, ...found.already]);
  return { ...found, unknown: ids.filter((id) => !known.has(id)) };
}

type Admin = Pick<Actor, "userId" | "displayName" | "sites">;

export type OutboundInput = {
  mode: "none" | "push" | "pull";
  format: OutboundFormat;
  url: string | null;
  dedupes: boolean;
  /** A new credential to present when pushing; undefined keeps the stored one, null removes it. */
  secret?: string | null;
};

/** An administrator of every site the connection feeds chooses how it receives confirmations. Audited. */
export async function configureOutbound(db: Db, actor: Admin, connectionId: string, input: OutboundInput, now: Date): Promise<void> {
  const current = await settingsRepo.outboundSettings(db, connectionId);
  if (!current) throw new DomainError("NOT_FOUND", "That ERP connection does not exist.");
  const siteIds = Object.values(current.plantSites);
  if (siteIdsNotAdministered(actor.sites, siteIds).length > 0) {
    throw new DomainError("FORBIDDEN", "Only an administrator of every site this connection feeds may change how it receives confirmations.");
  }
  if (current.revoked) throw new DomainError("VALIDATION_FAILED", "This connection is revoked.", { field: "connection" });
  if (!isSupportedFormat(input.format)) throw new DomainError("VALIDATION_FAILED", `The ${input.format} format is not available for confirmations.`, { field: "format" });
  let url: string | null = null;
  if (input.mode === "push") {
    url = (input.url ?? "").trim();
    let parsed: URL | null = null;
    try {
      parsed = new URL(url);
    } catch {
      parsed = null;
    }
    if (!parsed || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) {
      throw new DomainError("VALIDATION_FAILED", "Give the ERP endpoint as an http(s) address, e.g. https://erp.example.com/traceline/confirmations.", { field: "url" });
    }
    if (parsed.username || parsed.password) throw new DomainError("VALIDATION_FAILED", "Put the credential in its own field, not in the address.", { field: "url" });
  }
  if (input.mode !== "none") {
    const other = await settingsRepo.otherReceiverOfSites(db, connectionId, siteIds);
    if (other) throw new DomainError("VALIDATION_FAILED", `The connection "${other.name}" already receives this plant's confirmations: one receiver per site.`, { field: "mode" });
  }
  const secret =
    input.secret === undefined ? undefined : input.secret === null || input.secret === "" ? null : { sealed: sealSecret(input.secret, resolveAuthSecret()), hint: input.secret.slice(-4) };
  await db.transaction(async (tx) => {
    await settingsRepo.updateOutboundSettings(tx, connectionId, { mode: input.mode, format: input.format, url, dedupes: input.dedupes, secret });
    await writeAudit(tx, {
      siteId: null,
      actorUserId: actor.userId,
      actorName: actor.displayName,
      action: "erp_connection_outbound_changed",
      entity: "erp_connection",
      entityId: connectionId,
      oldValue: { mode: current.mode, format: current.format, url: current.url, dedupes: current.dedupes, credential: current.secretHint ? `…${current.secretHint}` : null },
      newValue: { mode: input.mode, format: input.format, url, dedupes: input.dedupes, credential: secret === undefined ? "unchanged" : secret ? `…${secret.hint}` : null },
      occurredAt: now,
    });
  });
}

/** An admin puts a dead-lettered confirmation back in the queue, with a reason (audited, and in its history). */
export async function replayConfirmation(db: Db, actor: Pick<Actor, "userId" | "displayName" | "siteId">, outboxId: number, reason: string, now: Date): Promise<{ messageId: string }> {
  const why = reason.trim();
  if (why.length < 3) throw new DomainError("VALIDATION_FAILED", "Say why the confirmation is sent again (at least a few words).", { field: "reason" });
  return db.transaction(async (tx) => {
    const replayed = await outbox.replayDeadLetter(tx, actor.siteId, outboxId, actor.userId, why, now);
    if (!replayed) throw new DomainError("NOT_FOUND", "That confirmation is not a dead letter of this site (it may have been replayed already).");
    await writeAudit(tx, {
      siteId: actor.siteId,
      actorUserId: actor.userId,
      actorName: actor.displayName,
      action: "erp_confirmation_replayed",
      entity: "erp_outbox",
      entityId: String(outboxId),
      newValue: { messageId: replayed.messageId },
      reason: why,
      occurredAt: now,
    });
    return replayed;
  });
}
