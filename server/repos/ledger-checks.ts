import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";

export type CheckResult = { name: string; invariant: string; violations: number; examples: Record<string, unknown>[] };

const LIMIT = 20;

/**
 * What an incremental run of the checks starts from (a site's ledger_check_marks row): movements chained after `seq`,
 * and those with a leg numbered after the mark's last leg, are new; balance rows written by a transaction not older than the mark's snapshot xmin (their `xmin`, by age, so
 * the comparison survives transaction-id wraparound) are changed. Only those are checked by the `since` variants.
 */
type Since = {
  site: SQL;
  siteKey: string;
  seq: number;
  hash: string;
  /** the site's movements chained after the mark, and those with a leg written after it (a leg added to an old movement) */
  newMovements: SQL;
  /** true for a row of `alias` written (inserted or updated) since the mark */
  changed: (alias: string) => SQL;
};

/** The balance keys of balance rows changed since the mark, and of the legs of new movements (see Since). */
function changedKeysQuery(m: Since): SQL {
  return sql`select b.location_id, b.part_revision_id, b.lot_id, b.serial_item_id from stock_balances b where b.site_id = ${m.site} and ${m.changed("b")}
    union
    select l.location_id, l.part_revision_id, l.lot_id, l.serial_item_id from movement_legs l where l.site_id = ${m.site} and l.movement_id in (${m.newMovements})`;
}

/** `keys`: the changed balance keys, found once per run of the checks (the temporary table ledger_changed_keys). */
function changedKeys(): SQL {
  return sql`keys as (select location_id, part_revision_id, lot_id, serial_item_id from ledger_changed_keys)`;
}

/**
 * The rows of `table` (alias b) at one balance key of `k`: one branch per kind of item, so each is an index range
 * (the balance-key indexes: site, location, part revision, lot, serial), never a filter over a part's other lots.
 */
function atKey(m: Since, table: "stock_balances" | "movement_legs", k: string, col: SQL): SQL {
  const t = sql.identifier(table);
  const key = sql.raw(k);
  const base = sql`b.site_id = ${m.site} and b.location_id = ${key}.location_id and b.part_revision_id = ${key}.part_revision_id`;
  return sql`select ${col} from ${t} b where ${key}.lot_id is not null and ${base} and b.lot_id = ${key}.lot_id
    union all select ${col} from ${t} b where ${key}.serial_item_id is not null and ${base} and b.lot_id is null and b.serial_item_id = ${key}.serial_item_id
    union all select ${col} from ${t} b where ${key}.lot_id is null and ${key}.serial_item_id is null and ${base} and b.lot_id is null and b.serial_item_id is null`;
}

/** The balance rows of one item of `i` (part revision + lot, serial, or neither) at every location. */
function ofItem(m: Since, i: string, col: SQL): SQL {
  const it = sql.raw(i);
  const base = sql`b.site_id = ${m.site} and b.part_revision_id = ${it}.part_revision_id`;
  return sql`select ${col} from stock_balances b where ${it}.lot_id is not null and b.site_id = ${m.site} and b.lot_id = ${it}.lot_id and b.part_revision_id = ${it}.part_revision_id
    union all select ${col} from stock_balances b where ${it}.serial_item_id is not null and ${base} and b.serial_item_id = ${it}.serial_item_id
    union all select ${col} from stock_balances b where ${it}.lot_id is null and ${it}.serial_item_id is null and ${base} and b.lot_id is null and b.serial_item_id is null`;
}

/**
 * The stock and genealogy invariants of docs/domain.md (1-5, and 10's structural parts) as SQL over any database.
 * Each query returns the violating rows; an empty result is a pass.
 */
