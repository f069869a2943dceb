import "server-only";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { queryRows, type Db, type Tx } from "../client";
import { hashSecret } from "@/server/auth/passwords";
import { DEMO_PASSWORD, DEMO_PIN } from "./demo-users";

/*
 * A plant of any size, for benchmarks: set-based SQL (insert ... select ... generate_series), one transaction.
 *
 * Shape. Each site has one work center per assembly level with two stations (each with a point-of-use location and
 * its own operator, badge `<site>-OP-L<level>-<station>` with the demo PIN; the site's five role users as well).
 * Q product families; each has one assembly part per level 1..depth. An assembly of level l contains `fanout`
 * serialized assemblies of level l+1 (find 10) and `lines` purchased lines: 2 serial-tracked, then alternating
 * lot-tracked (half at operation 10, half at 20) and untracked bulk (backflushed at operation 20). Units are built
 * as trees: a top-level unit, its fanout sub-assemblies, theirs, ... down to `depth` levels, so the genealogy is
 * `depth` assembly levels deep plus the purchased lots and serials below the leaves. Top-level units are ~70%
 * completed (in stores), ~20% in progress (operation 10 done), ~10% not started (their sub-assemblies wait, completed,
 * at the point of use). Every sub-assembly is completed (production -> point of use of its parent's station) before
 * its parent consumes it.
 *
 * Ledger. Lots and bulk parts are received from ERP into stores (one movement each) and staged to the points of use
 * that consume them (one movement each); bought serials are issued by ERP straight to the point of use of the unit
 * that installs them; each (unit, operation) consumption is one movement with one pair of legs and one genealogy edge
 * per item; each completion is one movement. Balances are the sum of the legs per balance key, so the projection
 * equals the ledger by construction; runLedgerChecks proves it.
 *
 * Speed. Ids are ordered (UUID version 8: a random run prefix, a table tag, a counter), so index inserts append. When
 * the connection owns the tables (the migration owner), foreign keys and secondary indexes of the bulk tables are
 * dropped inside the transaction and re-created before commit: PostgreSQL re-validates every foreign key with one join
 * and re-checks every unique index while building it, which is far faster than per-row checks and proves the same
 * thing. The tables are locked for the run; don't point this at a database people are working in.
 */

export type GenerateOptions = {
  /** Sites to create (codes G001, G002, ... continuing after existing G-codes). */
  sites: number;
  /** Units to build, all assembly levels together (rounded up to whole unit trees). */
  units: number;
  /** Purchased part numbers (serial 20%, lot 50%, untracked 30%); a quarter also have revision B. Default 2000. */
  parts?: number;
  /** Lots in total (spread over sites and lot-tracked components). Default: 3 per site and component. */
  lots?: number;
  /** Assembly levels, top-level unit included. Default 4. */
  depth?: number;
  /** Serialized sub-assemblies per assembly. Default 2. */
  fanout?: number;
  /** Purchased BOM lines per assembly. Default 52 (about 52 genealogy edges per unit). */
  lines?: number;
  /** Product families (assembly part numbers per level). Default 8. */
  products?: number;
  /**
   * Stations per site, spread evenly over the assembly levels (each level gets ceil(stations / depth), at most 99),
   * each with its point of use and operator. Default: 2 per level.
   */
  stations?: number;
  /**
   * Share of unit trees (percent, 0-100) whose first level-2 sub-assembly (with everything below it) is built at the
   * next site (G001 builds for G002, ..., the last for the first), shipped to the tree's site through a site transfer
   * (site_transfers: ship, in transit, received into stores, staged, installed), so where-used crosses sites.
   * Default 50 with two sites or more, 0 with one; needs depth >= 2.
   */
  transfers?: number;
  /** Seed of the deterministic choices (which lot each unit draws). Default 1. */
  seed?: number;
  now?: Date;
  /** Drop and re-create foreign keys and secondary indexes of the bulk tables (needs table ownership). Default: when owner. */
  fastLoad?: boolean;
};

export type GenerateProgress = { step: string; rows: number; ms: number; totalMs: number };

export type GenerateSummary = {
  siteCodes: string[];
  partPrefix: string;
  trees: number;
  fastLoad: boolean;
  tables: Record<string, number>;
  seconds: number;
  /** the run's user with the quality engineer and enterprise roles at every generated site (password: the demo's) */
  enterpriseUsername: string;
};

const MAX = { sites: 999, units: 20_000_000, parts: 999_999, depth: 8, fanout: 10, lines: 400, products: 999 };

/** Table tags inside generated ids. */
const TAG = {
  site: 0x001,
  area: 0x002,
  workCenter: 0x003,
  station: 0x004,
  location: 0x005,
  user: 0x006,
  manufacturer: 0x007,
  supplier: 0x008,
  part: 0x009,
  revision: 0x00a,
  bom: 0x00b,
  bomLine: 0x00c,
  routing: 0x00d,
  routingOp: 0x00e,
  workOrder: 0x00f,
  woLine: 0x010,
  woOp: 0x011,
  unit: 0x012,
  unitSerial: 0x013,
  boughtSerial: 0x014,
  lot: 0x015,
  movement: 0x016,
  edge: 0x017,
  balance: 0x018,
  unitOp: 0x019,
  receivedSerial: 0x01a,
  transfer: 0x01b,
} as const;

/** Location numbers inside a site (point-of-use locations are 100 + level*10 + station). */
const LOC = { stores: 1, kitting: 2, kitCart: 3, quarantine: 4, erp: 5, consumed: 6, scrap: 7, returned: 8, production: 9, shipped: 10, inTransit: 11, otherSites: 12 } as const;

/** Movement id ranges: per unit u, u*8 + slot (0 op-10 consume, 1 op-20 consume, 2 op-20 backflush, 3 complete, 4 serial receipt). */
const MOV = { lotReceipt: 10_000_000_000, lotStage: 20_000_000_000, bulkReceipt: 30_000_000_000, bulkStage: 40_000_000_000, transferStage: 50_000_000_000 } as const;
/** Per unit u, slots 5-7 of u*8 are a transferred sub-assembly's movements: 5 shipped (stores -> in transit), 6 delivered (in transit -> other sites) at the builder, 7 received (other sites -> stores) at the receiver. */

const BULK_TABLES = ["work_order_bom_lines", "lots", "serial_items", "units", "unit_operations", "movements", "movement_legs", "stock_balances", "genealogy_edges"];

export function normalizeOptions(o: GenerateOptions) {
  const int = (name: string, v: number | undefined, def: number, min: number, max: number) => {
    const value = v ?? def;
    if (!Number.isSafeInteger(value) || value < min || value > max) throw new Error(`--${name} must be a whole number from ${min} to ${max} (got ${v})`);
    return value;
  };
  const sites = int("sites", o.sites, 1, 1, MAX.sites);
  const units = int("units", o.units, 100, 1, MAX.units);
  const depth = int("depth", o.depth, 4, 1, MAX.depth);
  const fanout = int("fanout", o.fanout, 2, 1, MAX.fanout);
  const lines = int("lines", o.lines, 52, 6, MAX.lines);
  const products = int("products", o.products, 8, 1, MAX.products);
  const parts = int("parts", o.parts, 2000, 10, MAX.parts);
  const seed = int("seed", o.seed, 1, 0, 2_147_483_647);
  const byType = trackingCounts(parts);
  const need = { serial: 2, lot: Math.ceil((lines - 2) / 2), untracked: Math.floor((lines - 2) / 2) };
  for (const t of ["serial", "lot", "untracked"] as const) {
    if (byType[t] < need[t]) {
      throw new Error(`--parts ${parts} gives ${byType[t]} ${t}-tracked parts, but --lines ${lines} needs ${need[t]} distinct ones per assembly; raise --parts`);
    }
  }
  const treeSize = fanout === 1 ? depth : (fanout ** depth - 1) / (fanout - 1);
  const trees = Math.ceil(units / treeSize);
  if (trees * treeSize > MAX.units) throw new Error(`That is ${trees * treeSize} units; at most ${MAX.units}`);
  const lots = o.lots === undefined ? undefined : int("lots", o.lots, 1, 1, 100_000_000);
  const stations = int("stations", o.stations, 2 * depth, 1, 99 * depth);
  const stationsPerLevel = Math.ceil(stations / depth);
  const transfers = sites > 1 && depth > 1 ? int("transfers", o.transfers, 50, 0, 100) : 0;
  if (o.transfers !== undefined && o.transfers > 0 && transfers === 0) throw new Error("--transfers needs at least 2 sites and 2 assembly levels");
  return { sites, units, depth, fanout, lines, products, parts, seed, byType, treeSize, trees, lots, stationsPerLevel, transfers, now: o.now ?? new Date() };
}

