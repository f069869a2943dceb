/**
 * Who sees which inbound ERP message, and which may be replayed from the interface monitor.
 *
 * Master data (parts, BOMs, AML, suppliers) is enterprise-wide: it reaches Traceline through one plant's connection
 * but concerns every site, so every site's monitor shows it. Routings, production orders, material issues, inspection
 * results and stock snapshots belong to the plant they were addressed to: another site's monitor does not show them
 * (they behave as not found). A message stored without a site (malformed, plant unknown) is shown to every site, since
 * nobody could tell whose it was.
 */

export const INBOX_STATUSES = ["received", "applied", "duplicate", "overtaken", "held", "rejected", "dead_letter"] as const;
export type InboxStatusName = (typeof INBOX_STATUSES)[number];

/** Message types whose objects belong to one plant (the same list the inbound path versions per plant). */
export const SITE_SCOPED_MESSAGE_TYPES = ["routing", "production_order", "material_issue", "inspection_status", "stock_snapshot"] as const;

/** Only a refused message can be replayed: one that applied, was overtaken or is waiting stays as it is. */
export const REPLAYABLE_STATUSES = ["dead_letter", "rejected"] as const satisfies readonly InboxStatusName[];

export function isSiteScopedType(type: string): boolean {
  return (SITE_SCOPED_MESSAGE_TYPES as readonly string[]).includes(type);
}

/** Enterprise-level: no site recorded, or master data (which concerns every plant). */
export function isEnterpriseMessage(m: { type: string; siteId: string | null }): boolean {
  return m.siteId === null || !isSiteScopedType(m.type);
}

/** May a user working at `siteId` see this message? (Site-scoped messages of another plant behave as not found.) */
export function isMessageVisibleAt(m: { type: string; siteId: string | null }, siteId: string): boolean {
  return isEnterpriseMessage(m) || m.siteId === siteId;
}

export function isReplayable(status: string): boolean {
  return (REPLAYABLE_STATUSES as readonly string[]).includes(status);
}
