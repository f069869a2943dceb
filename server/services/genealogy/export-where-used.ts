import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { fateText } from "@/server/domain/production/unit-fate";
import { sourcesOf } from "@/server/repos/genealogy-read";
import { describeTarget, traceWhereUsed, type TargetDescription, type UnitLocation, type WhereUsedRow, type WhereUsedTarget } from "@/server/repos/genealogy-where-used";
import type { HoldView } from "@/server/services/quality/hold-views";
import type { ExportFile } from "./export-as-built";
import { remainingStockPerLot, type LotStock } from "@/server/repos/lot-stock";
import { fileSafe, fileStamp, formatZonedTime, quantityText, toCsv, type CsvCell } from "./export-format";
import { renderPdf } from "./export-pdf";
import { holdsOn, SIGNED_RECORD_COLUMNS, signedRecordLines, signedRecordRows, targetWord } from "./export-signed-records";

/*
 * Export of a where-used answer (recall scope) for an audit package: every unit, all pages (read page by page, so the
 * file has exactly `total` unit rows), with status, location and path, and the signed holds on the material and units.
 */

export type WhereUsedExportInput = {
  target: WhereUsedTarget;
  currentOnly?: boolean;
  topLevelOnly?: boolean;
  /** units read per query while collecting all pages (default 500; tests use a small one to cross page borders) */
  pageSize?: number;
};

const PAGE = 500;

type Data = { actor: Actor; now: Date; target: TargetDescription; total: number; currentTotal: number; rows: WhereUsedRow[]; holds: HoldView[]; stock: LotStock[] };

async function load(db: DbOrTx, actor: Actor, input: WhereUsedExportInput, now: Date): Promise<Data> {
  const target = await describeTarget(db, actor.siteId, input.target);
  if (!target) throw new DomainError("NOT_FOUND", `That ${targetWord(input.target.kind === "supplier_lot" ? "supplier lot" : input.target.kind)} does not exist at this site.`, { target: input.target });
  const opts = { currentOnly: input.currentOnly ?? false, topLevelOnly: input.topLevelOnly ?? false };
  const rows: WhereUsedRow[] = [];
  let total = 0;
  let currentTotal = 0;
  const size = Math.min(PAGE, Math.max(1, input.pageSize ?? PAGE));
  for (let offset = 0; ; offset += size) {
    const page = await traceWhereUsed(db, actor.siteId, input.target, { ...opts, offset, limit: size });
    total = page.total;
    currentTotal = page.currentTotal;
    rows.push(...page.rows);
    if (page.rows.length < size || offset + size >= page.total) break;
  }
  const ids = new Set<string>(rows.map((r) => r.unitSerialItemId));
  if (input.target.kind !== "supplier_lot") ids.add(input.target.id);
  // a traced lot or serial: holds on the manufacturer and supplier it came from too
  const traced = { lotIds: input.target.kind === "lot" ? [input.target.id] : [], serialItemIds: input.target.kind === "serial" ? [input.target.id] : [] };
  for (const id of await sourcesOf(db, actor.siteId, traced)) ids.add(id);
  const stock = (await remainingStockPerLot(db, actor.siteId, input.target, 100_000)).lots;
  return { actor, now, target, total, currentTotal, rows, holds: await holdsOn(db, actor, ids), stock };
}

/** Where the unit is now, in operator words (a unit that has left: to whom, when and why, dated in the site's zone). */
export function locationText(l: UnitLocation, timeZone: string): string {
  switch (l.kind) {
    case "installed":
      return `installed in ${l.parentSerialNumber}${l.topSerialNumber !== l.parentSerialNumber ? ` (top level ${l.topSerialNumber})` : ""}${l.topFate ? `; ${lower(fateText(l.topFate, timeZone))}` : ""}`;
    case "in_stock":
      return `in stock at ${l.locationCode} ${l.locationName}`;
    case "wip":
      return `in WIP${l.operationSeq !== null ? ` at operation ${l.operationSeq}${l.operationCode ? ` ${l.operationCode}` : ""}` : ""}${l.stationCode ? `, station ${l.stationCode}` : ""}${l.workCenterCode ? `, work center ${l.workCenterCode}` : ""}`;
    case "shipped":
    case "scrapped":
      return lower(fateText(l, timeZone));
    case "unknown":
      return "unknown";
  }
}

const lower = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

const targetTitle = (t: TargetDescription) => `${targetWord(t.kind === "supplier_lot" ? "supplier lot" : t.kind)} ${t.label}`;

function headerPairs(d: Data, input: WhereUsedExportInput): [string, string][] {
  const filter = [input.currentOnly ? "units that contain it now" : "all units, history included", input.topLevelOnly ? "top-level units only" : null].filter(Boolean).join("; ");
  return [
    ["Site", `${d.actor.siteName} (${d.actor.siteCode})`],
    ["Material", `${targetTitle(d.target)}${d.target.partNumber ? ` (${d.target.partNumber}${d.target.revision ? ` rev ${d.target.revision}` : ""})` : ""}${d.target.detail ? `, ${d.target.detail}` : ""}`],
    ["Filter", filter],
    ["Units reached", `${d.total} (${d.currentTotal} contain it now)`],
    ["Generated at", formatZonedTime(d.now, d.actor.timeZone)],
    ["Generated by", d.actor.displayName],
  ];
}

