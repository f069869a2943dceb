import { bigint, bigserial, boolean, foreignKey, index, integer, jsonb, numeric, pgTable, primaryKey, text, unique, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { changeStatus, inboxStatus, outboundFormat, outboundMode, outboxStatus, ownerSystem, propagation } from "./enums";
import { qty, ts } from "./columns";
import { sites } from "./org";
import { users } from "./users";

/**
 * Invariant 7: one row per client request id of a user at a site; a replay returns the stored outcome. Append-only for
 * the app; rows older than the retention window are purged by the worker (traceline_purge_request_log).
 */
export const requestLog = pgTable(
  "request_log",
  {
    siteId: uuid("site_id").notNull().references(() => sites.id, { onDelete: "restrict" }),
    requestId: uuid("request_id").notNull(),
    actorUserId: uuid("actor_user_id").notNull().references(() => users.id, { onDelete: "restrict" }),
    command: text("command").notNull(),
    payloadHash: text("payload_hash").notNull(),
    outcome: jsonb("outcome").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "request_log_pk", columns: [t.siteId, t.actorUserId, t.requestId] }), index("request_log_created_idx").on(t.createdAt)],
);

/** Append-only audit trail (trigger + grants). site_id is null for enterprise-level records (users, registry). */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    siteId: uuid("site_id").references(() => sites.id, { onDelete: "restrict" }),
    occurredAt: ts("occurred_at").notNull().defaultNow(),
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "restrict" }),
    actorName: text("actor_name").notNull(),
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id").notNull(),
    oldValue: jsonb("old_value"),
    newValue: jsonb("new_value"),
    reason: text("reason"),
    requestId: uuid("request_id"),
  },
  (t) => [index("audit_log_entity_idx").on(t.entity, t.entityId), index("audit_log_site_time_idx").on(t.siteId, t.occurredAt)],
);

/**
 * Every inbound ERP message, deduplicated per connection by (connection_id, message_id) in the same transaction as its
 * effect: the connection a request authenticated as decides where a message id counts, never the envelope. `source`
 * is the connection's source when the message arrived.
 */
export const erpInbox = pgTable(
  "erp_inbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    source: text("source").notNull(),
    messageId: text("message_id").notNull(),
    type: text("type").notNull(),
    objectKey: text("object_key").notNull(),
    version: bigint("version", { mode: "number" }).notNull(),
    plant: text("plant").notNull(),
    siteId: uuid("site_id").references(() => sites.id, { onDelete: "restrict" }),
    occurredAt: ts("occurred_at").notNull(),
    payload: jsonb("payload").notNull(),
    /** SHA-256 of the whole message as received (rows written before content hashes; null since). */
    payloadHash: text("payload_hash"),
    /**
     * SHA-256 of the message's business content (type, key, version, plant, payload; strings trimmed): a redelivery
     * re-stamped by middleware (another occurredAt, a padded id, other whitespace) has the same content hash.
     */
    contentHash: text("content_hash"),
    status: inboxStatus("status").notNull().default("received"),
    error: jsonb("error"),
    /** Attributes the message carried that another system owns (ignored, per the ownership registry). */
    warnings: jsonb("warnings").$type<string[]>().notNull().default([]),
    attempts: integer("attempts").notNull().default(0),
    connectionId: uuid("connection_id"),
    receivedAt: ts("received_at").notNull().defaultNow(),
    appliedAt: ts("applied_at"),
  },
  (t) => [
    unique("erp_inbox_connection_message_unique").on(t.connectionId, t.messageId),
    index("erp_inbox_status_idx").on(t.status, t.receivedAt),
    index("erp_inbox_object_idx").on(t.type, t.objectKey, t.version),
  ],
);

