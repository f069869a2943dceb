import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { useTestDatabase } from "@/db/testing/test-database";
import { failedChecks, runLedgerChecks } from "@/server/repos/ledger-checks";
import { verifySecret } from "@/server/auth/passwords";
import { ROLES } from "@/server/auth/types";
import { DEMO, DEMO_USERS, loadDemoIds, seedDemoPlant } from "./demo-plant";

const t = useTestDatabase("empty");
const now = new Date("2026-11-20T15:00:00Z");

type Count = { n: number };
async function count(db: DbOrTx, query: ReturnType<typeof sql>): Promise<number> {
  const [row] = await queryRows<Count>(db, sql`select count(*)::int as n from (${query}) q`);
  return row!.n;
}

async function tableCounts(db: DbOrTx): Promise<Record<string, number>> {
  const tables = await queryRows<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'
        and table_name not like '__drizzle%' order by 1`,
  );
  const out: Record<string, number> = {};
  for (const { name } of tables) out[name] = await count(db, sql`select 1 from ${sql.identifier(name)}`);
  return out;
}

describe("seedDemoPlant", () => {
  it("loads a two-site plant with every location kind, every role, quality traps, deep genealogy, and a clean ledger", async () => {
    const db = t.db;
    await expect(seedDemoPlant(db, { now })).resolves.toEqual({ created: true });
    const ids = await loadDemoIds(db);

    const sites = await queryRows<{ code: string; time_zone: string; erp_plant: string }>(
      db,
      sql`select code, time_zone, erp_plant from sites order by erp_plant`,
    );
    expect(sites).toEqual([
      { code: "WCH", time_zone: "America/Chicago", erp_plant: "1000" },
      { code: "TLS", time_zone: "Europe/Paris", erp_plant: "2000" },
    ]);

    const perSite = await queryRows<{ code: string; areas: number; work_centers: number; stations: number; pou: number; pou_with_station: number }>(
      db,
      sql`select s.code,
                 (select count(*)::int from areas a where a.site_id = s.id) as areas,
                 (select count(*)::int from work_centers w where w.site_id = s.id) as work_centers,
                 (select count(*)::int from stations st where st.site_id = s.id) as stations,
                 (select count(*)::int from storage_locations l where l.site_id = s.id and l.kind = 'point_of_use') as pou,
                 (select count(distinct l.station_id)::int from storage_locations l where l.site_id = s.id and l.kind = 'point_of_use') as pou_with_station
          from sites s order by s.erp_plant`,
    );
    const [wch, tls] = perSite;
    expect(wch!.stations).toBeGreaterThanOrEqual(3);
    expect(tls!.stations).toBeGreaterThanOrEqual(2);
    for (const site of perSite) {
      expect(site.areas).toBeGreaterThan(0);
      expect(site.work_centers).toBeGreaterThan(0);
      expect(site.pou).toBe(site.stations);
      expect(site.pou_with_station).toBe(site.stations);
    }

    const kinds = await queryRows<{ code: string; kinds: string[] }>(
      db,
      sql`select s.code, array_agg(distinct l.kind::text order by l.kind::text) as kinds
          from sites s join storage_locations l on l.site_id = s.id group by s.code`,
    );
    const allKinds = ["consumed", "erp_supply", "in_transit", "kit_cart", "kitting", "other_sites", "point_of_use", "production", "quarantine", "returned_to_erp", "scrap", "shipped", "stores"];
    for (const k of kinds) expect(k.kinds).toEqual(allKinds);

    const roles = await queryRows<{ code: string; roles: string[] }>(
      db,
      sql`select s.code, array_agg(distinct r.role::text order by r.role::text) as roles
          from sites s join user_site_roles r on r.site_id = s.id group by s.code`,
    );
    expect(roles).toHaveLength(2);
    for (const r of roles) expect(r.roles).toEqual([...ROLES].sort());
    expect(await count(db, sql`select user_id from user_site_roles group by user_id having count(distinct site_id) = 2`)).toBeGreaterThanOrEqual(1);
    // the two-site supervisor: supervisor and enterprise (genealogy and holds across sites) at both sites
    const twoSite = await queryRows<{ code: string; roles: string[] }>(
      db,
      sql`select s.code, array_agg(r.role::text order by r.role::text) as roles from user_site_roles r join sites s on s.id = r.site_id
          where r.user_id = ${ids.user(DEMO.twoSiteUser)} group by s.code order by s.code`,
    );
    expect(twoSite).toEqual([{ code: "TLS", roles: ["enterprise", "supervisor"] }, { code: "WCH", roles: ["enterprise", "supervisor"] }]);

    // The documented demo credentials actually sign in.
    const [office] = await queryRows<{ password_hash: string }>(db, sql`select password_hash from users where username = 'priya.raman'`);
    const [floor] = await queryRows<{ pin_hash: string }>(db, sql`select pin_hash from users where badge_id = 'B1001'`);
    expect(await verifySecret(office!.password_hash, DEMO.password)).toBe(true);
    expect(await verifySecret(floor!.pin_hash, DEMO.pin)).toBe(true);
    expect(await verifySecret(floor!.pin_hash, "9999")).toBe(false);
    expect(await count(db, sql`select 1 from users`)).toBe(DEMO_USERS.length);

    // Quality traps the station must refuse.
    const [expired] = await queryRows<{ expired: boolean }>(
      db,
      sql`select expires_at < ${now.toISOString()}::timestamptz as expired from lots where id = ${ids.lot("WCH", DEMO.expiredLot.lotNumber)}`,
    );
    expect(expired!.expired).toBe(true);
    expect(await count(db, sql`select 1 from lots where expires_at < ${now.toISOString()}::timestamptz`)).toBe(1);

    const holds = await queryRows<{ reason: string; placed_by_role: string; site: string }>(
      db,
      sql`select h.reason, r.role::text as placed_by_role, s.code as site from holds h
          join sites s on s.id = h.site_id
          join user_site_roles r on r.user_id = h.placed_by and r.site_id = h.site_id
          where h.target_type = 'lot' and h.target_id = ${ids.lot("WCH", DEMO.heldLot.lotNumber)} and h.released_at is null`,
    );
    expect(holds).toHaveLength(1);
    expect(holds[0]!.placed_by_role).toBe("quality_engineer");
    expect(holds[0]!.reason.length).toBeGreaterThan(10);
    // The held lot already went into a unit: the hold has WIP to show.
    expect(
      await count(
        db,
        sql`select 1 from genealogy_edges e join units u on u.site_id = e.site_id and u.id = e.parent_unit_id
            where e.child_lot_id = ${ids.lot("WCH", DEMO.heldLot.lotNumber)} and u.serial = ${DEMO.heldLot.affectsUnit}`,
      ),
    ).toBe(1);

    expect(
      await count(
        db,
        sql`select 1 from approved_manufacturers am join manufacturers m on m.id = am.manufacturer_id join parts p on p.id = am.part_id
            where am.status = 'disqualified' and m.code = ${DEMO.unapprovedManufacturer.code} and p.part_number = ${DEMO.unapprovedManufacturer.partNumber}`,
      ),
    ).toBe(1);
    expect(
      await count(
        db,
        sql`select 1 from lots l join manufacturers m on m.id = l.manufacturer_id where m.code = ${DEMO.unapprovedManufacturer.code}
            and l.lot_number = ${DEMO.unapprovedLot.lotNumber}`,
      ),
    ).toBe(1);
    expect(await count(db, sql`select 1 from lots where inspection_status = 'pending'`)).toBe(1);
    // Nothing refusable was ever consumed.
    expect(
      await count(
        db,
        sql`select 1 from genealogy_edges e join lots l on l.site_id = e.site_id and l.id = e.child_lot_id
            where l.inspection_status <> 'accepted' or l.expires_at < e.installed_at or l.lot_number = ${DEMO.unapprovedLot.lotNumber}`,
      ),
    ).toBe(0);

    // Serial-range effectivity: two harness revisions on one find number, ACT-1001 got revision A.
    const harnessLines = await queryRows<{ revision: string; serial_from: string; serial_to: string }>(
      db,
      sql`select r.revision, l.serial_from, l.serial_to from bom_lines l join part_revisions r on r.id = l.component_revision_id
          join parts p on p.id = r.part_id where p.part_number = ${DEMO.effectivity.partNumber} order by r.revision`,
    );
    expect(harnessLines).toEqual([
      { revision: "A", serial_from: DEMO.effectivity.revA.from, serial_to: DEMO.effectivity.revA.to },
      { revision: "B", serial_from: DEMO.effectivity.revB.from, serial_to: DEMO.effectivity.revB.to },
    ]);
    expect(
      await count(
        db,
        sql`select 1 from genealogy_edges e where e.parent_unit_id = ${ids.unit("WCH", DEMO.genealogy.top)}
            and e.child_part_revision_id = ${ids.revision(DEMO.effectivity.partNumber, "A")}`,
      ),
    ).toBe(1);

    // Backward genealogy: top-level unit -> servo-valve serial -> torque-motor serial -> coil lot.
    const paths = await queryRows<{ path: string[]; depth: number }>(
      db,
      sql`with recursive walk(site_id, node, path, depth) as (
            select si.site_id, si.id, array[si.serial_number], 0 from serial_items si where si.id = ${ids.serial("WCH", DEMO.genealogy.top)}
            union all
            select e.site_id, e.child_serial_item_id,
                   w.path || coalesce(cs.serial_number, cl.lot_number), w.depth + 1
            from walk w
            join genealogy_edges e on e.site_id = w.site_id and e.parent_serial_item_id = w.node and e.removed_at is null
            left join serial_items cs on cs.site_id = e.site_id and cs.id = e.child_serial_item_id
            left join lots cl on cl.site_id = e.site_id and cl.id = e.child_lot_id
            where w.node is not null)
          select path, depth from walk where depth >= 2 order by depth desc, path`,
    );
    expect(paths.map((p) => p.path)).toContainEqual([DEMO.genealogy.top, DEMO.genealogy.subAssembly, DEMO.genealogy.subSubAssembly, DEMO.genealogy.lot]);
    expect(Math.max(...paths.map((p) => p.depth))).toBe(3);

    // Every consumption is one ledger movement and one genealogy edge, by the site's operator at a real station.
    expect(await count(db, sql`select 1 from movements where kind in ('consume', 'backflush')`)).toBe(await count(db, sql`select 1 from genealogy_edges`));
    expect(await count(db, sql`select 1 from movements where kind = 'backflush'`)).toBeGreaterThan(0);
    expect(await count(db, sql`select 1 from movements where kind = 'stage'`)).toBeGreaterThan(0);
    expect(
      await count(
        db,
        sql`select 1 from genealogy_edges e left join user_site_roles r on r.user_id = e.operator_user_id and r.site_id = e.site_id and r.role = 'operator'
            where r.user_id is null`,
      ),
    ).toBe(0);

    // Work orders at every stage; completed sub-assemblies were consumed into higher-level units.
    const orders = await queryRows<{ number: string; status: string; unit_statuses: string[] }>(
      db,
      sql`select w.number, w.status::text, array_agg(distinct u.status::text order by u.status::text) as unit_statuses
          from work_orders w join units u on u.site_id = w.site_id and u.work_order_id = w.id group by w.number, w.status order by w.number`,
    );
    const byNumber = new Map(orders.map((o) => [o.number, o]));
    expect(byNumber.get(DEMO.workOrders.notStarted.number)).toMatchObject({ status: "released", unit_statuses: ["planned"] });
    expect(byNumber.get(DEMO.workOrders.inProgress.number)!.status).toBe("in_progress");
    expect(byNumber.get(DEMO.workOrders.completed.number)).toMatchObject({ status: "completed", unit_statuses: ["completed"] });
    expect(byNumber.get(DEMO.workOrders.toulouse.number)!.status).toBe("in_progress");
    expect(await count(db, sql`select 1 from work_order_bom_lines`)).toBeGreaterThan(0);
    expect(
      await count(db, sql`select 1 from units u join work_order_operations o on o.site_id = u.site_id and o.work_order_id = u.work_order_id`),
    ).toBe(await count(db, sql`select 1 from unit_operations`));
    const [sub] = await queryRows<{ status: string; location_kind: string }>(
      db,
      sql`select u.status::text, l.kind::text as location_kind from units u
          join stock_balances b on b.site_id = u.site_id and b.serial_item_id = u.serial_item_id and b.on_hand = 1
          join storage_locations l on l.site_id = b.site_id and l.id = b.location_id
          where u.serial = ${DEMO.genealogy.subAssembly}`,
    );
    expect(sub).toEqual({ status: "completed", location_kind: "consumed" });

    const [registry] = await queryRows<{ owner: string; direction: string }>(
      db,
      sql`select owner::text, direction::text from ownership_registry where entity = 'lot' and attribute = 'out_time_started_at'`,
    );
    expect(registry).toEqual({ owner: "traceline", direction: "none" });
    expect(await count(db, sql`select 1 from audit_log where action = 'seed demo plant'`)).toBe(1);

    expect(failedChecks(await runLedgerChecks(db))).toEqual([]);
  });

  it("does nothing the second time", async () => {
    const before = await tableCounts(t.db);
    expect(before.sites).toBe(2);
    await expect(seedDemoPlant(t.db, { now: new Date(now.getTime() + 86_400_000) })).resolves.toEqual({ created: false });
    expect(await tableCounts(t.db)).toEqual(before);
  });
});