/** Purchased part i is serial-tracked when i % 10 is 0 or 1, lot-tracked for 2..6, untracked for 7..9. */
function trackingCounts(parts: number) {
  const c = { serial: 0, lot: 0, untracked: 0 };
  for (let r = 0; r < 10; r++) {
    const n = Math.floor(parts / 10) + (r >= 1 && r <= parts % 10 ? 1 : 0);
    if (r <= 1) c.serial += n;
    else if (r <= 6) c.lot += n;
    else c.untracked += n;
  }
  return c;
}

export async function generatePlant(db: Db, options: GenerateOptions, onProgress: (p: GenerateProgress) => void = () => {}): Promise<GenerateSummary> {
  const o = normalizeOptions(options);
  const started = Date.now();
  const [passwordHash, pinHash] = await Promise.all([hashSecret(DEMO_PASSWORD), hashSecret(DEMO_PIN)]);

  const summary = await db.transaction(async (tx) => {
    const report = (name: string, rows: number, since: number) => onProgress({ step: name, rows, ms: Date.now() - since, totalMs: Date.now() - started });
    // Generated SQL: only validated integer options (normalizeOptions) and constants are interpolated, never user text.
    const step = async (name: string, text: string): Promise<number> => {
      const t0 = Date.now();
      const result = (await tx.execute(sql.raw(text))) as unknown as { count?: number; affectedRows?: number };
      const rows = Number(result.count ?? result.affectedRows ?? 0);
      report(name, rows, t0);
      return rows;
    };
    await tx.execute(sql`set local work_mem = '256MB'`);
    await tx.execute(sql`set local maintenance_work_mem = '512MB'`);
    await tx.execute(sql`set local synchronous_commit = off`);
    // One generator at a time (site codes are numbered from what exists).
    await tx.execute(sql`select pg_advisory_xact_lock(724107)`);

    const [{ last } = { last: 0 }] = await queryRows<{ last: number }>(
      tx,
      sql`select coalesce(max(substring(code from 2)::int), 0)::int as last from sites where code ~ '^G[0-9]{3,6}$'`,
    );
    const firstSite = last + 1;
    if (firstSite + o.sites - 1 > 999_999) throw new Error("No more generated site codes are free");
    const prefix = `G${String(firstSite).padStart(3, "0")}`;
    const siteCodes = Array.from({ length: o.sites }, (_, i) => `G${String(firstSite + i).padStart(3, "0")}`);

    const owner = await ownsTables(tx);
    const fastLoad = options.fastLoad ?? owner;
    if (fastLoad && !owner) throw new Error("Fast load needs the connection to own the tables (use the migration owner, not the app role)");

    const g = new SqlBuilder(randomBytes(6).toString("hex"), o, firstSite, prefix);
    let restore: (() => Promise<void>) | null = null;
    if (fastLoad) restore = await dropBulkConstraints(tx, report);

    for (const [name, text] of g.organisation(passwordHash, pinHash)) await step(name, text);
    for (const [name, text] of g.masterData()) await step(name, text);
    const [{ n: usedLotRevs } = { n: 0 }] = await queryRows<{ n: number }>(tx, sql`select count(distinct comp_rev)::int as n from g_bom where tracking = 'lot'`);
    const lotsPerKey = o.lots === undefined ? 3 : Math.max(1, Math.round(o.lots / Math.max(1, o.sites * usedLotRevs)));
    for (const [name, text] of g.production(lotsPerKey, usedLotRevs)) await step(name, text);
    for (const [name, text] of g.ledger()) await step(name, text);

    if (restore) await restore();

    const tables: Record<string, number> = {};
    const siteList = sql.join(siteCodes.map((c) => sql`${c}`), sql`, `);
    const ofSites = sql`(select id from sites where code in (${siteList}))`;
    for (const t of ["sites", "storage_locations", "stations", "users", "work_orders", "work_order_bom_lines", "units", "unit_operations", "lots", "serial_items", "movements", "movement_legs", "stock_balances", "genealogy_edges", "site_transfers"]) {
      const where =
        t === "sites"
          ? sql`code in (${siteList})`
          : t === "users"
            ? sql`id in (select user_id from user_site_roles where site_id in ${ofSites})`
            : t === "site_transfers"
              ? sql`from_site_id in ${ofSites}`
              : sql`site_id in ${ofSites}`;
      const [row] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from ${sql.identifier(t)} where ${where}`);
      tables[t] = row!.n;
    }
    for (const t of ["parts", "part_revisions", "bom_lines"]) {
      const ours = sql`${`${prefix}-%`}`;
      const where =
        t === "parts"
          ? sql`part_number like ${ours}`
          : t === "part_revisions"
            ? sql`part_id in (select id from parts where part_number like ${ours})`
            : sql`bom_id in (select b.id from boms b join part_revisions r on r.id = b.parent_revision_id join parts p on p.id = r.part_id where p.part_number like ${ours})`;
      const [row] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from ${sql.identifier(t)} where ${where}`);
      tables[t] = row!.n;
    }
    return { siteCodes, partPrefix: prefix, trees: o.trees, fastLoad, tables, seconds: 0, enterpriseUsername: `${prefix.toLowerCase()}.enterprise` };
  });
  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}

async function ownsTables(tx: Tx): Promise<boolean> {
  const [row] = await queryRows<{ owner: boolean }>(
    tx,
    sql`select bool_and(pg_has_role(current_user, c.relowner, 'USAGE')) as owner from pg_class c
        where c.relkind = 'r' and c.relnamespace = 'public'::regnamespace and c.relname in (${sql.join(BULK_TABLES.map((t) => sql`${t}`), sql`, `)})`,
  );
  return row?.owner === true;
}

/**
 * Drop the foreign keys, the unique constraints nothing references, and the secondary indexes of the bulk tables;
 * return the function that re-creates them exactly as they were (definitions read from the catalog).
 */
