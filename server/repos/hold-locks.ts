import "server-only";
import { is, sql, SQL } from "drizzle-orm";
import { queryRows, type Tx } from "@/db/client";
import type { HoldTargetType } from "./quality-holds";

/*
 * Holds and installs on the same material are serialised by advisory locks keyed on the hold target (site, target type,
 * target id): placing a hold takes its target's key exclusively; an install takes, shared, the keys of every target
 * that could hold its item (its lot or serial, its part revision, its manufacturer and supplier; for a mixed lot, also
 * those of every lot it was mixed from, at any depth) before it reads the item's holds. So an install that did not see a hold committed before the hold took its lock, and a hold placed first
 * is seen by the install's read. Both read their recorded time (clock_timestamp()) after taking these locks, so an
 * install that did not see a hold carries an earlier time than the hold.
 *
 * Lock order (invariant 6): an install takes its unit operation row, its request id, then these keys (in key order, in
 * one statement), then its balance rows; a hold placement takes its request id, then its one key, and no balance or
 * operation row. Installs never wait on each other here (shared), so no cycle can form.
 */


/** The item of an install as the hold keys need it (a lot or serial names its revision, manufacturer and supplier). */
export type MaterialRef = { partRevisionId: string | null; lotId: string | null; serialItemId: string | null };

function holdKey(siteId: string, type: SQL, id: SQL): SQL {
  return sql`hashtextextended('hold:' || ${siteId}::text || ':' || ${type} || ':' || ${id}::text, 0)`;
}

/**
 * A scalar expression that takes, in key order, the shared hold keys of an item and counts them. Embed it in the
 * statement that locks the rest of an install, after those locks. The item is given, or read by a query of zero or one
 * row with the columns `lot`, `serial`, `rev` (no row: no key). A lot mixed from other lots also takes their keys (each
 * input lot at any depth, its part revision, manufacturer and supplier: what holds it, hold-flags' activeHoldsOf), in
 * the same statement and the same key order, so a hold placed on an input meanwhile waits for the install, or is seen.
 */
export function lockHoldKeysSharedSql(siteId: string, item: MaterialRef | SQL): SQL<number> {
  const source = is(item, SQL) ? item : sql`select ${item.lotId}::uuid as lot, ${item.serialItemId}::uuid as serial, ${item.partRevisionId}::uuid as rev`;
  return sql<number>`(with i as materialized (${source}) select count(x.l) from (
      select pg_advisory_xact_lock_shared(ks.k)::text as l from (
        select distinct ${holdKey(siteId, sql`v.type`, sql`v.id`)} as k
        from (
          select v.type, v.id
          from i
          left join lots lo on lo.site_id = ${siteId}::uuid and lo.id = i.lot
          left join serial_items si on si.site_id = ${siteId}::uuid and si.id = i.serial
          cross join lateral (values ('lot', i.lot), ('serial', i.serial),
                                     ('part_revision', coalesce(lo.part_revision_id, si.part_revision_id, i.rev)),
                                     ('manufacturer', coalesce(lo.manufacturer_id, si.manufacturer_id)),
                                     ('supplier', coalesce(lo.supplier_id, si.supplier_id))) v(type, id)
          union all
          select v.type, v.id
          from (with recursive mixed_from(id) as (
                  select li.input_lot_id from lot_inputs li where li.site_id = ${siteId}::uuid and li.child_lot_id in (select i.lot from i)
                  union
                  select li.input_lot_id from mixed_from mf
                  cross join lateral (select x.input_lot_id from lot_inputs x where x.site_id = ${siteId}::uuid and x.child_lot_id = mf.id offset 0) li)
                select al.id, al.part_revision_id, al.manufacturer_id, al.supplier_id
                from mixed_from mf
                cross join lateral (select y.id, y.part_revision_id, y.manufacturer_id, y.supplier_id from lots y where y.site_id = ${siteId}::uuid and y.id = mf.id offset 0) al) a
          cross join lateral (values ('lot', a.id), ('part_revision', a.part_revision_id), ('manufacturer', a.manufacturer_id), ('supplier', a.supplier_id)) v(type, id)
        ) v
        where v.id is not null
        order by k) ks) x)`;
}

/** The database's clock as ISO text, read when the statement evaluates it (not at the transaction's start). */
const clockNow = sql<string>`to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Take an item's shared hold keys (an install that resolved its item late, from a scan); the time after the locks. */
export async function lockHoldKeysShared(tx: Tx, siteId: string, item: MaterialRef): Promise<Date> {
  const rows = await queryRows<{ at: string }>(tx, sql`with l as materialized (select ${lockHoldKeysSharedSql(siteId, item)} as held) select ${clockNow} as at from l`);
  return new Date(rows[0]!.at);
}

/** Take a hold target's key exclusively (placing a hold); the time after the lock. */
export async function lockHoldTarget(tx: Tx, siteId: string, targetType: HoldTargetType, targetId: string): Promise<Date> {
  const rows = await queryRows<{ at: string }>(
    tx,
    sql`with l as materialized (select pg_advisory_xact_lock(${holdKey(siteId, sql`${targetType}::text`, sql`${targetId}::uuid`)})::text as locked)
        select ${clockNow} as at from l`,
  );
  return new Date(rows[0]!.at);
}

/** The database's clock now (a signed action's time, read inside its transaction after its locks). */
export async function commitSideTime(tx: Tx): Promise<Date> {
  const rows = await queryRows<{ at: string }>(tx, sql`select ${clockNow} as at`);
  return new Date(rows[0]!.at);
}

/** The clock expression for statements that lock and read the time in one go (the install's first statement). */
export const clockAfterLocks = clockNow;

/**
 * Take several hold targets' keys exclusively in one statement, in key order (placing many holds at once: a
 * suspect-part alert); the time after the locks.
 */
export async function lockHoldTargets(tx: Tx, siteId: string, targets: { targetType: HoldTargetType; targetId: string }[]): Promise<Date> {
  if (targets.length === 0) return commitSideTime(tx);
  const list = JSON.stringify(targets.map((t) => ({ type: t.targetType, id: t.targetId })));
  const rows = await queryRows<{ at: string }>(
    tx,
    sql`with l as materialized (
          select count(x.l) as locked from (
            select pg_advisory_xact_lock(ks.k)::text as l from (
              select distinct ${holdKey(siteId, sql`v.type`, sql`v.id::uuid`)} as k
              from jsonb_to_recordset(${list}::jsonb) v(type text, id text)
              order by k) ks) x)
        select ${clockNow} as at from l`,
  );
  return new Date(rows[0]!.at);
}
