import "server-only";
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx, type Tx } from "@/db/client";
import { deviations, mrbSignoffs, ncrAttachments, ncrs, sites } from "@/db/schema";
import type { Role } from "@/server/auth/types";

/*
 * Nonconformance reports, MRB sign-offs, attachments and deviations, site-scoped: every read filters by the actor's
 * site, so another site's NCR or deviation is simply not found.
 */

export type NcrRow = typeof ncrs.$inferSelect;
export type DeviationRow = typeof deviations.$inferSelect;

/** The next per-site number, under a transaction-scoped advisory lock (two reports raised at once get 1 and 2). */
async function nextNumber(tx: Tx, table: "ncrs" | "deviations", siteId: string): Promise<number> {
  const t = table === "ncrs" ? sql`ncrs` : sql`deviations`;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${table}:number:${siteId}`}, 0))`);
  const [row] = await queryRows<{ n: number }>(tx, sql`select coalesce(max(number), 0)::int + 1 as n from ${t} where site_id = ${siteId}`);
  return row!.n;
}

export const nextNcrNumber = (tx: Tx, siteId: string) => nextNumber(tx, "ncrs", siteId);
export const nextDeviationNumber = (tx: Tx, siteId: string) => nextNumber(tx, "deviations", siteId);

export async function insertNcr(tx: Tx, row: typeof ncrs.$inferInsert): Promise<void> {
  await tx.insert(ncrs).values(row);
}

export async function lockNcr(tx: Tx, siteId: string, ncrId: string): Promise<NcrRow | null> {
  const [row] = await tx.select().from(ncrs).where(and(eq(ncrs.siteId, siteId), eq(ncrs.id, ncrId))).for("update");
  return row ?? null;
}

export async function findNcrRow(db: DbOrTx, siteId: string, ncrId: string): Promise<NcrRow | null> {
  const [row] = await db.select().from(ncrs).where(and(eq(ncrs.siteId, siteId), eq(ncrs.id, ncrId)));
  return row ?? null;
}

/** Record the proposed disposition of an open NCR; false when it was no longer open. */
export async function setNcrDisposition(tx: Tx, siteId: string, ncrId: string, d: { disposition: string; reason: string; by: string; at: Date }): Promise<boolean> {
  const rows = await tx
    .update(ncrs)
    .set({ status: "pending_signoff", disposition: d.disposition, dispositionReason: d.reason, dispositionBy: d.by, dispositionAt: d.at })
    .where(and(eq(ncrs.siteId, siteId), eq(ncrs.id, ncrId), eq(ncrs.status, "open")))
    .returning({ id: ncrs.id });
  return rows.length === 1;
}

/** Close an NCR whose disposition every MRB role signed; false when it was not awaiting signatures (closed once only). */
export async function closeNcr(tx: Tx, siteId: string, ncrId: string, c: { closedAt: Date; movementId: string | null }): Promise<boolean> {
  const rows = await tx
    .update(ncrs)
    .set({ status: "closed", closedAt: c.closedAt, movementId: c.movementId })
    .where(and(eq(ncrs.siteId, siteId), eq(ncrs.id, ncrId), eq(ncrs.status, "pending_signoff")))
    .returning({ id: ncrs.id });
  return rows.length === 1;
}

export async function insertSignoff(tx: Tx, row: typeof mrbSignoffs.$inferInsert): Promise<void> {
  await tx.insert(mrbSignoffs).values(row);
}

export type SignoffRow = typeof mrbSignoffs.$inferSelect;

/** The sign-offs of the NCR's review round (a withdrawn proposal's sign-offs stay in their own round). */
export async function signoffsOf(db: DbOrTx, siteId: string, ncrId: string, round: number): Promise<SignoffRow[]> {
  return db
    .select()
    .from(mrbSignoffs)
    .where(and(eq(mrbSignoffs.siteId, siteId), eq(mrbSignoffs.ncrId, ncrId), eq(mrbSignoffs.round, round)))
    .orderBy(asc(mrbSignoffs.signedAt), asc(mrbSignoffs.id));
}