async function dropBulkConstraints(tx: Tx, report: (step: string, rows: number, since: number) => void): Promise<() => Promise<void>> {
  const tables = sql.join(BULK_TABLES.map((t) => sql`${t}::regclass`), sql`, `);
  const constraints = await queryRows<{ tbl: string; name: string; def: string; kind: string }>(
    tx,
    sql`select (select r.relname from pg_class r where r.oid = c.conrelid) as tbl, c.conname as name, pg_get_constraintdef(c.oid) as def, c.contype::text as kind
        from pg_constraint c
        where c.conrelid in (${tables})
          and (c.contype = 'f' or (c.contype = 'u' and not exists (select 1 from pg_constraint f where f.contype = 'f' and f.conindid = c.conindid)))
        order by c.contype, c.conname`,
  );
  const indexes = await queryRows<{ name: string; def: string }>(
    tx,
    sql`select (select r.relname from pg_class r where r.oid = i.indexrelid) as name, pg_get_indexdef(i.indexrelid) as def from pg_index i
        where i.indrelid in (${tables}) and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
        order by 1`,
  );
  const q = (ident: string) => `"${ident.replaceAll('"', '""')}"`;
  const fks = constraints.filter((c) => c.kind === "f");
  const uniques = constraints.filter((c) => c.kind === "u");
  const t0 = Date.now();
  // names read from the catalog, bound as identifiers (quoted), never spliced as text
  for (const c of [...fks, ...uniques]) await tx.execute(sql`alter table ${sql.identifier(c.tbl)} drop constraint ${sql.identifier(c.name)}`);
  for (const i of indexes) await tx.execute(sql`drop index ${sql.identifier(i.name)}`);
  report(`fast load: dropped ${fks.length} foreign keys, ${uniques.length} unique constraints, ${indexes.length} indexes of the bulk tables`, 0, t0);
  return async () => {
    const timed = async (label: string, statements: string[]) => {
      const t1 = Date.now();
      for (const s of statements) await tx.execute(sql.raw(s));
      report(label, 0, t1);
    };
    await timed(`re-created ${indexes.length} indexes (unique ones re-checked)`, indexes.map((i) => i.def));
    await timed(`re-created ${uniques.length} unique constraints (re-checked)`, uniques.map((c) => `alter table ${q(c.tbl)} add constraint ${q(c.name)} ${c.def}`));
    await timed(`re-validated ${fks.length} foreign keys`, fks.map((c) => `alter table ${q(c.tbl)} add constraint ${q(c.name)} ${c.def}`));
  };
}

type Opts = ReturnType<typeof normalizeOptions>;

/** The SQL of each step. Every literal is a validated integer or a string built here from them. */
class SqlBuilder {
  private readonly base: string;
  private readonly treeSeconds: number;
  private readonly slotSeconds: number;

  constructor(
    private readonly run: string,
    private readonly o: Opts,
    private readonly firstSite: number,
    private readonly prefix: string,
  ) {
    const span = 180 * 86_400;
    this.base = `'${new Date(o.now.getTime() - span * 1000).toISOString()}'::timestamptz`;
    this.treeSeconds = (span * 0.95) / o.trees;
    this.slotSeconds = this.treeSeconds / (3 * o.depth + 2);
  }

  /** An ordered id: run prefix, version 8, table tag, variant, 15 hex digits of n. */
  id(tag: number, n: string): string {
    return `(('${this.run}8${tag.toString(16).padStart(3, "0")}8' || lpad(to_hex((${n})::bigint), 15, '0'))::uuid)`;
  }
  loc(s: string, n: number) {
    return this.id(TAG.location, `(${s}) * 1000 + ${n}`);
  }
  pou(s: string, level: string, j: string) {
    return this.id(TAG.location, `(${s}) * 1000 + 100 + (${level}) * 100 + (${j})`);
  }
  station(s: string, level: string, j: string) {
    return this.id(TAG.station, `((${s}) * 100 + (${level})) * 100 + (${j})`);
  }
  /** The run's enterprise user (site users are numbered s * 10 + r with s >= 1). */
  enterpriseUser() {
    return this.id(TAG.user, "9");
  }
  /** A transferred sub-assembly's transfer number (unique: the run and the unit, hashed). */
  transferNumber(u: string) {
    return `('TR-' || upper(substr(md5('${this.run}:' || (${u})::text), 1, 10)))`;
  }
  operator(s: string) {
    return this.id(TAG.user, `(${s}) * 10 + 1`);
  }
  /** The operator of one station (users of a site's roles are numbered s * 10 + r, below these). */
  stationOperator(s: string, level: string, j: string) {
    return this.id(TAG.user, `1000000 + ((${s}) * 100 + (${level})) * 100 + (${j})`);
  }
  asmRev(level: string, q: string) {
    return this.id(TAG.revision, `2000000 + (${level}) * 1000 + (${q})`);
  }
  /** A transferred sub-assembly's steps between its completion and its parent's operation 10: 1 shipped, 2 received, 3 staged. */
  transferAt(a: string, step: 1 | 2 | 3) {
    return `(${a}.at_done + (${a}.at_parent10 - ${a}.at_done) * ${[0, 0.2, 0.5, 0.7][step]})`;
  }
  /** Time of a step of unit tree t at assembly level `level`: op 10 = 1, op 20 = 2, completion = 3. */
  at(t: string, level: string, phase: number) {
    return `(${this.base} + make_interval(secs => ((${t}) - 1) * ${this.treeSeconds.toFixed(6)} + ((${this.o.depth} - (${level})) * 3 + ${phase}) * ${this.slotSeconds.toFixed(6)}))`;
  }

