import "server-only";
import PDFDocument from "pdfkit";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/server/auth/types";
import { CATEGORY_INFO, exceptionLabel } from "@/server/domain/reconciliation/categories";
import { listExceptions, type ExceptionFilters, type ExceptionRow } from "@/server/repos/recon-exceptions";
import { fileStamp, formatZonedTime, toCsv } from "@/server/services/genealogy/export-format";
import { pdfText } from "@/server/services/genealogy/export-pdf";
import { exceptionSignature } from "./exception-views";

/** the file, made whole (at most MAX rows) */
export type ExportFile = { filename: string; contentType: string; body: string | Buffer };

/*
 * The exceptions list as a file, with the filters of the screen: CSV (every column, one row per exception) and PDF (a
 * table for the plant controller's audit package, then the electronic signatures of the adjustments it contains, each
 * checked against its record). At most 10,000 exceptions; the file says when more matched.
 */

const MAX = 10_000;

export const EXCEPTION_COLUMNS = [
  "exception", "category", "severity", "status", "owner_system", "owner_role", "part", "revision", "lot", "serial", "location", "uom",
  "erp_quantity", "traceline_quantity", "difference", "in_flight", "unconfirmed", "erp_revision", "erp_unit", "order", "snapshot",
  "detected_at", "last_seen_at", "resolution", "resolution_reason", "resolved_by", "resolved_at", "detail",
] as const;

async function load(db: DbOrTx, actor: Actor, filters: ExceptionFilters, now: Date) {
  return listExceptions(db, actor.siteId, filters, { now, limit: MAX, offset: 0 });
}

function row(x: ExceptionRow, tz: string) {
  return [
    exceptionLabel(x.number), CATEGORY_INFO[x.category].label, x.severity, x.status, x.ownerSystem, x.ownerRole, x.partNumber, x.revision, x.lotNumber,
    x.serialNumber, x.locationCode ?? (x.partNumber ? "whole floor" : null), x.uom, x.erpQuantity, x.tracelineQuantity, x.difference, x.inFlightQuantity,
    x.unconfirmedQuantity, x.erpRevision, x.erpUnit, x.orderNumber, x.snapshotKey, formatZonedTime(x.detectedAt, tz), formatZonedTime(x.lastSeenAt, tz),
    x.resolution, x.resolutionReason, x.resolvedByName, x.resolvedAt ? formatZonedTime(x.resolvedAt, tz) : null, x.detail,
  ];
}

export async function exportExceptionsCsv(db: DbOrTx, actor: Actor, filters: ExceptionFilters, now: Date): Promise<ExportFile> {
  const { rows, total } = await load(db, actor, filters, now);
  const lines: (string | number | null)[][] = [[...EXCEPTION_COLUMNS], ...rows.map((x) => row(x, actor.timeZone))];
  if (total > rows.length) lines.push([`${total - rows.length} more exception(s) matched: narrow the filters`]);
  return { filename: `reconciliation-exceptions-${actor.siteCode}-${fileStamp(now, actor.timeZone)}.csv`, contentType: "text/csv; charset=utf-8", body: toCsv(lines) };
}

const PDF_COLUMNS: { title: string; width: number; value: (x: ExceptionRow, tz: string) => string }[] = [
  { title: "No.", width: 40, value: (x) => exceptionLabel(x.number) },
  { title: "Category", width: 82, value: (x) => CATEGORY_INFO[x.category].label },
  { title: "Owner", width: 78, value: (x) => `${x.ownerSystem === "erp" ? "ERP" : "Traceline"} / ${x.ownerRole.replaceAll("_", " ")}` },
  { title: "Part / item", width: 120, value: (x) => x.detail ?? [x.partNumber, x.revision, x.lotNumber ? `lot ${x.lotNumber}` : null, x.serialNumber ? `SN ${x.serialNumber}` : null].filter(Boolean).join(" ") },
  { title: "Location", width: 58, value: (x) => x.locationCode ?? (x.partNumber ? "floor" : "-") },
  { title: "ERP", width: 44, value: (x) => x.erpQuantity ?? "-" },
  { title: "Traceline", width: 48, value: (x) => x.tracelineQuantity ?? "-" },
  { title: "Status", width: 70, value: (x) => [x.status, x.resolution?.replaceAll("_", " ")].filter(Boolean).join(": ") },
  { title: "Detected", width: 72, value: (x, tz) => formatZonedTime(x.detectedAt, tz).slice(0, 16) },
];

