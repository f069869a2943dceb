import "server-only";
import type { Db } from "@/db/client";
import { writeAudit } from "@/server/repos/audit";
import { orderedQueues, type OrderedQueue } from "@/server/repos/erp-monitor";
import { DomainError } from "@/server/domain/shared/errors";
import type { Actor } from "@/server/auth/types";
import { orderedObjectVersion, resumeWaiting, type MessageOutcome } from "./receive-messages";

/*
 * An administrator's hand on an ordered object's queue (a production order whose versions apply 1, 2, 3...), from the
 * interface monitor, with a reason, audited, in one transaction:
 * - skip a gap: the missing version(s) will not come (ERP lost them, or the one that came was refused for good): the
 *   order counts as at the version before the first waiting one, which then applies, and its successors after it;
 * - resume: the next version is there (e.g. replayed, or arrived while the queue was dead-lettered): apply the queue.
 */

export type QueueAction = { objectKey: string; plant: string; reason: string };
export type QueueResult = { appliedVersion: number | null; skipped: { from: number; to: number } | null; outcome: MessageOutcome | null };

type Admin = Pick<Actor, "userId" | "displayName" | "siteId">;

const MIN_REASON = 3;

async function queueOf(db: Db, actor: Admin, a: QueueAction): Promise<OrderedQueue> {
  if (a.reason.trim().length < MIN_REASON) throw new DomainError("VALIDATION_FAILED", "Say why (a few words): the audit trail keeps it.", { field: "reason" });
  const [queue] = await orderedQueues(db, actor.siteId, { objectKey: a.objectKey, plant: a.plant });
  if (!queue) throw new DomainError("NOT_FOUND", `Production order ${a.objectKey} has nothing waiting at this site.`);
  return queue;
}

export async function skipGap(db: Db, actor: Admin, a: QueueAction, now: Date): Promise<QueueResult> {
  return db.transaction(async (tx) => {
    const queue = await queueOf(tx as unknown as Db, actor, a);
    const object = { type: queue.type, objectKey: queue.objectKey, plant: queue.plant, siteId: actor.siteId };
    const applied = (await orderedObjectVersion(tx, object)) ?? 0;
    const firstHeld = queue.waiting.find((w) => w.status === "held" || (w.status === "dead_letter" && w.error?.code === "HELD_TOO_LONG"));
    if (!firstHeld) throw new DomainError("REQUEST_CONFLICT", `Nothing of order ${a.objectKey} waits for a missing version: replay a refused message instead.`);
    if (firstHeld.version > 1e12) throw new DomainError("REQUEST_CONFLICT", `Order ${a.objectKey} is versioned by change time and waits for its release, which cannot be skipped: have ERP send it.`);
    if (firstHeld.version <= applied + 1) throw new DomainError("REQUEST_CONFLICT", `There is no gap before version ${firstHeld.version}: resume the queue instead.`);
    const skipped = { from: applied + 1, to: firstHeld.version - 1 };
    await orderedObjectVersion(tx, object, skipped.to);
    const outcome = await resumeWaiting(tx, object, skipped.to, now, actor.userId, `resumed: an administrator skipped version${skipped.from === skipped.to ? ` ${skipped.from}` : `s ${skipped.from}-${skipped.to}`} (${a.reason.trim()})`);
    await writeAudit(tx, {
      siteId: actor.siteId,
      actorUserId: actor.userId,
      actorName: actor.displayName,
      action: "erp_sequence_gap_skipped",
      entity: "erp_ordered_object",
      entityId: `${queue.type}:${queue.plant}:${queue.objectKey}`,
      oldValue: { appliedVersion: applied },
      newValue: { skipped, resumed: outcome ? { messageId: outcome.messageId, status: outcome.status } : null },
      reason: a.reason.trim(),
      occurredAt: now,
    });
    return { appliedVersion: (await orderedObjectVersion(tx, object)) ?? null, skipped, outcome };
  });
}

export async function resumeQueue(db: Db, actor: Admin, a: QueueAction, now: Date): Promise<QueueResult> {
  return db.transaction(async (tx) => {
    const queue = await queueOf(tx as unknown as Db, actor, a);
    const object = { type: queue.type, objectKey: queue.objectKey, plant: queue.plant, siteId: actor.siteId };
    const applied = (await orderedObjectVersion(tx, object)) ?? 0;
    const outcome = await resumeWaiting(tx, object, applied, now, actor.userId, `resumed by an administrator (${a.reason.trim()})`);
    if (!outcome) throw new DomainError("REQUEST_CONFLICT", `Version ${applied + 1} of order ${a.objectKey} is missing: have ERP send it, replay it if it was refused, or skip the gap.`);
    await writeAudit(tx, {
      siteId: actor.siteId,
      actorUserId: actor.userId,
      actorName: actor.displayName,
      action: "erp_sequence_resumed",
      entity: "erp_ordered_object",
      entityId: `${queue.type}:${queue.plant}:${queue.objectKey}`,
      oldValue: { appliedVersion: applied },
      newValue: { resumed: { messageId: outcome.messageId, status: outcome.status } },
      reason: a.reason.trim(),
      occurredAt: now,
    });
    return { appliedVersion: (await orderedObjectVersion(tx, object)) ?? null, skipped: null, outcome };
  });
}
