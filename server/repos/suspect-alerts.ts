import "server-only";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { queryRows, type DbOrTx, type Tx } from "@/db/client";
import { holds, suspectAlertHolds, suspectAlerts, users } from "@/db/schema";
import type { SuspectAlertCriteria } from "@/server/domain/suspect-parts/suspect-alerts";
import { isoUtc, toDate } from "./hold-flags";
import { unitDetails, type UnitLocation } from "./genealogy-where-used";

/*
 * Suspect-part alerts, site-scoped: the lots and serials an alert matches, the alerts and the holds they placed, and
 * the units those held items are installed in now (an upward walk of the open genealogy edges from every held item).
 */

export type SuspectMatch = {
  kind: "lot" | "serial";
  id: string;
  partNumber: string;
  revision: string;
  number: string;
  manufacturedAt: Date | null;
  /** "P-100 rev A, lot L-1" (as hold targets are labelled) */
  label: string;
};

/**
 * The lots and serials of the site an alert matches: the part number, the manufacturer's code (any case), and the lot
 * (its number or the supplier's lot; a serial by its supplier's lot) or the date-code range (a lot's date of manufacture
 * on the site's calendar, between the range's first and last day, both included; serials carry no date of manufacture
 * and lots without one do not match a range). Units built here are never matched.
 */
export async function findSuspectMatches(
  db: DbOrTx,
  siteId: string,
  a: Pick<SuspectAlertCriteria, "manufacturerCode" | "partNumber" | "lotNumber">,
  range: { firstDay: string; lastDay: string; timeZone: string } | null,
): Promise<SuspectMatch[]> {
  type Row = { kind: "lot" | "serial"; id: string; part_number: string; revision: string; number: string; manufactured_at: string | null };
  const lot = a.lotNumber;
  const rows = await queryRows<Row>(
    db,
    sql`select 'lot' as kind, lo.id, p.part_number, pr.revision, lo.lot_number as number, ${isoUtc(sql`lo.manufactured_at`)} as manufactured_at
        from lots lo
        join part_revisions pr on pr.id = lo.part_revision_id join parts p on p.id = pr.part_id
        join manufacturers m on m.id = lo.manufacturer_id
        where lo.site_id = ${siteId} and p.part_number = ${a.partNumber} and upper(m.code) = ${a.manufacturerCode.toUpperCase()}
          ${lot !== null ? sql`and (lo.lot_number = ${lot} or lo.supplier_lot = ${lot})` : sql``}
          ${range ? sql`and (lo.manufactured_at at time zone ${range.timeZone})::date between ${range.firstDay}::date and ${range.lastDay}::date` : sql``}
        union all
        select 'serial' as kind, si.id, p.part_number, pr.revision, si.serial_number as number, null as manufactured_at
        from serial_items si
        join part_revisions pr on pr.id = si.part_revision_id join parts p on p.id = pr.part_id
        join manufacturers m on m.id = si.manufacturer_id
        where si.site_id = ${siteId} and not si.built_here and p.part_number = ${a.partNumber} and upper(m.code) = ${a.manufacturerCode.toUpperCase()}
          ${lot !== null ? sql`and si.supplier_lot = ${lot}` : sql``}
          ${range ? sql`and false` : sql``}
        order by kind, number, revision`,
  );
  return rows.map((r) => ({
    kind: r.kind,
    id: r.id,
    partNumber: r.part_number,
    revision: r.revision,
    number: r.number,
    manufacturedAt: toDate(r.manufactured_at),
    label: `${r.part_number} rev ${r.revision}, ${r.kind} ${r.number}`,
  }));
}

export type AlertRow = typeof suspectAlerts.$inferSelect;

/** Alerts of the site with the same criteria as any given (a key per alert: reference, manufacturer, part, lot, range). */
export async function existingAlerts(db: DbOrTx, siteId: string, list: SuspectAlertCriteria[]): Promise<AlertRow[]> {
  if (list.length === 0) return [];
  const refs = [...new Set(list.map((a) => a.reference))];
  const rows = await db
    .select()
    .from(suspectAlerts)
    .where(and(eq(suspectAlerts.siteId, siteId), inArray(suspectAlerts.reference, refs)));
  return rows;
}