const CHECKS: { name: string; invariant: string; query: SQL; siteColumn?: string; since?: (m: Since) => SQL }[] = [
  {
    name: "movement legs balance per item",
    invariant: "2: every movement conserves quantity for each lot/serial",
    since: (m) => sql`select site_id, movement_id, part_revision_id, lot_id, serial_item_id, sum(quantity)::text as net
               from movement_legs where site_id = ${m.site} and movement_id in (${m.newMovements})
               group by site_id, movement_id, part_revision_id, lot_id, serial_item_id having sum(quantity) <> 0`,
    query: sql`select site_id, movement_id, part_revision_id, lot_id, serial_item_id, sum(quantity)::text as net
               from movement_legs group by site_id, movement_id, part_revision_id, lot_id, serial_item_id
               having sum(quantity) <> 0`,
  },
  {
    name: "movement has source and destination",
    invariant: "2: every movement has a source and a destination",
    since: (m) => sql`select m.site_id, m.id as movement_id, count(l.id) as legs
               from movements m left join movement_legs l on l.site_id = m.site_id and l.movement_id = m.id
               where m.site_id = ${m.site} and m.id in (${m.newMovements})
               group by m.site_id, m.id
               having count(*) filter (where l.quantity < 0) = 0 or count(*) filter (where l.quantity > 0) = 0`,
    query: sql`select m.site_id, m.id as movement_id, count(l.id) as legs
               from movements m left join movement_legs l on l.site_id = m.site_id and l.movement_id = m.id
               group by m.site_id, m.id
               having count(*) filter (where l.quantity < 0) = 0 or count(*) filter (where l.quantity > 0) = 0`,
  },
  {
    name: "item totals conserved across locations",
    invariant: "2: for every lot or serial, quantities are conserved across all locations",
    since: (m) => sql`with ${changedKeys()}, items as (select distinct part_revision_id, lot_id, serial_item_id from keys)
               select ${m.site} as site_id, i.part_revision_id, i.lot_id, i.serial_item_id, t.net::text as net
               from items i cross join lateral (select sum(x.on_hand) as net from (${ofItem(m, "i", sql`b.on_hand`)}) x) t
               where t.net <> 0`,
    query: sql`select site_id, part_revision_id, lot_id, serial_item_id, sum(on_hand)::text as net
               from stock_balances group by site_id, part_revision_id, lot_id, serial_item_id having sum(on_hand) <> 0`,
  },
  {
    name: "balances equal the ledger",
    invariant: "3: on_hand == sum(in) - sum(out) for every balance key",
    since: (m) => sql`with ${changedKeys()}
               select ${m.site} as site_id, k.location_id, k.part_revision_id, k.lot_id, k.serial_item_id, b.on_hand::text as on_hand, l.qty::text as ledger
               from keys k
               cross join lateral (select sum(x.on_hand) as on_hand from (${atKey(m, "stock_balances", "k", sql`b.on_hand`)}) x) b
               cross join lateral (select sum(x.quantity) as qty from (${atKey(m, "movement_legs", "k", sql`b.quantity`)}) x) l
               where coalesce(b.on_hand, 0) <> coalesce(l.qty, 0)`,
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
    since: (m) => sql`select b.site_id, b.location_id, b.part_revision_id, b.lot_id, b.serial_item_id, b.on_hand::text as on_hand
               from ledger_changed_keys k
               cross join lateral (${atKey(m, "stock_balances", "k", sql`b.*`)}) b
               join storage_locations s on s.site_id = b.site_id and s.id = b.location_id
               where ((s.is_physical and b.on_hand < 0) or b.is_physical <> s.is_physical or b.reserved < 0 or (s.is_physical and b.reserved > b.on_hand))`,
    query: sql`select b.site_id, b.location_id, b.part_revision_id, b.lot_id, b.serial_item_id, b.on_hand::text as on_hand
               from stock_balances b join storage_locations s on s.site_id = b.site_id and s.id = b.location_id
               where (s.is_physical and b.on_hand < 0) or b.is_physical <> s.is_physical or b.reserved < 0
                  or (s.is_physical and b.reserved > b.on_hand)`,
  },
  {
    name: "serial in at most one place",
    invariant: "5: a serial is in at most one place at a time",
    since: (m) => sql`with ${changedKeys()}
               select ${m.site} as site_id, k.serial_item_id, count(*) as places, max(b.on_hand)::text as max_on_hand
               from (select distinct serial_item_id from keys where serial_item_id is not null) k
               join stock_balances b on b.site_id = ${m.site} and b.serial_item_id = k.serial_item_id and b.on_hand > 0
               group by k.serial_item_id having count(*) > 1 or max(b.on_hand) > 1`,
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
    since: (m) => sql`with c as (
                 select h.*, lag(h.row_hash) over w as expected_prev, lag(h.seq) over w as prior_seq
                 from hash_chain h where h.site_key = ${m.siteKey} and h.seq >= ${m.seq} window w as (order by h.seq))
               select c.site_key, c.seq, c.kind, c.row_id,
                      case when c.seq <> coalesce(c.prior_seq, ${m.seq}) + 1 then 'entry missing before this one'
                           when c.prev_hash <> coalesce(c.expected_prev, ${m.hash}) then 'link to the previous entry broken'
                           when x.content is null then 'row removed'
                           else 'row changed after it was chained' end as problem
               from c cross join lateral (
                 select case c.kind when 'audit' then traceline_audit_content(c.row_id::bigint)
                                    else traceline_movement_content(c.site_key::uuid, c.row_id::uuid) end as content) x
               where c.seq > ${m.seq}
                 and (c.seq <> coalesce(c.prior_seq, ${m.seq}) + 1 or c.prev_hash <> coalesce(c.expected_prev, ${m.hash}) or x.content is null
                      or traceline_chain_hash(c.prev_hash, x.content) <> c.row_hash)
               union all
               -- the last verified entry is still there as it was verified (what came before it was checked then)
               select ${m.siteKey}, ${m.seq}::bigint, null, null, 'the last verified entry changed or is missing'
               where ${m.seq} > 0 and not exists (select 1 from hash_chain h where h.site_key = ${m.siteKey} and h.seq = ${m.seq} and h.row_hash = ${m.hash})`,
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
export async function runLedgerChecks(db: DbOrTx, opts: { siteId?: string; since?: Since } = {}): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of CHECKS) {
    // the hash chain's checks name the site by its chain key (the site id as text, or "enterprise")
    const where = opts.siteId ? sql` where v.${sql.identifier(check.siteColumn ?? "site_id")}::text = ${opts.siteId}` : sql``;
    const query = opts.since && check.since ? check.since(opts.since) : check.query;
    const rows = await queryRows<Record<string, unknown>>(db, sql`select * from (${query}) v${where} limit ${LIMIT + 1}`);
    results.push({ name: check.name, invariant: check.invariant, violations: rows.length, examples: rows.slice(0, LIMIT) });
  }
  return results;
}

