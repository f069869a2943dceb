import "server-only";
import type { Db } from "@/db/client";
import * as outbox from "@/server/repos/erp-outbox";
import {
  answersFor,
  isDeadLetter,
  nextAttemptAt,
  type Confirmation,
  type MessageAnswer,
  type PushOutcome,
  type RetryPolicy,
} from "@/server/domain/erp/outbound";
import { encodeBatch, unmappableReason } from "@/server/integrations/erp/outbound/formats";
import { pushBatch, queryStatus, type PushTarget } from "@/server/integrations/erp/outbound/push";
import { openSecret } from "@/server/integrations/erp/outbound/secret";

/*
 * One delivery round of the outbox (invariant 9), run by the worker, never inside a user's request: claim what is due
 * (a lease, in order per ordering key), push each connection's share as one request, record every answer. At least
 * once: a confirmation is marked delivered only after the ERP said so; a worker that dies mid-round leaves leases that
 * run out, and the next worker sends the same message ids again (the ERP recognises them, or, when it cannot, is asked
 * first). Exactly once in effect follows from the ERP's dedupe by message id or from the status query.
 */

export type DeliveryOptions = {
  /** This worker's name in leases (unique per running worker). */
  owner: string;
  /** How long a claim holds: longer than a push can take. */
  leaseMs: number;
  /** Ordering keys per round, and confirmations per key (sent in order in one request). */
  keys: number;
  perKey: number;
  /** How long to wait for an ERP's answer. */
  timeoutMs: number;
  policy: RetryPolicy;
  /** The installation secret that opens stored outbound credentials. */
  installationSecret: string;
  /** [0, 1): the jitter of the backoff. */
  random: () => number;
};

export type RoundReport = { claimed: number; delivered: number; failed: number; dead: number; released: number };

export async function deliverDueConfirmations(db: Db, now: () => Date, o: DeliveryOptions): Promise<RoundReport> {
  const claimed = await db.transaction((tx) => outbox.claimDue(tx, { owner: o.owner, now: now(), leaseMs: o.leaseMs, keys: o.keys, perKey: o.perKey }));
  const report: RoundReport = { claimed: claimed.length, delivered: 0, failed: 0, dead: 0, released: 0 };
  if (claimed.length === 0) return report;
  const byConnection = new Map<string, outbox.ClaimedConfirmation[]>();
  for (const c of claimed) byConnection.set(c.connection.id, [...(byConnection.get(c.connection.id) ?? []), c]);
  const results = (await Promise.all([...byConnection.values()].map((rows) => deliverToConnection(db, rows, now, o)))).flat();
  await outbox.recordResults(db, o.owner, now(), results);
  for (const r of results) {
    if (r.outcome === "delivered") report.delivered++;
    else if (r.outcome === "released") report.released++;
    else if (r.outcome === "rejected" || r.dead) report.dead++;
    else report.failed++;
  }
  return report;
}

async function deliverToConnection(db: Db, rows: outbox.ClaimedConfirmation[], now: () => Date, o: DeliveryOptions): Promise<outbox.DeliveryResult[]> {
  const connection = rows[0]!.connection;
  const secret = connection.secret ? openSecret(connection.secret, o.installationSecret) : null;
  const target: PushTarget = { url: connection.url, secret, timeoutMs: o.timeoutMs };
  const answers = new Map<number, MessageAnswer>();
  if (connection.secret && secret === null) {
    for (const r of rows) answers.set(r.id, { kind: "retry", error: "The connection's outbound credential cannot be opened with this installation's secret: enter it again.", ambiguous: false });
    return results(rows, answers, now(), o);
  }
  // An ERP that does not recognise a resent id is asked first about anything that may already have reached it.
  let toSend = rows;
  if (!connection.dedupes) {
    const blockedKeys = new Set<string>();
    toSend = [];
    for (const r of rows) {
      if (blockedKeys.has(r.orderingKey)) continue;
      if (!r.ambiguous) {
        toSend.push(r);
        continue;
      }
      const status = await queryStatus(target, r.messageId);
      await outbox.recordStatusQuery(db, r.siteId, r.id, now(), { answer: status ?? "no answer" });
      if (status === "applied") answers.set(r.id, { kind: "delivered", note: "applied before (status query)" });
      else if (status === "unknown") toSend.push(r);
      else {
        answers.set(r.id, { kind: "retry", error: "The ERP could not say whether it had applied this message; asked again later.", ambiguous: true });
        blockedKeys.add(r.orderingKey);
      }
    }
  }
  // A confirmation the connection's format cannot express is a dead letter with the reason (it holds its order's later
  // ones), never a round that fails for every other order.
  const heldKeys = new Set<string>();
  toSend = toSend.filter((r) => {
    if (heldKeys.has(r.orderingKey)) return false;
    const reason = unmappableReason(connection.format, toConfirmation(r));
    if (reason) {
      answers.set(r.id, { kind: "rejected", error: `Cannot be written in the ${connection.format} format: ${reason}` });
      heldKeys.add(r.orderingKey);
    }
    return !reason;
  });
  if (toSend.length > 0) {
    const outcome: PushOutcome = await pushBatch(target, encodeBatch(connection.format, toSend.map(toConfirmation)));
    for (const [id, answer] of answersFor(toSend.map((r) => r.messageId), outcome)) {
      answers.set(toSend.find((r) => r.messageId === id)!.id, answer);
    }
  }
  return results(rows, answers, now(), o);
}

function toConfirmation(r: outbox.ClaimedConfirmation): Confirmation {
  return { messageId: r.messageId, type: r.type, plant: r.plant, orderingKey: r.orderingKey, occurredAt: r.createdAt, payload: r.payload };
}

/**
 * Answers into results, keeping each key's order: after the first confirmation of a key that was not delivered, the
 * later ones of that key go back to the queue uncounted (unless the ERP says it applied them anyway: the truth is kept).
 */
function results(rows: outbox.ClaimedConfirmation[], answers: Map<number, MessageAnswer>, at: Date, o: DeliveryOptions): outbox.DeliveryResult[] {
  const stopped = new Map<string, boolean>();
  return rows.map((r): outbox.DeliveryResult => {
    const a = answers.get(r.id);
    if (a?.kind === "delivered") return { siteId: r.siteId, id: r.id, outcome: "delivered", connectionId: r.connection.id, note: a.note };
    const earlierFailed = stopped.get(r.orderingKey);
    if (earlierFailed !== undefined || !a) {
      return { siteId: r.siteId, id: r.id, outcome: "released", ambiguous: (a?.kind === "retry" && a.ambiguous) || earlierFailed === true };
    }
    stopped.set(r.orderingKey, a.kind === "retry" && a.ambiguous);
    if (a.kind === "rejected") return { siteId: r.siteId, id: r.id, outcome: "rejected", error: a.error };
    const failed = r.attempts + 1;
    return { siteId: r.siteId, id: r.id, outcome: "failed", error: a.error, ambiguous: a.ambiguous || r.ambiguous, retryAt: nextAttemptAt(failed, at, o.policy, o.random()), dead: isDeadLetter(failed, o.policy) };
  });
}