export async function insertAlert(tx: Tx, row: typeof suspectAlerts.$inferInsert): Promise<void> {
  await tx.insert(suspectAlerts).values(row);
}

export async function linkAlertHolds(tx: Tx, siteId: string, alertId: string, holdIds: string[]): Promise<void> {
  if (holdIds.length === 0) return;
  await tx.insert(suspectAlertHolds).values(holdIds.map((holdId) => ({ siteId, alertId, holdId })));
}

export type AlertListRow = AlertRow & { createdByName: string; holds: number; activeHolds: number; unitsNow: number };

/** The site's alerts, newest first, with how many holds each placed, how many are still active, and the units containing held items now. */
export async function listAlerts(db: DbOrTx, siteId: string, limit: number): Promise<AlertListRow[]> {
  const rows = await db
    .select({
      alert: suspectAlerts,
      createdByName: users.displayName,
      holds: sql<number>`(select count(*)::int from suspect_alert_holds ah where ah.site_id = ${suspectAlerts.siteId} and ah.alert_id = ${suspectAlerts.id})`,
      activeHolds: sql<number>`(select count(*)::int from suspect_alert_holds ah join holds h on h.site_id = ah.site_id and h.id = ah.hold_id
                                where ah.site_id = ${suspectAlerts.siteId} and ah.alert_id = ${suspectAlerts.id} and h.released_at is null)`,
    })
    .from(suspectAlerts)
    .innerJoin(users, eq(users.id, suspectAlerts.createdBy))
    .where(eq(suspectAlerts.siteId, siteId))
    .orderBy(desc(suspectAlerts.createdAt), desc(suspectAlerts.id))
    .limit(limit);
  const counts = await unitsNowPerAlert(db, siteId, rows.map((r) => r.alert.id));
  return rows.map((r) => ({ ...r.alert, createdByName: r.createdByName, holds: Number(r.holds), activeHolds: Number(r.activeHolds), unitsNow: counts.get(r.alert.id) ?? 0 }));
}

export async function findAlert(db: DbOrTx, siteId: string, alertId: string): Promise<(AlertRow & { createdByName: string }) | null> {
  const [row] = await db
    .select({ alert: suspectAlerts, createdByName: users.displayName })
    .from(suspectAlerts)
    .innerJoin(users, eq(users.id, suspectAlerts.createdBy))
    .where(and(eq(suspectAlerts.siteId, siteId), eq(suspectAlerts.id, alertId)));
  return row ? { ...row.alert, createdByName: row.createdByName } : null;
}

/** The holds an alert placed (the hold rows themselves, for their signatures), oldest first. */
export async function holdsOfAlert(db: DbOrTx, siteId: string, alertId: string) {
  return db
    .select({ hold: holds })
    .from(suspectAlertHolds)
    .innerJoin(holds, and(eq(holds.siteId, suspectAlertHolds.siteId), eq(holds.id, suspectAlertHolds.holdId)))
    .where(and(eq(suspectAlertHolds.siteId, siteId), eq(suspectAlertHolds.alertId, alertId)))
    .orderBy(holds.placedAt, holds.id)
    .then((rows) => rows.map((r) => r.hold));
}

/** The upward walk from every item an alert holds, over edges installed now; one row per (unit, held item). */
function installedWalk(siteId: string, alertIds: string[]) {
  const ids = sql`array(select jsonb_array_elements_text(${JSON.stringify(alertIds)}::jsonb)::uuid)`;
  return sql`with recursive held as materialized (
      select ah.alert_id, h.id as hold_id, h.target_type, h.target_id
      from suspect_alert_holds ah join holds h on h.site_id = ah.site_id and h.id = ah.hold_id
      where ah.site_id = ${siteId} and ah.alert_id = any(${ids})
    ),
    up as (
      select held.alert_id, held.hold_id, e.parent_serial_item_id as unit_si, 1 as level, array[e.parent_serial_item_id] as path
      from held join genealogy_edges e on e.site_id = ${siteId} and e.child_lot_id = held.target_id and e.removed_at is null
      where held.target_type = 'lot'
      union all
      select held.alert_id, held.hold_id, e.parent_serial_item_id, 1, array[e.parent_serial_item_id]
      from held join genealogy_edges e on e.site_id = ${siteId} and e.child_serial_item_id = held.target_id and e.removed_at is null
      where held.target_type = 'serial'
      union all
      select u.alert_id, u.hold_id, p.parent_serial_item_id, u.level + 1, u.path || p.parent_serial_item_id
      from up u
      cross join lateral (
        select p.parent_serial_item_id from genealogy_edges p
        where p.site_id = ${siteId} and p.child_serial_item_id = u.unit_si and p.removed_at is null offset 0
      ) p
      where not (p.parent_serial_item_id = any(u.path))
    )`;
}

