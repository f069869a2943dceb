import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";

export type CheckResult = { name: string; invariant: string; violations: number; examples: Record<string, unknown>[] };

const LIMIT = 20;

/**
 * The stock and genealogy invariants of docs/domain.md (1-5, and 10's structural parts) as SQL over any database.
 * Each query returns the violating rows; an empty result is a pass.
 */
const CHECKS: { name: string; invariant: string; query: SQL; siteColumn?: string }[] = [
  {
    name: "movement legs balance per item",
    invariant: "2: every movement conserves quantity for each lot/serial",
    query: sql`select site_id, movement_id, part_revision_id, lot_id, serial_item_id, sum(quantity)::text as net
               from movement_legs group by site_id, movement_id, part_revision_id, lot_id, serial_item_id
               having sum(quantity) <> 0`,
  },
  {
    name: "movement has source and destination",
    invariant: "2: every movement has a source and a destination",
    query: sql`select m.site_id, m.id as movement_id, count(l.id) as legs
               from movements m left join movement_legs l on l.site_id = m.site_id and l.movement_id = m.id
               group by m.site_id, m.id
               having count(*) filter (where l.quantity < 0) = 0 or count(*) filter (where l.quantity > 0) = 0`,
  },
  {
    name: "item totals conserved across locations",
    invariant: "2: for every lot or serial, quantities are conserved across all locations",
    query: sql`select site_id, part_revision_id, lot_id, serial_item_id, sum(on_hand)::text as net
               from stock_balances group by site_id, part_revision_id, lot_id, serial_item_id having sum(on_hand) <> 0`,
  },
  {
    name: "balances equal the ledger",
    invariant: "3: on_hand == sum(in) - sum(out) for every balance key",
    query: sql`with ledger as (
                 select site_id, location_id, part_revision_id, lot_id, serial_item_id, sum(quantity) as qty
                 from movement_legs group by site_id, location_id, part_revision_id, lot_id, serial_item_id)
               select coalesce(b.site_id, l.site_id) as site_id, coalesce(b.location_id, l.location_id) as location_id,
                      coalesce(b.part_revision_id, l.part_revision_id) as part_revision_id,
                      coalesce(b.lot_id, l.lot_id) as lot_id, coalesce(b.serial_item_id, l.serial_item_id) as serial_item_id,
                      b.on_hand::text as on_hand, l.qty::text as ledger
               from stock_balances b
               -- null lots and serials matched through a uuid no row has (a hash join; "is not distinct from" allows
               -- only a nested loop, quadratic in the number of balances)
               full join ledger l on l.site_id = b.site_id and l.location_id = b.location_id
                 and l.part_revision_id = b.part_revision_id
                 and coalesce(l.lot_id, '00000000-0000-0000-0000-000000000000'::uuid) = coalesce(b.lot_id, '00000000-0000-0000-0000-000000000000'::uuid)
                 and coalesce(l.serial_item_id, '00000000-0000-0000-0000-000000000000'::uuid) = coalesce(b.serial_item_id, '00000000-0000-0000-0000-000000000000'::uuid)
               where coalesce(b.on_hand, 0) <> coalesce(l.qty, 0)`,
  },
  {
    name: "no negative stock at physical locations",
    invariant: "4: on-hand never goes negative at a physical location",
    query: sql`select b.site_id, b.location_id, b.part_revision_id, b.lot_id, b.serial_item_id, b.on_hand::text as on_hand
               from stock_balances b join storage_locations s on s.site_id = b.site_id and s.id = b.location_id
               where (s.is_physical and b.on_hand < 0) or b.is_physical <> s.is_physical or b.reserved < 0
                  or (s.is_physical and b.reserved > b.on_hand)`,
  },
  {
    name: "serial in at most one place",
    invariant: "5: a serial is in at most one place at a time",
    query: sql`select site_id, serial_item_id, count(*) filter (where on_hand > 0) as places, max(on_hand)::text as max_on_hand
               from stock_balances where serial_item_id is not null group by site_id, serial_item_id
               having count(*) filter (where on_hand > 0) > 1 or max(on_hand) > 1`,
  },
  {
    name: "serial installed in at most one parent",
    invariant: "5: a serial is installed in at most one parent at a time",
    query: sql`select site_id, child_serial_item_id, count(*) as open_edges from genealogy_edges
               where child_serial_item_id is not null and removed_at is null
               group by site_id, child_serial_item_id having count(*) > 1`,
  },
  {
    name: "installed serials are consumed, consumed serials are installed",
    invariant: "5 and 10: a serial in a consumed location has exactly one open genealogy edge, and vice versa",
    query: sql`with consumed as (
                 select b.site_id, b.serial_item_id from stock_balances b
                 join storage_locations s on s.site_id = b.site_id and s.id = b.location_id
                 where s.kind = 'consumed' and b.serial_item_id is not null and b.on_hand > 0),
               installed as (
                 select site_id, child_serial_item_id as serial_item_id from genealogy_edges
                 where child_serial_item_id is not null and removed_at is null)
               select coalesce(c.site_id, i.site_id) as site_id, coalesce(c.serial_item_id, i.serial_item_id) as serial_item_id,
                      (c.serial_item_id is not null) as in_consumed, (i.serial_item_id is not null) as has_open_edge
               from consumed c full join installed i on i.site_id = c.site_id and i.serial_item_id = c.serial_item_id
               where c.serial_item_id is null or i.serial_item_id is null`,
  },
  {
    name: "no unit is its own ancestor",
    invariant: "10: the genealogy has no cycles",
    query: sql`with recursive walk(site_id, start_id, node_id, depth, path_has_cycle) as (
                 select site_id, parent_serial_item_id, child_serial_item_id, 1, child_serial_item_id = parent_serial_item_id
                 from genealogy_edges where child_serial_item_id is not null and removed_at is null
                 union all
                 select w.site_id, w.start_id, e.child_serial_item_id, w.depth + 1, e.child_serial_item_id = w.start_id
                 from walk w join genealogy_edges e on e.site_id = w.site_id and e.parent_serial_item_id = w.node_id
                 where e.child_serial_item_id is not null and e.removed_at is null and not w.path_has_cycle and w.depth < 64)
               select distinct site_id, start_id as serial_item_id from walk where path_has_cycle or depth >= 64`,
  },
  {
    name: "hash chain intact",
    siteColumn: "site_key",
    invariant: "1 and 11: every chained audit row and movement (with its legs) still hashes to its entry, and every entry links to the one before it",
    query: sql`with c as (
                 select h.*, lag(h.row_hash) over w as expected_prev, lag(h.seq) over w as prior_seq
                 from hash_chain h window w as (partition by h.site_key order by h.seq))
               select c.site_key, c.seq, c.kind, c.row_id,
                      case when c.seq <> coalesce(c.prior_seq, 0) + 1 then 'entry missing before this one'
                           when c.prev_hash <> coalesce(c.expected_prev, '') then 'link to the previous entry broken'
                           when x.content is null then 'row removed'
                           else 'row changed after it was chained' end as problem
               from c cross join lateral (
                 select case c.kind when 'audit' then traceline_audit_content(c.row_id::bigint)
                                    else traceline_movement_content(c.site_key::uuid, c.row_id::uuid) end as content) x
               where c.seq <> coalesce(c.prior_seq, 0) + 1 or c.prev_hash <> coalesce(c.expected_prev, '') or x.content is null
                  or traceline_chain_hash(c.prev_hash, x.content) <> c.row_hash`,
  },
  {
    name: "every audit row and movement is chained",
    siteColumn: "site_key",
    invariant: "1 and 11: no audit row or movement was added outside the chain",
    // rows of the checking transaction itself are chained at its commit (pending until then)
    query: sql`select 'audit' as kind, a.id::text as row_id, coalesce(a.site_id::text, 'enterprise') as site_key from audit_log a
               where not exists (select 1 from hash_chain h where h.kind = 'audit' and h.site_key = coalesce(a.site_id::text, 'enterprise') and h.row_id = a.id::text)
                 and not exists (select 1 from hash_chain_pending p where p.kind = 'audit' and p.row_id = a.id::text)
               union all
               select 'movement', m.id::text, m.site_id::text from movements m
               where not exists (select 1 from hash_chain h where h.kind = 'movement' and h.site_key = m.site_id::text and h.row_id = m.id::text)
                 and not exists (select 1 from hash_chain_pending p where p.kind = 'movement' and p.site_key = m.site_id::text and p.row_id = m.id::text)`,
  },
  {
    name: "hash chain heads match their last entry",
    siteColumn: "site_key",
    invariant: "1 and 11: no chain was cut short",
    query: sql`select hh.site_key, hh.seq as head_seq, l.seq as last_seq
               from hash_chain_heads hh left join lateral (select h.seq, h.row_hash from hash_chain h where h.site_key = hh.site_key order by h.seq desc limit 1) l on true
               where hh.seq <> coalesce(l.seq, 0) or hh.last_hash <> coalesce(l.row_hash, '')`,
  },
];

/** The head of each site's hash chain (site key, length, last hash): printed by check:ledger so it can be kept elsewhere. */
export async function chainHeads(db: DbOrTx): Promise<{ site_key: string; seq: number; last_hash: string }[]> {
  return queryRows(db, sql`select site_key, seq::int as seq, last_hash from hash_chain_heads order by site_key`);
}

/** Run every check; with `siteId`, only that site's violations count (a reconciliation run is per site). */
export async function runLedgerChecks(db: DbOrTx, opts: { siteId?: string } = {}): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of CHECKS) {
    // the hash chain's checks name the site by its chain key (the site id as text, or "enterprise")
    const where = opts.siteId ? sql` where v.${sql.identifier(check.siteColumn ?? "site_id")}::text = ${opts.siteId}` : sql``;
    const rows = await queryRows<Record<string, unknown>>(db, sql`select * from (${check.query}) v${where} limit ${LIMIT + 1}`);
    results.push({ name: check.name, invariant: check.invariant, violations: rows.length, examples: rows.slice(0, LIMIT) });
  }
  return results;
}

export function failedChecks(results: CheckResult[]): CheckResult[] {
  return results.filter((r) => r.violations > 0);
}