/** Highest applied version per ERP object: older versions are recorded as overtaken. */
export const erpObjectVersions = pgTable(
  "erp_object_versions",
  {
    type: text("type").notNull(),
    objectKey: text("object_key").notNull(),
    appliedVersion: bigint("applied_version", { mode: "number" }).notNull(),
    appliedAt: ts("applied_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "erp_object_versions_pk", columns: [t.type, t.objectKey] })],
);

/**
 * Invariant 9: confirmations to ERP, written in the same transaction as the movement; delivered at least once with the
 * stable message_id, in order per ordering_key (a work order, or the item for stock outside an order).
 */
export const erpOutbox = pgTable(
  "erp_outbox",
  {
    siteId: uuid("site_id").notNull().references(() => sites.id, { onDelete: "restrict" }),
    id: bigserial("id", { mode: "number" }).notNull(),
    messageId: uuid("message_id").notNull().defaultRandom(),
    type: text("type").notNull(),
    payload: jsonb("payload").notNull(),
    /** Messages of one key reach the ERP in id order: a reversal never overtakes its consumption. */
    orderingKey: text("ordering_key").notNull().default("site"),
    /**
     * Position in the pull feed, stamped after commit by whoever reads the feed (one stamper at a time, in id order):
     * a row committed late gets a later position, so a cursor never passes over it.
     */
    feedSeq: bigint("feed_seq", { mode: "number" }),
    status: outboxStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    /** A worker's claim: nobody else sends the row until the lease ends (a worker that died lets it go). */
    leaseOwner: text("lease_owner"),
    leaseUntil: ts("lease_until"),
    /** The last attempt may have reached the ERP (timeout, reset after sending): ask before sending again. */
    ambiguous: boolean("ambiguous").notNull().default(false),
    lastError: text("last_error"),
    createdAt: ts("created_at").notNull().defaultNow(),
    deliveredAt: ts("delivered_at"),
    connectionId: uuid("connection_id"),
  },
  (t) => [
    primaryKey({ name: "erp_outbox_pk", columns: [t.siteId, t.id] }),
    unique("erp_outbox_message_unique").on(t.siteId, t.messageId),
    index("erp_outbox_due_idx").on(t.nextAttemptAt, t.id).where(sql`${t.status} in ('pending', 'failed')`),
    index("erp_outbox_undelivered_key_idx").on(t.siteId, t.orderingKey, t.id).where(sql`${t.status} <> 'delivered'`),
    index("erp_outbox_feed_idx").on(t.siteId, t.feedSeq).where(sql`${t.feedSeq} is not null`),
    index("erp_outbox_unstamped_idx").on(t.siteId, t.id).where(sql`${t.feedSeq} is null`),
    index("erp_outbox_status_idx").on(t.siteId, t.status, t.createdAt),
    /** A goods movement's confirmation names its movement in payload.reference: reconciliation finds it by that. */
    index("erp_outbox_reference_idx").on(t.siteId, sql`(${t.payload}->>'reference')`),
  ],
);

/** The history of an outbound confirmation: every attempt, answer, acknowledgement, dead letter and replay. */
export const erpOutboxEvents = pgTable(
  "erp_outbox_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    siteId: uuid("site_id").notNull(),
    outboxId: bigint("outbox_id", { mode: "number" }).notNull(),
    /** attempt_failed, delivered, dead, replayed, pulled, acknowledged, status_query */
    kind: text("kind").notNull(),
    detail: jsonb("detail"),
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "restrict" }),
    at: ts("at").notNull().defaultNow(),
  },
  (t) => [index("erp_outbox_events_message_idx").on(t.siteId, t.outboxId, t.at)],
);

/** Which system owns each inventory attribute, and which way updates flow (docs/domain.md section 1). */
export const ownershipRegistry = pgTable(
  "ownership_registry",
  {
    entity: text("entity").notNull(),
    attribute: text("attribute").notNull(),
    owner: ownerSystem("owner").notNull(),
    direction: propagation("direction").notNull(),
    note: text("note").notNull().default(""),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "ownership_registry_pk", columns: [t.entity, t.attribute] })],
);

