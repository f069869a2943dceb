import "server-only";
import PDFDocument from "pdfkit";

/*
 * A plain, printable PDF for the audit package: built-in standard fonts (Helvetica, no font files of our own), no
 * compression (the text stays readable in the file, e.g. by a text search of an archive), the title and page number
 * in every page's footer. Written as it goes (no pages buffered), so an export streams its first page while the rest
 * of the tree is still being read.
 */

/** a line of a section: text, indented `indent` levels; `strong` prints it bold */
export type PdfLine = { text: string; indent?: number; strong?: boolean };

/** The standard PDF fonts encode WinAnsi only: arrows and dashes become ASCII, anything else outside Latin-1 a "?". */
export function pdfText(s: string): string {
  return s
    .replace(/→/g, "->")
    .replace(/[—–]/g, "-")
    .replace(/[“”]/g, '"')
    .replace(/[‘’]/g, "'")
    .replace(/·/g, "|")
    .replace(/[^\x09\x0a\x0d\x20-\x7e\xa0-\xff]/g, "?");
}

export type PdfWriter = {
  header(pairs: [string, string][]): void;
  section(heading: string): void;
  line(line: PdfLine): void;
  /** finish the document (the chunks end after it) */
  end(): void;
  /** the file's bytes as pdfkit writes them */
  chunks: AsyncIterable<Buffer>;
};

export function startPdf(title: string): PdfWriter {
  const doc = new PDFDocument({
    size: "LETTER",
    margins: { top: 50, bottom: 60, left: 50, right: 50 },
    compress: false,
    info: { Title: pdfText(title), Creator: "Traceline" },
  });
  const width = doc.page.width - 100;
  let page = 1;
  const footer = () => {
    const { x, y } = doc;
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font("Helvetica")
      .fontSize(8)
      .text(`${pdfText(title)} - page ${page}`, 50, doc.page.height - 40, { width, align: "center", lineBreak: false });
    doc.page.margins.bottom = bottom;
    doc.x = x;
    doc.y = y;
  };
  doc.on("pageAdded", () => {
    page++;
    footer();
  });
  footer();
  doc.font("Helvetica-Bold").fontSize(15).text(pdfText(title), 50, 50, { width });
  doc.moveDown(0.4);
  return {
    header(pairs) {
      for (const [label, value] of pairs) {
        doc.font("Helvetica-Bold").fontSize(9.5).text(`${pdfText(label)}: `, { continued: true, width });
        doc.font("Helvetica").text(pdfText(value), { width });
      }
    },
    section(heading) {
      doc.moveDown(0.8);
      doc.font("Helvetica-Bold").fontSize(11.5).text(pdfText(heading), 50, undefined, { width });
      doc.moveDown(0.2);
    },
    line(line) {
      const indent = Math.min(line.indent ?? 0, 12) * 12;
      doc.font(line.strong ? "Helvetica-Bold" : "Helvetica").fontSize(8.5).text(pdfText(line.text), 50 + indent, undefined, { width: width - indent });
    },
    end() {
      doc.end();
    },
    chunks: doc as unknown as AsyncIterable<Buffer>,
  };
}
