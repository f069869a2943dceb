import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { fateText } from "@/server/domain/production/unit-fate";
import { sourcesOf } from "@/server/repos/genealogy-read";
import { describeTarget, traceWhereUsed, type TargetDescription, type UnitLocation, type WhereUsedRow, type WhereUsedTarget } from "@/server/repos/genealogy-where-used";
import { remainingStockPerLot, type LotStock } from "@/server/repos/lot-stock";
import type { ExportFormat } from "./export-as-built";
import { fileSafe, fileStamp, formatZonedTime, quantityText, toCsv } from "./export-format";
import { startPdf, type PdfColumn, type PdfTableWriter } from "./export-pdf";
import { holdsOn, SIGNED_RECORD_COLUMNS, signedRecordJson, signedRecordLines, signedRecordRows, targetWord } from "./export-signed-records";
import { produceStream, type ExportFile, type Write } from "./export-stream";
import { exportWords, type ExportWords } from "./export-words";

/*
 * Export of a where-used answer (recall scope) for an audit package: every unit, all pages (read page by page, so the
 * file has exactly `total` unit rows), with status, location and path, and the signed holds on the material and units.
 * Streamed: each page's rows are written as soon as they are read (the header, with the exact total, from the first).
 */

export type WhereUsedExportInput = {
  target: WhereUsedTarget;
  currentOnly?: boolean;
  topLevelOnly?: boolean;
  format?: ExportFormat;
  /** units read per query while collecting all pages (default 500; tests use a small one to cross page borders) */
  pageSize?: number;
};

const PAGE = 500;

type Context = { actor: Actor; now: Date; target: TargetDescription; input: WhereUsedExportInput };
type Totals = { total: number; currentTotal: number };

/**
 * The where-used answer as a file, streamed. Refuses (before any byte) material that is not at the actor's site.
 * `onError` hears of a failure after the first bytes (the download then fails rather than ending short).
 */
export async function exportWhereUsed(db: DbOrTx, actor: Actor, input: WhereUsedExportInput, now: Date, onError?: (e: unknown) => void): Promise<ExportFile> {
  const target = await describeTarget(db, actor.siteId, input.target);
  if (!target) throw new DomainError("NOT_FOUND", `That ${targetWord(input.target.kind === "supplier_lot" ? "supplier lot" : input.target.kind)} does not exist at this site.`, { target: input.target }, { key: "materialNotAtSite", values: { kind: input.target.kind } });
  const c: Context = { actor, now, target, input };
  const format = input.format ?? "csv";
  const { body, done } = produceStream((write) => (format === "pdf" ? writePdf(db, c, write) : format === "json" ? writeJson(db, c, write) : writeCsv(db, c, write)), onError);
  const contentType = format === "pdf" ? "application/pdf" : format === "json" ? "application/json; charset=utf-8" : "text/csv; charset=utf-8";
  return { filename: `where-used-${fileSafe(target.label)}-${fileStamp(now, actor.timeZone)}.${format}`, contentType, body, done };
}