/** Change control of the registry: proposed with a reason, approved by a second person, audited. */
export const ownershipChanges = pgTable("ownership_changes", {
  id: uuid("id").primaryKey().defaultRandom(),
  entity: text("entity").notNull(),
  attribute: text("attribute").notNull(),
  proposedOwner: ownerSystem("proposed_owner").notNull(),
  proposedDirection: propagation("proposed_direction").notNull(),
  reason: text("reason").notNull(),
  status: changeStatus("status").notNull().default("proposed"),
  proposedBy: uuid("proposed_by").notNull().references(() => users.id, { onDelete: "restrict" }),
  proposedAt: ts("proposed_at").notNull().defaultNow(),
  decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "restrict" }),
  decidedAt: ts("decided_at"),
});

/** An ERP connection: its API key (stored as a SHA-256 hash: keys are random 256-bit tokens) and plant -> site map. */
export const erpConnections = pgTable("erp_connections", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  /** The `source` its envelopes must carry. */
  source: text("source").notNull(),
  keyHash: text("key_hash").notNull().unique("erp_connections_key_hash_unique"),
  /** Last characters of the key, to tell keys apart on screen. */
  keyHint: text("key_hint").notNull(),
  /** ERP plant code -> site id. */
  plantSites: jsonb("plant_sites").$type<Record<string, string>>().notNull(),
  createdBy: uuid("created_by").references(() => users.id, { onDelete: "restrict" }),
  createdAt: ts("created_at").notNull().defaultNow(),
  revokedBy: uuid("revoked_by").references(() => users.id, { onDelete: "restrict" }),
  revokedAt: ts("revoked_at"),
  /** Confirmations: not sent, pushed to outbound_url, or pulled by the ERP with this connection's key. */
  outboundMode: outboundMode("outbound_mode").notNull().default("none"),
  outboundFormat: outboundFormat("outbound_format").notNull().default("json"),
  outboundUrl: text("outbound_url"),
  /** The credential Traceline presents when it pushes (encrypted at rest; shown only by its hint). */
  outboundSecret: text("outbound_secret"),
  outboundSecretHint: text("outbound_secret_hint"),
  /** The ERP recognises a message id it applied before; when false, an ambiguous failure is followed by a status query. */
  outboundDedupes: boolean("outbound_dedupes").notNull().default(true),
});

/** The history of an inbound message: every status it went through, with the reason. */
export const erpInboxEvents = pgTable(
  "erp_inbox_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    inboxId: bigint("inbox_id", { mode: "number" })
      .notNull()
      .references(() => erpInbox.id, { onDelete: "restrict" }),
    status: inboxStatus("status").notNull(),
    detail: jsonb("detail"),
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "restrict" }),
    at: ts("at").notNull().defaultNow(),
  },
  (t) => [index("erp_inbox_events_inbox_idx").on(t.inboxId, t.at)],
);