  organisation(passwordHash: string, pinHash: string): [string, string][] {
    const { sites, depth } = this.o;
    const zones = `(array['America/Chicago','Europe/Paris','America/Los_Angeles','Europe/London','Asia/Singapore'])`;
    const locations = [
      [LOC.stores, "ST-01", "Stores", "stores"],
      [LOC.kitting, "KIT-01", "Kitting area", "kitting"],
      [LOC.kitCart, "CART-01", "Kit cart 01", "kit_cart"],
      [LOC.quarantine, "QUAR-01", "Quarantine cage", "quarantine"],
      [LOC.erp, "V-ERP", "ERP supply", "erp_supply"],
      [LOC.consumed, "V-CONSUMED", "Consumed into units", "consumed"],
      [LOC.scrap, "V-SCRAP", "Scrapped", "scrap"],
      [LOC.returned, "V-RETURNED", "Returned to ERP", "returned_to_erp"],
      [LOC.production, "V-PRODUCTION", "Production output", "production"],
      [LOC.shipped, "V-SHIPPED", "Shipped to customers", "shipped"],
      [LOC.inTransit, "V-IN-TRANSIT", "In transit to other sites", "in_transit"],
      [LOC.otherSites, "V-OTHER-SITES", "Other sites (transfers)", "other_sites"],
    ] as const;
    const roles = `array['operator','kitting_clerk','quality_engineer','supervisor','admin']`;
    // Argon2 hashes are [A-Za-z0-9$=,+/.-]: safe inside a quoted literal; refuse anything else.
    for (const h of [passwordHash, pinHash]) if (!/^[A-Za-z0-9$=,+/.-]+$/.test(h)) throw new Error("Unexpected password hash format");
    return [
      [
        "site table",
        `create temp table g_site on commit drop as
         select s, ${this.id(TAG.site, "s")} as id, 'G' || lpad((${this.firstSite} + s - 1)::text, 3, '0') as code
         from generate_series(1, ${sites}) s`,
      ],
      [
        "sites",
        `insert into sites (id, code, name, time_zone, erp_plant)
         select id, code, 'Generated plant ' || code, ${zones}[1 + (s - 1) % 5], 'GEN-' || code from g_site`,
      ],
      ["areas", `insert into areas (site_id, id, code, name) select id, ${this.id(TAG.area, "s")}, 'A1', 'Assembly hall' from g_site`],
      [
        "work centers",
        `insert into work_centers (site_id, id, area_id, code, name)
         select g.id, ${this.id(TAG.workCenter, "g.s * 100 + l")}, ${this.id(TAG.area, "g.s")}, 'WC-L' || l, 'Level ' || l || ' assembly'
         from g_site g, generate_series(1, ${depth}) l`,
      ],
      [
        "stations",
        `insert into stations (site_id, id, work_center_id, code, name)
         select g.id, ${this.station("g.s", "l", "j")}, ${this.id(TAG.workCenter, "g.s * 100 + l")}, 'ST-L' || l || '-' || j, 'Level ' || l || ' station ' || j
         from g_site g, generate_series(1, ${depth}) l, generate_series(1, ${this.o.stationsPerLevel}) j`,
      ],
      [
        "storage locations",
        `insert into storage_locations (site_id, id, code, name, kind, is_physical, station_id)
         select g.id, ${this.id(TAG.location, "g.s * 1000 + v.n")}, v.code, v.name, v.kind::location_kind,
                v.kind in ('stores','kitting','kit_cart','point_of_use','quarantine'), null
         from g_site g, (values ${locations.map(([n, code, name, kind]) => `(${n}, '${code}', '${name}', '${kind}')`).join(", ")}) v(n, code, name, kind)
         union all
         select g.id, ${this.pou("g.s", "l", "j")}, 'POU-ST-L' || l || '-' || j, 'Point of use, level ' || l || ' station ' || j, 'point_of_use', true,
                ${this.station("g.s", "l", "j")}
         from g_site g, generate_series(1, ${depth}) l, generate_series(1, ${this.o.stationsPerLevel}) j`,
      ],
      [
        "users",
        `insert into users (id, username, display_name, password_hash, badge_id, pin_hash)
         select ${this.id(TAG.user, "g.s * 10 + r")}, lower(g.code) || '.' || (${roles})[r],
                initcap(replace((${roles})[r], '_', ' ')) || ' ' || g.code,
                '${passwordHash}', case when r <= 2 then g.code || '-B' || r end, case when r <= 2 then '${pinHash}' end
         from g_site g, generate_series(1, 5) r`,
      ],
      [
        "user site roles",
        `insert into user_site_roles (user_id, site_id, role)
         select ${this.id(TAG.user, "g.s * 10 + r")}, g.id, (${roles})[r]::role
         from g_site g, generate_series(1, 5) r`,
      ],
      [
        "enterprise quality engineer (quality engineer and enterprise role at every generated site)",
        `insert into users (id, username, display_name, password_hash)
         values (${this.enterpriseUser()}, '${this.prefix.toLowerCase()}.enterprise', 'Enterprise quality ${this.prefix}', '${passwordHash}')`,
      ],
      [
        "enterprise quality engineer's roles",
        `insert into user_site_roles (user_id, site_id, role)
         select ${this.enterpriseUser()}, g.id, r.role::role from g_site g, (values ('quality_engineer'), ('enterprise')) r(role)`,
      ],
      [
        "station operators (one per station, badge <site>-OP-L<level>-<station>)",
        `insert into users (id, display_name, badge_id, pin_hash)
         select ${this.stationOperator("g.s", "l", "j")}, 'Operator ' || g.code || ' L' || l || '-' || j, g.code || '-OP-L' || l || '-' || j, '${pinHash}'
         from g_site g, generate_series(1, ${depth}) l, generate_series(1, ${this.o.stationsPerLevel}) j`,
      ],
      [
        "station operator roles",
        `insert into user_site_roles (user_id, site_id, role)
         select ${this.stationOperator("g.s", "l", "j")}, g.id, 'operator'::role
         from g_site g, generate_series(1, ${depth}) l, generate_series(1, ${this.o.stationsPerLevel}) j`,
      ],
    ];
  }

  masterData(): [string, string][] {
    const { parts, products, depth, fanout, lines, seed, byType } = this.o;
    const p = this.prefix;
    const lotQty = `(array['0.5','1','2','0.25','1.5','3','0.125'])`;
    const countOf = `case l.tracking when 'serial' then ${byType.serial} when 'lot' then ${byType.lot} else ${byType.untracked} end`;
    const asmName = `(array['Actuator assembly','Servo-valve assembly','Torque motor assembly','Armature sub-assembly','Coil sub-assembly','Pole piece sub-assembly','Flapper sub-assembly','Nozzle sub-assembly'])`;
    return [
      [
        "manufacturers",
        `insert into manufacturers (id, code, name, erp_version)
         select ${this.id(TAG.manufacturer, "m")}, '${p}-M' || lpad(m::text, 2, '0'),
                case when m = 0 then 'Generated Aerospace (own plants)' else 'Generated Manufacturer ' || m end, 1
         from generate_series(0, 20) m`,
      ],
      [
        "suppliers",
        `insert into suppliers (id, code, name, erp_version)
         select ${this.id(TAG.supplier, "v")}, '${p}-V' || lpad(v::text, 2, '0'), 'Generated Supplier ' || v, 1 from generate_series(1, 10) v`,
      ],
      [
        "part table",
        `create temp table g_part on commit drop as
         select i, tracking, (row_number() over (partition by tracking order by i) - 1)::int as ti,
                ${this.id(TAG.part, "i")} as part_id, ${this.id(TAG.revision, "i * 2")} as rev_a,
                case when i % 4 = 0 then ${this.id(TAG.revision, "i * 2 + 1")} end as rev_b,
                case when i % 4 = 0 then ${this.id(TAG.revision, "i * 2 + 1")} else ${this.id(TAG.revision, "i * 2")} end as rev_id
         from (select i, (case when i % 10 in (0, 1) then 'serial' when i % 10 between 2 and 6 then 'lot' else 'untracked' end)::tracking_type as tracking
               from generate_series(1, ${parts}) i) x`,
      ],
      [
        "parts",
        `insert into parts (id, part_number, description, uom, tracking, shelf_life_days, min_remaining_shelf_life_days, out_time_minutes, erp_version)
         select part_id, '${p}-P' || lpad(i::text, 6, '0'),
                case tracking when 'serial' then (array['Bearing, rod end','Harness, feedback','Sensor, position','Valve, check'])[1 + i % 4]
                              when 'lot' then (array['Bracket, machined','O-ring, fluorocarbon','Sealant, two-part','Shim, laminated','Filter element'])[1 + i % 5]
                              else (array['Screw, cap','Nut, self-locking','Washer, flat'])[1 + i % 3] end || ' ' || lpad(i::text, 6, '0'),
                case when tracking = 'lot' and i % 5 = 4 then 'G' else 'EA' end, tracking,
                case when tracking = 'lot' and i % 5 = 4 then 365 end, case when tracking = 'lot' and i % 5 = 4 then 30 end,
                case when tracking = 'lot' and i % 25 = 4 then 240 end, 1
         from g_part`,
      ],
      [
        "part revisions",
        `insert into part_revisions (id, part_id, revision, status, erp_version)
         select rev_a, part_id, 'A', case when rev_b is null then 'released' else 'superseded' end, 1 from g_part
         union all select rev_b, part_id, 'B', 'released', 1 from g_part where rev_b is not null`,
      ],
      [
        "approved manufacturers",
        `insert into approved_manufacturers (part_id, manufacturer_id, status, erp_version)
         select part_id, ${this.id(TAG.manufacturer, "1 + i % 20")}, 'approved'::aml_status, 1 from g_part
         union all select part_id, ${this.id(TAG.manufacturer, "1 + (i + 7) % 20")}, 'disqualified'::aml_status, 1 from g_part where i % 50 = 0`,
      ],
      [
        "assembly table",
        `create temp table g_asm on commit drop as
         select level, q, ${this.id(TAG.part, "1000000 + level * 1000 + q")} as part_id, ${this.asmRev("level", "q")} as rev_id
         from generate_series(1, ${depth}) level, generate_series(1, ${products}) q`,
      ],
      [
        "assembly parts",
        `insert into parts (id, part_number, description, uom, tracking, erp_version)
         select part_id, '${p}-A' || level || '-' || lpad(q::text, 3, '0'), ${asmName}[1 + (level - 1) % 8] || ', family ' || q, 'EA', 'serial', 1
         from g_asm`,
      ],
      ["assembly revisions", `insert into part_revisions (id, part_id, revision, status, erp_version) select rev_id, part_id, 'A', 'released', 1 from g_asm`],
      [
        "assembly AML",
        `insert into approved_manufacturers (part_id, manufacturer_id, status, erp_version)
         select part_id, ${this.id(TAG.manufacturer, "0")}, 'approved', 1 from g_asm`,
      ],
      [
        "BOM table",
        `create temp table g_bom on commit drop as
         with l as (
           select a.level, a.q, j,
                  (case when j <= 2 then 'serial' when j % 2 = 1 then 'lot' else 'untracked' end)::tracking_type as tracking,
                  case when j <= 2 then j - 1 when j % 2 = 1 then (j - 3) / 2 else (j - 4) / 2 end as jt
           from g_asm a, generate_series(1, ${lines}) j)
         select l.level, l.q, l.j, 10 * (l.j + 1) as find, l.tracking, false as is_sub, p.rev_id as comp_rev, p.i as comp_i,
                case l.tracking when 'serial' then 1 when 'lot' then ${lotQty}[1 + l.j % 7]::numeric else (2 + l.j % 11)::numeric end as qty,
                case when l.tracking = 'lot' and (l.j / 2) % 2 = 0 then 10 else 20 end as op,
                l.tracking = 'untracked' as backflush
         from l join g_part p on p.tracking = l.tracking and p.ti = ((l.level * 131 + l.q * 17 + ${seed}) % ${countOf} + l.jt) % ${countOf}
         union all
         select level, q, 0, 10, 'serial', true, ${this.asmRev("level + 1", "q")}, null, ${fanout}::numeric, 10, false
         from g_asm where level < ${depth}`,
      ],
      [
        "lot component index",
        `create temp table g_lotrev on commit drop as
         select comp_rev, comp_i, (row_number() over (order by comp_rev) - 1)::int as li from (select distinct comp_rev, comp_i from g_bom where tracking = 'lot' and not is_sub) x`,
      ],
      ["BOMs", `insert into boms (id, parent_revision_id, erp_version) select ${this.id(TAG.bom, "level * 1000 + q")}, rev_id, 1 from g_asm`],
      [
        "BOM lines",
        `insert into bom_lines (id, bom_id, find_number, component_revision_id, quantity, operation_seq, backflush)
         select ${this.id(TAG.bomLine, "(level * 1000 + q) * 1000 + j")}, ${this.id(TAG.bom, "level * 1000 + q")}, find, comp_rev, qty, op, backflush from g_bom`,
      ],
      [
        "routings",
        `insert into routings (site_id, id, part_revision_id, code, erp_version)
         select g.id, ${this.id(TAG.routing, "g.s * 10000 + a.level * 1000 + a.q")}, a.rev_id, 'RT-A' || a.level || '-' || lpad(a.q::text, 3, '0'), 1
         from g_site g, g_asm a`,
      ],
      [
        "routing operations",
        `insert into routing_operations (site_id, id, routing_id, seq, code, description, work_center_id, parameters)
         select g.id, ${this.id(TAG.routingOp, "(g.s * 10000 + a.level * 1000 + a.q) * 10 + seq / 10")},
                ${this.id(TAG.routing, "g.s * 10000 + a.level * 1000 + a.q")}, seq,
                case seq when 10 then 'ASM' else 'CLS' end,
                case seq when 10 then 'Assemble sub-assemblies and lot material' else 'Close out, torque and test' end,
                ${this.id(TAG.workCenter, "g.s * 100 + a.level")},
                case seq when 10 then '[]'::jsonb else '[{"name":"Closing torque","unit":"N·m","min":"4.0","max":"4.6"}]'::jsonb end
         from g_site g, g_asm a, (values (10), (20)) v(seq)`,
      ],
    ];
  }

