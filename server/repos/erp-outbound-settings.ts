import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx, type Tx } from "@/db/client";
import type { erpConnections } from "@/db/schema";

/* How each ERP connection receives confirmations (push, pull or none; format; credential; dedupe). */

export type OutboundFormat = (typeof erpConnections.$inferSelect)["outboundFormat"];

export type OutboundSettings = {
  id: string;
  name: string;
  revoked: boolean;
  plantSites: Record<string, string>;
  mode: "none" | "push" | "pull";
  format: OutboundFormat;
  url: string | null;
  secretHint: string | null;
  hasSecret: boolean;
  dedupes: boolean;
};

export async function outboundSettings(db: DbOrTx, connectionId: string): Promise<OutboundSettings | null> {
  const [row] = await queryRows<{
    id: string;
    name: string;
    revoked_at: string | null;
    plant_sites: Record<string, string>;
    outbound_mode: OutboundSettings["mode"];
    outbound_format: OutboundFormat;
    outbound_url: string | null;
    outbound_secret_hint: string | null;
    has_secret: boolean;
    outbound_dedupes: boolean;
  }>(
    db,
    sql`select id, name, revoked_at, plant_sites, outbound_mode, outbound_format, outbound_url, outbound_secret_hint,
               outbound_secret is not null as has_secret, outbound_dedupes
        from erp_connections where id = ${connectionId}::uuid`,
  );
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    revoked: row.revoked_at !== null,
    plantSites: row.plant_sites,
    mode: row.outbound_mode,
    format: row.outbound_format,
    url: row.outbound_url,
    secretHint: row.outbound_secret_hint,
    hasSecret: row.has_secret,
    dedupes: row.outbound_dedupes,
  };
}

/** Another live connection that already receives confirmations of one of these sites (one receiver per site). */
export async function otherReceiverOfSites(db: DbOrTx, connectionId: string, siteIds: readonly string[]): Promise<{ name: string; siteId: string } | null> {
  if (siteIds.length === 0) return null;
  const [row] = await queryRows<{ name: string; site_id: string }>(
    db,
    sql`select c.name, p.value as site_id from erp_connections c cross join lateral jsonb_each_text(c.plant_sites) p
        where c.id <> ${connectionId}::uuid and c.revoked_at is null and c.outbound_mode <> 'none'
          and p.value in (${sql.join(siteIds.map((id) => sql`${id}`), sql`, `)})
        limit 1`,
  );
  return row ? { name: row.name, siteId: row.site_id } : null;
}

export async function updateOutboundSettings(
  tx: Tx,
  connectionId: string,
  v: { mode: OutboundSettings["mode"]; format: OutboundFormat; url: string | null; dedupes: boolean; secret?: { sealed: string; hint: string } | null },
): Promise<void> {
  await tx.execute(
    sql`update erp_connections set outbound_mode = ${v.mode}::outbound_mode, outbound_format = ${v.format}::outbound_format,
          outbound_url = ${v.url}, outbound_dedupes = ${v.dedupes}
          ${v.secret === undefined ? sql`` : sql`, outbound_secret = ${v.secret?.sealed ?? null}, outbound_secret_hint = ${v.secret?.hint ?? null}`}
        where id = ${connectionId}::uuid`,
  );
}
