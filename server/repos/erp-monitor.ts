import "server-only";
import { and, asc, count, desc, eq, getTableColumns, gte, ilike, inArray, isNull, lt, notInArray, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { containsPattern } from "./search-pattern";
import { erpConnections, erpInbox, erpInboxEvents, erpObjectVersions, sites, users } from "@/db/schema";
import { INBOX_STATUSES, SITE_SCOPED_MESSAGE_TYPES, isEnterpriseMessage, type InboxStatusName } from "@/server/domain/erp/message-scope";
import { normalizeHistoryDetail, normalizeMessageError, type HistoryDetail, type MessageError } from "@/server/domain/erp/message-error";

/*
 * The interface monitor's reads: inbound ERP messages visible at one site (its own, plus enterprise master data and
 * messages stored without a site), filtered and paged with an exact total, and one message with its full history.
 */

type InboxStatus = (typeof erpInbox.$inferSelect)["status"];
// The domain's list of statuses is the database enum, in the same order.
const _sameStatuses: readonly InboxStatus[] = INBOX_STATUSES;
void _sameStatuses;

export type InboxFilter = {
  status?: InboxStatusName;
  type?: string;
  /** Part of the object key or of the message id, any case. */
  search?: string;
  /** Received on or after this day (YYYY-MM-DD, in `timeZone`). */
  from?: string;
  /** Received on or before this day (YYYY-MM-DD, in `timeZone`). */
  to?: string;
};

export type InboxListRow = {
  id: number;
  source: string;
  messageId: string;
  type: string;
  objectKey: string;
  version: number;
  plant: string;
  enterprise: boolean;
  status: InboxStatus;
  error: MessageError | null;
  warnings: number;
  attempts: number;
  receivedAt: Date;
  appliedAt: Date | null;
};

export type InboxPage = { rows: InboxListRow[]; total: number; page: number; pageSize: number; pageCount: number };

/** Messages a user at `siteId` may see. */
export function visibleAt(siteId: string): SQL {
  return or(eq(erpInbox.siteId, siteId), isNull(erpInbox.siteId), notInArray(erpInbox.type, [...SITE_SCOPED_MESSAGE_TYPES]))!;
}

function filterConditions(siteId: string, timeZone: string, f: InboxFilter): SQL[] {
  const where: SQL[] = [visibleAt(siteId)];
  if (f.status) where.push(eq(erpInbox.status, f.status));
  if (f.type) where.push(eq(erpInbox.type, f.type));
  if (f.search) {
    const p = containsPattern(f.search);
    where.push(or(ilike(erpInbox.objectKey, p), ilike(erpInbox.messageId, p))!);
  }
  // Days are the site's calendar days: midnight in its time zone, computed by PostgreSQL.
  if (f.from) where.push(gte(erpInbox.receivedAt, sql`((${f.from})::date::timestamp at time zone ${timeZone})`));
  if (f.to) where.push(lt(erpInbox.receivedAt, sql`(((${f.to})::date + 1)::timestamp at time zone ${timeZone})`));
  return where;
}

export async function listInboxPage(
  db: DbOrTx,
  siteId: string,
  timeZone: string,
  filter: InboxFilter,
  paging: { page: number; pageSize: number },
): Promise<InboxPage> {
  const where = and(...filterConditions(siteId, timeZone, filter));
  const [totalRow] = await db.select({ n: count() }).from(erpInbox).where(where);
  const total = Number(totalRow?.n ?? 0);
  const rows = await db
    .select({
      id: erpInbox.id,
      source: erpInbox.source,
      messageId: erpInbox.messageId,
      type: erpInbox.type,
      objectKey: erpInbox.objectKey,
      version: erpInbox.version,
      plant: erpInbox.plant,
      siteId: erpInbox.siteId,
      status: erpInbox.status,
      error: erpInbox.error,
      warnings: sql<number>`jsonb_array_length(${erpInbox.warnings})::int`,
      attempts: erpInbox.attempts,
      receivedAt: erpInbox.receivedAt,
      appliedAt: erpInbox.appliedAt,
    })
    .from(erpInbox)
    .where(where)
    .orderBy(desc(erpInbox.receivedAt), desc(erpInbox.id))
    .limit(paging.pageSize)
    .offset((paging.page - 1) * paging.pageSize);
  return {
    rows: rows.map(({ siteId: rowSite, error, ...r }) => ({
      ...r,
      enterprise: isEnterpriseMessage({ type: r.type, siteId: rowSite }),
      error: normalizeMessageError(error),
    })),
    total,
    page: paging.page,
    pageSize: paging.pageSize,
    pageCount: Math.max(1, Math.ceil(total / paging.pageSize)),
  };
}

export async function countVisibleInboxByStatus(db: DbOrTx, siteId: string): Promise<{ status: InboxStatus; count: number }[]> {
  return db
    .select({ status: erpInbox.status, count: sql<number>`count(*)::int` })
    .from(erpInbox)
    .where(visibleAt(siteId))
    .groupBy(erpInbox.status)
    .orderBy(asc(erpInbox.status));
}

/** The message types that occur among the messages visible at the site (for the type filter). */
export async function visibleInboxTypes(db: DbOrTx, siteId: string): Promise<string[]> {
  const rows = await db.selectDistinct({ type: erpInbox.type }).from(erpInbox).where(visibleAt(siteId)).orderBy(asc(erpInbox.type));
  return rows.map((r) => r.type);
}

export type HistoryEvent = HistoryDetail & { id: number; status: InboxStatus; at: Date; actorName: string | null };

export type InboxMessageDetail = {
  id: number;
  source: string;
  messageId: string;
  type: string;
  objectKey: string;
  version: number;
  plant: string;
  enterprise: boolean;
  siteCode: string | null;
  occurredAt: Date;
  receivedAt: Date;
  appliedAt: Date | null;
  status: InboxStatus;
  error: MessageError | null;
  warnings: string[];
  attempts: number;
  connectionName: string | null;
  /** The message exactly as received (the whole envelope, or what could be kept of a malformed body); null when too large to show. */
  raw: unknown;
  /** For a message larger than RAW_SHOWN_BYTES: its size and the beginning of its JSON text, instead of `raw`. */
  rawTooLarge: { bytes: number; beginning: string } | null;
  history: HistoryEvent[];
};

/** One message as a user at `siteId` sees it, or null (unknown, or a site-scoped message of another site). */
/** Messages up to this size (their JSON text) are shown whole; a larger one by its beginning (a page stays fast). */
export const RAW_SHOWN_BYTES = 256 * 1024;

export async function findVisibleMessage(db: DbOrTx, siteId: string, id: number): Promise<InboxMessageDetail | null> {
  const { payload: _payload, ...columns } = getTableColumns(erpInbox);
  const [row] = await db
    .select({
      m: { ...columns, payload: sql<unknown>`case when octet_length(${erpInbox.payload}::text) <= ${RAW_SHOWN_BYTES} then ${erpInbox.payload} end` },
      rawBytes: sql<number>`octet_length(${erpInbox.payload}::text)`,
      rawBeginning: sql<string | null>`case when octet_length(${erpInbox.payload}::text) > ${RAW_SHOWN_BYTES} then left(${erpInbox.payload}::text, ${RAW_SHOWN_BYTES / 4}) end`,
      connectionName: erpConnections.name,
      siteCode: sites.code,
    })
    .from(erpInbox)
    .leftJoin(erpConnections, eq(erpConnections.id, erpInbox.connectionId))
    .leftJoin(sites, eq(sites.id, erpInbox.siteId))
    .where(and(eq(erpInbox.id, id), visibleAt(siteId)));
  if (!row) return null;
  const events = await db
    .select({ id: erpInboxEvents.id, status: erpInboxEvents.status, detail: erpInboxEvents.detail, at: erpInboxEvents.at, actorName: users.displayName })
    .from(erpInboxEvents)
    .leftJoin(users, eq(users.id, erpInboxEvents.actorUserId))
    .where(eq(erpInboxEvents.inboxId, id))
    .orderBy(asc(erpInboxEvents.at), asc(erpInboxEvents.id));
  const m = row.m;
  return {
    id: m.id,
    source: m.source,
    messageId: m.messageId,
    type: m.type,
    objectKey: m.objectKey,
    version: m.version,
    plant: m.plant,
    enterprise: isEnterpriseMessage({ type: m.type, siteId: m.siteId }),
    siteCode: row.siteCode,
    occurredAt: m.occurredAt,
    receivedAt: m.receivedAt,
    appliedAt: m.appliedAt,
    status: m.status,
    error: normalizeMessageError(m.error),
    warnings: Array.isArray(m.warnings) ? m.warnings : [],
    attempts: m.attempts,
    connectionName: row.connectionName,
    raw: m.payload,
    rawTooLarge: row.rawBeginning !== null ? { bytes: Number(row.rawBytes), beginning: row.rawBeginning } : null,
    history: events.map((e) => ({ id: e.id, status: e.status, at: e.at, actorName: e.actorName, ...normalizeHistoryDetail(e.detail) })),
  };
}

export type QueueMessage = { id: number; messageId: string; version: number; status: InboxStatus; receivedAt: Date; error: MessageError | null };
export type OrderedQueue = {
  type: string;
  objectKey: string;
  plant: string;
  appliedVersion: number | null;
  /** The messages not applied yet, oldest version first: held, dead-lettered while waiting, or refused (a gap). */
  waiting: QueueMessage[];
};

/**
 * The ordered objects of a site (production orders) whose queue is not empty: messages held or dead-lettered while
 * waiting for a missing version, and refused messages of versions beyond the applied one (a gap that holds the rest).
 */
export async function orderedQueues(db: DbOrTx, siteId: string, filter: { objectKey?: string; plant?: string } = {}): Promise<OrderedQueue[]> {
  const rows = await db
    .select({
      id: erpInbox.id,
      messageId: erpInbox.messageId,
      type: erpInbox.type,
      objectKey: erpInbox.objectKey,
      plant: erpInbox.plant,
      version: erpInbox.version,
      status: erpInbox.status,
      receivedAt: erpInbox.receivedAt,
      error: erpInbox.error,
      applied: erpObjectVersions.appliedVersion,
    })
    .from(erpInbox)
    .leftJoin(erpObjectVersions, and(eq(erpObjectVersions.type, erpInbox.type), eq(erpObjectVersions.objectKey, sql`${erpInbox.plant} || ':' || ${erpInbox.objectKey}`)))
    .where(
      and(
        eq(erpInbox.siteId, siteId),
        eq(erpInbox.type, "production_order"),
        filter.objectKey ? eq(erpInbox.objectKey, filter.objectKey) : undefined,
        filter.plant ? eq(erpInbox.plant, filter.plant) : undefined,
        or(eq(erpInbox.status, "held"), and(inArray(erpInbox.status, ["rejected", "dead_letter", "received"]), sql`${erpInbox.version} > coalesce(${erpObjectVersions.appliedVersion}, 0)`)),
      ),
    )
    .orderBy(asc(erpInbox.objectKey), asc(erpInbox.plant), asc(erpInbox.version), asc(erpInbox.id))
    .limit(2000);
  const queues = new Map<string, OrderedQueue>();
  for (const r of rows) {
    const key = `${r.type}|${r.plant}|${r.objectKey}`;
    const q = queues.get(key) ?? { type: r.type, objectKey: r.objectKey, plant: r.plant, appliedVersion: r.applied ?? null, waiting: [] };
    q.waiting.push({ id: r.id, messageId: r.messageId, version: r.version, status: r.status, receivedAt: r.receivedAt, error: normalizeMessageError(r.error) });
    queues.set(key, q);
  }
  return [...queues.values()];
}