  production(lotsPerKey: number, lotRevs: number): [string, string][] {
    const { sites, depth, fanout, products, trees, treeSize } = this.o;
    const levels: string[] = [];
    let start = 1;
    for (let l = 1; l <= depth; l++) {
      const width = fanout ** (l - 1);
      levels.push(`(${l}, ${start}, ${start + width - 1}, ${l >= 2 ? fanout ** (l - 2) : 1})`);
      start += width;
    }
    const op20Params = `'{"Closing torque":"4.3"}'::jsonb`;
    return [
      [
        "unit table",
        `create temp table g_unit on commit drop as
         with lv(level, k_from, k_to, per_sub) as (values ${levels.join(", ")}),
         tree as (
           select t, 1 + (t - 1) % ${sites} as s, 1 + ((t - 1) / ${sites}) % ${products} as q,
                  case when t % 10 = 7 then 'planned' when t % 5 = 4 then 'in_progress' else 'completed' end as root_status,
                  (t * 37 + ${this.o.seed}) % 100 < ${this.o.transfers} as xfer_tree
           from generate_series(1, ${trees}) t),
         u1 as (
           select (tr.t - 1)::bigint * ${treeSize} + k as u, tr.t, k, lv.level, tr.s as home_s, tr.q,
                  case when lv.level = 1 then null else (k - 2) / ${fanout} + 1 end as parent_k,
                  (lv.level > 1 or tr.root_status <> 'planned') as op10, (lv.level > 1 or tr.root_status = 'completed') as op20,
                  -- built at the next site: the first level-2 sub-assembly of a transfer tree and everything below it
                  (tr.xfer_tree and lv.level >= 2 and (k - lv.k_from) / lv.per_sub = 0) as xfer
           from tree tr cross join lv cross join lateral generate_series(lv.k_from, lv.k_to) k),
         u0 as (select u1.*, case when u1.xfer then 1 + u1.home_s % ${sites} else u1.home_s end as s from u1)
         select u0.*, 1 + (u0.u % ${this.o.stationsPerLevel})::int as j, g.id as site_id, g.code as site_code,
                g.code || '-U' || lpad(u0.u::text, 8, '0') as serial,
                dense_rank() over (order by u0.s, u0.level, u0.q, (u0.t - 1) / 50) as wo,
                ${this.at("u0.t", "u0.level", 1)} as at10, ${this.at("u0.t", "u0.level", 2)} as at20, ${this.at("u0.t", "u0.level", 3)} as at_done,
                (u0.xfer and u0.level = 2) as ships, ${this.at("u0.t", "1", 1)} as at_parent10
         from u0 join g_site g on g.s = u0.s`,
      ],
      ["unit table index", `create index on g_unit (t, k)`],
      ["unit table statistics", `analyze g_unit`],
      [
        "work orders",
        `insert into work_orders (site_id, id, number, part_revision_id, quantity, status, due_date, released_at, erp_version)
         select site_id, ${this.id(TAG.workOrder, "wo")}, site_code || '-WO' || lpad(wo::text, 7, '0'), ${this.asmRev("level", "q")},
                count(*), (case when bool_and(op20) then 'completed' when bool_or(op10) then 'in_progress' else 'released' end)::work_order_status,
                (max(at_done) + interval '5 days')::date, min(at10) - interval '1 day', 1
         from g_unit group by wo, site_id, site_code, level, q`,
      ],
      [
        "work order BOM lines (frozen)",
        `insert into work_order_bom_lines (site_id, id, work_order_id, find_number, component_revision_id, quantity_per_unit, operation_seq, backflush)
         select w.site_id, ${this.id(TAG.woLine, `w.wo * 1000 + b.j`)}, ${this.id(TAG.workOrder, "w.wo")}, b.find, b.comp_rev, b.qty, b.op, b.backflush
         from (select distinct wo, site_id, level, q from g_unit) w
         join g_bom b on b.level = w.level and b.q = w.q`,
      ],
      [
        "work order operations",
        `insert into work_order_operations (site_id, id, work_order_id, seq, code, description, work_center_id, parameters)
         select w.site_id, ${this.id(TAG.woOp, "w.wo * 10 + v.seq / 10")}, ${this.id(TAG.workOrder, "w.wo")}, v.seq,
                case v.seq when 10 then 'ASM' else 'CLS' end,
                case v.seq when 10 then 'Assemble sub-assemblies and lot material' else 'Close out, torque and test' end,
                ${this.id(TAG.workCenter, "w.s * 100 + w.level")},
                case v.seq when 10 then '[]'::jsonb else '[{"name":"Closing torque","unit":"N·m","min":"4.0","max":"4.6"}]'::jsonb end
         from (select distinct wo, site_id, s, level from g_unit) w, (values (10), (20)) v(seq)`,
      ],
      [
        "unit serial items",
        `insert into serial_items (site_id, id, part_revision_id, serial_number, manufacturer_id, inspection_status, built_here, created_at)
         select site_id, ${this.id(TAG.unitSerial, "u")}, ${this.asmRev("level", "q")}, serial, ${this.id(TAG.manufacturer, "0")},
                (case when op20 then 'accepted' else 'pending' end)::inspection_status, true, at10 - interval '1 day'
         from g_unit order by u`,
      ],
      [
        "received serial items (a transferred sub-assembly's row at the site that installs it)",
        `insert into serial_items (site_id, id, part_revision_id, serial_number, manufacturer_id, inspection_status, built_here, created_at)
         select h.id, ${this.id(TAG.receivedSerial, "u.u")}, ${this.asmRev("u.level", "u.q")}, u.serial, ${this.id(TAG.manufacturer, "0")},
                'accepted', false, ${this.transferAt("u", 2)}
         from g_unit u join g_site h on h.s = u.home_s where u.ships order by u.u`,
      ],
      [
        "units",
        `insert into units (site_id, id, work_order_id, serial_item_id, serial, status, completed_at, shipped_at, shipped_to, shipment_reference)
         select u.site_id, ${this.id(TAG.unit, "u.u")}, ${this.id(TAG.workOrder, "u.wo")}, ${this.id(TAG.unitSerial, "u.u")}, u.serial,
                (case when u.ships then 'shipped' when u.op20 then 'completed' when u.op10 then 'in_progress' else 'planned' end)::unit_status,
                case when u.op20 then u.at_done end,
                case when u.ships then ${this.transferAt("u", 1)} end,
                case when u.ships then 'Generated plant ' || h.code || ' (' || h.code || '), site transfer' end,
                case when u.ships then ${this.transferNumber("u.u")} end
         from g_unit u left join g_site h on h.s = u.home_s and u.ships order by u.u`,
      ],
      [
        "unit operations",
        `insert into unit_operations (site_id, id, unit_id, work_order_operation_id, seq, status, station_id, started_at, completed_at, completed_by, parameters)
         select u.site_id, ${this.id(TAG.unitOp, "u.u * 10 + v.seq / 10")}, ${this.id(TAG.unit, "u.u")}, ${this.id(TAG.woOp, "u.wo * 10 + v.seq / 10")}, v.seq,
                (case when (v.seq = 10 and u.op10) or (v.seq = 20 and u.op20) then 'completed' when v.seq = 20 and u.op10 then 'in_progress' else 'pending' end)::operation_status,
                case when u.op10 then ${this.station("u.s", "u.level", "u.j")} end,
                case when v.seq = 10 and u.op10 then u.at10 - interval '20 minutes' when v.seq = 20 and u.op10 then u.at10 end,
                case when (v.seq = 10 and u.op10) or (v.seq = 20 and u.op20) then case v.seq when 10 then u.at10 else u.at20 end end,
                case when (v.seq = 10 and u.op10) or (v.seq = 20 and u.op20) then ${this.operator("u.s")} end,
                case when v.seq = 20 and u.op20 then ${op20Params} else '{}'::jsonb end
         from g_unit u, (values (10), (20)) v(seq) order by u.u, v.seq`,
      ],
      [
        "bought serial items",
        `insert into serial_items (site_id, id, part_revision_id, serial_number, manufacturer_id, supplier_id, supplier_lot, inspection_status, certificate_ref, built_here, created_at)
         select u.site_id, ${this.id(TAG.boughtSerial, `u.u * 1000 + b.j`)}, b.comp_rev, '${this.prefix}S' || lpad((u.u * 1000 + b.j)::text, 11, '0'),
                ${this.id(TAG.manufacturer, "1 + b.comp_i % 20")}, ${this.id(TAG.supplier, "1 + b.comp_i % 10")}, 'SL-' || (u.u / 100),
                'accepted', 'CoC-${this.prefix}-' || (u.u / 100), false, u.at10 - interval '2 hours'
         from g_unit u join g_bom b on b.level = u.level and b.q = u.q and b.tracking = 'serial' and not b.is_sub
         where u.op20 order by u.u, b.j`,
      ],
      [
        "lot table",
        `create temp table g_lot on commit drop as
         select ((g.s - 1) * ${lotRevs} + r.li) * ${lotsPerKey} + x as n, g.s, g.id as site_id, r.comp_rev, r.comp_i, x
         from g_site g, g_lotrev r, generate_series(0, ${lotsPerKey - 1}) x`,
      ],
      [
        "lots",
        `insert into lots (site_id, id, part_revision_id, lot_number, manufacturer_id, supplier_id, supplier_lot, manufactured_at, expires_at,
                           inspection_status, certificate_ref, created_at)
         select l.site_id, ${this.id(TAG.lot, "l.n")}, l.comp_rev, '${this.prefix}L' || lpad(l.n::text, 8, '0'),
                ${this.id(TAG.manufacturer, "1 + l.comp_i % 20")}, ${this.id(TAG.supplier, "1 + l.comp_i % 10")}, 'SL' || lpad(l.n::text, 8, '0'),
                ${this.base} - interval '20 days', ${this.base} - interval '20 days' + make_interval(days => p.shelf_life_days),
                'accepted', 'CoC-${this.prefix}-L' || l.n, ${this.base} - interval '2 days'
         from g_lot l join part_revisions r on r.id = l.comp_rev join parts p on p.id = r.part_id order by l.n`,
      ],
      [
        "consumption table (one row per genealogy edge)",
        // Sub-assemblies installed at op 10 of their parent; purchased lines at their operation when it was done.
        `create temp table g_edge on commit drop as
         select row_number() over () as n, x.* from (
         select c.p_u as u, 0 as slot, c.p_site_id as site_id, c.p_s as s, c.p_level as level, c.p_j as j, c.p_t as t,
                ${this.asmRev("c.level", "c.q")} as rev,
                case when c.ships then ${this.id(TAG.receivedSerial, "c.u")} else ${this.id(TAG.unitSerial, "c.u")} end as child_si, null::uuid as child_lot,
                1::numeric as qty, 10 as find, 10 as op, false as backflush
         from (select c.*, p.u as p_u, p.level as p_level, p.j as p_j, p.t as p_t, p.site_id as p_site_id, p.s as p_s
               from g_unit c join g_unit p on p.t = c.t and p.k = c.parent_k where c.level > 1 and p.op10) c
         union all
         select u.u, case when b.op = 10 then 0 when b.backflush then 2 else 1 end, u.site_id, u.s, u.level, u.j, u.t, b.comp_rev,
                case when b.tracking = 'serial' then ${this.id(TAG.boughtSerial, "u.u * 1000 + b.j")} end,
                case when b.tracking = 'lot' then ${this.id(TAG.lot, `((u.s - 1) * ${lotRevs} + r.li) * ${lotsPerKey} + ((u.u * 2654435761 + b.j * 40503 + ${this.o.seed}) % 2147483647) % ${lotsPerKey}`)} end,
                b.qty, b.find, b.op, b.backflush
         from g_unit u join g_bom b on b.level = u.level and b.q = u.q and not b.is_sub and ((b.op = 10 and u.op10) or (b.op = 20 and u.op20))
         left join g_lotrev r on r.comp_rev = b.comp_rev and b.tracking = 'lot') x`,
      ],
      ["consumption table statistics", `analyze g_edge`],
    ];
  }