export async function siteMrbRoles(db: DbOrTx, siteId: string): Promise<Role[]> {
  const [row] = await db.select({ roles: sites.mrbSignerRoles }).from(sites).where(eq(sites.id, siteId));
  return (row?.roles ?? ["quality_engineer"]) as Role[];
}

export async function setSiteMrbRoles(tx: Tx, siteId: string, roles: Role[]): Promise<Role[] | null> {
  const [old] = await tx.select({ roles: sites.mrbSignerRoles }).from(sites).where(eq(sites.id, siteId)).for("update");
  if (!old) return null;
  await tx.update(sites).set({ mrbSignerRoles: roles }).where(eq(sites.id, siteId));
  return old.roles as Role[];
}

// ---- what an NCR is about ----------------------------------------------------------------------------------------

export type NcrItemFacts = {
  partRevisionId: string;
  partNumber: string;
  revision: string;
  uom: string;
  tracking: "serial" | "lot" | "untracked";
  lotNumber: string | null;
  serialNumber: string | null;
};

/** The part, revision, lot and serial numbers of a lot or serial of this site (null: not of this site). */
export async function materialFacts(db: DbOrTx, siteId: string, m: { lotId?: string | null; serialItemId?: string | null; partRevisionId?: string | null }): Promise<NcrItemFacts | null> {
  type R = { part_revision_id: string; part_number: string; revision: string; uom: string; tracking: NcrItemFacts["tracking"]; lot_number: string | null; serial_number: string | null };
  const rows = await queryRows<R>(
    db,
    m.lotId
      ? sql`select l.part_revision_id, p.part_number, pr.revision, p.uom, p.tracking, l.lot_number, null::text as serial_number
            from lots l join part_revisions pr on pr.id = l.part_revision_id join parts p on p.id = pr.part_id where l.site_id = ${siteId} and l.id = ${m.lotId}::uuid`
      : m.serialItemId
        ? sql`select s.part_revision_id, p.part_number, pr.revision, p.uom, p.tracking, null::text as lot_number, s.serial_number
              from serial_items s join part_revisions pr on pr.id = s.part_revision_id join parts p on p.id = pr.part_id where s.site_id = ${siteId} and s.id = ${m.serialItemId}::uuid`
        : sql`select pr.id as part_revision_id, p.part_number, pr.revision, p.uom, p.tracking, null::text as lot_number, null::text as serial_number
              from part_revisions pr join parts p on p.id = pr.part_id where pr.id = ${m.partRevisionId ?? null}::uuid`,
  );
  const r = rows[0];
  return r ? { partRevisionId: r.part_revision_id, partNumber: r.part_number, revision: r.revision, uom: r.uom, tracking: r.tracking, lotNumber: r.lot_number, serialNumber: r.serial_number } : null;
}

/** A unit of this site with its serial item and order (null: not of this site). */
export async function unitOfSite(db: DbOrTx, siteId: string, unitId: string): Promise<{ id: string; serial: string; serialItemId: string; status: string; workOrderId: string; workOrderNumber: string; operations: number[] } | null> {
  const rows = await queryRows<{ id: string; serial: string; serial_item_id: string; status: string; work_order_id: string; number: string; ops: number[] }>(
    db,
    sql`select u.id, u.serial, u.serial_item_id, u.status::text as status, u.work_order_id, w.number,
               coalesce((select array_agg(uo.seq order by uo.seq) from unit_operations uo where uo.site_id = u.site_id and uo.unit_id = u.id), '{}') as ops
        from units u join work_orders w on w.site_id = u.site_id and w.id = u.work_order_id
        where u.site_id = ${siteId} and u.id = ${unitId}::uuid`,
  );
  const r = rows[0];
  return r ? { id: r.id, serial: r.serial, serialItemId: r.serial_item_id, status: r.status, workOrderId: r.work_order_id, workOrderNumber: r.number, operations: r.ops.map(Number) } : null;
}