/** Every page in turn (`onPage` gets its rows and the exact totals); then the signed holds on the material and the units. */
async function eachPage(db: DbOrTx, c: Context, onPage: (rows: WhereUsedRow[], totals: Totals, first: boolean) => Promise<void>) {
  const { input, actor } = c;
  const opts = { currentOnly: input.currentOnly ?? false, topLevelOnly: input.topLevelOnly ?? false };
  const ids = new Set<string>();
  const size = Math.min(PAGE, Math.max(1, input.pageSize ?? PAGE));
  for (let offset = 0; ; offset += size) {
    const page = await traceWhereUsed(db, actor.siteId, input.target, { ...opts, offset, limit: size });
    for (const r of page.rows) ids.add(r.unitSerialItemId);
    await onPage(page.rows, { total: page.total, currentTotal: page.currentTotal }, offset === 0);
    if (page.rows.length < size || offset + size >= page.total) break;
  }
  if (input.target.kind !== "supplier_lot") ids.add(input.target.id);
  // a traced lot or serial: holds on the manufacturer and supplier it came from too
  const traced = { lotIds: input.target.kind === "lot" ? [input.target.id] : [], serialItemIds: input.target.kind === "serial" ? [input.target.id] : [] };
  for (const id of await sourcesOf(db, actor.siteId, traced)) ids.add(id);
  return holdsOn(db, actor, ids);
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

/** Where the unit is now, in `w`'s language (the PDF). */
function locationWords(l: UnitLocation, w: ExportWords): string {
  const { t } = w;
  switch (l.kind) {
    case "installed": {
      const fate = l.topFate ? lower(w.fate(l.topFate)) : "";
      return t("installedIn", { parent: l.parentSerialNumber, hasTop: l.topSerialNumber !== l.parentSerialNumber ? "yes" : "no", top: l.topSerialNumber, hasFate: fate ? "yes" : "no", fate });
    }
    case "in_stock":
      return t("inStock", { code: l.locationCode, name: l.locationName });
    case "wip":
      return t("wip", {
        hasOp: l.operationSeq !== null ? "yes" : "no",
        seq: l.operationSeq ?? "",
        code: l.operationCode ?? "",
        hasStation: l.stationCode ? "yes" : "no",
        station: l.stationCode ?? "",
        hasWorkCenter: l.workCenterCode ? "yes" : "no",
        workCenter: l.workCenterCode ?? "",
      }).replace(/ +,/g, ",").replace(/ +$/, "");
    case "shipped":
    case "scrapped":
      return lower(w.fate(l));
    case "unknown":
      return t("unknown");
  }
}


/** The file's header, in `w`'s language (the CSV's in English: it is a machine file). */
function headerPairs(d: Context, totals: Totals, w: ExportWords): [string, string][] {
  const { t } = w;
  const input = d.input;
  const filter = [input.currentOnly ? t("filterCurrent") : t("filterAll"), input.topLevelOnly ? t("filterTop") : null].filter(Boolean).join("; ");
  // the CSV (English) keeps the target's own English words; the PDF words its facts in the reader's language
  const english = w.locale === "en";
  const label = english ? d.target.label : w.label(d.target);
  const detail = english ? d.target.detail : w.detail(d.target.facts);
  const material = t("materialValue", {
    kind: d.target.kind,
    label,
    hasPart: d.target.partNumber ? "yes" : "no",
    part: d.target.partNumber ?? "",
    hasRevision: d.target.revision ? "yes" : "no",
    revision: d.target.revision ?? "",
    hasDetail: detail ? "yes" : "no",
    detail: detail ?? "",
  });
  return [
    [t("site"), t("siteValue", { site: d.actor.siteName, code: d.actor.siteCode })],
    [t("material"), material],
    [t("filter"), filter],
    [t("unitsReached"), t("unitsReachedValue", { total: totals.total, current: totals.currentTotal })],
    [t("generatedAt"), w.time(d.now)],
    [t("generatedBy"), d.actor.displayName],
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

/** Remaining stock of every lot of the traced material (a serial has none: null), read after the units. */
async function stockOf(db: DbOrTx, c: Context): Promise<LotStock[] | null> {
  if (c.input.target.kind === "serial") return null;
  return (await remainingStockPerLot(db, c.actor.siteId, c.input.target, 100_000)).lots;
}

async function writeCsv(db: DbOrTx, c: Context, write: Write) {
  const tz = c.actor.timeZone;
  const english = exportWords("en", tz);
  await write(toCsv([["Where-used export"]]), true);
  const holds = await eachPage(db, c, async (rows, totals, first) => {
    if (first) await write(toCsv([...headerPairs(c, totals, english), [], [...WHERE_USED_COLUMNS]]));
    await write(
      toCsv(
        rows.map((r) => [
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
        ]),
      ),
      true,
    );
  });
  const stock = await stockOf(db, c);
  if (stock)
    await write(
      toCsv([
        [],
        ["Remaining stock per lot"],
        [...REMAINING_STOCK_COLUMNS],
        ...stock.map((l) => [l.lotNumber, l.partNumber, l.revision, quantityText(l.onHand), l.uom, quantityText(l.reserved), stockWhere(l)]),
      ]),
      true,
    );
  await write(toCsv([[], ["Signed records"], [...SIGNED_RECORD_COLUMNS], ...signedRecordRows(holds, tz)]), true);
}

const unitPdfColumns = ({ t }: ExportWords): PdfColumn[] => [
  { header: t("colUnit"), width: 11 },
  { header: t("colPartRev"), width: 13 },
  { header: t("colWorkOrder"), width: 9 },
  { header: t("colStatus"), width: 9 },
  { header: t("colWhere"), width: 20 },
  { header: t("colPath"), width: 20 },
  { header: t("colInstalled"), width: 14 },
];

const stockPdfColumns = ({ t }: ExportWords): PdfColumn[] => [
  { header: t("colLot"), width: 12 },
  { header: t("colPartRev"), width: 14 },
  { header: t("colOnHand"), width: 8, align: "right" },
  { header: t("colReserved"), width: 8, align: "right" },
  { header: t("colStockWhere"), width: 30 },
];

/** The printable PDF, in the language of the person who asked for it. */
async function writePdf(db: DbOrTx, c: Context, write: Write) {
  const w = exportWords(c.actor.locale ?? "en", c.actor.timeZone);
  const { t } = w;
  const pdf = startPdf(t("whereUsedTitle", { kind: c.target.kind, label: w.label(c.target) }));
  let failed: unknown = null;
  const sending = (async () => {
    for await (const chunk of pdf.chunks) await write(new Uint8Array(chunk));
  })().catch((e: unknown) => {
    failed = e;
  });
  const units: { table: PdfTableWriter | null } = { table: null };
  try {
    const holds = await eachPage(db, c, async (rows, totals, first) => {
      if (first) {
        pdf.header(headerPairs(c, totals, w));
        pdf.section(t("unitsSection", { total: totals.total }));
        units.table = pdf.table(unitPdfColumns(w));
      }
      for (const r of rows) {
        units.table!.row({
          muted: !r.current,
          cells: [
            `${r.unitSerialNumber}${r.topLevel ? `\n${t("topLevel")}` : ""}`,
            t("partRev", { part: r.partNumber, revision: r.revision }),
            r.workOrderNumber ?? "",
            `${r.status ? w.status(r.status) : t("boughtIn")}${r.current ? "" : `\n${t("noLonger")}`}`,
            locationWords(r.location, w),
            `${r.path.map((p) => p.serialNumber).join(" → ")}\n${t("pathLevel", { level: r.level, paths: r.paths })}`,
            `${w.time(r.installedAt)}${r.removedAt ? `\n${t("removedAt", { at: w.time(r.removedAt) })}` : ""}`,
          ],
        });
      }
      await new Promise((r) => setImmediate(r));
      if (failed) throw failed;
    });
    units.table?.end(t("noUnit"));
    const stock = await stockOf(db, c);
    if (stock) {
      pdf.section(t("stockSection", { count: stock.length }));
      const lots = pdf.table(stockPdfColumns(w));
      const where = (l: LotStock) => (l.locations.length === 0 ? t("noneLeft") : l.locations.map((x) => `${x.code} ${w.qty(x.onHand)}`).join("; "));
      for (const l of stock) lots.row({ cells: [l.lotNumber, t("partRev", { part: l.partNumber, revision: l.revision }), `${w.qty(l.onHand)} ${l.uom}`, `${w.qty(l.reserved)} ${l.uom}`, where(l)] });
      lots.end(t("noLot"));
    }
    pdf.section(t("signedWhereUsed"));
    for (const line of signedRecordLines(holds, c.actor.timeZone, w)) pdf.line(line);
  } finally {
    pdf.end();
    await sending;
  }
  if (failed) throw failed;
}

async function writeJson(db: DbOrTx, c: Context, write: Write) {
  const head = {
    export: "where-used",
    site: { code: c.actor.siteCode, name: c.actor.siteName },
    material: c.target,
    filter: { currentOnly: c.input.currentOnly ?? false, topLevelOnly: c.input.topLevelOnly ?? false },
    timeZone: c.actor.timeZone,
    generatedAt: c.now.toISOString(),
    generatedBy: c.actor.displayName,
  };
  await write(JSON.stringify(head).slice(0, -1), true);
  let n = 0;
  const holds = await eachPage(db, c, async (rows, totals, first) => {
    let text = first ? `,"unitsReached":${JSON.stringify(totals)},"units":[` : "";
    for (const r of rows) text += (n++ === 0 ? "" : ",") + JSON.stringify({ ...r, installedAt: r.installedAt.toISOString(), removedAt: r.removedAt?.toISOString() ?? null });
    await write(text, true);
  });
  const stock = await stockOf(db, c);
  await write(`]${stock ? `,"remainingStock":${JSON.stringify(stock)}` : ""},"signedRecords":${JSON.stringify(signedRecordJson(holds))}}`, true);
}