async function unitsNowPerAlert(db: DbOrTx, siteId: string, alertIds: string[]): Promise<Map<string, number>> {
  if (alertIds.length === 0) return new Map();
  const rows = await queryRows<{ alert_id: string; n: number }>(
    db,
    sql`${installedWalk(siteId, alertIds)} select alert_id, count(distinct unit_si)::int as n from up group by alert_id`,
  );
  return new Map(rows.map((r) => [r.alert_id, Number(r.n)]));
}

export type InstalledUnit = {
  unitSerialItemId: string;
  unitSerialNumber: string;
  unitId: string | null;
  partNumber: string;
  revision: string;
  workOrderNumber: string | null;
  status: string | null;
  /** not installed in another unit now */
  topLevel: boolean;
  /** levels between the held item and this unit (1: installed directly) */
  level: number;
  /** the alert's holds whose item is inside this unit */
  holdIds: string[];
  location: UnitLocation;
};

/**
 * Every unit that contains an item the alert holds, now, at any depth: an exact total and a page (top-level units
 * first, then by serial), each with the held items inside it, its status and where it is.
 */
export async function unitsContainingAlertItems(db: DbOrTx, siteId: string, alertId: string, page: { offset: number; limit: number }): Promise<{ total: number; rows: InstalledUnit[] }> {
  type Row = { unit_si: string; serial_number: string; level: number; hold_ids: string[] | string; top_level: boolean; total: number };
  const rows = await queryRows<Row>(
    db,
    sql`${installedWalk(siteId, [alertId])},
        reached as (select unit_si, min(level) as level, array_agg(distinct hold_id) as hold_ids from up group by unit_si),
        ranked as (
          select r.*, s.serial_number,
                 not exists (select 1 from genealogy_edges x where x.site_id = ${siteId} and x.child_serial_item_id = r.unit_si and x.removed_at is null) as top_level,
                 count(*) over () as total
          from reached r join serial_items s on s.site_id = ${siteId} and s.id = r.unit_si
        )
        select unit_si, serial_number, level, hold_ids, top_level, total::int as total from ranked
        order by top_level desc, serial_number, unit_si offset ${page.offset} limit ${page.limit}`,
  );
  const details = await unitDetails(db, siteId, rows.map((r) => r.unit_si));
  return {
    total: rows[0] ? Number(rows[0].total) : page.offset > 0 ? await countUnits(db, siteId, alertId) : 0,
    rows: rows.map((r) => {
      const d = details.get(r.unit_si);
      return {
        unitSerialItemId: r.unit_si,
        unitSerialNumber: r.serial_number,
        unitId: d?.unitId ?? null,
        partNumber: d?.partNumber ?? "",
        revision: d?.revision ?? "",
        workOrderNumber: d?.workOrderNumber ?? null,
        status: d?.status ?? null,
        topLevel: r.top_level === true || (r.top_level as unknown) === "t",
        level: Number(r.level),
        holdIds: Array.isArray(r.hold_ids) ? r.hold_ids : r.hold_ids.replace(/^\{|\}$/g, "").split(",").filter(Boolean),
        location: d?.location ?? { kind: "unknown" },
      };
    }),
  };
}

async function countUnits(db: DbOrTx, siteId: string, alertId: string): Promise<number> {
  return (await unitsNowPerAlert(db, siteId, [alertId])).get(alertId) ?? 0;
}