/** Where a serial is on hand now (null: nowhere on the floor, e.g. installed or gone). */
export async function serialLocation(db: DbOrTx, siteId: string, serialItemId: string): Promise<{ id: string; code: string; kind: string } | null> {
  const rows = await queryRows<{ id: string; code: string; kind: string }>(
    db,
    sql`select l.id, l.code, l.kind::text as kind from stock_balances b join storage_locations l on l.site_id = b.site_id and l.id = b.location_id
        where b.site_id = ${siteId} and b.serial_item_id = ${serialItemId}::uuid and b.on_hand > 0`,
  );
  return rows[0] ?? null;
}

/** Open NCRs (not closed) about this lot, serial or unit. */
export async function openNcrsAbout(db: DbOrTx, siteId: string, about: { lotId?: string | null; serialItemId?: string | null; unitId?: string | null }): Promise<NcrRow[]> {
  const ors: SQL[] = [];
  if (about.lotId) ors.push(sql`${ncrs.lotId} = ${about.lotId}`);
  if (about.serialItemId) ors.push(sql`${ncrs.serialItemId} = ${about.serialItemId}`);
  if (about.unitId) ors.push(sql`${ncrs.unitId} = ${about.unitId}`);
  if (ors.length === 0) return [];
  return db
    .select()
    .from(ncrs)
    .where(and(eq(ncrs.siteId, siteId), sql`${ncrs.status} <> 'closed'`, sql`(${sql.join(ors, sql` or `)})`))
    .orderBy(asc(ncrs.number));
}

// ---- lists and views -------------------------------------------------------------------------------------------------

export type NcrListFilters = {
  status?: string | null;
  source?: string | null;
  disposition?: string | null;
  /** an NCR number (42 or NCR-000042), part number, lot, serial or unit serial, exactly */
  q?: string | null;
  from?: Date | null;
  to?: Date | null;
};

export type NcrListRow = {
  id: string;
  number: number;
  status: string;
  source: string;
  defect: string;
  targetType: string;
  partNumber: string | null;
  revision: string | null;
  lotNumber: string | null;
  serialNumber: string | null;
  unitSerial: string | null;
  operationSeq: number | null;
  quantity: string;
  uom: string | null;
  description: string;
  raisedByName: string;
  raisedAt: Date;
  disposition: string | null;
  closedAt: Date | null;
  locationCode: string | null;
  holdId: string | null;
  holdActive: boolean;
  lotId: string | null;
  serialItemId: string | null;
  unitId: string | null;
  partRevisionId: string | null;
  edgeId: string | null;
  workOrderNumber: string | null;
  unitSerialItemId: string | null;
};

type ListDbRow = {
  id: string;
  number: number;
  status: string;
  source: string;
  defect: string;
  target_type: string;
  part_number: string | null;
  revision: string | null;
  lot_number: string | null;
  serial_number: string | null;
  unit_serial: string | null;
  operation_seq: number | null;
  quantity: string;
  uom: string | null;
  description: string;
  raised_by_name: string;
  raised_at: Date | string;
  disposition: string | null;
  closed_at: Date | string | null;
  location_code: string | null;
  hold_id: string | null;
  hold_active: boolean;
  lot_id: string | null;
  serial_item_id: string | null;
  unit_id: string | null;
  part_revision_id: string | null;
  edge_id: string | null;
  work_order_number: string | null;
  unit_serial_item_id: string | null;
};

const asDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));

function ncrSelect(siteId: string, where: SQL, limit: number, offset = 0): SQL {
  return sql`select n.id, n.number, n.status, n.source, n.defect, n.target_type, p.part_number, pr.revision, l.lot_number, s.serial_number,
                    u.serial as unit_serial, n.operation_seq, n.quantity::text as quantity, p.uom, n.description, rb.display_name as raised_by_name,
                    n.raised_at, n.disposition, n.closed_at, loc.code as location_code, n.hold_id, (h.id is not null and h.released_at is null) as hold_active,
                    n.lot_id, n.serial_item_id, n.unit_id, n.part_revision_id, n.edge_id, w.number as work_order_number, u.serial_item_id as unit_serial_item_id
             from ncrs n
             left join part_revisions pr on pr.id = n.part_revision_id
             left join parts p on p.id = pr.part_id
             left join lots l on l.site_id = n.site_id and l.id = n.lot_id
             left join serial_items s on s.site_id = n.site_id and s.id = n.serial_item_id
             left join units u on u.site_id = n.site_id and u.id = n.unit_id
             left join work_orders w on w.site_id = u.site_id and w.id = u.work_order_id
             left join storage_locations loc on loc.site_id = n.site_id and loc.id = n.location_id
             left join holds h on h.site_id = n.site_id and h.id = n.hold_id
             join users rb on rb.id = n.raised_by
             where n.site_id = ${siteId} and ${where}
             order by n.number desc
             limit ${limit} offset ${offset}`;
}

