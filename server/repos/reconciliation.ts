import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx, type Tx } from "@/db/client";
import { CATEGORY_INFO, ERP_ALIGNED_MOVEMENT_KINDS, RECON_CATEGORIES } from "@/server/domain/reconciliation/categories";
import type { CheckResult } from "./ledger-checks";

/*
 * Reconciliation's comparison and exception bookkeeping, set-based (docs/ARCHITECTURE.md "Reconciliation").
 *
 * What ERP should hold for a balance key (part revision, lot or serial, floor location) at its snapshot's time is
 * Traceline's on-hand then, minus what Traceline moved without ERP having applied it yet. So for each key the comparison
 * computes, in one statement:
 *   traceline      on-hand now at physical locations, minus the legs of movements after the snapshot's time
 *   in_flight      legs (before the snapshot) of movements whose confirmation is not acknowledged now
 *   acked_after    legs of movements whose confirmation ERP acknowledged only after its snapshot
 *   unconfirmed    legs of movements since the previous snapshot that have no confirmation, or a dead letter
 *                  (movements that come from ERP or align the floor with it are never counted)
 * and sorts each key whose figures differ by the rule of server/domain/reconciliation/categories.ts (classifyDifference).
 * An ERP line without a location is compared with the item's total over all floor locations; a line naming a lot or
 * serial under another revision than Traceline's is matched with Traceline's item and reported as a master-data mismatch.
 */

const ZERO_UUID = "00000000-0000-0000-0000-000000000000";

export type SnapshotRef = { id: string; key: string; takenAt: Date; lines: number; previousTakenAt: Date | null };

/** The site's latest ERP stock snapshot (by its time, then arrival), with the time of the one before it. */
export async function latestSnapshot(db: DbOrTx, siteId: string): Promise<SnapshotRef | null> {
  const rows = await queryRows<{ id: string; snapshot_key: string; taken_at: Date | string; lines: number; previous: Date | string | null }>(
    db,
    sql`select s.id, s.snapshot_key, s.taken_at,
               (select count(*)::int from erp_stock_snapshot_lines l where l.site_id = s.site_id and l.snapshot_id = s.id) as lines,
               (select max(p.taken_at) from erp_stock_snapshots p where p.site_id = s.site_id and p.taken_at < s.taken_at) as previous
        from erp_stock_snapshots s where s.site_id = ${siteId}::uuid
        order by s.taken_at desc, s.received_at desc limit 1`,
  );
  const r = rows[0];
  if (!r) return null;
  return { id: r.id, key: r.snapshot_key, takenAt: new Date(r.taken_at), lines: Number(r.lines), previousTakenAt: r.previous ? new Date(r.previous) : null };
}

export type ComparisonParams = { siteId: string; snapshotId: string; takenAt: Date; since: Date | null };

const ALIGNED = sql.join(
  ERP_ALIGNED_MOVEMENT_KINDS.map((k) => sql`${k}::movement_kind`),
  sql`, `,
);

/**
 * The comparison as one query: one row per differing key with its category. Also what `npm run bench:recon` times as
 * its SQL baseline.
 */