export type LedgerMark = { chainSeq: number; chainHash: string; legId: number; snapshotXmin: string };

/** Past this many transactions since a mark, a site is checked in full (row ages are 32-bit: they wrap at 2^31). */
const MAX_MARK_AGE = 1_000_000_000n;

/**
 * The checks of one site for a reconciliation run, incremental when the site has a verified mark: what was chained,
 * written or changed since it is checked (movements and their legs, the hash chain from the mark on, every balance key
 * they touch or whose row changed, the items and serials of those keys); the genealogy checks, the chain's heads and
 * "everything is chained" are checked in full every time. When every check passes, the mark moves to where these
 * checks began (the chain's head then, and the oldest transaction still running then, so a posting that committed
 * while they ran is checked next time). Without a mark, or with one too old, everything is checked.
 * `npm run check:ledger` always checks everything (scripts/check-ledger.ts).
 */
export async function runSiteLedgerChecks(tx: DbOrTx, p: { siteId: string; runId: string; now: Date }): Promise<{ results: CheckResult[]; mode: "full" | "incremental" }> {
  // where this verification starts: before any check reads anything
  const [start] = await queryRows<{
    seq: number | string | null;
    hash: string | null;
    leg_id: number | string | null;
    xmin: string;
    mark_seq: number | string | null;
    mark_hash: string | null;
    mark_leg_id: number | string | null;
    mark_xmin: string | null;
  }>(
    tx,
    sql`select h.seq, h.last_hash as hash, (select max(l.id) from movement_legs l where l.site_id = ${p.siteId}::uuid) as leg_id,
               pg_snapshot_xmin(pg_current_snapshot())::text as xmin,
               m.chain_seq as mark_seq, m.chain_hash as mark_hash, m.leg_id as mark_leg_id, m.snapshot_xmin as mark_xmin
        from (select 1) one
        left join hash_chain_heads h on h.site_key = ${p.siteId}
        left join ledger_check_marks m on m.site_id = ${p.siteId}::uuid`,
  );
  const s = start!;
  const mark: LedgerMark | null =
    s.mark_seq !== null && s.mark_hash !== null && s.mark_leg_id !== null && s.mark_xmin !== null
      ? { chainSeq: Number(s.mark_seq), chainHash: s.mark_hash, legId: Number(s.mark_leg_id), snapshotXmin: s.mark_xmin }
      : null;
  const usable = mark !== null && BigInt(s.xmin) >= BigInt(mark.snapshotXmin) && BigInt(s.xmin) - BigInt(mark.snapshotXmin) < MAX_MARK_AGE;
  let since: Since | undefined;
  if (usable) {
    const site = sql`${p.siteId}::uuid`;
    // the mark's xid as a 32-bit xid: a row is changed since the mark when its xmin is not older than it
    const markXid = (BigInt(mark.snapshotXmin) % 4294967296n).toString();
    since = {
      site,
      siteKey: p.siteId,
      seq: mark.chainSeq,
      hash: mark.chainHash,
      newMovements: sql`select h.row_id::uuid from hash_chain h where h.site_key = ${p.siteId} and h.kind = 'movement' and h.seq > ${mark.chainSeq}
        union select l.movement_id from movement_legs l where l.site_id = ${site} and l.id > ${mark.legId}`,
      changed: (alias) => sql`age(${sql.raw(alias)}.xmin) <= age(${markXid}::xid)`,
    };
  }
  if (since) {
    // what changed since the mark, found once (one pass over the site's balances) for every check that needs it
    await tx.execute(sql`drop table if exists ledger_changed_keys`);
    await tx.execute(sql`create temp table ledger_changed_keys on commit drop as ${changedKeysQuery(since)}`);
  }
  const results = await runLedgerChecks(tx, { siteId: p.siteId, since });
  if (results.every((r) => r.violations === 0)) {
    await tx.execute(sql`
      insert into ledger_check_marks (site_id, chain_seq, chain_hash, leg_id, snapshot_xmin, verified_at, run_id)
      values (${p.siteId}::uuid, ${Number(s.seq ?? 0)}, ${s.hash ?? ""}, ${Number(s.leg_id ?? 0)}, ${s.xmin}, ${p.now.toISOString()}::timestamptz, ${p.runId}::uuid)
      on conflict (site_id) do update set chain_seq = excluded.chain_seq, chain_hash = excluded.chain_hash, leg_id = excluded.leg_id,
        snapshot_xmin = excluded.snapshot_xmin, verified_at = excluded.verified_at, run_id = excluded.run_id`);
  }
  return { results, mode: since ? "incremental" : "full" };
}

export function failedChecks(results: CheckResult[]): CheckResult[] {
  return results.filter((r) => r.violations > 0);
}