function toListRow(r: ListDbRow): NcrListRow {
  return {
    id: r.id,
    number: Number(r.number),
    status: r.status,
    source: r.source,
    defect: r.defect,
    targetType: r.target_type,
    partNumber: r.part_number,
    revision: r.revision,
    lotNumber: r.lot_number,
    serialNumber: r.serial_number,
    unitSerial: r.unit_serial,
    operationSeq: r.operation_seq === null ? null : Number(r.operation_seq),
    quantity: r.quantity,
    uom: r.uom,
    description: r.description,
    raisedByName: r.raised_by_name,
    raisedAt: asDate(r.raised_at),
    disposition: r.disposition,
    closedAt: r.closed_at === null ? null : asDate(r.closed_at),
    locationCode: r.location_code,
    holdId: r.hold_id,
    holdActive: r.hold_active,
    lotId: r.lot_id,
    serialItemId: r.serial_item_id,
    unitId: r.unit_id,
    partRevisionId: r.part_revision_id,
    edgeId: r.edge_id,
    workOrderNumber: r.work_order_number,
    unitSerialItemId: r.unit_serial_item_id,
  };
}

export function ncrFilterSql(f: NcrListFilters): SQL {
  const parts: SQL[] = [sql`true`];
  if (f.status) parts.push(sql`n.status = ${f.status}`);
  if (f.source) parts.push(sql`n.source = ${f.source}`);
  if (f.disposition) parts.push(sql`n.disposition = ${f.disposition}`);
  if (f.from) parts.push(sql`n.raised_at >= ${f.from.toISOString()}::timestamptz`);
  if (f.to) parts.push(sql`n.raised_at < ${f.to.toISOString()}::timestamptz`);
  const q = f.q?.trim();
  if (q) {
    const num = /^(?:NCR-)?0*(\d{1,9})$/i.exec(q);
    parts.push(
      sql`(${num ? sql`n.number = ${Number(num[1])} or ` : sql``}p.part_number = ${q} or l.lot_number = ${q} or s.serial_number = ${q} or u.serial = ${q} or w.number = ${q})`,
    );
  }
  return sql.join(parts, sql` and `);
}

export async function listNcrs(db: DbOrTx, siteId: string, f: NcrListFilters, limit: number, offset = 0): Promise<NcrListRow[]> {
  return (await queryRows<ListDbRow>(db, ncrSelect(siteId, ncrFilterSql(f), limit, offset))).map(toListRow);
}

export async function ncrListRow(db: DbOrTx, siteId: string, ncrId: string): Promise<NcrListRow | null> {
  const [r] = await queryRows<ListDbRow>(db, ncrSelect(siteId, sql`n.id = ${ncrId}::uuid`, 1));
  return r ? toListRow(r) : null;
}

// ---- attachments -----------------------------------------------------------------------------------------------------

export async function insertAttachment(tx: Tx, row: typeof ncrAttachments.$inferInsert): Promise<void> {
  await tx.insert(ncrAttachments).values(row);
}

export type AttachmentMeta = { id: string; fileName: string; contentType: string; sizeBytes: number; uploadedAt: Date; uploadedByName: string };

