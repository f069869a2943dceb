import "server-only";
import type { Db } from "@/db/client";
import * as inbox from "@/server/repos/erp-inbox";
import { writeAudit } from "@/server/repos/audit";
import { DomainError } from "@/server/domain/shared/errors";
import { isEnterpriseMessage, isMessageVisibleAt, isReplayable } from "@/server/domain/erp/message-scope";
import type { Actor } from "@/server/auth/types";
import { replayMessage, type MessageOutcome } from "./receive-messages";

export type ReplayResult = {
  id: number;
  messageId: string;
  previousStatus: inbox.InboxStatus;
  status: inbox.InboxStatus;
  outcome: MessageOutcome;
};

const STATUS_WORDS: Record<inbox.InboxStatus, string> = {
  received: "still being received",
  applied: "already applied",
  duplicate: "a duplicate",
  overtaken: "overtaken by a newer version",
  held: "waiting for an earlier version",
  rejected: "rejected",
  dead_letter: "dead-lettered",
};

/**
 * Replay a rejected or dead-lettered inbound message from the interface monitor (an administrator, after fixing the
 * cause: e.g. the part a BOM names has arrived since). In one transaction: the message row is locked, checked to be
 * visible at the actor's site and replayable, run again through the same path as on arrival (replayMessage), and the
 * replay is audited with the status before and after. A second click after it applied is refused, saying so.
 */
export async function replayFromMonitor(db: Db, actor: Pick<Actor, "userId" | "displayName" | "siteId">, inboxId: number, now: Date): Promise<ReplayResult> {
  return db.transaction(async (tx) => {
    const before = await inbox.lockMessageById(tx, inboxId);
    if (!before || !isMessageVisibleAt(before, actor.siteId)) throw new DomainError("NOT_FOUND", "That ERP message was not found at this site.");
    if (!isReplayable(before.status)) {
      throw new DomainError("REQUEST_CONFLICT", `This message is ${STATUS_WORDS[before.status]}: only rejected or dead-lettered messages can be replayed.`, {
        status: before.status,
      });
    }
    const outcome = await replayMessage(tx, inboxId, actor.userId, now);
    const after = await inbox.lockMessageById(tx, inboxId);
    if (!outcome || !after) throw new DomainError("NOT_FOUND", "That ERP message was not found at this site.");
    await writeAudit(tx, {
      siteId: isEnterpriseMessage(before) ? null : before.siteId,
      actorUserId: actor.userId,
      actorName: actor.displayName,
      action: "erp_message_replayed",
      entity: "erp_inbox",
      entityId: String(before.id),
      oldValue: { source: before.source, messageId: before.messageId, type: before.type, key: before.objectKey, version: before.version, status: before.status, error: before.error },
      newValue: { status: after.status, error: after.error, warnings: after.warnings },
      reason: "Replayed from the interface monitor",
      occurredAt: now,
    });
    return { id: before.id, messageId: before.messageId, previousStatus: before.status, status: after.status, outcome };
  });
}
