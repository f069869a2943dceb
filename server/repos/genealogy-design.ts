import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import type { DesignLine } from "@/server/domain/genealogy/as-designed";

/*
 * What each unit was designed to contain: its work order's frozen BOM (work_order_bom_lines), the date the order was
 * released (in the site's time zone, for date effectivity) and which of its operations are done. Read-only, site-scoped.
 */

export type UnitDesign = {
  serialItemId: string;
  unitId: string;
  serial: string;
  partNumber: string;
  revision: string;
  workOrderNumber: string;
  /** YYYY-MM-DD in the site's time zone: the date the frozen BOM is evaluated on */
  releasedOn: string;
  operationsDone: number[];
  lines: DesignLine[];
};

export async function loadUnitDesigns(db: DbOrTx, siteId: string, serialItemIds: string[], at: Date): Promise<Map<string, UnitDesign>> {
  const out = new Map<string, UnitDesign>();
  if (serialItemIds.length === 0) return out;
  const ids = sql`array[${sql.join(serialItemIds.map((i) => sql`${i}::uuid`), sql`, `)}]::uuid[]`;
  const units = await queryRows<{
    serial_item_id: string;
    unit_id: string;
    serial: string;
    part_number: string;
    revision: string;
    wo_id: string;
    wo_number: string;
    released_on: string;
    ops_done: number[] | string | null;
  }>(
    db,
    sql`select u.serial_item_id, u.id as unit_id, u.serial, p.part_number, pr.revision, wo.id as wo_id, wo.number as wo_number,
               to_char(wo.released_at at time zone st.time_zone, 'YYYY-MM-DD') as released_on,
               (select array_agg(uo.seq order by uo.seq) from unit_operations uo
                where uo.site_id = u.site_id and uo.unit_id = u.id and uo.status = 'completed' and uo.completed_at <= ${at.toISOString()}::timestamptz) as ops_done
        from units u
        join work_orders wo on wo.site_id = u.site_id and wo.id = u.work_order_id
        join part_revisions pr on pr.id = wo.part_revision_id
        join parts p on p.id = pr.part_id
        join sites st on st.id = u.site_id
        where u.site_id = ${siteId} and u.serial_item_id = any(${ids})`,
  );
  if (units.length === 0) return out;
  const woIds = [...new Set(units.map((u) => u.wo_id))];
  const lines = await queryRows<{
    wo_id: string;
    find_number: number;
    part_id: string;
    part_number: string;
    revision_id: string;
    revision: string;
    qty: string;
    op: number;
    serial_from: string | null;
    serial_to: string | null;
    effective_from: string | null;
    effective_to: string | null;
  }>(
    db,
    sql`select l.work_order_id as wo_id, l.find_number, p.id as part_id, p.part_number, pr.id as revision_id, pr.revision,
               l.quantity_per_unit::text as qty, l.operation_seq as op, l.serial_from, l.serial_to,
               l.effective_from::text as effective_from, l.effective_to::text as effective_to
        from work_order_bom_lines l
        join part_revisions pr on pr.id = l.component_revision_id
        join parts p on p.id = pr.part_id
        where l.site_id = ${siteId} and l.work_order_id = any(array[${sql.join(woIds.map((i) => sql`${i}::uuid`), sql`, `)}]::uuid[])`,
  );
  const byWo = new Map<string, DesignLine[]>();
  for (const l of lines) {
    const list = byWo.get(l.wo_id) ?? [];
    list.push({
      findNumber: Number(l.find_number),
      partId: l.part_id,
      partNumber: l.part_number,
      revisionId: l.revision_id,
      revision: l.revision,
      quantityPerUnit: l.qty,
      operationSeq: Number(l.op),
      serialFrom: l.serial_from,
      serialTo: l.serial_to,
      effectiveFrom: l.effective_from,
      effectiveTo: l.effective_to,
    });
    byWo.set(l.wo_id, list);
  }
  for (const u of units) {
    const ops = u.ops_done === null ? [] : Array.isArray(u.ops_done) ? u.ops_done.map(Number) : u.ops_done.replace(/[{}]/g, "").split(",").filter(Boolean).map(Number);
    out.set(u.serial_item_id, {
      serialItemId: u.serial_item_id,
      unitId: u.unit_id,
      serial: u.serial,
      partNumber: u.part_number,
      revision: u.revision,
      workOrderNumber: u.wo_number,
      releasedOn: u.released_on,
      operationsDone: ops,
      lines: byWo.get(u.wo_id) ?? [],
    });
  }
  return out;
}