/** What ERP believes is on the floor at a moment (kept for reconciliation; never applied to stock). */
export const erpStockSnapshots = pgTable(
  "erp_stock_snapshots",
  {
    siteId: uuid("site_id").notNull().references(() => sites.id, { onDelete: "restrict" }),
    id: uuid("id").notNull().defaultRandom(),
    snapshotKey: text("snapshot_key").notNull(),
    takenAt: ts("taken_at").notNull(),
    lines: jsonb("lines").$type<ErpStockLine[]>().notNull(),
    receivedAt: ts("received_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "erp_stock_snapshots_pk", columns: [t.siteId, t.id] }), unique("erp_stock_snapshots_key_unique").on(t.siteId, t.snapshotKey)],
);

/**
 * A snapshot's lines as rows: what the reconciliation compares (a seq scan with statistics, where expanding a jsonb of a
 * million lines costs ten times as much and is always estimated at 100 rows). Written by the database from `lines` at
 * every insert or update of the snapshot (trigger of migration 0021), so no writer can leave them out of step.
 */
export const erpStockSnapshotLines = pgTable(
  "erp_stock_snapshot_lines",
  {
    siteId: uuid("site_id").notNull(),
    snapshotId: uuid("snapshot_id").notNull(),
    lineNo: integer("line_no").notNull(),
    partNumber: text("part_number"),
    revision: text("revision"),
    lotNumber: text("lot_number"),
    serialNumber: text("serial_number"),
    location: text("location"),
    unit: text("unit"),
    /** as ERP sent it, unrounded */
    quantity: numeric("quantity"),
  },
  (t) => [
    primaryKey({ name: "erp_stock_snapshot_lines_pk", columns: [t.siteId, t.snapshotId, t.lineNo] }),
    foreignKey({ name: "erp_stock_snapshot_lines_snapshot_fk", columns: [t.siteId, t.snapshotId], foreignColumns: [erpStockSnapshots.siteId, erpStockSnapshots.id] }).onDelete("cascade"),
  ],
);

/**
 * The goods issues ERP booked to the floor, by business key (the ERP document and item, or the B2MML lot event): one row
 * per key and site with the version applied and the posting it made, so a resend under another message id never posts
 * again and a new version of the same issue is a correction (the posting reversed, the new one posted).
 */
export const erpGoodsIssues = pgTable(
  "erp_goods_issues",
  {
    siteId: uuid("site_id").notNull().references(() => sites.id, { onDelete: "restrict" }),
    /** The connection's source: document numbers are the ERP's own. */
    source: text("source").notNull(),
    issueKey: text("issue_key").notNull(),
    version: bigint("version", { mode: "number" }).notNull(),
    inboxId: bigint("inbox_id", { mode: "number" }).notNull(),
    /** The posting in force (the last one made for this key). */
    movementId: uuid("movement_id").notNull(),
    partRevisionId: uuid("part_revision_id").notNull(),
    lotId: uuid("lot_id"),
    serialItemId: uuid("serial_item_id"),
    locationId: uuid("location_id").notNull(),
    quantity: qty("quantity").notNull(),
    corrections: integer("corrections").notNull().default(0),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "erp_goods_issues_pk", columns: [t.siteId, t.source, t.issueKey] })],
);

export type ErpStockLine = {
  partNumber: string;
  revision: string;
  lotNumber?: string;
  serialNumber?: string;
  location?: string;
  quantity: string;
  unit?: string;
};

/*
 * The hash chain of the audit log and the ledger, one chain per site (site_key: the site's id, or 'enterprise' for audit
 * rows of no site). Every audit row and every movement (with its legs) gets one entry, written at its transaction's
 * commit by the database (hash_chain_pending + a deferred trigger, migration 0010): row_hash = sha256(prev_hash, newline,
 * the row's canonical content). `npm run check:ledger` recomputes it (server/repos/ledger-checks.ts). The app role may
 * only read these tables.
 */
export const hashChainHeads = pgTable("hash_chain_heads", {
  siteKey: text("site_key").primaryKey(),
  seq: bigint("seq", { mode: "number" }).notNull(),
  lastHash: text("last_hash").notNull(),
});

export const hashChain = pgTable(
  "hash_chain",
  {
    siteKey: text("site_key").notNull(),
    seq: bigint("seq", { mode: "number" }).notNull(),
    /** 'audit' (row_id: audit_log.id) or 'movement' (row_id: movements.id of the site) */
    kind: text("kind").notNull(),
    rowId: text("row_id").notNull(),
    prevHash: text("prev_hash").notNull(),
    rowHash: text("row_hash").notNull(),
    chainedAt: ts("chained_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "hash_chain_pk", columns: [t.siteKey, t.seq] }), unique("hash_chain_row_once").on(t.kind, t.siteKey, t.rowId)],
);

/** Rows written by a transaction that is still open, chained (and removed) at its commit. */
export const hashChainPending = pgTable("hash_chain_pending", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  kind: text("kind").notNull(),
  rowId: text("row_id").notNull(),
  siteKey: text("site_key").notNull(),
});
