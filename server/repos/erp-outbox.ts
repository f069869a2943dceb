import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx, type Tx } from "@/db/client";
import type { OutboundFormat } from "./erp-outbound-settings";

/*
 * The outbound side of the ERP interface (invariant 9): claiming confirmations for delivery, recording what the ERP
 * answered, the pull feed, acknowledgements and dead-letter replays (the monitor's reads: erp-outbox-monitor.ts). Every change of a confirmation's state adds a row to
 * erp_outbox_events (append-only for the app): the monitor shows that history.
 */

/** A confirmation claimed by a worker, with the connection that receives it. */
export type ClaimedConfirmation = {
  siteId: string;
  id: number;
  messageId: string;
  type: string;
  payload: Record<string, unknown>;
  orderingKey: string;
  attempts: number;
  ambiguous: boolean;
  createdAt: Date;
  plant: string;
  connection: { id: string; name: string; url: string; format: OutboundFormat; secret: string | null; dedupes: boolean };
};

/** A lock id only the claim step takes: claims are short and run one at a time, deliveries run in parallel. */
const CLAIM_LOCK = 724_106;

/**
 * Claim due confirmations for push delivery, at most `keys` ordering keys and `perKey` confirmations of each, in order.
 * A key is ready when its oldest undelivered confirmation is pending or failed, due, and not leased by a live worker;
 * the claim then takes that one and the ones after it. A dead letter at the head of a key holds the whole key (nothing
 * may overtake it) until it is replayed. A lease that ran out (its worker died) is taken over, and its confirmations are
 * marked ambiguous: they may have reached the ERP.
 */
export async function claimDue(
  tx: Tx,
  o: { owner: string; now: Date; leaseMs: number; keys: number; perKey: number },
): Promise<ClaimedConfirmation[]> {
  await tx.execute(sql`select pg_advisory_xact_lock(${CLAIM_LOCK})`);
  const now = o.now.toISOString();
  const rows = await queryRows<{
    site_id: string;
    id: string | number;
    message_id: string;
    type: string;
    payload: Record<string, unknown>;
    ordering_key: string;
    attempts: number;
    ambiguous: boolean;
    created_at: string | Date;
    plant: string;
    connection_id: string;
    connection_name: string;
    outbound_url: string;
    outbound_format: OutboundFormat;
    outbound_secret: string | null;
    outbound_dedupes: boolean;
  }>(
    tx,
    sql`with push as (
          select distinct on (p.value) p.value::uuid as site_id, c.id as connection_id
          from erp_connections c cross join lateral jsonb_each_text(c.plant_sites) p
          where c.revoked_at is null and c.outbound_mode = 'push' and c.outbound_url is not null
          order by p.value, c.created_at),
        heads as (
          select distinct on (o.site_id, o.ordering_key) o.site_id, o.ordering_key, o.id, o.status, o.lease_until, o.next_attempt_at
          from erp_outbox o
          where o.status <> 'delivered' and o.site_id in (select site_id from push)
          order by o.site_id, o.ordering_key, o.id),
        ready as (
          select h.site_id, h.ordering_key, h.id from heads h
          where h.status in ('pending', 'failed') and (h.lease_until is null or h.lease_until <= ${now}::timestamptz)
            and h.next_attempt_at <= ${now}::timestamptz
          order by h.next_attempt_at, h.id
          limit ${o.keys}),
        picked as (
          select k.site_id, k.id from ready r
          cross join lateral (
            select o.site_id, o.id from erp_outbox o
            where o.site_id = r.site_id and o.ordering_key = r.ordering_key and o.status in ('pending', 'failed') and o.id >= r.id
            order by o.id limit ${o.perKey}) k),
        claimed as (
          update erp_outbox o
          set lease_owner = ${o.owner}, lease_until = ${now}::timestamptz + make_interval(secs => ${o.leaseMs / 1000}),
              ambiguous = o.ambiguous or o.lease_owner is not null
          from picked p
          where o.site_id = p.site_id and o.id = p.id
          returning o.site_id, o.id, o.message_id, o.type, o.payload, o.ordering_key, o.attempts, o.ambiguous, o.created_at)
        select c.*, s.erp_plant as plant, push.connection_id, x.name as connection_name, x.outbound_url, x.outbound_format,
               x.outbound_secret, x.outbound_dedupes
        from claimed c join sites s on s.id = c.site_id join push on push.site_id = c.site_id join erp_connections x on x.id = push.connection_id
        order by c.site_id, c.ordering_key, c.id`,
  );
  return rows.map((r) => ({
    siteId: r.site_id,
    id: Number(r.id),
    messageId: r.message_id,
    type: r.type,
    payload: r.payload,
    orderingKey: r.ordering_key,
    attempts: r.attempts,
    ambiguous: r.ambiguous,
    createdAt: new Date(r.created_at),
    plant: r.plant,
    connection: { id: r.connection_id, name: r.connection_name, url: r.outbound_url, format: r.outbound_format, secret: r.outbound_secret, dedupes: r.outbound_dedupes },
  }));
}

