import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import type { OutboundFormat } from "./erp-outbound-settings";
import { containsPattern } from "./search-pattern";

/* The ERP monitor's view of outbound confirmations for one site: the summary, the list, one message with its history. */

export type OutboundSummary = {
  counts: { status: string; count: number }[];
  /** Age of the oldest confirmation not yet delivered (the delivery lag), or null when everything is delivered. */
  oldestUndeliveredAt: Date | null;
  /** Ordering keys held behind a dead letter. */
  blockedKeys: number;
};

export async function outboundSummary(db: DbOrTx, siteId: string): Promise<OutboundSummary> {
  const [row] = await queryRows<{ counts: { status: string; count: number }[] | null; oldest: string | null; blocked: number }>(
    db,
    sql`select (select json_agg(json_build_object('status', status, 'count', n) order by status)
                from (select status::text, count(*)::int as n from erp_outbox where site_id = ${siteId}::uuid group by status) c) as counts,
               (select min(created_at) from erp_outbox where site_id = ${siteId}::uuid and status <> 'delivered') as oldest,
               (select count(distinct ordering_key)::int from erp_outbox where site_id = ${siteId}::uuid and status = 'dead') as blocked`,
  );
  return { counts: row?.counts ?? [], oldestUndeliveredAt: row?.oldest ? new Date(row.oldest) : null, blockedKeys: row?.blocked ?? 0 };
}

export type OutboxEvent = { kind: string; detail: Record<string, unknown> | null; actorName: string | null; at: Date };

export type OutboxMessage = ConfirmationState & {
  payload: Record<string, unknown>;
  connectionName: string | null;
  /** The confirmation this one waits for (the oldest undelivered one of its key, when it is not this one). */
  waitingFor: { id: number; messageId: string; status: string } | null;
  events: OutboxEvent[];
};

/** The columns every monitor read of a confirmation selects (alias `o`), and their row as the driver gives it. */
const MESSAGE_COLUMNS = sql`o.id, o.message_id, o.type, o.status::text, o.ordering_key, o.attempts, o.next_attempt_at, o.ambiguous, o.last_error,
  o.created_at, o.delivered_at, o.payload`;

type MessageRow = {
  id: string | number;
  message_id: string;
  type: string;
  status: string;
  ordering_key: string;
  attempts: number;
  next_attempt_at: string | Date;
  ambiguous: boolean;
  last_error: string | null;
  created_at: string | Date;
  delivered_at: string | Date | null;
  payload: Record<string, unknown>;
};

/** A confirmation's identity and delivery state, as every monitor view shows it. */
export type ConfirmationState = {
  id: number;
  messageId: string;
  type: string;
  status: string;
  orderingKey: string;
  attempts: number;
  nextAttemptAt: Date;
  ambiguous: boolean;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
};

function messageOf(r: MessageRow): ConfirmationState {
  return {
    id: Number(r.id),
    messageId: r.message_id,
    type: r.type,
    status: r.status,
    orderingKey: r.ordering_key,
    attempts: r.attempts,
    nextAttemptAt: new Date(r.next_attempt_at),
    ambiguous: r.ambiguous,
    lastError: r.last_error,
    createdAt: new Date(r.created_at),
    deliveredAt: r.delivered_at ? new Date(r.delivered_at) : null,
  };
}

/** One confirmation of the site with its whole history, or null. */
export async function outboxMessage(db: DbOrTx, siteId: string, id: number): Promise<OutboxMessage | null> {
  const [row] = await queryRows<
    MessageRow & {
      connection_name: string | null;
      waiting: { id: number; messageId: string; status: string } | null;
      events: { kind: string; detail: Record<string, unknown> | null; actorName: string | null; at: string }[] | null;
    }
  >(
    db,
    sql`select ${MESSAGE_COLUMNS}, c.name as connection_name,
               (select json_build_object('id', h.id, 'messageId', h.message_id, 'status', h.status)
                  from erp_outbox h where h.site_id = o.site_id and h.ordering_key = o.ordering_key and h.status <> 'delivered' and h.id < o.id
                  order by h.id limit 1) as waiting,
               (select json_agg(json_build_object('kind', e.kind, 'detail', e.detail, 'actorName', u.display_name, 'at', e.at) order by e.at, e.id)
                  from erp_outbox_events e left join users u on u.id = e.actor_user_id
                  where e.site_id = o.site_id and e.outbox_id = o.id) as events
        from erp_outbox o left join erp_connections c on c.id = o.connection_id
        where o.site_id = ${siteId}::uuid and o.id = ${id}::bigint`,
  );
  if (!row) return null;
  return {
    ...messageOf(row),
    payload: row.payload,
    connectionName: row.connection_name,
    waitingFor: row.waiting ? { ...row.waiting, id: Number(row.waiting.id) } : null,
    events: (row.events ?? []).map((e) => ({ ...e, at: new Date(e.at) })),
  };
}

