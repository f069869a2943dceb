import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { isoUtc, toDate } from "./hold-flags";

/*
 * Enterprise genealogy: where-used and as-built across the sites of an enterprise scope (the sites where the user holds
 * the enterprise role), read-only. Each site keeps its own rows of an item; a site transfer links the sender's row to
 * the receiver's (site_transfers), and the walks follow those links as one more kind of edge: up from a lot, the
 * installs at its site, then its transferred copies at other sites and their installs; down from a unit, its installs,
 * and for a component received from another site, what was built into it there. Every node carries its site. Nothing
 * outside the scope is read: a link to a site outside it is not followed (the answer says how many were not).
 */

export type ItemKind = "lot" | "serial";
export type NodeRef = { siteId: string; kind: ItemKind; id: string };

/** Every table predicate here names one of these sites (bound as one uuid[] parameter). */
function scopeArray(siteIds: readonly string[]): SQL {
  return sql`${`{${siteIds.map((id) => id.replace(/[^0-9a-f-]/gi, "")).join(",")}}`}::uuid[]`;
}

export type EnterpriseWhereUsedRow = {
  siteId: string;
  siteCode: string;
  unitSerialItemId: string;
  unitSerialNumber: string;
  unitId: string | null;
  partNumber: string;
  revision: string;
  status: string | null;
  shippedTo: string | null;
  /** installs between the material and this unit (transfers are not counted) */
  level: number;
  /** every install on the path still in place */
  current: boolean;
  /** from the material up to this unit: each node with its site; `via` says how it was reached */
  path: { siteCode: string; number: string; via: "start" | "installed" | "transferred" }[];
};

export type EnterpriseWhereUsed = {
  total: number;
  rows: EnterpriseWhereUsedRow[];
  /** transfers from the walk to sites outside the user's scope (not followed) */
  linksOutOfScope: number;
};

type RawWalk = {
  site_id: string;
  site_code: string;
  unit_si: string;
  serial_number: string;
  unit_id: string | null;
  part_number: string;
  revision: string;
  status: string | null;
  shipped_to: string | null;
  level: number;
  current: boolean;
  path: string | string[];
  total: number;
};

/**
 * Every unit at any site of the scope that contains the material, at any depth and across transfers, one row per
 * (site, unit) by its shortest current path (else shortest path), current first, then by site and serial. Exact total.
 */
