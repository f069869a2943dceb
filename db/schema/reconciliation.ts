import { bigint, bigserial, check, index, integer, jsonb, numeric, pgEnum, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { ownerSystem, role } from "./enums";
import { qty, ts } from "./columns";
import { sites } from "./org";
import { users } from "./users";

/**
 * Reconciliation with the ERP (docs/ARCHITECTURE.md "Reconciliation"): runs per site compare Traceline's balances with
 * the latest ERP stock snapshot; each difference becomes an exception with a category, an owner and a resolution.
 */

/** queued: waiting for a worker; running; completed; failed (error kept); cancelled (by a person, nothing kept). */
export const reconRunStatus = pgEnum("recon_run_status", ["queued", "running", "completed", "failed", "cancelled"]);
export const reconCategory = pgEnum("recon_category", [
  "in_flight",
  "unconfirmed_movement",
  "erp_side_adjustment",
  "master_data_mismatch",
  "uom_mismatch",
  "unknown",
  "ledger_integrity",
]);
export const reconExceptionStatus = pgEnum("recon_exception_status", ["open", "investigating", "resolved", "accepted"]);
/**
 * How an exception was closed (or is being worked on): adjusted (a signed ledger adjustment), correction_requested
 * (a message asked ERP to correct its figure), accepted (with a reason), cleared (its confirmations were acknowledged),
 * no_longer_differs (a later run found no difference).
 */
export const reconResolution = pgEnum("recon_resolution", ["adjusted", "correction_requested", "accepted", "cleared", "no_longer_differs"]);

export const reconRuns = pgTable(
  "recon_runs",
  {
    siteId: uuid("site_id").notNull().references(() => sites.id, { onDelete: "restrict" }),
    id: uuid("id").notNull().defaultRandom(),
    number: bigserial("number", { mode: "number" }).notNull(),
    status: reconRunStatus("status").notNull().default("queued"),
    /** scheduled (the site's daily time) or on_demand (a person on the screen). */
    trigger: text("trigger").notNull(),
    /** A scheduled run's site-local day (YYYY-MM-DD): one scheduled run per site and day. */
    scheduledDay: text("scheduled_day"),
    requestedBy: uuid("requested_by").references(() => users.id, { onDelete: "restrict" }),
    requestedAt: ts("requested_at").notNull(),
    startedAt: ts("started_at"),
    finishedAt: ts("finished_at"),
    /**
     * What the run is doing now, as a code (waiting, comparing, done... : components/erp/run-phase.tsx says it in the
     * reader's language) with its figures in `phase_values` (snapshot key, line and difference counts), and how far it
     * is (0-100). Runs finished before the codes keep their English sentence.
     */
    phase: text("phase").notNull().default("waiting"),
    phaseValues: jsonb("phase_values").$type<Record<string, unknown>>().notNull().default({}),
    progress: integer("progress").notNull().default(0),
    cancelRequestedAt: ts("cancel_requested_at"),
    cancelRequestedBy: uuid("cancel_requested_by").references(() => users.id, { onDelete: "restrict" }),
    leaseOwner: text("lease_owner"),
    leaseUntil: ts("lease_until"),
    snapshotId: uuid("snapshot_id"),
    snapshotKey: text("snapshot_key"),
    snapshotTakenAt: ts("snapshot_taken_at"),
    /** The run's figures (keys compared, differences by category, new / still open / cleared, confirmations, lag...). */
    figures: jsonb("figures").$type<Record<string, unknown>>().notNull().default({}),
    error: text("error"),
  },
  (t) => [
    primaryKey({ name: "recon_runs_pk", columns: [t.siteId, t.id] }),
    uniqueIndex("recon_runs_one_active").on(t.siteId).where(sql`${t.status} in ('queued', 'running')`),
    uniqueIndex("recon_runs_scheduled_day").on(t.siteId, t.scheduledDay).where(sql`${t.scheduledDay} is not null`),
    index("recon_runs_site_time_idx").on(t.siteId, t.requestedAt),
    index("recon_runs_queued_idx").on(t.requestedAt).where(sql`${t.status} in ('queued', 'running')`),
    check("recon_runs_progress_range", sql`${t.progress} between 0 and 100`),
  ],
);

export const reconExceptions = pgTable(
  "recon_exceptions",
  {
    siteId: uuid("site_id").notNull().references(() => sites.id, { onDelete: "restrict" }),
    id: uuid("id").notNull().defaultRandom(),
    number: bigserial("number", { mode: "number" }).notNull(),
    /** What the difference is about: item and location (or a ledger check's name); one live exception per key. */
    itemKey: text("item_key").notNull(),
    category: reconCategory("category").notNull(),
    severity: text("severity").notNull().default("normal"),
    status: reconExceptionStatus("status").notNull().default("open"),
    partRevisionId: uuid("part_revision_id"),
    lotId: uuid("lot_id"),
    serialItemId: uuid("serial_item_id"),
    /** Null: compared over all of the item's floor locations (the ERP line named none). */
    locationId: uuid("location_id"),
    partNumber: text("part_number"),
    revision: text("revision"),
    lotNumber: text("lot_number"),
    serialNumber: text("serial_number"),
    locationCode: text("location_code"),
    uom: text("uom"),
    /** What the ERP line said when it differs from Traceline's master data (revision, unit). */
    erpRevision: text("erp_revision"),
    erpUnit: text("erp_unit"),
    erpQuantity: numeric("erp_quantity", { precision: 18, scale: 6 }),
    tracelineQuantity: numeric("traceline_quantity", { precision: 18, scale: 6 }),
    /** Traceline minus ERP. */
    difference: qty("difference"),
    /** Of the difference: movements whose confirmation is not acknowledged yet / movements ERP was never told of. */
    inFlightQuantity: qty("in_flight_quantity"),
    unconfirmedQuantity: qty("unconfirmed_quantity"),
    /** In flight: the confirmations it waits for; when ERP has acknowledged them all, the exception clears itself. */
    awaitingMessageIds: uuid("awaiting_message_ids").array(),
    orderNumber: text("order_number"),
    /** The movements and confirmations that explain it ({ movements: [...] }), or a ledger check's examples. */
    explanation: jsonb("explanation").$type<Record<string, unknown>>().notNull().default({}),
    detail: text("detail"),
    ownerSystem: ownerSystem("owner_system").notNull(),
    ownerRole: role("owner_role").notNull(),
    firstRunId: uuid("first_run_id").notNull(),
    lastRunId: uuid("last_run_id").notNull(),
    snapshotKey: text("snapshot_key"),
    detectedAt: ts("detected_at").notNull(),
    lastSeenAt: ts("last_seen_at").notNull(),
    statusChangedAt: ts("status_changed_at").notNull(),
    resolution: reconResolution("resolution"),
    resolutionReason: text("resolution_reason"),
    resolvedBy: uuid("resolved_by").references(() => users.id, { onDelete: "restrict" }),
    resolvedAt: ts("resolved_at"),
    signatureId: uuid("signature_id"),
    adjustmentMovementId: uuid("adjustment_movement_id"),
    correctionMessageId: uuid("correction_message_id"),
  },
  (t) => [
    primaryKey({ name: "recon_exceptions_pk", columns: [t.siteId, t.id] }),
    uniqueIndex("recon_exceptions_one_live_per_key").on(t.siteId, t.itemKey).where(sql`${t.status} in ('open', 'investigating')`),
    index("recon_exceptions_key_idx").on(t.siteId, t.itemKey, t.status),
    index("recon_exceptions_list_idx").on(t.siteId, t.status, t.detectedAt),
    check("recon_exceptions_severity_known", sql`${t.severity} in ('normal', 'critical')`),
    check("recon_exceptions_closed_has_resolution", sql`${t.status} in ('open', 'investigating') or ${t.resolution} is not null`),
  ],
);

/**
 * How far a site's ledger has been verified (server/repos/ledger-checks.ts, incremental checks): every movement chained
 * up to `chain_seq` (whose entry hashed to `chain_hash`), every leg up to `leg_id`, and every balance and genealogy row as written by transactions
 * older than `snapshot_xmin` (the oldest transaction still running when the checks began), passed every check. A
 * reconciliation run checks only what came or changed after it and moves it when all checks pass; `npm run
 * check:ledger` always checks everything.
 */
export const ledgerCheckMarks = pgTable("ledger_check_marks", {
  siteId: uuid("site_id")
    .primaryKey()
    .references(() => sites.id, { onDelete: "restrict" }),
  chainSeq: bigint("chain_seq", { mode: "number" }).notNull(),
  chainHash: text("chain_hash").notNull(),
  legId: bigint("leg_id", { mode: "number" }).notNull(),
  /** pg_snapshot_xmin (xid8) of the verifying transaction's first check, as text */
  snapshotXmin: text("snapshot_xmin").notNull(),
  verifiedAt: ts("verified_at").notNull(),
  runId: uuid("run_id"),
});