/** What became of one claimed confirmation after a delivery attempt. */
export type DeliveryResult =
  | { siteId: string; id: number; outcome: "delivered"; connectionId: string; note: string }
  /** failed this attempt: try again at `retryAt`, or give up (`dead`) */
  | { siteId: string; id: number; outcome: "failed"; error: string; ambiguous: boolean; retryAt: Date; dead: boolean }
  /** refused for good by the ERP: a dead letter at once */
  | { siteId: string; id: number; outcome: "rejected"; error: string }
  /** not attempted after all (an earlier confirmation of its key failed): back to the queue, no attempt counted */
  | { siteId: string; id: number; outcome: "released"; ambiguous: boolean };

/**
 * Record the results of one delivery round, only for the confirmations this worker still holds (a worker whose lease
 * ran out and was taken over records nothing: the one that took over decides). Returns how many were recorded.
 */
export async function recordResults(db: DbOrTx, owner: string, now: Date, results: readonly DeliveryResult[]): Promise<number> {
  if (results.length === 0) return 0;
  const values = sql.join(
    results.map((r) => {
      const status = r.outcome === "delivered" ? "delivered" : r.outcome === "released" ? null : r.outcome === "rejected" || r.dead ? "dead" : "failed";
      const counts = r.outcome === "failed" || r.outcome === "rejected";
      const error = r.outcome === "failed" || r.outcome === "rejected" ? r.error : null;
      const retryAt = r.outcome === "failed" ? r.retryAt.toISOString() : null;
      const ambiguous = r.outcome === "failed" || r.outcome === "released" ? r.ambiguous : false;
      const connectionId = r.outcome === "delivered" ? r.connectionId : null;
      const event = r.outcome === "delivered" ? "delivered" : r.outcome === "released" ? null : status === "dead" ? "dead" : "attempt_failed";
      const detail = r.outcome === "delivered" ? { note: r.note } : error ? { error, ambiguous } : null;
      return sql`(${r.siteId}::uuid, ${r.id}::bigint, ${status}::outbox_status, ${counts}::boolean, ${error}::text, ${retryAt}::timestamptz, ${ambiguous}::boolean,
                  ${connectionId}::uuid, ${event}::text, ${detail === null ? null : JSON.stringify(detail)}::jsonb)`;
    }),
    sql`, `,
  );
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`with r (site_id, id, status, counts, error, retry_at, ambiguous, connection_id, event, detail) as (values ${values}),
        done as (
          update erp_outbox o
          set status = coalesce(r.status, o.status),
              attempts = o.attempts + (case when r.counts then 1 else 0 end),
              last_error = case when r.status = 'delivered' then o.last_error else coalesce(r.error, o.last_error) end,
              next_attempt_at = coalesce(r.retry_at, o.next_attempt_at),
              ambiguous = case when r.status = 'delivered' then false when r.counts then r.ambiguous else o.ambiguous or r.ambiguous end,
              delivered_at = case when r.status = 'delivered' then ${now.toISOString()}::timestamptz else o.delivered_at end,
              connection_id = coalesce(r.connection_id, o.connection_id),
              lease_owner = null, lease_until = null
          from r
          where o.site_id = r.site_id and o.id = r.id and o.lease_owner = ${owner} and o.status in ('pending', 'failed')
          returning o.site_id, o.id, o.attempts, r.event, r.detail),
        events as (
          insert into erp_outbox_events (site_id, outbox_id, kind, detail, at)
          select d.site_id, d.id, d.event, coalesce(d.detail, '{}'::jsonb) || jsonb_build_object('attempt', d.attempts), ${now.toISOString()}::timestamptz
          from done d where d.event is not null)
        select count(*)::int as n from done`,
  );
  return row?.n ?? 0;
}