export async function enterpriseWhereUsed(db: DbOrTx, scope: readonly string[], start: NodeRef, opts: { limit?: number; offset?: number } = {}): Promise<EnterpriseWhereUsed> {
  if (!scope.includes(start.siteId)) return { total: 0, rows: [], linksOutOfScope: 0 };
  const limit = Math.max(1, Math.min(500, Math.floor(opts.limit ?? 100)));
  const offset = Math.max(0, Math.floor(opts.offset ?? 0));
  const ids = scopeArray(scope);
  const walk = sql`with recursive walk (site_id, kind, item_id, via, level, current, keys, steps) as (
      select ${start.siteId}::uuid, ${start.kind}::text, ${start.id}::uuid, 'start'::text, 0, true,
             array[${start.siteId}::text || ':' || ${start.id}::text], array[${start.siteId}::text || '|' || ${start.kind}::text || '|' || ${start.id}::text || '|start']
      union all
      select n.site_id, n.kind, n.item_id, n.via, w.level + (n.via = 'installed')::int, w.current and n.open,
             w.keys || (n.site_id::text || ':' || n.item_id::text), w.steps || (n.site_id::text || '|' || n.kind || '|' || n.item_id::text || '|' || n.via)
      from walk w
      cross join lateral (
        select e.site_id, 'serial'::text as kind, e.parent_serial_item_id as item_id, 'installed'::text as via, e.removed_at is null as open
        from genealogy_edges e where w.kind = 'lot' and e.site_id = w.site_id and e.child_lot_id = w.item_id
        union all
        select e.site_id, 'serial', e.parent_serial_item_id, 'installed', e.removed_at is null
        from genealogy_edges e where w.kind = 'serial' and e.site_id = w.site_id and e.child_serial_item_id = w.item_id
        union all
        select t.to_site_id, w.kind, coalesce(t.to_lot_id, t.to_serial_item_id), 'transferred', true
        from site_transfers t where t.status = 'received' and t.from_site_id = w.site_id
          and (t.from_lot_id = w.item_id or t.from_serial_item_id = w.item_id) and t.to_site_id = any(${ids})
      ) n
      where n.site_id = any(${ids}) and not ((n.site_id::text || ':' || n.item_id::text) = any(w.keys))
    )`;
  const rows = await queryRows<RawWalk>(
    db,
    sql`${walk},
        reached as (
          select distinct on (site_id, item_id) site_id, item_id, level, current, steps from walk
          where via = 'installed' order by site_id, item_id, current desc, level
        ),
        counted as (select r.*, count(*) over () as total from reached r)
        select c.site_id, st.code as site_code, c.item_id as unit_si, s.serial_number, u.id as unit_id, p.part_number, pr.revision,
               u.status::text as status, u.shipped_to, c.level, c.current, c.steps as path, c.total::int as total
        from counted c
        join sites st on st.id = c.site_id
        join serial_items s on s.site_id = c.site_id and s.id = c.item_id
        join part_revisions pr on pr.id = s.part_revision_id
        join parts p on p.id = pr.part_id
        left join units u on u.site_id = c.site_id and u.serial_item_id = c.item_id
        order by c.current desc, st.code, s.serial_number
        offset ${offset} limit ${limit}`,
  );
  const [out] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from site_transfers t
        where t.status = 'received' and not (t.to_site_id = any(${ids})) and t.from_site_id = any(${ids})
          and (t.from_site_id, coalesce(t.from_lot_id, t.from_serial_item_id)) in (
            ${walk} select site_id, item_id from walk)`,
  );
  const names = await nodeNames(db, scope, rows.flatMap((r) => parseSteps(r.path)));
  return {
    total: rows[0] ? Number(rows[0].total) : await countReached(db, walk),
    linksOutOfScope: Number(out?.n ?? 0),
    rows: rows.map((r) => ({
      siteId: r.site_id,
      siteCode: r.site_code,
      unitSerialItemId: r.unit_si,
      unitSerialNumber: r.serial_number,
      unitId: r.unit_id,
      partNumber: r.part_number,
      revision: r.revision,
      status: r.status,
      shippedTo: r.shipped_to,
      level: Number(r.level),
      current: r.current === true || (r.current as unknown) === "t",
      path: parseSteps(r.path).map((s) => ({ siteCode: names.get(`${s.siteId}:${s.id}`)?.siteCode ?? "?", number: names.get(`${s.siteId}:${s.id}`)?.number ?? "?", via: s.via })),
    })),
  };
}

async function countReached(db: DbOrTx, walk: SQL): Promise<number> {
  const [r] = await queryRows<{ n: number }>(db, sql`${walk} select count(distinct (site_id, item_id))::int as n from walk where via = 'installed'`);
  return Number(r?.n ?? 0);
}

type Step = { siteId: string; kind: ItemKind; id: string; via: "start" | "installed" | "transferred" };

function parseSteps(v: string | string[]): Step[] {
  const list = Array.isArray(v) ? v : v.replace(/^\{|\}$/g, "").split(",").map((x) => x.replace(/^"|"$/g, ""));
  return list.filter((x) => x.length > 0).map((x) => {
    const [siteId, kind, id, via] = x.split("|");
    return { siteId: siteId!, kind: kind as ItemKind, id: id!, via: via as Step["via"] };
  });
}

/** Site code and lot / serial number of nodes of the scope. */
async function nodeNames(db: DbOrTx, scope: readonly string[], nodes: { siteId: string; kind: ItemKind; id: string }[]): Promise<Map<string, { siteCode: string; number: string }>> {
  const out = new Map<string, { siteCode: string; number: string }>();
  const lots = nodes.filter((n) => n.kind === "lot").map((n) => n.id);
  const serials = nodes.filter((n) => n.kind === "serial").map((n) => n.id);
  if (lots.length + serials.length === 0) return out;
  const ids = scopeArray(scope);
  const arr = (xs: string[]) => sql`${`{${[...new Set(xs)].map((x) => x.replace(/[^0-9a-f-]/gi, "")).join(",")}}`}::uuid[]`;
  const rows = await queryRows<{ site_id: string; id: string; site_code: string; number: string }>(
    db,
    sql`select l.site_id, l.id, s.code as site_code, l.lot_number as number from lots l join sites s on s.id = l.site_id
        where l.site_id = any(${ids}) and l.id = any(${arr(lots)})
        union all
        select i.site_id, i.id, s.code, i.serial_number from serial_items i join sites s on s.id = i.site_id
        where i.site_id = any(${ids}) and i.id = any(${arr(serials)})`,
  );
  for (const r of rows) out.set(`${r.site_id}:${r.id}`, { siteCode: r.site_code, number: r.number });
  return out;
}

export type EnterpriseComponent = {
  siteId: string;
  siteCode: string;
  kind: ItemKind | "untracked";
  /** the lot or serial id at its site (null for untracked material) */
  id: string | null;
  partNumber: string;
  revision: string;
  description: string;
  number: string | null;
  quantity: string;
  uom: string;
  installedAt: Date | null;
  operationSeq: number | null;
  /** "installed": built into the node here; "built at": the node was received from that site, and this is its origin */
  relation: "installed" | "received_from";
  transferNumber: string | null;
  /** exact number of component records directly below this one (its installs, or its origin at another site) */
  below: number;
};

export type EnterpriseLevel = {
  node: { siteId: string; siteCode: string; serialNumber: string; partNumber: string; revision: string; status: string | null } | null;
  components: EnterpriseComponent[];
  /** the node was received from a site outside the user's scope: its as-built there is not shown */
  originOutOfScope: string | null;
};

/**
 * One level of a serial's as-built across sites: what is installed in it now at its site, and, when it was received
 * from another site of the scope, its origin there (the same item, built or received there) as one entry that opens to
 * that site's level. Each entry with its exact count of records directly below.
 */
export async function enterpriseAsBuiltLevel(db: DbOrTx, scope: readonly string[], siteId: string, serialItemId: string): Promise<EnterpriseLevel> {
  if (!scope.includes(siteId)) return { node: null, components: [], originOutOfScope: null };
  const ids = scopeArray(scope);
  const [node] = await queryRows<{ site_code: string; serial_number: string; part_number: string; revision: string; status: string | null }>(
    db,
    sql`select st.code as site_code, s.serial_number, p.part_number, pr.revision, u.status::text as status
        from serial_items s join sites st on st.id = s.site_id join part_revisions pr on pr.id = s.part_revision_id join parts p on p.id = pr.part_id
        left join units u on u.site_id = s.site_id and u.serial_item_id = s.id
        where s.site_id = ${siteId}::uuid and s.id = ${serialItemId}::uuid`,
  );
  if (!node) return { node: null, components: [], originOutOfScope: null };
  // the count below an item: its open installs at its site, plus 1 when it was received from a site of the scope
  const below = (site: SQL, item: SQL) => sql`(
      (select count(*) from genealogy_edges x where x.site_id = ${site} and x.parent_serial_item_id = ${item} and x.removed_at is null)
      + (select count(*) from site_transfers y where y.status = 'received' and y.to_site_id = ${site} and y.to_serial_item_id = ${item} and y.from_site_id = any(${ids})))::int`;
  const rows = await queryRows<{
    site_id: string;
    site_code: string;
    kind: ItemKind | "untracked";
    id: string | null;
    part_number: string;
    revision: string;
    description: string;
    number: string | null;
    quantity: string;
    uom: string;
    installed_at: string | null;
    operation_seq: number | null;
    relation: "installed" | "received_from";
    transfer_number: string | null;
    below: number;
  }>(
    db,
    sql`select e.site_id, st.code as site_code,
               case when e.child_serial_item_id is not null then 'serial' when e.child_lot_id is not null then 'lot' else 'untracked' end as kind,
               coalesce(e.child_serial_item_id, e.child_lot_id) as id, p.part_number, pr.revision, p.description,
               coalesce(s.serial_number, l.lot_number) as number, e.quantity::text as quantity, p.uom, ${isoUtc(sql`e.installed_at`)} as installed_at,
               e.operation_seq, 'installed' as relation, null as transfer_number,
               case when e.child_serial_item_id is not null then ${below(sql`e.site_id`, sql`e.child_serial_item_id`)} else 0 end as below
        from genealogy_edges e
        join sites st on st.id = e.site_id
        join part_revisions pr on pr.id = e.child_part_revision_id join parts p on p.id = pr.part_id
        left join serial_items s on s.site_id = e.site_id and s.id = e.child_serial_item_id
        left join lots l on l.site_id = e.site_id and l.id = e.child_lot_id
        where e.site_id = ${siteId}::uuid and e.parent_serial_item_id = ${serialItemId}::uuid and e.removed_at is null
        union all
        select t.from_site_id, st.code, 'serial', t.from_serial_item_id, p.part_number, pr.revision, p.description, s.serial_number, t.quantity::text, p.uom,
               ${isoUtc(sql`t.shipped_at`)}, null, 'received_from', t.number, ${below(sql`t.from_site_id`, sql`t.from_serial_item_id`)}
        from site_transfers t
        join sites st on st.id = t.from_site_id
        join part_revisions pr on pr.id = t.part_revision_id join parts p on p.id = pr.part_id
        join serial_items s on s.site_id = t.from_site_id and s.id = t.from_serial_item_id
        where t.status = 'received' and t.to_site_id = ${siteId}::uuid and t.to_serial_item_id = ${serialItemId}::uuid and t.from_site_id = any(${ids})
        order by relation desc, operation_seq nulls first, part_number, number`,
  );
  const [outside] = await queryRows<{ code: string }>(
    db,
    sql`select st.code from site_transfers t join sites st on st.id = t.from_site_id
        where t.status = 'received' and t.to_site_id = ${siteId}::uuid and t.to_serial_item_id = ${serialItemId}::uuid and not (t.from_site_id = any(${ids}))
        order by t.received_at desc limit 1`,
  );
  return {
    node: { siteId, siteCode: node.site_code, serialNumber: node.serial_number, partNumber: node.part_number, revision: node.revision, status: node.status },
    components: rows.map((r) => ({
      siteId: r.site_id,
      siteCode: r.site_code,
      kind: r.kind,
      id: r.id,
      partNumber: r.part_number,
      revision: r.revision,
      description: r.description,
      number: r.number,
      quantity: r.quantity,
      uom: r.uom,
      installedAt: toDate(r.installed_at),
      operationSeq: r.operation_seq === null ? null : Number(r.operation_seq),
      relation: r.relation,
      transferNumber: r.transfer_number,
      below: Number(r.below),
    })),
    originOutOfScope: outside?.code ?? null,
  };
}

/** Lots and serials of the scope's sites with this number (to start a trace from): site, kind, part. */
export async function findEnterpriseItems(db: DbOrTx, scope: readonly string[], number: string): Promise<{ siteId: string; siteCode: string; kind: ItemKind; id: string; number: string; partNumber: string; revision: string }[]> {
  const ids = scopeArray(scope);
  const rows = await queryRows<{ site_id: string; site_code: string; kind: ItemKind; id: string; number: string; part_number: string; revision: string }>(
    db,
    sql`select x.site_id, st.code as site_code, x.kind, x.id, x.number, p.part_number, pr.revision from (
          select site_id, 'lot' as kind, id, lot_number as number, part_revision_id from lots where site_id = any(${ids}) and lot_number = ${number}
          union all
          select site_id, 'serial', id, serial_number, part_revision_id from serial_items where site_id = any(${ids}) and serial_number = ${number}
        ) x join sites st on st.id = x.site_id join part_revisions pr on pr.id = x.part_revision_id join parts p on p.id = pr.part_id
        order by st.code, p.part_number limit 100`,
  );
  return rows.map((r) => ({ siteId: r.site_id, siteCode: r.site_code, kind: r.kind, id: r.id, number: r.number, partNumber: r.part_number, revision: r.revision }));
}