  /**
   * Site transfers of the sub-assemblies built at another site, as ship and receive write them: at the builder, shipped
   * (stores -> in transit) and delivered (in transit -> other sites); at the receiver, received (other sites -> stores,
   * its own serial row) and staged to the point of use of the parent's station; one site_transfers row (received,
   * inspection carried) links the builder's serial to the receiver's, the cross-site genealogy edge.
   */
  transfers(): [string, string][] {
    const clerk = (s: string) => this.id(TAG.user, `(${s}) * 10 + 2`);
    const rev = this.asmRev("c.level", "c.q");
    const sent = this.id(TAG.unitSerial, "c.u");
    const mine = this.id(TAG.receivedSerial, "c.u");
    const from = `from g_unit c join g_unit p on p.t = c.t and p.k = c.parent_k where c.ships`;
    return [
      [
        "transfer movements (shipped, delivered, received, staged)",
        `insert into movements (site_id, id, kind, actor_user_id, occurred_at, reason, reference)
         select c.site_id, ${this.id(TAG.movement, "c.u * 8 + 5")}, 'site_ship'::movement_kind, ${clerk("c.s")}, ${this.transferAt("c", 1)},
                'Site transfer ' || ${this.transferNumber("c.u")} || ' to ' || p.site_code,
                jsonb_build_object('transfer', ${this.transferNumber("c.u")}, 'toSite', p.site_code, 'from', 'ST-01') ${from}
         union all
         select c.site_id, ${this.id(TAG.movement, "c.u * 8 + 6")}, 'site_ship'::movement_kind, ${clerk("p.s")}, ${this.transferAt("c", 2)},
                'Site transfer ' || ${this.transferNumber("c.u")} || ' received at ' || p.site_code,
                jsonb_build_object('transfer', ${this.transferNumber("c.u")}, 'toSite', p.site_code) ${from}
         union all
         select p.site_id, ${this.id(TAG.movement, "c.u * 8 + 7")}, 'site_receive'::movement_kind, ${clerk("p.s")}, ${this.transferAt("c", 2)},
                'Site transfer ' || ${this.transferNumber("c.u")} || ' from ' || c.site_code,
                jsonb_build_object('transfer', ${this.transferNumber("c.u")}, 'fromSite', c.site_code, 'to', 'ST-01') ${from}
         union all
         select p.site_id, ${this.id(TAG.movement, `${MOV.transferStage} + c.u`)}, 'stage'::movement_kind, ${clerk("p.s")}, ${this.transferAt("c", 3)},
                'Staged to points of use', '{}'::jsonb ${from}`,
      ],
      [
        "transfer legs",
        `insert into movement_legs (site_id, movement_id, location_id, part_revision_id, serial_item_id, quantity)
         select c.site_id, ${this.id(TAG.movement, "c.u * 8 + 5")}, ${this.loc("c.s", LOC.stores)}, ${rev}, ${sent}, -1 ${from}
         union all select c.site_id, ${this.id(TAG.movement, "c.u * 8 + 5")}, ${this.loc("c.s", LOC.inTransit)}, ${rev}, ${sent}, 1 ${from}
         union all select c.site_id, ${this.id(TAG.movement, "c.u * 8 + 6")}, ${this.loc("c.s", LOC.inTransit)}, ${rev}, ${sent}, -1 ${from}
         union all select c.site_id, ${this.id(TAG.movement, "c.u * 8 + 6")}, ${this.loc("c.s", LOC.otherSites)}, ${rev}, ${sent}, 1 ${from}
         union all select p.site_id, ${this.id(TAG.movement, "c.u * 8 + 7")}, ${this.loc("p.s", LOC.otherSites)}, ${rev}, ${mine}, -1 ${from}
         union all select p.site_id, ${this.id(TAG.movement, "c.u * 8 + 7")}, ${this.loc("p.s", LOC.stores)}, ${rev}, ${mine}, 1 ${from}
         union all select p.site_id, ${this.id(TAG.movement, `${MOV.transferStage} + c.u`)}, ${this.loc("p.s", LOC.stores)}, ${rev}, ${mine}, -1 ${from}
         union all select p.site_id, ${this.id(TAG.movement, `${MOV.transferStage} + c.u`)}, ${this.pou("p.s", "p.level", "p.j")}, ${rev}, ${mine}, 1 ${from}`,
      ],
      [
        "site transfers (received, inspection carried)",
        `insert into site_transfers (id, number, from_site_id, to_site_id, status, part_revision_id, from_serial_item_id, quantity, from_location_id,
                                     shipped_at, shipped_by, ship_movement_id, to_serial_item_id, to_location_id, received_at, received_by,
                                     receive_movement_id, delivered_movement_id, received_inspection)
         select ${this.id(TAG.transfer, "c.u")}, ${this.transferNumber("c.u")}, c.site_id, p.site_id, 'received', ${rev}, ${sent}, 1, ${this.loc("c.s", LOC.stores)},
                ${this.transferAt("c", 1)}, ${clerk("c.s")}, ${this.id(TAG.movement, "c.u * 8 + 5")}, ${mine}, ${this.loc("p.s", LOC.stores)},
                ${this.transferAt("c", 2)}, ${clerk("p.s")}, ${this.id(TAG.movement, "c.u * 8 + 7")}, ${this.id(TAG.movement, "c.u * 8 + 6")}, 'accepted'
         ${from} order by c.u`,
      ],
    ];
  }