export async function exportExceptionsPdf(db: DbOrTx, actor: Actor, filters: ExceptionFilters, now: Date): Promise<ExportFile> {
  const { rows, total } = await load(db, actor, filters, now);
  const signatures: { x: ExceptionRow; s: NonNullable<Awaited<ReturnType<typeof exceptionSignature>>> }[] = [];
  for (const x of rows) {
    const s = await exceptionSignature(db, actor, x);
    if (s) signatures.push({ x, s });
  }
  const body = await new Promise<Buffer>((resolve, reject) => {
    const doc = new PDFDocument({ size: "LETTER", layout: "landscape", margins: { top: 40, bottom: 50, left: 40, right: 40 }, compress: false, bufferPages: true, info: { Title: "Reconciliation exceptions", Creator: "Traceline" } });
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    const left = 40;
    const width = doc.page.width - 80;
    doc.font("Helvetica-Bold").fontSize(15).text(pdfText(`Reconciliation exceptions - ${actor.siteName}`), { width });
    doc.font("Helvetica").fontSize(9).text(pdfText(`Generated ${formatZonedTime(now, actor.timeZone)} by ${actor.displayName}. ${rows.length} of ${total} exception(s)${filterWords(filters)}.`), { width });
    doc.moveDown(0.6);
    const header = () => {
      let x = left;
      const y = doc.y;
      doc.font("Helvetica-Bold").fontSize(8);
      for (const c of PDF_COLUMNS) {
        doc.text(pdfText(c.title), x, y, { width: c.width - 4 });
        x += c.width;
      }
      doc.moveTo(left, doc.y + 2).lineTo(left + width, doc.y + 2).stroke();
      doc.y += 5;
    };
    header();
    doc.font("Helvetica").fontSize(8);
    for (const r of rows) {
      const cells = PDF_COLUMNS.map((c) => pdfText(c.value(r, actor.timeZone)));
      const h = Math.max(...cells.map((t, i) => doc.heightOfString(t, { width: PDF_COLUMNS[i]!.width - 4 })));
      if (doc.y + h > doc.page.height - 60) {
        doc.addPage();
        header();
        doc.font("Helvetica").fontSize(8);
      }
      const y = doc.y;
      let x = left;
      cells.forEach((t, i) => {
        doc.text(t, x, y, { width: PDF_COLUMNS[i]!.width - 4 });
        x += PDF_COLUMNS[i]!.width;
      });
      doc.y = y + h + 3;
    }
    if (rows.length === 0) doc.text("No exception matches these filters.", left, doc.y);
    doc.x = left;
    doc.moveDown(1);
    doc.font("Helvetica-Bold").fontSize(11).text("Electronic signatures of adjustments", left, doc.y, { width });
    doc.font("Helvetica").fontSize(8.5);
    if (signatures.length === 0) doc.text("None among these exceptions.", { width });
    for (const { x, s } of signatures) {
      doc.text(pdfText(`${exceptionLabel(x.number)}: ${s.quantity} at ${s.location} - ${s.display} - ${s.status === "valid" ? "valid" : "INVALID: record changed after signing"}. Reason: ${x.resolutionReason ?? ""}`), { width });
    }
    const pages = doc.bufferedPageRange();
    for (let i = 0; i < pages.count; i++) {
      doc.switchToPage(pages.start + i);
      doc.font("Helvetica").fontSize(8).text(`Page ${i + 1} of ${pages.count}`, left, doc.page.height - 35, { width, align: "right", lineBreak: false });
    }
    doc.end();
  });
  return { filename: `reconciliation-exceptions-${actor.siteCode}-${fileStamp(now, actor.timeZone)}.pdf`, contentType: "application/pdf", body };
}

function filterWords(f: ExceptionFilters): string {
  const parts = [
    f.status && f.status !== "all" ? (f.status === "live" ? "open or investigating" : "resolved or accepted") : null,
    f.category ? CATEGORY_INFO[f.category].label : null,
    f.ownerSystem ? `owned by ${f.ownerSystem === "erp" ? "ERP" : "Traceline"}` : null,
    f.ownerRole ? `role ${f.ownerRole.replaceAll("_", " ")}` : null,
    f.olderThanDays !== undefined ? `older than ${f.olderThanDays} day(s)` : null,
    f.part ? `part ${f.part}*` : null,
  ].filter(Boolean);
  return parts.length ? `; filters: ${parts.join(", ")}` : "";
}
