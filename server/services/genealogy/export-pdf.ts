import "server-only";
import path from "node:path";
import PDFDocument from "pdfkit";

/*
 * A printable PDF for the audit package a quality engineer hands to a customer: real tables (a header row repeated on
 * every page, cells wrapped within their column, rows never split across pages), a Unicode font embedded (DejaVu Sans
 * Condensed, subset: every character the records use prints as written, N·m, →, accents), landscape Letter, no
 * compression (the text stays searchable in an archive), the title and page number in every page's footer. Written as
 * it goes (no pages buffered), so an export streams its first page while the rest of the tree is still being read.
 */

export type PdfColumn = { header: string; /** relative width */ width: number; align?: "left" | "right" };
export type PdfRow = { cells: string[]; strong?: boolean; /** indent of the first cell, in levels */ indent?: number; muted?: boolean };

/** a line of a section: text, indented `indent` levels; `strong` prints it bold */
export type PdfLine = { text: string; indent?: number; strong?: boolean };

const FONT_DIR = path.join(process.cwd(), "server", "services", "genealogy", "fonts");
export const PDF_FONTS = { regular: path.join(FONT_DIR, "DejaVuSansCondensed.ttf"), bold: path.join(FONT_DIR, "DejaVuSansCondensed-Bold.ttf") } as const;

/** Text for the PDF: the embedded font prints every character; only control characters (but tab and line ends) go. */
export function pdfText(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "");
}

const MARGIN = 40;
const BODY = 8;
const PAD = 3;

/** a table being written: rows go out as they come, the header row repeated on every page the table reaches */
export type PdfTableWriter = {
  row(row: PdfRow): void;
  /** finish the table; `empty` is printed instead when no row was written */
  end(empty: string): void;
};

export type PdfWriter = {
  header(pairs: [string, string][]): void;
  section(heading: string): void;
  line(line: PdfLine): void;
  table(columns: PdfColumn[]): PdfTableWriter;
  /** finish the document (the chunks end after it) */
  end(): void;
  /** the file's bytes as pdfkit writes them */
  chunks: AsyncIterable<Buffer>;
};

export function startPdf(title: string): PdfWriter {
  const doc = new PDFDocument({
    size: "LETTER",
    layout: "landscape",
    margins: { top: MARGIN, bottom: 50, left: MARGIN, right: MARGIN },
    compress: false,
    info: { Title: pdfText(title), Creator: "Traceline" },
  });
  doc.registerFont("Body", PDF_FONTS.regular);
  doc.registerFont("Bold", PDF_FONTS.bold);
  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  let page = 1;
  const footer = () => {
    const { x, y } = doc;
    const b = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font("Body")
      .fontSize(8)
      .fillColor("#000000")
      .text(`${pdfText(title)} — page ${page}`, MARGIN, doc.page.height - 35, { width, align: "center", lineBreak: false });
    doc.page.margins.bottom = b;
    doc.x = x;
    doc.y = y;
  };
  doc.on("pageAdded", () => {
    page++;
    footer();
  });
  footer();
  doc.font("Bold").fontSize(15).text(pdfText(title), MARGIN, MARGIN, { width });
  doc.moveDown(0.4);
  return {
    header(pairs) {
      for (const [label, value] of pairs) {
        doc.font("Bold").fontSize(9).text(`${pdfText(label)}: `, MARGIN, undefined, { continued: true, width });
        doc.font("Body").text(pdfText(value), { width });
      }
    },
    section(heading) {
      doc.moveDown(0.8);
      if (doc.y + 40 > bottom()) doc.addPage();
      doc.font("Bold").fontSize(11.5).text(pdfText(heading), MARGIN, undefined, { width });
      doc.moveDown(0.3);
    },
    line(line) {
      const indent = Math.min(line.indent ?? 0, 12) * 12;
      doc.font(line.strong ? "Bold" : "Body").fontSize(BODY).text(pdfText(line.text), MARGIN + indent, undefined, { width: width - indent });
    },
    table(columns) {
      return tableWriter(doc, columns, width, bottom);
    },
    end() {
      doc.end();
    },
    chunks: doc as unknown as AsyncIterable<Buffer>,
  };
}

function tableWriter(doc: PDFKit.PDFDocument, columns: PdfColumn[], width: number, bottom: () => number): PdfTableWriter {
  const total = columns.reduce((s, c) => s + c.width, 0);
  const widths = columns.map((c) => (c.width / total) * width);
  const xs = widths.map((_, i) => MARGIN + widths.slice(0, i).reduce((s, w) => s + w, 0));
  const indentOf = (i: number, indent: number | undefined) => (i === 0 ? Math.min(indent ?? 0, 10) * 7 : 0);
  const cellHeight = (text: string, w: number, font: string) => {
    doc.font(font).fontSize(BODY);
    return doc.heightOfString(text || " ", { width: Math.max(4, w - 2 * PAD) });
  };
  const rowHeight = (texts: string[], font: string, indent: number | undefined) =>
    Math.max(...texts.map((t, i) => cellHeight(t, widths[i]! - indentOf(i, indent), font))) + 2 * PAD;
  const drawRow = (texts: string[], font: string, h: number, opts: { fill?: string; indent?: number; color?: string }) => {
    const y = doc.y;
    if (opts.fill) doc.rect(MARGIN, y, width, h).fill(opts.fill);
    doc.fillColor(opts.color ?? "#000000");
    texts.forEach((t, i) => {
      const indent = indentOf(i, opts.indent);
      doc
        .font(font)
        .fontSize(BODY)
        .text(t, xs[i]! + PAD + indent, y + PAD, { width: widths[i]! - 2 * PAD - indent, align: columns[i]!.align ?? "left" });
    });
    doc.fillColor("#000000");
    doc
      .moveTo(MARGIN, y + h)
      .lineTo(MARGIN + width, y + h)
      .lineWidth(0.4)
      .strokeColor("#9ca3af")
      .stroke();
    doc.x = MARGIN;
    doc.y = y + h;
  };
  const headers = columns.map((c) => pdfText(c.header));
  const headerHeight = rowHeight(headers, "Bold", undefined);
  let rows = 0;
  return {
    row(row) {
      const font = row.strong ? "Bold" : "Body";
      const texts = row.cells.map((c) => pdfText(c ?? ""));
      const h = rowHeight(texts, font, row.indent);
      if (rows === 0) {
        // the header row stays with the first row
        if (doc.y + headerHeight + h > bottom()) doc.addPage();
        drawRow(headers, "Bold", headerHeight, { fill: "#e5e7eb" });
      } else if (doc.y + h > bottom()) {
        doc.addPage();
        doc.y = doc.page.margins.top;
        if (doc.y + headerHeight + h <= bottom()) drawRow(headers, "Bold", headerHeight, { fill: "#e5e7eb" });
      }
      drawRow(texts, font, h, { ...(row.indent !== undefined ? { indent: row.indent } : {}), ...(row.muted ? { color: "#4b5563" } : {}) });
      rows++;
    },
    end(empty) {
      if (rows === 0) doc.font("Body").fontSize(BODY).text(pdfText(empty), MARGIN, undefined, { width });
    },
  };
}