export type OutboxListFilter = { status?: "pending" | "failed" | "dead" | "delivered"; type?: string; search?: string };

export type OutboxListRow = ConfirmationState & {
  summary: { movementType: string | null; material: string | null; batch: string | null; serial: string | null; quantity: string | null; order: string | null };
};

/** Confirmations of the site, newest first, filtered (status, type, message id / order / part / batch / serial), paged. */
export async function listOutboxPage(
  db: DbOrTx,
  siteId: string,
  filter: OutboxListFilter,
  paging: { page: number; pageSize: number },
): Promise<{ rows: OutboxListRow[]; total: number; page: number; pageSize: number; pageCount: number }> {
  const search = filter.search ? containsPattern(filter.search) : null;
  const where = sql`o.site_id = ${siteId}::uuid
    ${filter.status ? sql`and o.status = ${filter.status}::outbox_status` : sql``}
    ${filter.type ? sql`and o.type = ${filter.type}` : sql``}
    ${
      search
        ? sql`and (o.message_id::text ilike ${search} or o.ordering_key ilike ${search} or o.payload->>'material' ilike ${search}
              or o.payload->>'batch' ilike ${search} or o.payload->>'serial' ilike ${search})`
        : sql``
    }`;
  const [counted] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from erp_outbox o where ${where}`);
  const total = counted?.n ?? 0;
  const rows = await queryRows<MessageRow>(
    db,
    sql`select ${MESSAGE_COLUMNS} from erp_outbox o where ${where}
        order by o.created_at desc, o.id desc
        limit ${paging.pageSize} offset ${(paging.page - 1) * paging.pageSize}`,
  );
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
  return {
    rows: rows.map((r) => ({
      ...messageOf(r),
      summary: {
        movementType: text(r.payload.movementType),
        material: text(r.payload.material),
        batch: text(r.payload.batch),
        serial: text(r.payload.serial),
        quantity: text(r.payload.quantity),
        order: text(r.payload.order),
      },
    })),
    total,
    page: paging.page,
    pageSize: paging.pageSize,
    pageCount: Math.max(1, Math.ceil(total / paging.pageSize)),
  };
}

/** The confirmation types that occur at the site (for the type filter). */
export async function outboxTypes(db: DbOrTx, siteId: string): Promise<string[]> {
  const rows = await queryRows<{ type: string }>(db, sql`select distinct type from erp_outbox where site_id = ${siteId}::uuid order by type`);
  return rows.map((r) => r.type);
}

/** The connection that receives this site's confirmations, if any. */
export async function receiverOfSite(db: DbOrTx, siteId: string): Promise<{ id: string; name: string; mode: "push" | "pull"; format: OutboundFormat; url: string | null } | null> {
  const [row] = await queryRows<{ id: string; name: string; outbound_mode: "push" | "pull"; outbound_format: OutboundFormat; outbound_url: string | null }>(
    db,
    sql`select c.id, c.name, c.outbound_mode, c.outbound_format, c.outbound_url from erp_connections c
        where c.revoked_at is null and c.outbound_mode <> 'none'
          and exists (select 1 from jsonb_each_text(c.plant_sites) p where p.value = ${siteId})
        order by c.created_at limit 1`,
  );
  return row ? { id: row.id, name: row.name, mode: row.outbound_mode, format: row.outbound_format, url: row.outbound_url } : null;
}