export async function attachmentsOf(db: DbOrTx, siteId: string, ncrId: string): Promise<AttachmentMeta[]> {
  const rows = await queryRows<{ id: string; file_name: string; content_type: string; size_bytes: number; uploaded_at: Date | string; name: string }>(
    db,
    sql`select a.id, a.file_name, a.content_type, a.size_bytes, a.uploaded_at, u.display_name as name
        from ncr_attachments a join users u on u.id = a.uploaded_by where a.site_id = ${siteId} and a.ncr_id = ${ncrId}::uuid order by a.uploaded_at, a.id`,
  );
  return rows.map((r) => ({ id: r.id, fileName: r.file_name, contentType: r.content_type, sizeBytes: Number(r.size_bytes), uploadedAt: asDate(r.uploaded_at), uploadedByName: r.name }));
}

export async function countAttachments(db: DbOrTx, siteId: string, ncrId: string): Promise<number> {
  const [r] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ncr_attachments where site_id = ${siteId} and ncr_id = ${ncrId}::uuid`);
  return Number(r?.n ?? 0);
}

export async function readAttachment(db: DbOrTx, siteId: string, attachmentId: string): Promise<{ fileName: string; contentType: string; data: Buffer } | null> {
  const [row] = await db
    .select({ fileName: ncrAttachments.fileName, contentType: ncrAttachments.contentType, data: ncrAttachments.data })
    .from(ncrAttachments)
    .where(and(eq(ncrAttachments.siteId, siteId), eq(ncrAttachments.id, attachmentId)));
  return row ?? null;
}

// ---- deviations ------------------------------------------------------------------------------------------------------

export async function insertDeviation(tx: Tx, row: typeof deviations.$inferInsert): Promise<void> {
  await tx.insert(deviations).values(row);
}

export async function findDeviationRow(db: DbOrTx, siteId: string, id: string): Promise<DeviationRow | null> {
  const [row] = await db.select().from(deviations).where(and(eq(deviations.siteId, siteId), eq(deviations.id, id)));
  return row ?? null;
}

/**
 * The deviations that name this substitute for this designed part revision: another part or revision (the item's part
 * revision), the item's manufacturer, or the item's lot.
 */
export async function deviationsForSubstitute(
  db: DbOrTx,
  siteId: string,
  q: { designedPartRevisionIds: string[]; kind: "revision" | "manufacturer" | "lot"; partRevisionId: string; manufacturerId: string | null; lotId: string | null },
): Promise<DeviationRow[]> {
  if (q.designedPartRevisionIds.length === 0) return [];
  const designed = sql`${deviations.designedPartRevisionId} in (${sql.join(q.designedPartRevisionIds.map((id) => sql`${id}::uuid`), sql`, `)})`;
  const named =
    q.kind === "revision"
      ? sql`${deviations.substituteKind} in ('part', 'revision') and ${deviations.substitutePartRevisionId} = ${q.partRevisionId}`
      : q.kind === "manufacturer"
        ? q.manufacturerId
          ? sql`${deviations.substituteKind} = 'manufacturer' and ${deviations.substituteManufacturerId} = ${q.manufacturerId}`
          : sql`false`
        : q.lotId
          ? sql`${deviations.substituteKind} = 'lot' and ${deviations.substituteLotId} = ${q.lotId}`
          : sql`false`;
  return db.select().from(deviations).where(and(eq(deviations.siteId, siteId), designed, named)).orderBy(asc(deviations.expiresAt), asc(deviations.number));
}

/** The manufacturer of a lot or serial of this site (null: none recorded). */
export async function manufacturerOf(db: DbOrTx, siteId: string, item: { lotId: string | null; serialItemId: string | null }): Promise<string | null> {
  const rows = await queryRows<{ m: string | null }>(
    db,
    item.lotId
      ? sql`select manufacturer_id as m from lots where site_id = ${siteId} and id = ${item.lotId}::uuid`
      : sql`select manufacturer_id as m from serial_items where site_id = ${siteId} and id = ${item.serialItemId}::uuid`,
  );
  return rows[0]?.m ?? null;
}

/**
 * Take `quantity` from a deviation's limit: one guarded UPDATE (the row lock serialises concurrent installs; the
 * second re-reads quantity_used after the first commits), so installs together never exceed the limit. False when
 * not enough is left, or the deviation is no longer approved or has expired at `now`.
 */
export async function useDeviation(tx: Tx, siteId: string, id: string, quantity: string, now: Date): Promise<boolean> {
  const rows = await tx
    .update(deviations)
    .set({ quantityUsed: sql`${deviations.quantityUsed} + ${quantity}::numeric` })
    .where(
      and(
        eq(deviations.siteId, siteId),
        eq(deviations.id, id),
        eq(deviations.status, "approved"),
        sql`${deviations.expiresAt} > ${now.toISOString()}::timestamptz`,
        sql`${deviations.quantityUsed} + ${quantity}::numeric <= ${deviations.quantityLimit}`,
      ),
    )
    .returning({ id: deviations.id });
  return rows.length === 1;
}

export type DeviationListRow = {
  id: string;
  number: number;
  status: string;
  designedPart: string;
  designedRevision: string;
  substituteKind: string;
  substitute: string;
  scope: string;
  reason: string;
  expiresAt: Date;
  quantityLimit: string;
  quantityUsed: string;
  approvedByName: string;
  approvedAt: Date;
  installs: number;
};

export type DeviationListFilters = { state?: "valid" | "expired" | "used_up" | "revoked" | null; q?: string | null };

export async function listDeviations(db: DbOrTx, siteId: string, f: DeviationListFilters, now: Date, limit: number): Promise<DeviationListRow[]> {
  const parts: SQL[] = [sql`true`];
  const t = now.toISOString();
  if (f.state === "valid") parts.push(sql`d.status = 'approved' and d.expires_at > ${t}::timestamptz and d.quantity_used < d.quantity_limit`);
  if (f.state === "expired") parts.push(sql`d.status = 'approved' and d.expires_at <= ${t}::timestamptz`);
  if (f.state === "used_up") parts.push(sql`d.status = 'approved' and d.quantity_used >= d.quantity_limit`);
  if (f.state === "revoked") parts.push(sql`d.status = 'revoked'`);
  const q = f.q?.trim();
  if (q) {
    const num = /^(?:DEV-)?0*(\d{1,9})$/i.exec(q);
    parts.push(sql`(${num ? sql`d.number = ${Number(num[1])} or ` : sql``}dp.part_number = ${q} or sp.part_number = ${q} or w.number = ${q})`);
  }
  type R = {
    id: string;
    number: number;
    status: string;
    designed_part: string;
    designed_revision: string;
    substitute_kind: string;
    substitute: string;
    scope: string;
    reason: string;
    expires_at: Date | string;
    quantity_limit: string;
    quantity_used: string;
    approved_by_name: string;
    approved_at: Date | string;
    installs: number;
  };
  const rows = await queryRows<R>(
    db,
    sql`select d.id, d.number, d.status, dp.part_number as designed_part, dpr.revision as designed_revision, d.substitute_kind,
               case d.substitute_kind
                 when 'manufacturer' then 'Manufacturer ' || m.code
                 when 'lot' then 'Lot ' || sl.lot_number
                 else sp.part_number || ' rev ' || spr.revision end as substitute,
               case when d.work_order_id is not null then 'Work order ' || w.number
                    else 'Units ' || coalesce((select string_agg(u.serial, ', ' order by u.serial) from units u where u.site_id = d.site_id and u.id = any(d.unit_ids)), '') end as scope,
               d.reason, d.expires_at, d.quantity_limit::text as quantity_limit, d.quantity_used::text as quantity_used, ab.display_name as approved_by_name, d.approved_at,
               (select count(*)::int from genealogy_edges e where e.site_id = d.site_id and e.deviation_id = d.id) as installs
        from deviations d
        join part_revisions dpr on dpr.id = d.designed_part_revision_id join parts dp on dp.id = dpr.part_id
        left join part_revisions spr on spr.id = d.substitute_part_revision_id left join parts sp on sp.id = spr.part_id
        left join manufacturers m on m.id = d.substitute_manufacturer_id
        left join lots sl on sl.site_id = d.site_id and sl.id = d.substitute_lot_id
        left join work_orders w on w.site_id = d.site_id and w.id = d.work_order_id
        join users ab on ab.id = d.approved_by
        where d.site_id = ${siteId} and ${sql.join(parts, sql` and `)}
        order by d.number desc limit ${limit}`,
  );
  return rows.map((r) => ({
    id: r.id,
    number: Number(r.number),
    status: r.status,
    designedPart: r.designed_part,
    designedRevision: r.designed_revision,
    substituteKind: r.substitute_kind,
    substitute: r.substitute,
    scope: r.scope,
    reason: r.reason,
    expiresAt: asDate(r.expires_at),
    quantityLimit: r.quantity_limit,
    quantityUsed: r.quantity_used,
    approvedByName: r.approved_by_name,
    approvedAt: asDate(r.approved_at),
    installs: Number(r.installs),
  }));
}

// ---- what a deviation names, by the numbers people type --------------------------------------------------------------

async function first<T extends Record<string, unknown>>(db: DbOrTx, q: SQL): Promise<T | null> {
  return (await queryRows<T>(db, q))[0] ?? null;
}

export function partRevisionByNumber(db: DbOrTx, partNumber: string, revision: string) {
  return first<{ id: string; part_id: string }>(
    db,
    sql`select pr.id, pr.part_id from part_revisions pr join parts p on p.id = pr.part_id where p.part_number = ${partNumber} and pr.revision = ${revision}`,
  );
}

export function manufacturerByCode(db: DbOrTx, code: string) {
  return first<{ id: string }>(db, sql`select id from manufacturers where code = ${code}`);
}

export function lotOfRevision(db: DbOrTx, siteId: string, lotNumber: string, partRevisionId: string) {
  return first<{ id: string }>(db, sql`select id from lots where site_id = ${siteId} and lot_number = ${lotNumber} and part_revision_id = ${partRevisionId}::uuid`);
}

export function workOrderByNumber(db: DbOrTx, siteId: string, number: string) {
  return first<{ id: string }>(db, sql`select id from work_orders where site_id = ${siteId} and number = ${number}`);
}

export async function unitsBySerial(db: DbOrTx, siteId: string, serials: string[]): Promise<{ id: string; serial: string; work_order_id: string }[]> {
  if (serials.length === 0) return [];
  return queryRows(db, sql`select id, serial, work_order_id from units where site_id = ${siteId} and serial in (${sql.join(serials.map((x) => sql`${x}`), sql`, `)})`);
}

/** How many of these work orders take the revision on their frozen BOM. */
export async function ordersTakingRevision(db: DbOrTx, siteId: string, partRevisionId: string, workOrderIds: string[]): Promise<number> {
  if (workOrderIds.length === 0) return 0;
  const [r] = await queryRows<{ n: number }>(
    db,
    sql`select count(distinct work_order_id)::int as n from work_order_bom_lines
        where site_id = ${siteId} and component_revision_id = ${partRevisionId}::uuid and work_order_id in (${sql.join(workOrderIds.map((o) => sql`${o}::uuid`), sql`, `)})`,
  );
  return Number(r?.n ?? 0);
}

export async function deviationRows(db: DbOrTx, siteId: string, ids: string[]): Promise<DeviationRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(deviations).where(and(eq(deviations.siteId, siteId), sql`${deviations.id} in (${sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `)})`));
}

/** The NCRs that placed these holds (hold id -> NCR id and number). */
export async function ncrsOfHolds(db: DbOrTx, siteId: string, holdIds: string[]): Promise<Map<string, { id: string; number: number }>> {
  if (holdIds.length === 0) return new Map();
  const rows = await db
    .select({ holdId: ncrs.holdId, id: ncrs.id, number: ncrs.number })
    .from(ncrs)
    .where(and(eq(ncrs.siteId, siteId), sql`${ncrs.holdId} in (${sql.join(holdIds.map((h) => sql`${h}::uuid`), sql`, `)})`));
  return new Map(rows.map((r) => [r.holdId!, { id: r.id, number: r.number }]));
}