/** A status query's answer recorded as an event (the ERP was asked whether it has a message before resending). */
export async function recordStatusQuery(db: DbOrTx, siteId: string, id: number, now: Date, detail: { answer: string }): Promise<void> {
  await db.execute(sql`insert into erp_outbox_events (site_id, outbox_id, kind, detail, at) values (${siteId}::uuid, ${id}::bigint, 'status_query', ${JSON.stringify(detail)}::jsonb, ${now.toISOString()}::timestamptz)`);
}

/** Give up a worker's leases (it is stopping): the confirmations go back to the queue untouched. */
export async function releaseLeases(db: DbOrTx, owner: string): Promise<number> {
  const rows = await queryRows<{ id: number }>(db, sql`update erp_outbox set lease_owner = null, lease_until = null where lease_owner = ${owner} and status in ('pending', 'failed') returning id`);
  return rows.length;
}

// ---- pull ------------------------------------------------------------------------------------------------------------

export type FeedRow = {
  siteId: string;
  id: number;
  feedSeq: number;
  messageId: string;
  type: string;
  payload: Record<string, unknown>;
  orderingKey: string;
  status: string;
  createdAt: Date;
  plant: string;
};

/** Only the feed's stamper takes this lock, until its transaction commits. */
const FEED_LOCK = 724_107;

/**
 * The pull feed of some sites after a position. First the confirmations committed since the last read get their feed
 * positions, in id order, by one stamper at a time (the lock is held to commit): a row that commits late gets a later
 * position, so a cursor that moved on never passes over it. Reading the same position again gives the same rows,
 * acknowledged or not. Runs in the caller's transaction.
 */
export async function readFeed(tx: Tx, siteIds: readonly string[], after: number | null, limit: number): Promise<FeedRow[]> {
  if (siteIds.length === 0) return [];
  const sites = sql.join(siteIds.map((id) => sql`${id}::uuid`), sql`, `);
  await tx.execute(sql`select pg_advisory_xact_lock(${FEED_LOCK})`);
  await tx.execute(
    sql`with fresh as (
          select x.site_id, x.id, nextval('erp_outbox_feed_seq') as seq
          from (select site_id, id from erp_outbox where feed_seq is null and site_id in (${sites}) order by id) x)
        update erp_outbox o set feed_seq = fresh.seq from fresh where o.site_id = fresh.site_id and o.id = fresh.id`,
  );
  const rows = await queryRows<{
    site_id: string;
    id: string | number;
    feed_seq: string | number;
    message_id: string;
    type: string;
    payload: Record<string, unknown>;
    ordering_key: string;
    status: string;
    created_at: string | Date;
    plant: string;
  }>(
    tx,
    sql`select o.site_id, o.id, o.feed_seq, o.message_id, o.type, o.payload, o.ordering_key, o.status, o.created_at, s.erp_plant as plant
        from erp_outbox o join sites s on s.id = o.site_id
        where o.site_id in (${sites}) and o.feed_seq is not null ${after === null ? sql`` : sql`and o.feed_seq > ${after}`}
        order by o.feed_seq
        limit ${limit}`,
  );
  return rows.map((r) => ({
    siteId: r.site_id,
    id: Number(r.id),
    feedSeq: Number(r.feed_seq),
    messageId: r.message_id,
    type: r.type,
    payload: r.payload,
    orderingKey: r.ordering_key,
    status: r.status,
    createdAt: new Date(r.created_at),
    plant: r.plant,
  }));
}

