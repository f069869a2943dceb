import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";

/* Where-used by tool and by operator: every install (genealogy edge) a tool or an operator touched, with its unit. */

export type TouchFilter =
  | { kind: "tool"; toolId: string; since: Date | null }
  | { kind: "operator"; userId: string; from: Date; to: Date };

export type TouchedInstall = {
  edgeId: string;
  installedAt: Date;
  unitId: string;
  unitSerial: string;
  unitStatus: string;
  workOrder: string;
  operationSeq: number;
  partNumber: string;
  revision: string;
  lotNumber: string | null;
  serialNumber: string | null;
  quantity: string;
  operatorName: string;
  stationCode: string;
  removedAt: Date | null;
};

function where(siteId: string, f: TouchFilter): SQL {
  return f.kind === "tool"
    ? sql`e.site_id = ${siteId}::uuid and e.tool_ids @> array[${f.toolId}::uuid] ${f.since ? sql`and e.installed_at >= ${f.since.toISOString()}::timestamptz` : sql``}`
    : sql`e.site_id = ${siteId}::uuid and e.operator_user_id = ${f.userId}::uuid and e.installed_at >= ${f.from.toISOString()}::timestamptz and e.installed_at < ${f.to.toISOString()}::timestamptz`;
}

/** One page of the installs, oldest first, with the exact totals of installs and of distinct units. */
export async function touchedInstalls(db: DbOrTx, siteId: string, f: TouchFilter, page: { offset: number; limit: number }) {
  const [rows, totals] = await Promise.all([
    queryRows<{
      edge_id: string; installed_at: string; unit_id: string; unit_serial: string; unit_status: string; work_order: string; operation_seq: number;
      part_number: string; revision: string; lot_number: string | null; serial_number: string | null; quantity: string; operator_name: string; station_code: string; removed_at: string | null;
    }>(
      db,
      sql`select e.id as edge_id, e.installed_at, u.id as unit_id, u.serial as unit_serial, u.status::text as unit_status, wo.number as work_order,
                 e.operation_seq, p.part_number, pr.revision, l.lot_number, si.serial_number, e.quantity::text as quantity,
                 usr.display_name as operator_name, st.code as station_code, e.removed_at
          from genealogy_edges e
          join units u on u.site_id = e.site_id and u.id = e.parent_unit_id
          join work_orders wo on wo.site_id = u.site_id and wo.id = u.work_order_id
          join part_revisions pr on pr.id = e.child_part_revision_id join parts p on p.id = pr.part_id
          left join lots l on l.site_id = e.site_id and l.id = e.child_lot_id
          left join serial_items si on si.site_id = e.site_id and si.id = e.child_serial_item_id
          join users usr on usr.id = e.operator_user_id
          join stations st on st.site_id = e.site_id and st.id = e.station_id
          where ${where(siteId, f)}
          order by e.installed_at, e.id
          offset ${page.offset} limit ${page.limit}`,
    ),
    queryRows<{ installs: number; units: number }>(db, sql`select count(*)::int as installs, count(distinct e.parent_unit_id)::int as units from genealogy_edges e where ${where(siteId, f)}`),
  ]);
  const installs: TouchedInstall[] = rows.map((r) => ({
    edgeId: r.edge_id,
    installedAt: new Date(r.installed_at),
    unitId: r.unit_id,
    unitSerial: r.unit_serial,
    unitStatus: r.unit_status,
    workOrder: r.work_order,
    operationSeq: r.operation_seq,
    partNumber: r.part_number,
    revision: r.revision,
    lotNumber: r.lot_number,
    serialNumber: r.serial_number,
    quantity: r.quantity,
    operatorName: r.operator_name,
    stationCode: r.station_code,
    removedAt: r.removed_at ? new Date(r.removed_at) : null,
  }));
  return { installs, totalInstalls: totals[0]!.installs, totalUnits: totals[0]!.units };
}

/** Units whose operation readings (parameters recorded at completion) were taken with the tool, with the operation. */
export async function unitsReadWithTool(db: DbOrTx, siteId: string, toolId: string, since: Date | null) {
  return queryRows<{ unit_id: string; unit_serial: string; operation_seq: number; completed_at: string | null }>(
    db,
    sql`select u.id as unit_id, u.serial as unit_serial, uo.seq as operation_seq, uo.completed_at
        from unit_operations uo join units u on u.site_id = uo.site_id and u.id = uo.unit_id
        where uo.site_id = ${siteId}::uuid and uo.tool_ids @> array[${toolId}::uuid]
          ${since ? sql`and coalesce(uo.completed_at, uo.started_at) >= ${since.toISOString()}::timestamptz` : sql``}
        order by u.serial, uo.seq`,
  );
}

export async function toolOfSite(db: DbOrTx, siteId: string, code: string) {
  const [row] = await queryRows<{ id: string; code: string; tool_class: string; calibrated_at: string | null }>(
    db,
    sql`select id, code, tool_class, calibrated_at from tools where site_id = ${siteId}::uuid and upper(code) = upper(${code})`,
  );
  return row ?? null;
}
