import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { findSerialItem, sourcesOf, type SerialView } from "@/server/repos/genealogy-read";
import { readAsBuiltForExport, type AsBuiltExportRow, type AsBuiltTotals, type ParametersAs } from "@/server/repos/genealogy-export-read";
import { csvField, fileSafe, fileStamp, formatZonedMs, quantityText, toCsv } from "./export-format";
import { startPdf, type PdfColumn, type PdfTableWriter } from "./export-pdf";
import { holdsOn, SIGNED_RECORD_COLUMNS, signedRecordJson, signedRecordLines, signedRecordRows } from "./export-signed-records";
import { produceStream, type ExportFile, type Write } from "./export-stream";
import { exportWords, type ExportWords } from "./export-words";

/*
 * Export of a unit's whole as-built (current, or as it stood at a past moment, rework history included) for an audit
 * package: CSV, printable PDF or JSON, with who generated it and when, and the signed holds on anything in the tree.
 * The only place the whole tree is read: streamed, the rows written as the cursor reads them (the header goes out
 * before the tree is read; the signed records follow the last row).
 */

export type ExportFormat = "csv" | "pdf" | "json";
export type AsBuiltExportInput = { serialItemId: string; at?: Date | null; format?: ExportFormat };
export type { ExportFile } from "./export-stream";

export const AS_BUILT_COLUMNS = [
  "Level",
  "Parent serial",
  "Part number",
  "Revision",
  "Description",
  "Serial",
  "Lot",
  "Quantity",
  "UoM",
  "Find number",
  "Operation",
  "Operator",
  "Station",
  "Installed at",
  "Process parameters",
  "State",
  "Removed at",
  "Removed by",
  "Removal reason",
  "Substitution reason",
] as const;

const operation = (n: AsBuiltExportRow) => `${n.operationSeq}${n.operationCode ? ` ${n.operationCode}` : ""}`;

type Context = { actor: Actor; now: Date; item: SerialView; at: Date; asOf: boolean };

/** The file's header, in `w`'s language (the CSV's in English: it is a machine file). */
function headerPairs(c: Context, w: ExportWords): [string, string][] {
  const { t } = w;
  const unitWords = t("unitValue", { serial: c.item.serialNumber, part: c.item.partNumber, revision: c.item.revision, hasOrder: c.item.workOrderNumber ? "yes" : "no", order: c.item.workOrderNumber ?? "" });
  return [
    [t("site"), t("siteValue", { site: c.actor.siteName, code: c.actor.siteCode })],
    [t("unit"), unitWords],
    ...(c.item.fate ? ([[t("fate"), w.fate(c.item.fate)]] as [string, string][]) : []),
    [t("asOf"), c.asOf ? w.time(c.at) : t("asOfNow", { at: w.time(c.at) })],
    [t("generatedAt"), w.time(c.now)],
    [t("generatedBy"), c.actor.displayName],
  ];
}

const componentsWords = (totals: AsBuiltTotals, w: ExportWords) => w.t("componentsValue", { total: totals.total, removed: totals.removed });

/**
 * The as-built of a serial as a file, streamed. Refuses (before any byte) a serial that is not at the actor's site.
 * `onError` hears of a failure after the first bytes (the download then fails rather than ending short).
 */
export async function exportAsBuilt(db: DbOrTx, actor: Actor, input: AsBuiltExportInput, now: Date, onError?: (e: unknown) => void): Promise<ExportFile> {
  const item = await findSerialItem(db, actor.siteId, input.serialItemId);
  if (!item) throw new DomainError("NOT_FOUND", "That serial does not exist at this site.", { serialItemId: input.serialItemId }, { key: "serialNotAtSite" });
  const c: Context = { actor, now, item, at: input.at ?? now, asOf: Boolean(input.at) };
  const format = input.format ?? "csv";
  const name = `as-built-${fileSafe(item.serialNumber)}-${fileStamp(c.at, actor.timeZone)}`;
  const { body, done } = produceStream((write) => (format === "pdf" ? writePdf(db, c, write) : format === "json" ? writeJson(db, c, write) : writeCsv(db, c, write)), onError);
  const contentType = format === "pdf" ? "application/pdf" : format === "json" ? "application/json; charset=utf-8" : "text/csv; charset=utf-8";
  return { filename: `${name}.${format}`, contentType, body, done };
}

