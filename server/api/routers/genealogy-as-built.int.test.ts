import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { useTestDatabase } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import { loadDemoIds } from "@/db/seed/demo-plant";
import { createCallerFactory, type Context } from "@/server/api/trpc";
import { genealogyRouter } from "./genealogy";
import { TEST_NOW } from "@/db/testing/clock";
import { walkAsBuilt } from "./as-built-walk.testing";

/*
 * The as-built names its nodes from lookups done once per distinct id (not per-row joins): every node must still carry
 * exactly what its own genealogy edge and the rows it points to say.
 */
const t = useTestDatabase("demo");
const createCaller = createCallerFactory(genealogyRouter);

describe("as-built node details", () => {
  it("match the edge's own part, serial or lot, operation, operator, station, time and parameters for every node of every demo unit", async () => {
    const priya = await actorFor(t.db, "priya.raman");
    const api = createCaller({ db: t.db, actor: priya, clientKey: "test", now: () => TEST_NOW } satisfies Context);
    const units = await queryRows<{ si: string }>(
      t.db,
      sql`select u.serial_item_id as si from units u where u.site_id = ${priya.siteId} order by u.serial`,
    );
    expect(units.length).toBeGreaterThan(3);
    let checked = 0;
    for (const u of units) {
      const { tree } = await walkAsBuilt(api, { serialItemId: u.si });
      if (tree.nodes.length === 0) continue;
      const reference = await queryRows<{
        id: string;
        part_number: string;
        revision: string;
        uom: string;
        serial_number: string | null;
        lot_number: string | null;
        quantity: string;
        op_code: string | null;
        operator: string;
        station: string;
        installed_at: string;
        remover: string | null;
      }>(
        t.db,
        sql`select e.id, p.part_number, pr.revision, p.uom, s.serial_number, l.lot_number, e.quantity::text as quantity, op.code as op_code,
                   ou.display_name as operator, st.code as station,
                   to_char(e.installed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as installed_at, ru.display_name as remover
            from genealogy_edges e
            join part_revisions pr on pr.id = e.child_part_revision_id join parts p on p.id = pr.part_id
            left join serial_items s on s.site_id = e.site_id and s.id = e.child_serial_item_id
            left join lots l on l.site_id = e.site_id and l.id = e.child_lot_id
            left join units un on un.site_id = e.site_id and un.id = e.parent_unit_id
            left join work_order_operations op on op.site_id = e.site_id and op.work_order_id = un.work_order_id and op.seq = e.operation_seq
            join users ou on ou.id = e.operator_user_id join stations st on st.site_id = e.site_id and st.id = e.station_id
            left join users ru on ru.id = e.removed_by
            where e.site_id = ${priya.siteId} and e.id = any(${`{${tree.nodes.map((n) => n.edgeId).join(",")}}`}::uuid[])`,
      );
      const byId = new Map(reference.map((r) => [r.id, r]));
      expect(byId.size).toBe(tree.nodes.length);
      for (const n of tree.nodes) {
        const r = byId.get(n.edgeId)!;
        expect({
          partNumber: n.partNumber,
          revision: n.revision,
          uom: n.uom,
          serialNumber: n.serialNumber,
          lotNumber: n.lotNumber,
          quantity: n.quantity,
          operationCode: n.operationCode,
          operatorName: n.operatorName,
          stationCode: n.stationCode,
          installedAt: n.installedAt.toISOString(),
          removedByName: n.removedByName,
        }).toEqual({
          partNumber: r.part_number,
          revision: r.revision,
          uom: r.uom,
          serialNumber: r.serial_number,
          lotNumber: r.lot_number,
          quantity: r.quantity,
          operationCode: r.op_code,
          operatorName: r.operator,
          stationCode: r.station,
          installedAt: r.installed_at,
          removedByName: n.removed ? r.remover : null,
        });
        checked++;
      }
      // parents before children: every node's parent edge comes earlier in the list
      const seen = new Set<string>();
      for (const n of tree.nodes) {
        if (n.parentEdgeId !== null) expect(seen.has(n.parentEdgeId)).toBe(true);
        seen.add(n.edgeId);
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});

describe("work order units", () => {
  it("lists a work order's units by serial for its own site, and nothing for another site", async () => {
    const ids = await loadDemoIds(t.db);
    const workOrderId = ids.workOrder("WCH", "WO-100233");
    const call = async (login: string) =>
      createCaller({ db: t.db, actor: await actorFor(t.db, login), clientKey: "test", now: () => TEST_NOW } satisfies Context).workOrderUnits({ workOrderId });
    const own = await call("priya.raman");
    const expected = await queryRows<{ serial: string }>(t.db, sql`select serial from units where work_order_id = ${workOrderId} order by serial`);
    expect(own.map((u) => u.serial)).toEqual(expected.map((e) => e.serial));
    expect(own.find((u) => u.serial === "ACT-1001")).toMatchObject({ serialItemId: ids.serial("WCH", "ACT-1001"), status: "completed" });
    expect(await call("sophie.martin")).toEqual([]);
  });
});
