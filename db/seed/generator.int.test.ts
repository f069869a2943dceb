import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { useTestDatabase } from "@/db/testing/test-database";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { signInWithBadge } from "@/server/auth/sign-in";
import { enterpriseWhereUsed } from "@/server/repos/enterprise-genealogy";
import { generatePlant, type GenerateProgress } from "./generator";
import { DEMO_PIN } from "./demo-users";

const t = useTestDatabase("empty");
const now = new Date("2026-11-20T15:00:00Z");

async function one<T extends Record<string, unknown>>(db: DbOrTx, query: ReturnType<typeof sql>): Promise<T> {
  const [row] = await queryRows<T>(db, query);
  return row!;
}

/** Constraints and indexes of the tables the fast load drops and re-creates: they must come back exactly. */
async function schemaShape(db: DbOrTx) {
  return queryRows<{ name: string; def: string }>(
    db,
    sql`select conname as name, pg_get_constraintdef(oid) as def from pg_constraint where connamespace = 'public'::regnamespace
        union all
        select indexname, indexdef from pg_indexes where schemaname = 'public'
        order by 1, 2`,
  );
}

describe("generatePlant", () => {
  it("builds a small plant four assembly levels deep whose ledger passes every check, and restores the schema", async () => {
    const db = t.ownerDb; // the migration owner: fast load (drop and re-create constraints) is on
    const shapeBefore = await schemaShape(db);
    const steps: GenerateProgress[] = [];
    const summary = await generatePlant(db, { sites: 2, units: 50, transfers: 0, now }, (p) => steps.push(p));

    expect(summary.fastLoad).toBe(true);
    expect(summary.siteCodes).toEqual(["G001", "G002"]);
    expect(summary.trees).toBe(4); // 50 units -> 4 trees of 1 + 2 + 4 + 8
    expect(summary.tables.units).toBe(60);
    expect(summary.tables.sites).toBe(2);
    expect(summary.tables.genealogy_edges).toBeGreaterThan(2000);
    expect(steps.find((s) => s.step === "genealogy edges")?.rows).toBe(summary.tables.genealogy_edges);
    expect(await schemaShape(db)).toEqual(shapeBefore);

    const counts = await one<{ sites: number; units: number; kinds: number; pou: number; stations: number; roles: number }>(
      db,
      sql`select (select count(*)::int from sites) as sites, (select count(*)::int from units) as units,
                 (select count(distinct kind)::int from storage_locations) as kinds,
                 (select count(*)::int from storage_locations where kind = 'point_of_use' and station_id is not null) as pou,
                 (select count(*)::int from stations) as stations,
                 (select count(*)::int from (select distinct site_id, role from user_site_roles) r) as roles`,
    );
    expect(counts).toEqual({ sites: 2, units: 60, kinds: 13, pou: counts.stations, stations: 16, roles: 12 }); // five site roles + enterprise

    // Every station has its own operator with a badge (the benchmark's tablets sign in as them), and a badge signs in.
    const operators = await queryRows<{ code: string; badge: string; roles: string[] }>(
      db,
      sql`select st.code, u.badge_id as badge, array_agg(r.role::text) as roles
          from stations st join sites s on s.id = st.site_id
          join users u on u.badge_id = s.code || '-OP-' || substring(st.code from 4)
          join user_site_roles r on r.user_id = u.id
          group by st.code, st.site_id, u.badge_id order by u.badge_id`,
    );
    expect(operators).toHaveLength(16);
    expect(operators[0]).toEqual({ code: "ST-L1-1", badge: "G001-OP-L1-1", roles: ["operator"] });
    expect(new Set(operators.map((o) => o.badge)).size).toBe(16);
    const signedIn = await signInWithBadge(db, { badgeId: "G002-OP-L4-2", pin: DEMO_PIN }, { clientKey: "generator-test", now });
    expect(signedIn.activeSiteId).toBe((await one<{ id: string }>(db, sql`select id from sites where code = 'G002'`)).id);

    // Every consumption is one leg into the consumed location and one genealogy edge.
    const consumption = await one<{ edges: number; legs: number; unlinked: number }>(
      db,
      sql`select (select count(*)::int from genealogy_edges) as edges,
                 (select count(*)::int from movement_legs l join storage_locations s on s.site_id = l.site_id and s.id = l.location_id
                  where s.kind = 'consumed') as legs,
                 (select count(*)::int from genealogy_edges e left join movements m on m.site_id = e.site_id and m.id = e.movement_id
                  where m.kind not in ('consume', 'backflush') or m.id is null) as unlinked`,
    );
    expect(consumption.edges).toBe(consumption.legs);
    expect(consumption.unlinked).toBe(0);

    // From a top-level unit down: three serialized sub-assembly levels below it, then the lots of the leaves.
    const depth = await one<{ serial_depth: number; lot_depth: number; roots: number }>(
      db,
      sql`with recursive roots as (
            select u.site_id, u.serial_item_id from units u
            where not exists (select 1 from genealogy_edges e where e.site_id = u.site_id and e.child_serial_item_id = u.serial_item_id)
              and exists (select 1 from genealogy_edges e where e.site_id = u.site_id and e.parent_serial_item_id = u.serial_item_id)),
          walk(site_id, node, depth, is_lot) as (
            select site_id, serial_item_id, 0, false from roots
            union all
            select e.site_id, coalesce(e.child_serial_item_id, e.child_lot_id), w.depth + 1, e.child_lot_id is not null
            from walk w join genealogy_edges e on e.site_id = w.site_id and e.parent_serial_item_id = w.node
            where not w.is_lot and (e.child_lot_id is not null
                  or exists (select 1 from units c where c.site_id = e.site_id and c.serial_item_id = e.child_serial_item_id)))
          select max(depth) filter (where not is_lot)::int as serial_depth, max(depth) filter (where is_lot)::int as lot_depth,
                 (select count(*)::int from roots) as roots
          from walk`,
    );
    expect(depth).toEqual({ serial_depth: 3, lot_depth: 4, roots: 4 }); // trees 1-3 completed, tree 4 in progress (operation 10 done)
    expect(failedChecks(await runLedgerChecks(db))).toEqual([]);
  });

  it("adds more sites after existing ones as the app role (constraints checked row by row), still consistent", async () => {
    const summary = await generatePlant(t.db, { sites: 1, units: 39, depth: 3, fanout: 3, lines: 8, parts: 60, stations: 30, now });
    expect(summary.fastLoad).toBe(false);
    expect(summary.siteCodes).toEqual(["G003"]);
    expect(summary.tables.units).toBe(39); // 3 trees of 1 + 3 + 9
    // --stations 30 over 3 levels: 10 stations per level, each with its point of use and operator, and units spread over them
    const g3 = await one<{ stations: number; pou: number; used: number }>(
      t.db,
      sql`select (select count(*)::int from stations st join sites s on s.id = st.site_id where s.code = 'G003') as stations,
                 (select count(*)::int from storage_locations l join sites s on s.id = l.site_id where s.code = 'G003' and l.kind = 'point_of_use') as pou,
                 (select count(distinct e.station_id)::int from genealogy_edges e join sites s on s.id = e.site_id where s.code = 'G003') as used`,
    );
    expect(g3).toEqual({ stations: 30, pou: 30, used: g3.used });
    expect(g3.used).toBeGreaterThan(2);
    expect(failedChecks(await runLedgerChecks(t.db))).toEqual([]);
  });

  it("builds sites that install each other's sub-assemblies through site transfers: the ledger checks pass and where-used crosses sites", async () => {
    const summary = await generatePlant(t.db, { sites: 3, units: 90, lines: 8, parts: 60, transfers: 100, now });
    expect(summary.siteCodes).toEqual(["G004", "G005", "G006"]);
    expect(summary.trees).toBe(6);
    expect(summary.tables.site_transfers).toBe(6); // every tree's first level-2 sub-assembly comes from the next site
    expect(failedChecks(await runLedgerChecks(t.db))).toEqual([]);

    const sites = await queryRows<{ id: string; code: string }>(t.db, sql`select id, code from sites where code in ('G004', 'G005', 'G006') order by code`);
    const scope = sites.map((s) => s.id);
    const code = (id: string) => sites.find((s) => s.id === id)!.code;

    // Each transfer: built and shipped at one site, received and installed at the next site's parent unit.
    const links = await queryRows<{ from_site: string; to_site: string; number: string; unit_status: string; reference: string; installed_in: string; open: boolean }>(
      t.db,
      sql`select t.from_site_id as from_site, t.to_site_id as to_site, t.number, u.status::text as unit_status, u.shipment_reference as reference,
                 pu.serial as installed_in, e.removed_at is null as open
          from site_transfers t
          join units u on u.site_id = t.from_site_id and u.serial_item_id = t.from_serial_item_id
          left join genealogy_edges e on e.site_id = t.to_site_id and e.child_serial_item_id = t.to_serial_item_id
          left join units pu on pu.site_id = e.site_id and pu.serial_item_id = e.parent_serial_item_id
          where t.from_site_id = any(${`{${scope.join(",")}}`}::uuid[]) order by t.number`,
    );
    expect(links).toHaveLength(6);
    for (const l of links) {
      expect(l.from_site).not.toBe(l.to_site);
      expect(l.unit_status).toBe("shipped");
      expect(l.reference).toBe(l.number);
      expect(l.number).toMatch(/^TR-[0-9A-F]{10}$/);
    }
    // trees not planned have their top-level unit's operation 10 done: the received sub-assembly is installed there
    const installed = links.filter((l) => l.installed_in);
    expect(installed.length).toBeGreaterThan(0);
    for (const l of installed) {
      expect(l.open).toBe(true);
      expect(l.installed_in.startsWith(code(l.to_site))).toBe(true);
    }

    // A lot consumed at the builder into a transferred sub-assembly: where-used reaches the receiver's top-level unit.
    const [lot] = await queryRows<{ site_id: string; lot_id: string; to_site: string }>(
      t.db,
      sql`with recursive sub(site_id, si, to_site) as (
            select t.from_site_id, t.from_serial_item_id, t.to_site_id from site_transfers t
            join genealogy_edges i on i.site_id = t.to_site_id and i.child_serial_item_id = t.to_serial_item_id
            where t.from_site_id = any(${`{${scope.join(",")}}`}::uuid[])
            union all
            select e.site_id, e.child_serial_item_id, s.to_site from sub s join genealogy_edges e on e.site_id = s.site_id and e.parent_serial_item_id = s.si
            where e.child_serial_item_id is not null)
          select e.site_id, e.child_lot_id as lot_id, s.to_site from sub s join genealogy_edges e on e.site_id = s.site_id and e.parent_serial_item_id = s.si
          where e.child_lot_id is not null limit 1`,
    );
    expect(lot).toBeDefined();
    const across = await enterpriseWhereUsed(t.db, scope, { siteId: lot!.site_id, kind: "lot", id: lot!.lot_id });
    const there = across.rows.filter((r) => r.siteId === lot!.to_site);
    expect(there.length).toBeGreaterThan(0);
    expect(there.some((r) => r.path.some((step) => step.via === "transferred"))).toBe(true);
    // One site's scope stops at its boundary and counts the link it did not follow.
    const local = await enterpriseWhereUsed(t.db, [lot!.site_id], { siteId: lot!.site_id, kind: "lot", id: lot!.lot_id });
    expect(local.rows.every((r) => r.siteId === lot!.site_id)).toBe(true);
    expect(local.linksOutOfScope).toBeGreaterThan(0);

    // The run's enterprise quality engineer holds the quality engineer and enterprise roles at each of its sites.
    const roles = await one<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from user_site_roles r join users u on u.id = r.user_id
          where u.username = ${summary.enterpriseUsername} and r.role in ('quality_engineer', 'enterprise')`,
    );
    expect(summary.enterpriseUsername).toBe("g004.enterprise");
    expect(roles.n).toBe(6);
  });

  it("refuses sizes it cannot build, before writing anything", async () => {
    const before = await one<{ n: number }>(t.db, sql`select count(*)::int as n from sites`);
    await expect(generatePlant(t.db, { sites: 0, units: 10 })).rejects.toThrow("--sites must be a whole number from 1 to 999");
    await expect(generatePlant(t.db, { sites: 1, units: 10, parts: 20, lines: 40 })).rejects.toThrow(/raise --parts/);
    await expect(generatePlant(t.db, { sites: 1, units: 10, fastLoad: true })).rejects.toThrow(/own the tables/);
    expect(await one<{ n: number }>(t.db, sql`select count(*)::int as n from sites`)).toEqual(before);
  });
});