export function comparisonQuery(p: ComparisonParams): SQL {
  const site = sql`${p.siteId}::uuid`;
  const taken = sql`${p.takenAt.toISOString()}::timestamptz`;
  const since = p.since ? sql`${p.since.toISOString()}::timestamptz` : sql`'-infinity'::timestamptz`;
  return sql`
    with erp_lines as (
      select l.part_number as pn, l.revision as rev, nullif(l.lot_number, '') as lotn, nullif(l.serial_number, '') as sn,
             nullif(l.location, '') as loc, nullif(l.unit, '') as unit, l.quantity as qty
      from erp_stock_snapshot_lines l
      where l.site_id = ${site} and l.snapshot_id = ${p.snapshotId}::uuid
    ),
    erp_matched as (
      -- a line's lot or serial: the one of the line's own revision (unique per site, revision and number: one hash join
      -- for all lines), else, only for the rare line that names another revision's lot or serial, any of the part's
      select e.rev, e.lotn, e.sn, e.unit, e.qty, p.uom, pr.id as line_rev_id, sl.id as location_id,
             lx.id as lx_id, lx.part_revision_id as lx_rev, sx.id as sx_id, sx.part_revision_id as sx_rev,
             case when e.lotn is not null and lx.id is null then (
               select array[x.id, x.part_revision_id] from lots x join part_revisions xr on xr.id = x.part_revision_id
               where x.site_id = ${site} and x.lot_number = e.lotn and xr.part_id = p.id limit 1) end as lo,
             case when e.sn is not null and sx.id is null then (
               select array[x.id, x.part_revision_id] from serial_items x join part_revisions xr on xr.id = x.part_revision_id
               where x.site_id = ${site} and x.serial_number = e.sn and xr.part_id = p.id limit 1) end as si
      from erp_lines e
      join parts p on p.part_number = e.pn
      join part_revisions pr on pr.part_id = p.id and pr.revision = e.rev
      left join lots lx on lx.site_id = ${site} and lx.part_revision_id = pr.id and lx.lot_number = e.lotn
      left join serial_items sx on sx.site_id = ${site} and sx.part_revision_id = pr.id and sx.serial_number = e.sn
      left join storage_locations sl on sl.site_id = ${site} and sl.code = e.loc and sl.is_physical
    ),
    erp as (
      select rev, lotn, sn, unit, qty, uom, line_rev_id, location_id,
             coalesce(lx_rev, lo[2], sx_rev, si[2], line_rev_id) as rev_id, coalesce(lx_id, lo[1]) as lot_id, coalesce(sx_id, si[1]) as serial_id,
             ((lotn is not null and lx_id is null and lo is null) or (sn is not null and sx_id is null and si is null)) as unknown_item
      from erp_matched
    ),
    erp_keyed as (
      select erp.*, coalesce(location_id, ${ZERO_UUID}::uuid) as k_loc,
             coalesce(lot_id::text, serial_id::text, case when unknown_item then 'erp:' || coalesce(lotn, sn) end, '-') as k_item
      from erp
    ),
    item_level as (select distinct rev_id, k_item from erp_keyed where location_id is null and not unknown_item),
    phys as (select id from storage_locations where site_id = ${site} and is_physical),
    conf as (
      select o.payload->>'reference' as ref, bool_or(o.status = 'dead') as dead,
             bool_and(o.status = 'delivered' and o.delivered_at <= ${taken}) as acked_before,
             bool_and(o.status = 'delivered') as acked_now
      from erp_outbox o where o.site_id = ${site} and o.payload ? 'reference'
        and (o.created_at > ${since} or o.status <> 'delivered' or o.delivered_at > ${taken})
      group by 1
    ),
    scoped as (
      select m.id, m.kind, m.occurred_at from movements m where m.site_id = ${site} and m.occurred_at > ${since}
      union
      select m.id, m.kind, m.occurred_at from conf c join movements m on m.site_id = ${site} and m.id::text = c.ref
      where not c.acked_before
    ),
    legs as (
      select l.location_id, l.part_revision_id, l.lot_id, l.serial_item_id, l.quantity,
             case when m.occurred_at > ${taken} then 'after'
                  when m.kind in (${ALIGNED}) then 'erp'
                  when c.ref is null or c.dead then case when m.occurred_at > ${since} then 'unconfirmed' else 'erp' end
                  when c.acked_before then 'erp'
                  when c.acked_now then 'acked_after'
                  else 'in_flight' end as state
      from scoped m
      join movement_legs l on l.site_id = ${site} and l.movement_id = m.id
      left join conf c on c.ref = m.id::text
      where l.location_id in (select id from phys)
    ),
    leg_keys as (
      select location_id, part_revision_id, lot_id, serial_item_id,
             sum(case when state = 'after' then -quantity else 0 end) as qty,
             sum(case when state = 'in_flight' then quantity else 0 end) as in_flight,
             sum(case when state = 'acked_after' then quantity else 0 end) as acked_after,
             sum(case when state = 'unconfirmed' then quantity else 0 end) as unconfirmed
      from legs where state <> 'erp'
      group by location_id, part_revision_id, lot_id, serial_item_id
    ),
    -- Traceline's side per key: the balance (one row per key) corrected by the legs ERP has not seen as of the snapshot;
    -- a full join with the few keys those legs touch rather than a grouping of every balance row
    tl_keys as (
      select coalesce(b.location_id, g.location_id) as location_id, coalesce(b.part_revision_id, g.part_revision_id) as rev_id,
             coalesce(b.lot_id, g.lot_id) as lot_id, coalesce(b.serial_item_id, g.serial_item_id) as serial_item_id,
             coalesce(b.lot_id, g.lot_id, b.serial_item_id, g.serial_item_id)::text as item_id,
             coalesce(b.on_hand, 0) + coalesce(g.qty, 0) as qty, coalesce(g.in_flight, 0) as in_flight,
             coalesce(g.acked_after, 0) as acked_after, coalesce(g.unconfirmed, 0) as unconfirmed
      from (select location_id, part_revision_id, lot_id, serial_item_id, on_hand
            from stock_balances where site_id = ${site} and is_physical and on_hand <> 0) b
      full join leg_keys g on g.location_id = b.location_id and g.part_revision_id = b.part_revision_id
        and coalesce(g.lot_id, ${ZERO_UUID}::uuid) = coalesce(b.lot_id, ${ZERO_UUID}::uuid)
        and coalesce(g.serial_item_id, ${ZERO_UUID}::uuid) = coalesce(b.serial_item_id, ${ZERO_UUID}::uuid)
    ),
    -- keys ERP reports per item without a location are compared per item: their rows are summed over locations
    tl as (
      select t.location_id, t.rev_id, t.lot_id, t.serial_item_id, coalesce(t.item_id, '-') as k_item,
             t.qty, t.in_flight, t.acked_after, t.unconfirmed
      from tl_keys t
      where not exists (select 1 from item_level il where il.rev_id = t.rev_id and il.k_item = coalesce(t.item_id, '-'))
      union all
      select null::uuid, t.rev_id, t.lot_id, t.serial_item_id, coalesce(t.item_id, '-'),
             sum(t.qty), sum(t.in_flight), sum(t.acked_after), sum(t.unconfirmed)
      from tl_keys t join item_level il on il.rev_id = t.rev_id and il.k_item = coalesce(t.item_id, '-')
      group by t.rev_id, t.lot_id, t.serial_item_id, coalesce(t.item_id, '-')
    ),
    compared as (
      select coalesce(t.rev_id, e.rev_id) as part_revision_id, coalesce(t.lot_id, e.lot_id) as lot_id,
             coalesce(t.serial_item_id, e.serial_id) as serial_item_id, coalesce(t.location_id, e.location_id) as location_id,
             coalesce(t.rev_id, e.rev_id)::text || '|' || coalesce(t.k_item, e.k_item) || '|' || coalesce(coalesce(t.location_id, e.location_id)::text, '*') as item_key,
             coalesce(t.qty, 0) as traceline_qty, coalesce(e.qty, 0) as erp_qty,
             coalesce(t.in_flight, 0) as in_flight, coalesce(t.acked_after, 0) as acked_after, coalesce(t.unconfirmed, 0) as unconfirmed,
             e.rev as erp_rev, e.unit as erp_unit, e.lotn as erp_lot, e.sn as erp_serial,
             (e.unit is not null and e.unit <> e.uom) as unit_mismatch, coalesce(e.line_rev_id <> e.rev_id, false) as revision_mismatch,
             coalesce(e.unknown_item, false) as unknown_item
      from tl t full join erp_keyed e on e.rev_id = t.rev_id and e.k_item = t.k_item and e.k_loc = coalesce(t.location_id, ${ZERO_UUID}::uuid)
    )
    select c.*, (traceline_qty - erp_qty) as difference,
           case
             when unit_mismatch then 'uom_mismatch'
             when revision_mismatch then 'master_data_mismatch'
             when unknown_item then 'unknown'
             when traceline_qty = erp_qty then null
             when traceline_qty - erp_qty = in_flight + acked_after then case when in_flight <> 0 then 'in_flight' end
             when unconfirmed <> 0 and traceline_qty - erp_qty = in_flight + acked_after + unconfirmed then 'unconfirmed_movement'
             when in_flight = 0 and acked_after = 0 then 'erp_side_adjustment'
             else 'unknown'
           end as category
    from compared c
    where traceline_qty <> erp_qty or unit_mismatch or revision_mismatch or unknown_item`;
}

