import "server-only";
import { and, asc, count, desc, eq, gte, ilike, isNull, lt, notInArray, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { containsPattern } from "./search-pattern";
import { erpConnections, erpInbox, erpInboxEvents, sites, users } from "@/db/schema";
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
  /** The message exactly as received (the whole envelope, or what could be kept of a malformed body). */
  raw: unknown;
  history: HistoryEvent[];
};

/** One message as a user at `siteId` sees it, or null (unknown, or a site-scoped message of another site). */
export async function findVisibleMessage(db: DbOrTx, siteId: string, id: number): Promise<InboxMessageDetail | null> {
  const [row] = await db
    .select({ m: erpInbox, connectionName: erpConnections.name, siteCode: sites.code })
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
    history: events.map((e) => ({ id: e.id, status: e.status, at: e.at, actorName: e.actorName, ...normalizeHistoryDetail(e.detail) })),
  };
}
