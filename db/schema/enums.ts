import { pgEnum } from "drizzle-orm/pg-core";

export const locationKind = pgEnum("location_kind", [
  "stores",
  "kitting",
  "kit_cart",
  "point_of_use",
  "quarantine",
  "erp_supply",
  "consumed",
  "scrap",
  "returned_to_erp",
  "production",
  "shipped",
  /** what this site shipped to another site and that site has not received yet (site transfers) */
  "in_transit",
  /** the other sites of the enterprise: what left by transfer (received there), what arrived from one (site transfers) */
  "other_sites",
]);
/**
 * Virtual locations (ERP supply, consumed-into-unit, scrap, returned-to-ERP, production output, shipped to customers,
 * in transit to another site, the other sites) may go negative or only accumulate; physical ones never go below zero.
 */
export const PHYSICAL_LOCATION_KINDS = ["stores", "kitting", "kit_cart", "point_of_use", "quarantine"] as const;

export const trackingType = pgEnum("tracking_type", ["serial", "lot", "untracked"]);
/**
 * `enterprise`: granted per site by an administrator to named quality engineers and supervisors: genealogy and holds
 * across every site where the user holds it (docs/ARCHITECTURE.md, "Across sites").
 */
export const role = pgEnum("role", ["operator", "kitting_clerk", "quality_engineer", "supervisor", "admin", "enterprise"]);
export const inspectionStatus = pgEnum("inspection_status", ["pending", "accepted", "rejected"]);
export const amlStatus = pgEnum("aml_status", ["approved", "disqualified"]);
export const workOrderStatus = pgEnum("work_order_status", ["released", "in_progress", "completed", "closed", "cancelled"]);
export const unitStatus = pgEnum("unit_status", ["planned", "in_progress", "completed", "scrapped", "shipped"]);
export const operationStatus = pgEnum("operation_status", ["pending", "in_progress", "completed"]);
export const movementKind = pgEnum("movement_kind", [
  "receive_from_erp",
  "transfer",
  "kit_issue",
  "stage",
  "consume",
  "backflush",
  "scrap",
  "remove",
  "return_to_stores",
  "return_to_erp",
  "complete",
  "ship",
  "erp_issue_reversal",
  /** A reconciliation exception resolved by a signed adjustment: the floor brought to what ERP holds. */
  "recon_adjustment",
  /** site transfer: shipped to another site (stock -> in transit), delivered there (in transit -> other sites) */
  "site_ship",
  /** site transfer: received from another site (other sites -> a stores or quarantine location) */
  "site_receive",
]);
/** What the ERP interface does with material from a manufacturer that is disqualified or not on the part's AML. */
export const unapprovedMaterialPolicy = pgEnum("unapproved_material_policy", ["warn", "refuse"]);
export const holdTarget = pgEnum("hold_target", ["lot", "serial", "part_revision", "manufacturer", "supplier"]);
/** A tool in service may be used while calibrated; out of service (lost, broken, retired) it may not. */
export const toolStatus = pgEnum("tool_status", ["in_service", "out_of_service"]);
export const ownerSystem = pgEnum("owner_system", ["erp", "traceline"]);
export const propagation = pgEnum("propagation", ["erp_to_traceline", "traceline_to_erp", "none"]);
export const changeStatus = pgEnum("change_status", ["proposed", "approved", "rejected"]);
export const inboxStatus = pgEnum("inbox_status", ["received", "applied", "duplicate", "overtaken", "held", "rejected", "dead_letter"]);
/**
 * pending: waiting to be sent (or pulled); failed: the last attempt failed, retried at next_attempt_at; dead: given up
 * after repeated failures (a dead letter, replayed by an admin); delivered: the ERP acknowledged it.
 */
export const outboxStatus = pgEnum("outbox_status", ["pending", "delivered", "failed", "dead"]);
/** How an ERP connection receives confirmations: not at all, Traceline POSTs them (push), or the ERP pulls them. */
export const outboundMode = pgEnum("outbound_mode", ["none", "push", "pull"]);
/** The wire format of confirmations for a connection. */
export const outboundFormat = pgEnum("outbound_format", ["json", "b2mml", "sap"]);