/**
 * The planner settings the comparison runs under, inside its transaction (SET LOCAL), restored after `run`. A snapshot
 * may be compared before autovacuum has analysed its lines (then estimated at a few rows, a million lines would be
 * looped over: one index probe per line, per join, 30x slower than hashing). The comparison is a batch over every row
 * of the site, never a lookup: its joins are hashed, in memory. `npm run bench:recon` times its SQL baseline under the
 * same settings.
 */
export async function withComparisonPlan<T>(tx: Tx, run: () => Promise<T>): Promise<T> {
  const [before] = await queryRows<{ nestloop: string; work_mem: string }>(
    tx,
    sql`select current_setting('enable_nestloop') as nestloop, current_setting('work_mem') as work_mem`,
  );
  await tx.execute(sql`select set_config('enable_nestloop', 'off', true), set_config('work_mem', '256MB', true)`);
  const result = await run();
  await tx.execute(sql`select set_config('enable_nestloop', ${before!.nestloop}, true), set_config('work_mem', ${before!.work_mem}, true)`);
  return result;
}

/** Run the comparison into the transaction's temporary table `recon_diff` (dropped at commit); returns its row count. */
export async function compareIntoTemp(tx: Tx, p: ComparisonParams): Promise<number> {
  await tx.execute(sql`drop table if exists recon_diff`);
  await withComparisonPlan(tx, () =>
    tx.execute(sql`create temp table recon_diff on commit drop as select * from (${comparisonQuery(p)}) d where d.category is not null`),
  );
  // keyed and counted for the planner (a temporary table has no statistics until analysed): the merge then joins the
  // differences with the site's exceptions by key instead of looping over one for each row of the other
  await tx.execute(sql`create index on recon_diff (item_key)`);
  await tx.execute(sql`analyze recon_diff`);
  const rows = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from recon_diff`);
  return rows[0]?.n ?? 0;
}

/** The category -> (registry row, default system, role, severity) table as SQL values, from the domain's one table. */
function ownersValues(): SQL {
  return sql.join(
    RECON_CATEGORIES.map((c) => {
      const i = CATEGORY_INFO[c];
      return sql`(${c}::recon_category, ${i.registry.entity}, ${i.registry.attribute}, ${i.defaultSystem}::owner_system, ${i.role}::role, ${i.severity})`;
    }),
    sql`, `,
  );
}

export type MergeCounts = { found: number; opened: number; stillOpen: number; noLongerDiffers: number; knownClosed: number };

/**
 * Merge the run's differences (recon_diff) into the exceptions, in one statement: a key with a live (open or
 * investigating) exception is updated (figures, last run; its category too, unless the difference is unchanged and a
 * later snapshot no longer shows what explained it: a scrap ERP was never told stays an unconfirmed movement); a key with none gets a new exception unless a
 * closed one says the same (same category and both quantities: resolved or accepted before, nothing new); live
 * exceptions of keys that no longer differ are resolved as "no longer differs". Ledger exceptions are not touched.
 */
export async function mergeDifferences(tx: Tx, p: { siteId: string; runId: string; now: Date; snapshotKey: string }): Promise<MergeCounts> {
  const site = sql`${p.siteId}::uuid`;
  const now = sql`${p.now.toISOString()}::timestamptz`;
  const rows = await queryRows<{ found: number; opened: number; still_open: number; cleared: number; known_closed: number }>(
    tx,
    sql`
    with owners(category, entity, attribute, default_system, role, severity) as (values ${ownersValues()}),
    kept as (
      select d.*, case when lx.difference = d.difference and d.category in ('erp_side_adjustment', 'unknown') then lx.category
                       else d.category::recon_category end as cat
      from recon_diff d
      left join recon_exceptions lx on lx.site_id = ${site} and lx.item_key = d.item_key and lx.status in ('open', 'investigating')
    ),
    d as (
      select d.*, p.part_number, pr.revision, p.uom,
             coalesce(lo.lot_number, d.erp_lot) as lot_number, coalesce(si.serial_number, d.erp_serial) as serial_number,
             sl.code as location_code, coalesce(reg.owner, o.default_system) as owner_system, o.role as owner_role, o.severity
      from kept d
      join part_revisions pr on pr.id = d.part_revision_id
      join parts p on p.id = pr.part_id
      left join lots lo on lo.site_id = ${site} and lo.id = d.lot_id
      left join serial_items si on si.site_id = ${site} and si.id = d.serial_item_id
      left join storage_locations sl on sl.site_id = ${site} and sl.id = d.location_id
      join owners o on o.category = d.cat
      left join ownership_registry reg on reg.entity = o.entity and reg.attribute = o.attribute
    ),
    updated as (
      update recon_exceptions x
      set category = d.cat, severity = d.severity, erp_quantity = d.erp_qty, traceline_quantity = d.traceline_qty,
          difference = d.difference, in_flight_quantity = d.in_flight, unconfirmed_quantity = d.unconfirmed,
          erp_revision = case when d.revision_mismatch then d.erp_rev end, erp_unit = d.erp_unit,
          owner_system = d.owner_system, owner_role = d.owner_role, last_run_id = ${p.runId}::uuid, last_seen_at = ${now},
          snapshot_key = ${p.snapshotKey}
      from d
      where x.site_id = ${site} and x.status in ('open', 'investigating') and x.item_key = d.item_key
      returning x.id
    ),
    fresh as (
      select d.* from d
      -- a probe of the one-live-per-key index for each difference
      where not exists (select 1 from recon_exceptions x where x.site_id = ${site} and x.item_key = d.item_key and x.status in ('open', 'investigating'))
        and not exists (
          select 1 from recon_exceptions c
          where c.site_id = ${site} and c.item_key = d.item_key and c.status in ('resolved', 'accepted')
            and c.category = d.cat and c.erp_quantity = d.erp_qty and c.traceline_quantity = d.traceline_qty)
    ),
    inserted as (
      insert into recon_exceptions (site_id, item_key, category, severity, status, part_revision_id, lot_id, serial_item_id,
        location_id, part_number, revision, lot_number, serial_number, location_code, uom, erp_revision, erp_unit,
        erp_quantity, traceline_quantity, difference, in_flight_quantity, unconfirmed_quantity, owner_system, owner_role,
        first_run_id, last_run_id, snapshot_key, detected_at, last_seen_at, status_changed_at)
      select ${site}, item_key, cat, severity, 'open', part_revision_id, lot_id, serial_item_id, location_id, part_number,
        revision, lot_number, serial_number, location_code, uom, case when revision_mismatch then erp_rev end, erp_unit,
        erp_qty, traceline_qty, difference, in_flight, unconfirmed, owner_system, owner_role,
        ${p.runId}::uuid, ${p.runId}::uuid, ${p.snapshotKey}, ${now}, ${now}, ${now}
      from fresh
      returning id
    ),
    cleared as (
      update recon_exceptions x
      set status = 'resolved', resolution = 'no_longer_differs', resolved_at = ${now}, status_changed_at = ${now},
          resolution_reason = 'A later reconciliation found no difference.', last_run_id = ${p.runId}::uuid
      where x.site_id = ${site} and x.status in ('open', 'investigating') and x.category <> 'ledger_integrity'
        and not exists (select 1 from recon_diff r where r.item_key = x.item_key)  -- the keys of d (a probe of its index)
      returning x.id
    )
    select (select count(*) from d)::int as found, (select count(*) from inserted)::int as opened,
           (select count(*) from updated)::int as still_open, (select count(*) from cleared)::int as cleared,
           ((select count(*) from d) - (select count(*) from inserted) - (select count(*) from updated))::int as known_closed`,
  );
  const r = rows[0]!;
  return { found: r.found, opened: r.opened, stillOpen: r.still_open, noLongerDiffers: r.cleared, knownClosed: r.known_closed };
}

/**
 * The movements behind each exception this run saw (the last 20 at its key, each with its confirmation and what it
 * means for the difference), the confirmations an in-flight exception waits for, and the order they belong to.
 */
export async function explainExceptions(tx: Tx, p: { siteId: string; runId: string; takenAt: Date; since: Date | null }): Promise<void> {
  const site = sql`${p.siteId}::uuid`;
  const taken = sql`${p.takenAt.toISOString()}::timestamptz`;
  const since = p.since ? sql`${p.since.toISOString()}::timestamptz` : sql`'-infinity'::timestamptz`;
  await tx.execute(sql`
    with targets as (
      select x.id, x.part_revision_id, x.lot_id, x.serial_item_id, x.location_id from recon_exceptions x
      where x.site_id = ${site} and x.last_run_id = ${p.runId}::uuid and x.status in ('open', 'investigating')
        and x.category <> 'ledger_integrity' and x.part_revision_id is not null
    ),
    phys as (select array_agg(id) as ids from storage_locations where site_id = ${site} and is_physical),
    leg_rows as (
      select t.id as exception_id, m.id as movement_id, m.kind::text as kind, m.occurred_at, l.quantity, sl.code as location,
             coalesce(m.reference->>'workOrderNumber', m.reference->>'workOrder', o.payload->>'order', o.payload->>'builtOnOrder') as order_number,
             o.message_id, o.status::text as confirmation_status, o.delivered_at, o.type as confirmation_type,
             case when m.occurred_at > ${taken} then 'after_snapshot'
                  when m.kind in (${ALIGNED}) then 'from_erp'
                  when o.id is null or o.status = 'dead' then case when m.occurred_at > ${since} then 'unconfirmed' else 'before_previous_snapshot' end
                  when o.status <> 'delivered' then 'in_flight'
                  when o.delivered_at > ${taken} then 'acknowledged_after_snapshot'
                  else 'acknowledged' end as meaning
      from targets t
      cross join phys
      -- the balance-key index on every column: site, location (one, or any floor location), part revision, lot, serial;
      -- one branch per kind of item (an "or" across them would leave the lot or serial to a filter over every leg of the
      -- part revision at the location)
      cross join lateral (
        select l.movement_id, l.location_id, l.quantity from movement_legs l
        where t.lot_id is not null and l.site_id = ${site} and l.location_id = any(case when t.location_id is null then phys.ids else array[t.location_id] end)
          and l.part_revision_id = t.part_revision_id and l.lot_id = t.lot_id
        union all
        select l.movement_id, l.location_id, l.quantity from movement_legs l
        where t.serial_item_id is not null and l.site_id = ${site} and l.location_id = any(case when t.location_id is null then phys.ids else array[t.location_id] end)
          and l.part_revision_id = t.part_revision_id and l.lot_id is null and l.serial_item_id = t.serial_item_id
        union all
        select l.movement_id, l.location_id, l.quantity from movement_legs l
        where t.lot_id is null and t.serial_item_id is null and l.site_id = ${site}
          and l.location_id = any(case when t.location_id is null then phys.ids else array[t.location_id] end)
          and l.part_revision_id = t.part_revision_id and l.lot_id is null and l.serial_item_id is null
      ) l
      join movements m on m.site_id = ${site} and m.id = l.movement_id
      join storage_locations sl on sl.site_id = ${site} and sl.id = l.location_id
      left join erp_outbox o on o.site_id = ${site} and o.payload->>'reference' = m.id::text
    ),
    ranked as (select r.*, row_number() over (partition by exception_id order by occurred_at desc, movement_id) as n from leg_rows r),
    summary as (
      select exception_id,
             jsonb_agg(jsonb_build_object('movementId', movement_id, 'kind', kind, 'occurredAt', occurred_at, 'quantity', quantity::text,
               'location', location, 'order', order_number, 'messageId', message_id, 'confirmationType', confirmation_type,
               'confirmationStatus', confirmation_status, 'deliveredAt', delivered_at, 'meaning', meaning) order by occurred_at desc)
               filter (where n <= 20) as movements,
             array_agg(distinct message_id) filter (where meaning = 'in_flight') as awaiting,
             (array_agg(order_number order by occurred_at desc) filter (where order_number is not null and meaning in ('in_flight', 'unconfirmed', 'acknowledged_after_snapshot')))[1] as order_number
      from ranked group by exception_id
    )
    update recon_exceptions x
    set explanation = jsonb_build_object('movements', coalesce(s.movements, '[]'::jsonb)), awaiting_message_ids = s.awaiting,
        order_number = s.order_number
    from summary s
    where x.site_id = ${site} and x.id = s.exception_id`);
}

/**
 * Ledger integrity (the checks of `npm run check:ledger`, this site's violations): each failed check is a critical
 * exception (one live per check); a live one whose check passes now is resolved as no longer differing.
 */
export async function recordLedgerFindings(tx: Tx, p: { siteId: string; runId: string; now: Date; results: CheckResult[] }): Promise<{ failed: number; opened: number }> {
  const site = sql`${p.siteId}::uuid`;
  const now = sql`${p.now.toISOString()}::timestamptz`;
  const info = CATEGORY_INFO.ledger_integrity;
  const failed = p.results.filter((r) => r.violations > 0);
  let opened = 0;
  for (const r of failed) {
    const key = `ledger|${r.name}`;
    const detail = `${r.name} (invariant ${r.invariant}): ${r.violations > 20 ? "more than 20" : r.violations} violation(s).`;
    // the check as codes and figures, for the screen to say in the reader's language (21 stands for "more than 20")
    const explanation = JSON.stringify({ check: { name: r.name, invariant: r.invariant, violations: Math.min(r.violations, 21) }, examples: r.examples });
    const rows = await queryRows<{ inserted: boolean }>(
      tx,
      sql`
      with reg as (select owner from ownership_registry where entity = ${info.registry.entity} and attribute = ${info.registry.attribute}),
      upd as (
        update recon_exceptions set detail = ${detail}, explanation = ${explanation}::jsonb,
               last_run_id = ${p.runId}::uuid, last_seen_at = ${now}
        where site_id = ${site} and item_key = ${key} and status in ('open', 'investigating') returning id)
      insert into recon_exceptions (site_id, item_key, category, severity, status, detail, explanation, owner_system, owner_role,
        first_run_id, last_run_id, detected_at, last_seen_at, status_changed_at)
      select ${site}, ${key}, 'ledger_integrity', 'critical', 'open', ${detail}, ${explanation}::jsonb,
             coalesce((select owner from reg), ${info.defaultSystem}::owner_system), ${info.role}::role,
             ${p.runId}::uuid, ${p.runId}::uuid, ${now}, ${now}, ${now}
      where not exists (select 1 from upd)
      returning true as inserted`,
    );
    opened += rows.length;
  }
  const passing = p.results.filter((r) => r.violations === 0).map((r) => `ledger|${r.name}`);
  if (passing.length > 0) {
    await tx.execute(sql`
      update recon_exceptions set status = 'resolved', resolution = 'no_longer_differs', resolved_at = ${now}, status_changed_at = ${now},
             resolution_reason = 'The ledger check passes again.', last_run_id = ${p.runId}::uuid
      where site_id = ${site} and category = 'ledger_integrity' and status in ('open', 'investigating')
        and item_key in (${sql.join(passing.map((k) => sql`${k}`), sql`, `)})`);
  }
  return { failed: failed.length, opened };
}

/**
 * In-flight exceptions whose confirmations ERP has all acknowledged clear themselves (resolved, "cleared"). Called by
 * each run and by the worker after deliveries; `siteId` null: every site. Returns how many cleared.
 */
export async function clearAcknowledgedInFlight(db: DbOrTx, p: { siteId: string | null; now: Date }): Promise<number> {
  const now = sql`${p.now.toISOString()}::timestamptz`;
  const rows = await queryRows<{ id: string }>(
    db,
    sql`
    update recon_exceptions x
    set status = 'resolved', resolution = 'cleared', resolved_at = ${now}, status_changed_at = ${now},
        resolution_reason = 'ERP acknowledged the confirmations it was waiting for.'
    where x.category = 'in_flight' and x.status in ('open', 'investigating') and x.awaiting_message_ids is not null
      ${p.siteId ? sql`and x.site_id = ${p.siteId}::uuid` : sql``}
      and not exists (
        select 1 from erp_outbox o
        where o.site_id = x.site_id and o.message_id = any(x.awaiting_message_ids) and o.status <> 'delivered')
    returning x.id`,
  );
  return rows.length;
}

export type RunFigures = {
  snapshotLines: number;
  differences: number;
  byCategory: Record<string, number>;
  openExceptions: number;
  openByAge: { under1d: number; from1to7d: number; over7d: number };
  /** Differing keys per 100 keys compared: the larger of Traceline's floor keys and ERP's lines (at most 100). */
  mismatchRate: number;
  keysCompared: number;
  confirmations: { sent: number; acknowledged: number; waiting: number; dead: number; oldestWaitingSeconds: number | null };
};

/** The run's figures for its results and the trend: differences, open exceptions by age, confirmations and their lag. */
export async function runFigures(tx: Tx, p: { siteId: string; runId: string; now: Date; snapshotLines: number; differences: number }): Promise<RunFigures> {
  const site = sql`${p.siteId}::uuid`;
  const now = sql`${p.now.toISOString()}::timestamptz`;
  const rows = await queryRows<{
    by_category: Record<string, number> | null;
    open_total: number;
    under1d: number;
    from1to7d: number;
    over7d: number;
    floor_keys: number;
    sent: number;
    acknowledged: number;
    waiting: number;
    dead: number;
    oldest: number | null;
  }>(
    tx,
    sql`
    select
      (select jsonb_object_agg(category, n) from (select category, count(*)::int as n from recon_exceptions
        where site_id = ${site} and status in ('open', 'investigating') group by category) c) as by_category,
      (select count(*)::int from recon_exceptions where site_id = ${site} and status in ('open', 'investigating')) as open_total,
      (select count(*)::int from recon_exceptions where site_id = ${site} and status in ('open', 'investigating') and detected_at > ${now} - interval '1 day') as under1d,
      (select count(*)::int from recon_exceptions where site_id = ${site} and status in ('open', 'investigating') and detected_at <= ${now} - interval '1 day' and detected_at > ${now} - interval '7 days') as from1to7d,
      (select count(*)::int from recon_exceptions where site_id = ${site} and status in ('open', 'investigating') and detected_at <= ${now} - interval '7 days') as over7d,
      (select count(*)::int from stock_balances where site_id = ${site} and is_physical and on_hand <> 0) as floor_keys,
      (select count(*)::int from erp_outbox where site_id = ${site}) as sent,
      (select count(*)::int from erp_outbox where site_id = ${site} and status = 'delivered') as acknowledged,
      (select count(*)::int from erp_outbox where site_id = ${site} and status in ('pending', 'failed')) as waiting,
      (select count(*)::int from erp_outbox where site_id = ${site} and status = 'dead') as dead,
      (select extract(epoch from ${now} - min(created_at))::int from erp_outbox where site_id = ${site} and status <> 'delivered') as oldest`,
  );
  const r = rows[0]!;
  const keysCompared = Math.max(r.floor_keys, p.snapshotLines);
  return {
    snapshotLines: p.snapshotLines,
    differences: p.differences,
    byCategory: r.by_category ?? {},
    openExceptions: r.open_total,
    openByAge: { under1d: r.under1d, from1to7d: r.from1to7d, over7d: r.over7d },
    mismatchRate: keysCompared === 0 ? 0 : Math.min(100, Math.round((p.differences / keysCompared) * 10_000) / 100),
    keysCompared,
    confirmations: { sent: r.sent, acknowledged: r.acknowledged, waiting: r.waiting, dead: r.dead, oldestWaitingSeconds: r.oldest === null ? null : Math.max(0, r.oldest) },
  };
}