  ledger(): [string, string][] {
    const erp = (s: string) => this.loc(s, LOC.erp);
    const stores = (s: string) => this.loc(s, LOC.stores);
    const consumed = (s: string) => this.loc(s, LOC.consumed);
    const production = (s: string) => this.loc(s, LOC.production);
    const receiptAt = `(${this.base} - interval '2 days')`;
    const stageAt = `(${this.base} - interval '1 day')`;
    const clerk = (s: string) => this.id(TAG.user, `(${s}) * 10 + 2`);
    return [
      [
        "consumption movements",
        `insert into movements (site_id, id, kind, actor_user_id, occurred_at, reason, reference)
         select u.site_id, ${this.id(TAG.movement, "m.u * 8 + m.slot")}, (case when m.slot = 2 then 'backflush' else 'consume' end)::movement_kind,
                ${this.operator("u.s")}, case when m.slot = 0 then u.at10 else u.at20 end, null,
                jsonb_build_object('workOrder', u.site_code || '-WO' || lpad(u.wo::text, 7, '0'), 'unit', u.serial, 'operation', case when m.slot = 0 then '10' else '20' end)
         from (select distinct u, slot from g_edge) m join g_unit u on u.u = m.u order by m.u, m.slot`,
      ],
      [
        "genealogy edges",
        `insert into genealogy_edges (site_id, id, parent_serial_item_id, parent_unit_id, child_part_revision_id, child_serial_item_id, child_lot_id,
                                      quantity, find_number, operation_seq, operator_user_id, station_id, installed_at, parameters, movement_id)
         select e.site_id, ${this.id(TAG.edge, "e.n")}, ${this.id(TAG.unitSerial, "e.u")},
                ${this.id(TAG.unit, "e.u")}, e.rev, e.child_si, e.child_lot, e.qty, e.find, e.op, ${this.operator("e.s")},
                ${this.station("e.s", "e.level", "e.j")}, case when e.op = 20 then ${this.at("e.t", "e.level", 2)} else ${this.at("e.t", "e.level", 1)} end,
                case when e.op = 20 then '{"Closing torque":"4.3"}'::jsonb else '{}'::jsonb end, ${this.id(TAG.movement, "e.u * 8 + e.slot")}
         from g_edge e`,
      ],
      [
        "consumption legs",
        `insert into movement_legs (site_id, movement_id, location_id, part_revision_id, lot_id, serial_item_id, quantity)
         select e.site_id, ${this.id(TAG.movement, "e.u * 8 + e.slot")}, case when v.sign < 0 then ${this.pou("e.s", "e.level", "e.j")} else ${consumed("e.s")} end,
                e.rev, e.child_lot, e.child_si, v.sign * e.qty
         from g_edge e, (values (-1), (1)) v(sign)`,
      ],
      [
        "completion movements",
        `insert into movements (site_id, id, kind, actor_user_id, occurred_at, reference)
         select site_id, ${this.id(TAG.movement, "u * 8 + 3")}, 'complete', ${this.operator("s")}, at_done,
                jsonb_build_object('workOrder', site_code || '-WO' || lpad(wo::text, 7, '0'), 'unit', serial)
         from g_unit where op20 order by u`,
      ],
      [
        "completion legs (production -> stores, or the point of use of the parent's station)",
        `insert into movement_legs (site_id, movement_id, location_id, part_revision_id, serial_item_id, quantity)
         select c.site_id, ${this.id(TAG.movement, "c.u * 8 + 3")},
                case when v.sign < 0 then ${production("c.s")} when c.level = 1 or c.ships then ${stores("c.s")} else ${this.pou("c.s", "p.level", "p.j")} end,
                ${this.asmRev("c.level", "c.q")}, ${this.id(TAG.unitSerial, "c.u")}, v.sign
         from g_unit c left join g_unit p on p.t = c.t and p.k = c.parent_k, (values (-1), (1)) v(sign)
         where c.op20 order by c.u, v.sign`,
      ],
      [
        "serial receipts (ERP issues bought serials to the point of use)",
        `insert into movements (site_id, id, kind, occurred_at, reason, reference)
         select site_id, ${this.id(TAG.movement, "u * 8 + 4")}, 'receive_from_erp', at10 - interval '2 hours', 'Issued to the floor by ERP',
                jsonb_build_object('erpDocument', '49' || lpad(u::text, 10, '0'))
         from g_unit u where op20 and exists (select 1 from g_bom b where b.level = u.level and b.q = u.q and b.tracking = 'serial' and not b.is_sub)
         order by u`,
      ],
      [
        "serial receipt legs",
        `insert into movement_legs (site_id, movement_id, location_id, part_revision_id, serial_item_id, quantity)
         select u.site_id, ${this.id(TAG.movement, "u.u * 8 + 4")}, case when v.sign < 0 then ${erp("u.s")} else ${this.pou("u.s", "u.level", "u.j")} end,
                b.comp_rev, ${this.id(TAG.boughtSerial, "u.u * 1000 + b.j")}, v.sign
         from g_unit u join g_bom b on b.level = u.level and b.q = u.q and b.tracking = 'serial' and not b.is_sub, (values (-1), (1)) v(sign)
         where u.op20 order by u.u, b.j, v.sign`,
      ],
      [
        "lot and bulk use per point of use",
        `create temp table g_use on commit drop as
         select e.s, e.site_id, e.rev, e.child_lot, ${this.pou("e.s", "e.level", "e.j")} as pou, sum(e.qty) as qty
         from g_edge e where e.child_si is null group by e.s, e.site_id, e.rev, e.child_lot, e.level, e.j`,
      ],
      [
        "stock keys (lots and bulk parts per site)",
        `create temp table g_stock on commit drop as
         select row_number() over (order by site_id, rev, lot) as n, s, site_id, rev, lot, used
         from (select l.s, l.site_id, l.comp_rev as rev, ${this.id(TAG.lot, "l.n")} as lot, coalesce(sum(u.qty), 0) as used
               from g_lot l left join g_use u on u.child_lot = ${this.id(TAG.lot, "l.n")} group by l.s, l.site_id, l.comp_rev, l.n
               union all
               select s, site_id, rev, null, sum(qty) from g_use where child_lot is null group by s, site_id, rev) x`,
      ],
      [
        "receipts of lots and bulk parts",
        `insert into movements (site_id, id, kind, occurred_at, reason, reference)
         select site_id, ${this.id(TAG.movement, `${MOV.lotReceipt} + n`)}, 'receive_from_erp', ${receiptAt}, 'Issued to the floor by ERP',
                jsonb_build_object('erpDocument', '48' || lpad(n::text, 10, '0'))
         from g_stock order by n`,
      ],
      [
        "receipt legs (ERP supply -> stores; what was used plus 10 left over)",
        `insert into movement_legs (site_id, movement_id, location_id, part_revision_id, lot_id, quantity)
         select site_id, ${this.id(TAG.movement, `${MOV.lotReceipt} + n`)}, case when v.sign < 0 then ${erp("s")} else ${stores("s")} end, rev, lot, v.sign * (used + 10)
         from g_stock, (values (-1), (1)) v(sign) order by n, v.sign`,
      ],
      [
        "staging movements",
        `insert into movements (site_id, id, kind, actor_user_id, occurred_at, reason, reference)
         select site_id, ${this.id(TAG.movement, `${MOV.lotStage} + n`)}, 'stage', ${clerk("s")}, ${stageAt}, 'Staged to points of use', '{}'::jsonb
         from g_stock where used > 0 order by n`,
      ],
      [
        "staging legs (stores -> each point of use, what it consumes)",
        `insert into movement_legs (site_id, movement_id, location_id, part_revision_id, lot_id, quantity)
         select k.site_id, ${this.id(TAG.movement, `${MOV.lotStage} + k.n`)}, ${stores("k.s")}, k.rev, k.lot, -k.used from g_stock k where k.used > 0
         union all
         select k.site_id, ${this.id(TAG.movement, `${MOV.lotStage} + k.n`)}, u.pou, k.rev, k.lot, u.qty
         from g_stock k join g_use u on u.site_id = k.site_id and u.rev = k.rev and u.child_lot is not distinct from k.lot`,
      ],
      ...this.transfers(),
      [
        "stock balances (the ledger summed per balance key)",
        `insert into stock_balances (site_id, id, location_id, is_physical, part_revision_id, lot_id, serial_item_id, on_hand)
         select b.site_id, ${this.id(TAG.balance, "row_number() over (order by b.site_id, b.location_id, b.part_revision_id, b.lot_id, b.serial_item_id)")},
                b.location_id, sl.is_physical, b.part_revision_id, b.lot_id, b.serial_item_id, b.on_hand
         from (select l.site_id, l.location_id, l.part_revision_id, l.lot_id, l.serial_item_id, sum(l.quantity) as on_hand
               from movement_legs l where l.site_id in (select id from g_site)
               group by l.site_id, l.location_id, l.part_revision_id, l.lot_id, l.serial_item_id) b
         join storage_locations sl on sl.site_id = b.site_id and sl.id = b.location_id`,
      ],
    ];
  }
}