export const WHERE_USED_COLUMNS = [
  "Unit serial",
  "Part number",
  "Revision",
  "Work order",
  "Status",
  "Contains it now",
  "Top level",
  "Level",
  "Location",
  "Path",
  "Paths",
  "Installed at",
  "Removed at",
] as const;

export const REMAINING_STOCK_COLUMNS = ["Lot", "Part number", "Revision", "On hand", "UoM", "Reserved to kits", "Where"] as const;

const stockWhere = (l: LotStock) => (l.locations.length === 0 ? "none left" : l.locations.map((x) => `${x.code} ${quantityText(x.onHand)}`).join("; "));

export async function exportWhereUsedCsv(db: DbOrTx, actor: Actor, input: WhereUsedExportInput, now: Date): Promise<ExportFile> {
  const d = await load(db, actor, input, now);
  const tz = actor.timeZone;
  const rows: CsvCell[][] = [["Where-used export"], ...headerPairs(d, input), [], [...WHERE_USED_COLUMNS]];
  for (const r of d.rows)
    rows.push([
      r.unitSerialNumber,
      r.partNumber,
      r.revision,
      r.workOrderNumber ?? "",
      r.status ?? "",
      r.current ? "yes" : "no",
      r.topLevel ? "yes" : "no",
      r.level,
      locationText(r.location, tz),
      r.path.map((p) => p.serialNumber).join(" > "),
      r.paths,
      formatZonedTime(r.installedAt, tz),
      r.removedAt ? formatZonedTime(r.removedAt, tz) : "",
    ]);
  if (input.target.kind !== "serial") {
    rows.push([], ["Remaining stock per lot"], [...REMAINING_STOCK_COLUMNS]);
    for (const l of d.stock) rows.push([l.lotNumber, l.partNumber, l.revision, quantityText(l.onHand), l.uom, quantityText(l.reserved), stockWhere(l)]);
  }
  rows.push([], ["Signed records"], [...SIGNED_RECORD_COLUMNS], ...signedRecordRows(d.holds, tz));
  return { filename: `where-used-${fileSafe(d.target.label)}-${fileStamp(now, tz)}.csv`, contentType: "text/csv; charset=utf-8", body: toCsv(rows) };
}

export async function exportWhereUsedPdf(db: DbOrTx, actor: Actor, input: WhereUsedExportInput, now: Date): Promise<ExportFile> {
  const d = await load(db, actor, input, now);
  const tz = actor.timeZone;
  const rows = d.rows.map((r) => ({
    muted: !r.current,
    cells: [
      `${r.unitSerialNumber}${r.topLevel ? "\ntop level" : ""}`,
      `${r.partNumber} rev ${r.revision}`,
      r.workOrderNumber ?? "",
      `${r.status ?? "bought-in"}${r.current ? "" : "\nno longer contains it"}`,
      locationText(r.location, tz),
      `${r.path.map((p) => p.serialNumber).join(" → ")}\n(level ${r.level}${r.paths > 1 ? `, ${r.paths} paths` : ""})`,
      `${formatZonedTime(r.installedAt, tz)}${r.removedAt ? `\nremoved ${formatZonedTime(r.removedAt, tz)}` : ""}`,
    ],
  }));
  const body = await renderPdf({
    title: `Where-used of ${targetTitle(d.target)}`,
    header: headerPairs(d, input),
    sections: [
      {
        heading: `Units (${d.total})`,
        table: {
          columns: [
            { header: "Unit serial", width: 11 },
            { header: "Part / rev", width: 13 },
            { header: "Work order", width: 9 },
            { header: "Status", width: 9 },
            { header: "Where it is now", width: 20 },
            { header: "Path (material → unit)", width: 20 },
            { header: "Installed", width: 14 },
          ],
          rows,
          empty: "No unit contains it.",
        },
      },
      ...(input.target.kind !== "serial"
        ? [
            {
              heading: `Remaining stock per lot (${d.stock.length})`,
              table: {
                columns: [
                  { header: "Lot", width: 12 },
                  { header: "Part / rev", width: 14 },
                  { header: "On hand", width: 8, align: "right" as const },
                  { header: "Reserved to kits", width: 8, align: "right" as const },
                  { header: "Where", width: 30 },
                ],
                rows: d.stock.map((l) => ({
                  cells: [l.lotNumber, `${l.partNumber} rev ${l.revision}`, `${quantityText(l.onHand)} ${l.uom}`, `${quantityText(l.reserved)} ${l.uom}`, stockWhere(l)],
                })),
                empty: "No lot of this material is known here.",
              },
            },
          ]
        : []),
      { heading: "Signed records: holds on this material or these units", lines: signedRecordLines(d.holds, tz) },
    ],
  });
  return { filename: `where-used-${fileSafe(d.target.label)}-${fileStamp(now, tz)}.pdf`, contentType: "application/pdf", body };
}
