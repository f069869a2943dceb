import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { localDate, startOfLocalDay } from "@/server/domain/kitting/dates";
import { memberOfSite } from "@/server/repos/qualifications";
import { toolOfSite, touchedInstalls, unitsReadWithTool, type TouchFilter, type TouchedInstall } from "@/server/repos/tool-where-used";

/**
 * Where-used by tool (every install a tool touched, optionally since its last good calibration, and the operation
 * readings taken with it) and by operator (every install by a person in a date range): paged, with exact totals.
 */
export async function whereUsedByTool(db: DbOrTx, actor: Actor, input: { toolCode: string; sinceLastCalibration: boolean; offset: number; limit: number }) {
  const tool = await toolOfSite(db, actor.siteId, input.toolCode.trim());
  if (!tool) throw new DomainError("NOT_FOUND", `Tool ${input.toolCode} is not in the register of ${actor.siteName}.`, { toolCode: input.toolCode });
  const since = input.sinceLastCalibration && tool.calibrated_at ? new Date(tool.calibrated_at) : null;
  const filter: TouchFilter = { kind: "tool", toolId: tool.id, since };
  const [page, readings] = await Promise.all([touchedInstalls(db, actor.siteId, filter, input), unitsReadWithTool(db, actor.siteId, tool.id, since)]);
  return { tool: { id: tool.id, code: tool.code, toolClass: tool.tool_class }, since, ...page, readings: readings.map((r) => ({ unitId: r.unit_id, unitSerial: r.unit_serial, operationSeq: r.operation_seq })) };
}

function dayRange(actor: Actor, fromDay: string, toDay: string) {
  const ok = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(new Date(`${d}T00:00:00Z`).getTime());
  if (!ok(fromDay) || !ok(toDay)) throw new DomainError("VALIDATION_FAILED", "Enter the dates as YYYY-MM-DD.", { field: "from" });
  if (toDay < fromDay) throw new DomainError("VALIDATION_FAILED", "The range ends before it starts.", { field: "to" });
  const next = new Date(`${toDay}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return { from: startOfLocalDay(fromDay, actor.timeZone), to: startOfLocalDay(next.toISOString().slice(0, 10), actor.timeZone) };
}

export async function whereUsedByOperator(db: DbOrTx, actor: Actor, input: { userId: string; fromDay: string; toDay: string; offset: number; limit: number }) {
  const person = await memberOfSite(db, actor.siteId, input.userId);
  if (!person) throw new DomainError("NOT_FOUND", `That person does not work at ${actor.siteName}.`, { userId: input.userId });
  const range = dayRange(actor, input.fromDay, input.toDay);
  const page = await touchedInstalls(db, actor.siteId, { kind: "operator", userId: person.id, ...range }, input);
  return { operator: person, ...range, ...page };
}

const CSV_HEADER = ["installed_at", "unit", "unit_status", "work_order", "operation", "part", "revision", "lot", "serial", "quantity", "operator", "station", "removed_at"];
const cell = (v: string) => (/[",\n\r]/.test(v) || /^[=+\-@]/.test(v) ? `"${(/^[=+\-@]/.test(v) ? `'${v}` : v).replaceAll('"', '""')}"` : v);

/** Every install (all pages) as CSV, one row per install, times in the site's zone. */
export async function touchedInstallsCsv(db: DbOrTx, actor: Actor, by: { toolCode: string; sinceLastCalibration: boolean } | { userId: string; fromDay: string; toDay: string }) {
  const all: TouchedInstall[] = [];
  let title = "";
  for (let offset = 0; ; offset += 1000) {
    const page = "toolCode" in by ? await whereUsedByTool(db, actor, { ...by, offset, limit: 1000 }) : await whereUsedByOperator(db, actor, { ...by, offset, limit: 1000 });
    title = "tool" in page ? `tool-${page.tool.code}` : `operator-${page.operator.displayName.replace(/[^A-Za-z0-9]+/g, "-")}`;
    all.push(...page.installs);
    if (page.installs.length < 1000) break;
  }
  const fmt = (d: Date) => `${localDate(d, actor.timeZone)} ${d.toLocaleTimeString("en-GB", { timeZone: actor.timeZone, hour12: false })}`;
  const lines = [
    CSV_HEADER.join(","),
    ...all.map((i) =>
      [fmt(i.installedAt), i.unitSerial, i.unitStatus, i.workOrder, String(i.operationSeq), i.partNumber, i.revision, i.lotNumber ?? "", i.serialNumber ?? "", i.quantity, i.operatorName, i.stationCode, i.removedAt ? fmt(i.removedAt) : ""]
        .map(cell)
        .join(","),
    ),
  ];
  return { filename: `where-used-${title}.csv`, contentType: "text/csv; charset=utf-8", body: lines.join("\r\n") + "\r\n", rows: all.length };
}