/** Reads the tree in batches, collecting what the signed records need; returns the held-object ids to look up. */
async function eachBatch(db: DbOrTx, c: Context, parameters: ParametersAs, onBatch: (rows: AsBuiltExportRow[], totals: AsBuiltTotals, first: boolean) => Promise<void>) {
  const ids = new Set<string>([c.item.serialItemId]);
  const lotIds = new Set<string>();
  const serialItemIds = new Set<string>([c.item.serialItemId]);
  let first = true;
  await readAsBuiltForExport(db, c.actor.siteId, c.item.serialItemId, { at: c.at, includeRemoved: true, parameters }, async (rows, totals) => {
    for (const n of rows) {
      ids.add(n.partRevisionId);
      ids.add(n.partId);
      if (n.serialItemId) serialItemIds.add(n.serialItemId);
      if (n.lotId) lotIds.add(n.lotId);
    }
    await onBatch(rows, totals, first);
    first = false;
  });
  // holds on the lots and serials themselves, and on the manufacturers and suppliers they came from
  for (const id of [...lotIds, ...serialItemIds, ...(await sourcesOf(db, c.actor.siteId, { lotIds, serialItemIds }))]) ids.add(id);
  return holdsOn(db, c.actor, ids);
}

async function writeCsv(db: DbOrTx, c: Context, write: Write) {
  const tz = c.actor.timeZone;
  const english = exportWords("en", tz);
  await write(toCsv([["As-built export"], ...headerPairs(c, english)]), true);
  const holds = await eachBatch(db, c, "text", async (rows, totals, first) => {
    if (first) await write(toCsv([["Components", componentsWords(totals, english)], [], [...AS_BUILT_COLUMNS]]));
    // one string per row, no array of cells per row (10,000 rows: the garbage collector is the main cost)
    const f = csvField;
    let text = "";
    for (const n of rows) {
      text +=
        `${n.depth},${f(n.parentSerialNumber)},${f(n.partNumber)},${f(n.revision)},${f(n.description)},${f(n.serialNumber)},${f(n.lotNumber)},` +
        `${f(quantityText(n.quantity))},${f(n.uom)},${f(n.findNumber)},${f(operation(n))},${f(n.operatorName)},${f(n.stationCode)},${f(formatZonedMs(n.installedMs, tz))},` +
        `${f(n.parameters)},${n.removed ? "removed" : "installed"},${n.removedMs !== null ? f(formatZonedMs(n.removedMs, tz)) : ""},${f(n.removedByName)},` +
        `${f(n.removalReason)},${f(n.substitutionReason)}\r\n`;
    }
    await write(text, true);
  });
  await write(toCsv([[], ["Signed records"], [...SIGNED_RECORD_COLUMNS], ...signedRecordRows(holds, tz)]), true);
}

const asBuiltPdfColumns = ({ t }: ExportWords): PdfColumn[] => [
  { header: t("colLevel"), width: 4, align: "right" },
  { header: t("colIn"), width: 8 },
  { header: t("colPartRev"), width: 16 },
  { header: t("colSerialLot"), width: 11 },
  { header: t("colQty"), width: 6, align: "right" },
  { header: t("colOperation"), width: 7 },
  { header: t("colOperatorStation"), width: 10 },
  { header: t("colInstalledAt"), width: 11 },
  { header: t("colParameters"), width: 12 },
  { header: t("colState"), width: 15 },
];