/** Mark confirmations of these sites acknowledged by the pulling ERP. Returns the ids found (newly or already delivered). */
export async function acknowledge(
  db: DbOrTx,
  siteIds: readonly string[],
  messageIds: readonly string[],
  connectionId: string,
  now: Date,
): Promise<{ acknowledged: string[]; already: string[] }> {
  if (siteIds.length === 0 || messageIds.length === 0) return { acknowledged: [], already: [] };
  const rows = await queryRows<{ message_id: string; was: string }>(
    db,
    sql`with target as (
          select o.site_id, o.id, o.message_id, o.status as was from erp_outbox o
          where o.site_id in (${sql.join(siteIds.map((id) => sql`${id}::uuid`), sql`, `)})
            and o.message_id in (${sql.join(messageIds.map((id) => sql`${id}::uuid`), sql`, `)})
          for update),
        done as (
          update erp_outbox o set status = 'delivered', delivered_at = ${now.toISOString()}::timestamptz, connection_id = ${connectionId}::uuid,
                 lease_owner = null, lease_until = null, ambiguous = false
          from target t where o.site_id = t.site_id and o.id = t.id and t.was <> 'delivered'
          returning o.site_id, o.id),
        events as (
          insert into erp_outbox_events (site_id, outbox_id, kind, detail, at)
          select d.site_id, d.id, 'acknowledged', '{}'::jsonb, ${now.toISOString()}::timestamptz from done d)
        select message_id, was::text from target`,
  );
  return {
    acknowledged: rows.filter((r) => r.was !== "delivered").map((r) => r.message_id),
    already: rows.filter((r) => r.was === "delivered").map((r) => r.message_id),
  };
}

// ---- dead letters -----------------------------------------------------------------------------------------------

/** Put a dead letter back in the queue (an admin's replay). Returns false when it is not a dead letter of the site. */
export async function replayDeadLetter(tx: Tx, siteId: string, id: number, actorUserId: string, reason: string, now: Date): Promise<{ messageId: string } | null> {
  const rows = await queryRows<{ message_id: string }>(
    tx,
    sql`with r as (
          update erp_outbox set status = 'pending', attempts = 0, next_attempt_at = ${now.toISOString()}::timestamptz, lease_owner = null, lease_until = null
          where site_id = ${siteId}::uuid and id = ${id}::bigint and status = 'dead'
          returning site_id, id, message_id),
        e as (
          insert into erp_outbox_events (site_id, outbox_id, kind, detail, actor_user_id, at)
          select r.site_id, r.id, 'replayed', jsonb_build_object('reason', ${reason}::text), ${actorUserId}::uuid, ${now.toISOString()}::timestamptz from r)
        select message_id from r`,
  );
  return rows[0] ? { messageId: rows[0].message_id } : null;
}

/** Across every site: how many confirmations wait, how many are dead letters, and the oldest waiting one. */
export async function outboundBacklog(db: DbOrTx): Promise<{ undelivered: number; dead: number; oldestUndeliveredAt: Date | null }> {
  const [row] = await queryRows<{ undelivered: number; dead: number; oldest: string | null }>(
    db,
    sql`select count(*) filter (where status in ('pending', 'failed'))::int as undelivered, count(*) filter (where status = 'dead')::int as dead,
               min(created_at) filter (where status in ('pending', 'failed')) as oldest
        from erp_outbox where status <> 'delivered'`,
  );
  return { undelivered: row?.undelivered ?? 0, dead: row?.dead ?? 0, oldestUndeliveredAt: row?.oldest ? new Date(row.oldest) : null };
}
