import "server-only";
import { and, desc, eq, inArray, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { queryRows, type DbOrTx, type Tx } from "@/db/client";
import { holds, manufacturers, partRevisions, parts, signatures, suppliers, users } from "@/db/schema";
import { isoUtc, toDate } from "./hold-flags";
import { unitDetails, type UnitLocation } from "./genealogy-where-used";

/*
 * Holds and their electronic signatures, site-scoped: resolving what a hold targets (by lot number, serial, part and
 * revision, manufacturer or supplier code), writing holds and signatures, and the material a hold touches (picks of
 * open kits, stock staged at points of use, and, for suppliers, the units that contain their material).
 */

export type HoldTargetType = "lot" | "serial" | "part_revision" | "manufacturer" | "supplier";

/** What the quality engineer typed to say what to hold. */
export type HoldTargetQuery =
  | { kind: "lot"; lotNumber: string; partNumber?: string | null }
  | { kind: "serial"; serialNumber: string; partNumber?: string | null }
  | { kind: "part_revision"; partNumber: string; revision: string }
  | { kind: "manufacturer"; code: string }
  | { kind: "supplier"; code: string };

export type ResolvedTarget = { targetType: HoldTargetType; targetId: string; label: string };

/** The candidates matching the query at this site (lots and serials of other sites are not seen); several when ambiguous. */
export async function findHoldTargets(db: DbOrTx, siteId: string, q: HoldTargetQuery): Promise<ResolvedTarget[]> {
  type Row = { id: string; label: string };
  let rows: Row[];
  switch (q.kind) {
    case "lot":
      rows = await queryRows<Row>(
        db,
        sql`select l.id, p.part_number || ' rev ' || pr.revision || ', lot ' || l.lot_number as label
            from lots l join part_revisions pr on pr.id = l.part_revision_id join parts p on p.id = pr.part_id
            where l.site_id = ${siteId} and l.lot_number = ${q.lotNumber} ${q.partNumber ? sql`and p.part_number = ${q.partNumber}` : sql``}
            order by p.part_number, pr.revision`,
      );
      break;
    case "serial":
      rows = await queryRows<Row>(
        db,
        sql`select s.id, p.part_number || ' rev ' || pr.revision || ', serial ' || s.serial_number as label
            from serial_items s join part_revisions pr on pr.id = s.part_revision_id join parts p on p.id = pr.part_id
            where s.site_id = ${siteId} and s.serial_number = ${q.serialNumber} ${q.partNumber ? sql`and p.part_number = ${q.partNumber}` : sql``}
            order by p.part_number, pr.revision`,
      );
      break;
    case "part_revision":
      rows = await db
        .select({ id: partRevisions.id, label: sql<string>`${parts.partNumber} || ' rev ' || ${partRevisions.revision} || ' (all stock)'` })
        .from(partRevisions)
        .innerJoin(parts, eq(parts.id, partRevisions.partId))
        .where(and(eq(parts.partNumber, q.partNumber), eq(partRevisions.revision, q.revision)));
      break;
    case "manufacturer":
      rows = await db
        .select({ id: manufacturers.id, label: sql<string>`'Manufacturer ' || ${manufacturers.code} || ' ' || ${manufacturers.name}` })
        .from(manufacturers)
        .where(eq(manufacturers.code, q.code));
      break;
    case "supplier":
      rows = await db
        .select({ id: suppliers.id, label: sql<string>`'Supplier ' || ${suppliers.code} || ' ' || ${suppliers.name}` })
        .from(suppliers)
        .where(eq(suppliers.code, q.code));
      break;
  }
  return rows.map((r) => ({ targetType: q.kind, targetId: r.id, label: r.label }));
}

/** The target of a hold in words (the lot/serial of this site, the part revision, manufacturer or supplier). */
export function targetLabelSql(siteId: SQL | string, targetType: SQL, targetId: SQL): SQL<string | null> {
  return sql<string | null>`case ${targetType}
    when 'lot' then (select p.part_number || ' rev ' || pr.revision || ', lot ' || l.lot_number
      from lots l join part_revisions pr on pr.id = l.part_revision_id join parts p on p.id = pr.part_id
      where l.site_id = ${siteId} and l.id = ${targetId})
    when 'serial' then (select p.part_number || ' rev ' || pr.revision || ', serial ' || s.serial_number
      from serial_items s join part_revisions pr on pr.id = s.part_revision_id join parts p on p.id = pr.part_id
      where s.site_id = ${siteId} and s.id = ${targetId})
    when 'part_revision' then (select p.part_number || ' rev ' || pr.revision || ' (all stock)'
      from part_revisions pr join parts p on p.id = pr.part_id where pr.id = ${targetId})
    when 'manufacturer' then (select 'Manufacturer ' || m.code || ' ' || m.name from manufacturers m where m.id = ${targetId})
    when 'supplier' then (select 'Supplier ' || su.code || ' ' || su.name from suppliers su where su.id = ${targetId})
  end`;
}

/** What a hold targets, as ERP names it (part number, revision, lot or serial number, manufacturer or supplier code). */
export async function holdTargetFacts(
  db: DbOrTx,
  siteId: string,
  targetType: HoldTargetType,
  targetId: string,
): Promise<{ partNumber: string | null; revision: string | null; lotNumber: string | null; serialNumber: string | null; code: string | null }> {
  type Row = { part_number: string | null; revision: string | null; lot_number: string | null; serial_number: string | null; code: string | null };
  let q: SQL;
  switch (targetType) {
    case "lot":
      q = sql`select p.part_number, pr.revision, l.lot_number, null as serial_number, null as code
              from lots l join part_revisions pr on pr.id = l.part_revision_id join parts p on p.id = pr.part_id
              where l.site_id = ${siteId} and l.id = ${targetId}::uuid`;
      break;
    case "serial":
      q = sql`select p.part_number, pr.revision, null as lot_number, s.serial_number, null as code
              from serial_items s join part_revisions pr on pr.id = s.part_revision_id join parts p on p.id = pr.part_id
              where s.site_id = ${siteId} and s.id = ${targetId}::uuid`;
      break;
    case "part_revision":
      q = sql`select p.part_number, pr.revision, null as lot_number, null as serial_number, null as code
              from part_revisions pr join parts p on p.id = pr.part_id where pr.id = ${targetId}::uuid`;
      break;
    case "manufacturer":
      q = sql`select null as part_number, null as revision, null as lot_number, null as serial_number, m.code from manufacturers m where m.id = ${targetId}::uuid`;
      break;
    case "supplier":
      q = sql`select null as part_number, null as revision, null as lot_number, null as serial_number, su.code from suppliers su where su.id = ${targetId}::uuid`;
      break;
  }
  const [r] = await queryRows<Row>(db, q);
  return { partNumber: r?.part_number ?? null, revision: r?.revision ?? null, lotNumber: r?.lot_number ?? null, serialNumber: r?.serial_number ?? null, code: r?.code ?? null };
}

export type HoldRow = typeof holds.$inferSelect;

export type HoldListRow = HoldRow & { targetLabel: string; placedByName: string; releasedByName: string | null };

const placedByUser = alias(users, "placed_by_user");
const releasedByUser = alias(users, "released_by_user");

function holdListSelect(db: DbOrTx) {
  return db
    .select({
      hold: holds,
      targetLabel: targetLabelSql(sql`${holds.siteId}`, sql`${holds.targetType}`, sql`${holds.targetId}`),
      placedByName: placedByUser.displayName,
      releasedByName: releasedByUser.displayName,
    })
    .from(holds)
    .innerJoin(placedByUser, eq(placedByUser.id, holds.placedBy))
    .leftJoin(releasedByUser, eq(releasedByUser.id, holds.releasedBy));
}

type ListedRaw = { hold: HoldRow; targetLabel: string | null; placedByName: string; releasedByName: string | null };
const toListRow = (r: ListedRaw): HoldListRow => ({
  ...r.hold,
  targetLabel: r.targetLabel ?? `${r.hold.targetType.replace("_", " ")} ${r.hold.targetId}`,
  placedByName: r.placedByName,
  releasedByName: r.releasedByName,
});

/** Holds of the site: active ones newest first, or released ones most recently released first (at most `limit`). */
export async function listHolds(db: DbOrTx, siteId: string, status: "active" | "released", limit: number): Promise<HoldListRow[]> {
  const rows = await holdListSelect(db)
    .where(and(eq(holds.siteId, siteId), status === "active" ? isNull(holds.releasedAt) : isNotNull(holds.releasedAt)))
    .orderBy(status === "active" ? desc(holds.placedAt) : desc(holds.releasedAt), desc(holds.id))
    .limit(limit);
  return rows.map(toListRow);
}

/** These holds of the site (labelled, with who placed and released them), oldest placed first. */
export async function listHoldsById(db: DbOrTx, siteId: string, holdIds: string[]): Promise<HoldListRow[]> {
  if (holdIds.length === 0) return [];
  const rows = await holdListSelect(db).where(and(eq(holds.siteId, siteId), inArray(holds.id, holdIds))).orderBy(holds.placedAt, holds.id);
  return rows.map(toListRow);
}

export async function findHold(db: DbOrTx, siteId: string, holdId: string): Promise<HoldListRow | null> {
  const [row] = await holdListSelect(db).where(and(eq(holds.siteId, siteId), eq(holds.id, holdId)));
  return row ? toListRow(row) : null;
}

export async function lockHold(tx: Tx, siteId: string, holdId: string): Promise<HoldRow | null> {
  const [row] = await tx.select().from(holds).where(and(eq(holds.siteId, siteId), eq(holds.id, holdId))).for("update");
  return row ?? null;
}

export async function insertHold(tx: Tx, row: typeof holds.$inferInsert): Promise<void> {
  await tx.insert(holds).values(row);
}

/** Record the release of an active hold; false when it was not active (already released). */
export async function markHoldReleased(
  tx: Tx,
  siteId: string,
  holdId: string,
  r: { releasedBy: string; releasedAt: Date; releaseReason: string; releasedSignatureId: string },
): Promise<boolean> {
  const rows = await tx
    .update(holds)
    .set(r)
    .where(and(eq(holds.siteId, siteId), eq(holds.id, holdId), isNull(holds.releasedAt)))
    .returning({ id: holds.id });
  return rows.length === 1;
}

export type SignatureRow = typeof signatures.$inferSelect;

export async function insertSignature(tx: Tx, row: typeof signatures.$inferInsert): Promise<SignatureRow> {
  const [saved] = await tx.insert(signatures).values(row).returning();
  return saved!;
}

/** The signatures of these records of one type, oldest first. */
export async function signaturesOf(db: DbOrTx, siteId: string, recordType: string, recordIds: string[]): Promise<SignatureRow[]> {
  if (recordIds.length === 0) return [];
  return db
    .select()
    .from(signatures)
    .where(and(eq(signatures.siteId, siteId), eq(signatures.recordType, recordType), inArray(signatures.recordId, recordIds)))
    .orderBy(signatures.signedAt, signatures.id);
}

/** Whether material (a kit pick or a balance row, aliased `x` with lot_id, serial_item_id, part_revision_id) is covered by the hold. */
function coveredBy(hold: Pick<HoldRow, "targetType" | "targetId">): SQL {
  switch (hold.targetType) {
    case "lot":
      return sql`x.lot_id = ${hold.targetId}`;
    case "serial":
      return sql`x.serial_item_id = ${hold.targetId}`;
    case "part_revision":
      return sql`x.part_revision_id = ${hold.targetId}`;
    case "manufacturer":
      return sql`coalesce(l.manufacturer_id, s.manufacturer_id) = ${hold.targetId}`;
    case "supplier":
      return sql`coalesce(l.supplier_id, s.supplier_id) = ${hold.targetId}`;
  }
}

export type AffectedPick = {
  kitId: string;
  kitNumber: string;
  kitStatus: string;
  workOrderNumber: string;
  partNumber: string;
  revision: string;
  lotNumber: string | null;
  serialNumber: string | null;
  quantity: string;
  locationCode: string;
};

/** Picks of open kits (not closed or cancelled) of held material, by kit number. */
export async function affectedKitPicks(db: DbOrTx, siteId: string, hold: Pick<HoldRow, "targetType" | "targetId">): Promise<AffectedPick[]> {
  type Row = {
    kit_id: string;
    kit_number: string;
    kit_status: string;
    wo_number: string;
    part_number: string;
    revision: string;
    lot_number: string | null;
    serial_number: string | null;
    quantity: string;
    location_code: string;
  };
  const rows = await queryRows<Row>(
    db,
    sql`select k.id as kit_id, k.number as kit_number, k.status::text as kit_status, w.number as wo_number, p.part_number, pr.revision,
               l.lot_number, s.serial_number, x.quantity::text as quantity, loc.code as location_code
        from kit_picks x
        join kits k on k.site_id = x.site_id and k.id = x.kit_id
        join work_orders w on w.site_id = k.site_id and w.id = k.work_order_id
        join part_revisions pr on pr.id = x.part_revision_id join parts p on p.id = pr.part_id
        join storage_locations loc on loc.site_id = x.site_id and loc.id = x.location_id
        left join lots l on l.site_id = x.site_id and l.id = x.lot_id
        left join serial_items s on s.site_id = x.site_id and s.id = x.serial_item_id
        where x.site_id = ${siteId} and k.status not in ('closed', 'cancelled') and ${coveredBy(hold)}
        order by k.number, p.part_number, l.lot_number nulls last, s.serial_number nulls last`,
  );
  return rows.map((r) => ({
    kitId: r.kit_id,
    kitNumber: r.kit_number,
    kitStatus: r.kit_status,
    workOrderNumber: r.wo_number,
    partNumber: r.part_number,
    revision: r.revision,
    lotNumber: r.lot_number,
    serialNumber: r.serial_number,
    quantity: String(r.quantity),
    locationCode: r.location_code,
  }));
}

export type StagedStock = {
  locationCode: string;
  stationCode: string | null;
  partNumber: string;
  revision: string;
  uom: string;
  lotNumber: string | null;
  serialNumber: string | null;
  onHand: string;
};

/** Held material on hand at points of use (staged at stations), by station. */
export async function affectedStagedStock(db: DbOrTx, siteId: string, hold: Pick<HoldRow, "targetType" | "targetId">): Promise<StagedStock[]> {
  type Row = {
    location_code: string;
    station_code: string | null;
    part_number: string;
    revision: string;
    uom: string;
    lot_number: string | null;
    serial_number: string | null;
    on_hand: string;
  };
  const rows = await queryRows<Row>(
    db,
    sql`select loc.code as location_code, st.code as station_code, p.part_number, pr.revision, p.uom, l.lot_number, s.serial_number,
               x.on_hand::text as on_hand
        from stock_balances x
        join storage_locations loc on loc.site_id = x.site_id and loc.id = x.location_id
        left join stations st on st.site_id = loc.site_id and st.id = loc.station_id
        join part_revisions pr on pr.id = x.part_revision_id join parts p on p.id = pr.part_id
        left join lots l on l.site_id = x.site_id and l.id = x.lot_id
        left join serial_items s on s.site_id = x.site_id and s.id = x.serial_item_id
        where x.site_id = ${siteId} and loc.kind = 'point_of_use' and x.on_hand > 0 and ${coveredBy(hold)}
        order by st.code nulls last, loc.code, p.part_number, l.lot_number nulls last, s.serial_number nulls last`,
  );
  return rows.map((r) => ({
    locationCode: r.location_code,
    stationCode: r.station_code,
    partNumber: r.part_number,
    revision: r.revision,
    uom: r.uom,
    lotNumber: r.lot_number,
    serialNumber: r.serial_number,
    onHand: String(r.on_hand),
  }));
}

export type SupplierUnit = {
  unitSerialItemId: string;
  unitSerialNumber: string;
  partNumber: string;
  revision: string;
  workOrderNumber: string | null;
  status: string | null;
  level: number;
  current: boolean;
  installedAt: Date;
  location: UnitLocation;
};

/**
 * Where-used for a supplier (the genealogy where-used answers lots, serials, part revisions, manufacturers and supplier
 * lots, not suppliers): every unit containing material of the supplier at any depth, units containing it now first,
 * paged with an exact total.
 */
export async function supplierWhereUsed(
  db: DbOrTx,
  siteId: string,
  supplierId: string,
  page: { offset: number; limit: number },
): Promise<{ total: number; currentTotal: number; rows: SupplierUnit[] }> {
  type Row = { unit_si: string; level: number; current: boolean | string; installed_at: string; serial_number: string; total: number; current_total: number };
  const rows = await queryRows<Row>(
    db,
    sql`with recursive seed as materialized (
          select e.site_id, e.parent_serial_item_id, e.installed_at, e.removed_at from lots l
            join genealogy_edges e on e.site_id = l.site_id and e.child_lot_id = l.id where l.site_id = ${siteId} and l.supplier_id = ${supplierId}
          union all
          select e.site_id, e.parent_serial_item_id, e.installed_at, e.removed_at from serial_items s
            join genealogy_edges e on e.site_id = s.site_id and e.child_serial_item_id = s.id where s.site_id = ${siteId} and s.supplier_id = ${supplierId}
        ),
        up as (
          select e.site_id, e.parent_serial_item_id as unit_si, 1 as level, array[e.parent_serial_item_id] as serials, e.installed_at,
                 e.removed_at is null as current
          from seed e
          union all
          select p.site_id, p.parent_serial_item_id, u.level + 1, u.serials || p.parent_serial_item_id, p.installed_at, u.current and p.removed_at is null
          from up u join genealogy_edges p on p.site_id = u.site_id and p.child_serial_item_id = u.unit_si
          where not (p.parent_serial_item_id = any(u.serials))
        ),
        reached as (
          select unit_si, min(level) as level, bool_or(current) as current, min(installed_at) as installed_at from up group by unit_si
        )
        select r.unit_si, r.level, r.current, ${isoUtc(sql`r.installed_at`)} as installed_at, si.serial_number,
               count(*) over ()::int as total, (count(*) filter (where r.current) over ())::int as current_total
        from reached r join serial_items si on si.site_id = ${siteId} and si.id = r.unit_si
        order by r.current desc, si.serial_number, r.unit_si
        offset ${page.offset} limit ${page.limit}`,
  );
  if (rows.length === 0 && page.offset > 0) {
    // Past the last page: still answer the exact totals.
    const first = await supplierWhereUsed(db, siteId, supplierId, { offset: 0, limit: 1 });
    return { total: first.total, currentTotal: first.currentTotal, rows: [] };
  }
  const details = await unitDetails(db, siteId, rows.map((r) => r.unit_si));
  return {
    total: rows[0] ? Number(rows[0].total) : 0,
    currentTotal: rows[0] ? Number(rows[0].current_total) : 0,
    rows: rows.map((r) => {
      const d = details.get(r.unit_si);
      return {
        unitSerialItemId: r.unit_si,
        unitSerialNumber: r.serial_number,
        partNumber: d?.partNumber ?? "",
        revision: d?.revision ?? "",
        workOrderNumber: d?.workOrderNumber ?? null,
        status: d?.status ?? null,
        level: Number(r.level),
        current: r.current === true || r.current === "t",
        installedAt: toDate(r.installed_at)!,
        location: d?.location ?? { kind: "unknown" },
      };
    }),
  };
}

/** Serials of this site among these ids, by serial number, with their label and whether a hold on the serial itself is active. */
export async function serialHoldTargets(
  db: DbOrTx,
  siteId: string,
  serialItemIds: string[],
): Promise<{ serialItemId: string; label: string; alreadyHeld: boolean }[]> {
  if (serialItemIds.length === 0) return [];
  type Row = { id: string; label: string; held: boolean | string };
  const rows = await queryRows<Row>(
    db,
    sql`select s.id, p.part_number || ' rev ' || pr.revision || ', serial ' || s.serial_number as label,
               exists (select 1 from holds h where h.site_id = s.site_id and h.target_type = 'serial' and h.target_id = s.id and h.released_at is null) as held
        from serial_items s join part_revisions pr on pr.id = s.part_revision_id join parts p on p.id = pr.part_id
        where s.site_id = ${siteId} and s.id = any(${`{${serialItemIds.join(",")}}`}::uuid[])
        order by s.serial_number, s.id`,
  );
  return rows.map((r) => ({ serialItemId: r.id, label: r.label, alreadyHeld: r.held === true || r.held === "t" }));
}