/** The printable PDF, in the language of the person who asked for it. */
async function writePdf(db: DbOrTx, c: Context, write: Write) {
  const w = exportWords(c.actor.locale ?? "en", c.actor.timeZone);
  const { t } = w;
  const pdf = startPdf(t("asBuiltTitle", { serial: c.item.serialNumber }));
  let failed: unknown = null;
  const sending = (async () => {
    for await (const chunk of pdf.chunks) await write(new Uint8Array(chunk));
  })().catch((e: unknown) => {
    failed = e;
  });
  const components: { table: PdfTableWriter | null } = { table: null };
  try {
    pdf.header(headerPairs(c, w));
    const holds = await eachBatch(db, c, "text", async (rows, totals, first) => {
      if (first) {
        pdf.header([[t("components"), componentsWords(totals, w)]]);
        pdf.section(t("componentsSection"));
        components.table = pdf.table(asBuiltPdfColumns(w));
      }
      for (const n of rows) {
        components.table!.row({
          indent: n.depth - 1,
          muted: n.removed,
          cells: [
            `${n.depth}`,
            n.parentSerialNumber ?? "",
            `${t("partRev", { part: n.partNumber, revision: n.revision })}${n.description ? `\n${n.description}` : ""}`,
            n.serialNumber ? t("serial", { serial: n.serialNumber }) : n.lotNumber ? t("lot", { lot: n.lotNumber }) : t("untracked"),
            `${w.qty(n.quantity)} ${n.uom}`,
            `${operation(n)}${n.findNumber !== null ? `\n${t("find", { find: n.findNumber })}` : ""}`,
            `${n.operatorName}\n${n.stationCode}`,
            w.time(n.installedMs),
            n.parameters,
            [
              n.removed ? t("removed", { at: n.removedMs !== null ? w.time(n.removedMs) : "", name: n.removedByName ?? "?", reason: n.removalReason ?? "" }) : t("installed"),
              n.substitutionReason ? t("substituted", { reason: n.substitutionReason }) : "",
            ]
              .filter(Boolean)
              .join("\n"),
          ],
        });
      }
      // let the pages written so far go out before the next batch is read; stop when the download went away
      await new Promise((r) => setImmediate(r));
      if (failed) throw failed;
    });
    components.table?.end(t("nothingInstalled"));
    pdf.section(t("signedAsBuilt"));
    for (const line of signedRecordLines(holds, c.actor.timeZone, w)) pdf.line(line);
  } finally {
    pdf.end();
    await sending;
  }
  if (failed) throw failed;
}

/** where a node's parameters go in its JSON (a string no parameter text can contain: it has a NUL) */
const PARAMETERS_MARK = "\u0000parameters\u0000";
const PARAMETERS_JSON = JSON.stringify(PARAMETERS_MARK);

async function writeJson(db: DbOrTx, c: Context, write: Write) {
  const head = {
    export: "as-built",
    site: { code: c.actor.siteCode, name: c.actor.siteName },
    unit: { serialItemId: c.item.serialItemId, serial: c.item.serialNumber, partNumber: c.item.partNumber, revision: c.item.revision, workOrder: c.item.workOrderNumber, status: c.item.unitStatus },
    asOf: c.at.toISOString(),
    history: true,
    timeZone: c.actor.timeZone,
    generatedAt: c.now.toISOString(),
    generatedBy: c.actor.displayName,
  };
  await write(JSON.stringify(head).slice(0, -1), true);
  const holds = await eachBatch(db, c, "json", async (rows, totals, first) => {
    let text = first ? `,"components":${JSON.stringify(totals)},"nodes":[` : "";
    rows.forEach((n, i) => {
      const node = {
        level: n.depth,
        parentSerial: n.parentSerialNumber,
        parentSerialItemId: n.parentSerialItemId,
        partNumber: n.partNumber,
        revision: n.revision,
        description: n.description,
        serial: n.serialNumber,
        serialItemId: n.serialItemId,
        lot: n.lotNumber,
        lotId: n.lotId,
        quantity: n.quantity,
        uom: n.uom,
        findNumber: n.findNumber,
        operationSeq: n.operationSeq,
        operationCode: n.operationCode,
        operator: n.operatorName,
        station: n.stationCode,
        installedAt: new Date(n.installedMs).toISOString(),
        parameters: PARAMETERS_MARK,
        removed: n.removed,
        removedAt: n.removedMs === null ? null : new Date(n.removedMs).toISOString(),
        removedBy: n.removedByName,
        removalReason: n.removalReason,
        substitutionReason: n.substitutionReason,
      };
      // the parameters array comes from PostgreSQL as JSON text: put in as it is, not parsed and written again
      text += (first && i === 0 ? "" : ",") + JSON.stringify(node).replace(PARAMETERS_JSON, () => n.parameters);
    });
    await write(text, true);
  });
  await write(`],"signedRecords":${JSON.stringify(signedRecordJson(holds))}}`, true);
}
