import { randomUUID } from "node:crypto";
import Decimal from "decimal.js";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { actorFor } from "@/db/testing/actors";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { queryRows, type DbOrTx } from "@/db/client";
import { DEMO_PASSWORD } from "@/db/seed/demo-plant";
import { placeHold } from "@/server/services/quality/place-hold";
import { lots, serialItems, sites } from "@/db/schema";
import { getAsBuilt } from "@/server/repos/genealogy-read";
import { traceWhereUsed } from "@/server/repos/genealogy-where-used";
import type { Actor } from "@/server/auth/types";
import { remainingStockPerLot } from "@/server/repos/lot-stock";
import { AS_BUILT_COLUMNS, exportAsBuilt, type AsBuiltExportInput } from "./export-as-built";
import { exportWhereUsed, REMAINING_STOCK_COLUMNS, WHERE_USED_COLUMNS, type WhereUsedExportInput } from "./export-where-used";
import { readAll } from "./export-stream";
import { SIGNED_RECORD_COLUMNS } from "./export-signed-records";
import { TEST_NOW } from "@/db/testing/clock";
import { pdfShownText } from "./pdf-text.testing";

const t = useTestDatabase("demo");
const NOW = TEST_NOW;

/** The export read whole (the files stream): its name, type and text (or bytes for a PDF). */
async function whole(file: Promise<{ filename: string; contentType: string; body: ReadableStream<Uint8Array> }>) {
  const f = await file;
  const bytes = await readAll(f.body);
  return { filename: f.filename, contentType: f.contentType, bytes, text: bytes.toString("utf8") };
}
const exportAsBuiltCsv = (db: DbOrTx, actor: Actor, input: AsBuiltExportInput, now: Date) => whole(exportAsBuilt(db, actor, { ...input, format: "csv" }, now));
const exportAsBuiltPdf = (db: DbOrTx, actor: Actor, input: AsBuiltExportInput, now: Date) => whole(exportAsBuilt(db, actor, { ...input, format: "pdf" }, now));
const exportAsBuiltJson = (db: DbOrTx, actor: Actor, input: AsBuiltExportInput, now: Date) => whole(exportAsBuilt(db, actor, { ...input, format: "json" }, now));
const exportWhereUsedCsv = (db: DbOrTx, actor: Actor, input: WhereUsedExportInput, now: Date) => whole(exportWhereUsed(db, actor, { ...input, format: "csv" }, now));
const exportWhereUsedPdf = (db: DbOrTx, actor: Actor, input: WhereUsedExportInput, now: Date) => whole(exportWhereUsed(db, actor, { ...input, format: "pdf" }, now));
const exportWhereUsedJson = (db: DbOrTx, actor: Actor, input: WhereUsedExportInput, now: Date) => whole(exportWhereUsed(db, actor, { ...input, format: "json" }, now));

/** A strict RFC 4180 reader (the test's own, independent of the writer): records of fields, CRLF line ends. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = "";
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
      } else {
        field += c;
        i++;
      }
    } else if (c === '"' && field === "") {
      quoted = true;
      i++;
    } else if (c === ",") {
      endField();
      i++;
    } else if (c === "\r" && text[i + 1] === "\n") {
      endField();
      rows.push(row);
      row = [];
      i += 2;
    } else if (c === "\r" || c === "\n") {
      throw new Error(`bare line break at ${i}`);
    } else if (c === '"') {
      throw new Error(`quote inside an unquoted field at ${i}`);
    } else {
      field += c;
      i++;
    }
  }
  if (field !== "" || row.length) throw new Error("last record without CRLF");
  return rows;
}

/** The table under the header row `columns`, up to the next empty line. */
function tableAfter(rows: string[][], columns: readonly string[]): string[][] {
  const start = rows.findIndex((r) => r.join("\u0000") === columns.join("\u0000"));
  expect(start).toBeGreaterThan(0);
  const out: string[][] = [];
  for (const r of rows.slice(start + 1)) {
    if (r.length === 1 && r[0] === "") break;
    expect(r).toHaveLength(columns.length);
    out.push(r);
  }
  return out;
}

const headerValue = (rows: string[][], label: string) => rows.find((r) => r[0] === label)?.[1];

async function wichita(db: DbOrTx) {
  const actor = await actorFor(db, "priya.raman", "WCH");
  const serial = async (n: string) => {
    const [r] = await db.select({ id: serialItems.id }).from(serialItems).where(and(eq(serialItems.siteId, actor.siteId), eq(serialItems.serialNumber, n)));
    if (!r) throw new Error(`no serial ${n}`);
    return r.id;
  };
  const lot = async (n: string) => {
    const [r] = await db.select({ id: lots.id }).from(lots).where(and(eq(lots.siteId, actor.siteId), eq(lots.lotNumber, n)));
    if (!r) throw new Error(`no lot ${n}`);
    return r.id;
  };
  return { actor, serial, lot };
}

describe("as-built export", () => {
  it("writes every node of ACT-1001 with its columns, the audit header and valid RFC 4180 quoting", () =>
    inRollback(t.db, async (tx) => {
      const { actor, serial } = await wichita(tx);
      const id = await serial("ACT-1001");
      const file = await exportAsBuiltCsv(tx, actor, { serialItemId: id }, NOW);
      expect(file.contentType).toContain("text/csv");
      expect(file.filename).toMatch(/^as-built-ACT-1001-\d{8}-\d{4}\.csv$/);
      const text = file.text;
      const rows = parseCsv(text);
      expect(headerValue(rows, "Site")).toContain(actor.siteName);
      expect(headerValue(rows, "Unit")).toMatch(/^ACT-1001 \(/);
      expect(headerValue(rows, "Generated by")).toBe("Priya Raman");
      expect(headerValue(rows, "Generated at")).toBe(`2026-11-25 10:42:07 CST (${actor.timeZone})`);
      // the unit line holds commas: it must come quoted, and read back whole
      expect(text).toContain('Unit,"ACT-1001 (');

      const tree = await getAsBuilt(tx, actor.siteId, id, { at: NOW, includeRemoved: true });
      const table = tableAfter(rows, AS_BUILT_COLUMNS);
      expect(table).toHaveLength(tree.nodes.length);
      expect(table.map((r) => r[5] || r[6])).toEqual(tree.nodes.map((n) => n.serialNumber ?? n.lotNumber ?? ""));
      const col = (name: (typeof AS_BUILT_COLUMNS)[number]) => AS_BUILT_COLUMNS.indexOf(name);
      const sv = table.find((r) => r[col("Serial")] === "SV-3001");
      const tm = table.find((r) => r[col("Serial")] === "TM-5001");
      const coil = table.find((r) => r[col("Lot")] === "MM24-1187");
      expect(sv?.[col("Level")]).toBe("1");
      expect(sv?.[col("Parent serial")]).toBe("ACT-1001");
      expect(tm?.[col("Parent serial")]).toBe("SV-3001");
      expect(coil?.[col("Parent serial")]).toBe("TM-5001");
      expect(coil?.[col("Level")]).toBe("3");
      expect(sv?.[col("Installed at")]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} C[SD]T \(America\/Chicago\)$/);
      for (const r of table) {
        expect(r[col("Operator")]).not.toBe("");
        expect(r[col("Station")]).not.toBe("");
        expect(r[col("Quantity")]).toMatch(/^\d+(\.\d+)?$/);
      }
    }));

  it("says the tree's exact size in the header and writes the same rows as JSON, signed records included", () =>
    inRollback(t.db, async (tx) => {
      const { actor, serial } = await wichita(tx);
      const id = await serial("ACT-1002");
      const tree = await getAsBuilt(tx, actor.siteId, id, { at: NOW, includeRemoved: true });
      const csv = parseCsv((await exportAsBuiltCsv(tx, actor, { serialItemId: id }, NOW)).text);
      // parameters with their units, written by PostgreSQL, as the screen's read names them
      const shown = tableAfter(csv, AS_BUILT_COLUMNS).map((r) => r[AS_BUILT_COLUMNS.indexOf("Process parameters")]);
      expect(shown).toEqual(tree.nodes.map((n) => n.parameterValues.map((p) => `${p.name}=${p.value}${p.unit ? ` ${p.unit}` : ""}`).join("; ")));
      expect(shown.some((p) => p !== "")).toBe(true);
      expect(headerValue(csv, "Components")).toBe(`${tree.nodes.length} (${tree.nodes.filter((n) => n.removed).length} removed in rework, shown as removed)`);
      const json = JSON.parse((await exportAsBuiltJson(tx, actor, { serialItemId: id }, NOW)).text) as {
        unit: { serial: string };
        components: { total: number; removed: number };
        nodes: { level: number; serial: string | null; lot: string | null; installedAt: string; parameters: { name: string; value: string; unit: string | null }[] }[];
        signedRecords: { target: string; signatures: { status: string }[] }[];
      };
      expect(json.unit.serial).toBe("ACT-1002");
      expect(json.components.total).toBe(tree.nodes.length);
      expect(json.nodes.map((n) => [n.level, n.serial ?? n.lot])).toEqual(tree.nodes.map((n) => [n.depth, n.serialNumber ?? n.lotNumber]));
      expect(json.nodes.map((n) => n.installedAt)).toEqual(tree.nodes.map((n) => n.installedAt.toISOString()));
      expect(json.nodes.map((n) => n.parameters)).toEqual(tree.nodes.map((n) => n.parameterValues));
      expect(json.signedRecords.find((r) => r.target === "BKT-4410-07 rev A, lot KP24-0877")?.signatures[0]?.status).toBe("VALID");
    }));

  it("sends the header before the tree is read, and a cancelled download ends the read and leaves the connection usable", () =>
    inRollback(t.db, async (tx) => {
      const { actor, serial } = await wichita(tx);
      const file = await exportAsBuilt(tx, actor, { serialItemId: await serial("ACT-1001"), format: "csv" }, NOW);
      const reader = file.body.getReader();
      const first = await reader.read();
      expect(Buffer.from(first.value!).toString("utf8")).toMatch(/^As-built export\r\nSite,/);
      await reader.cancel();
      await file.done; // the read ended (its savepoint rolled back) once the download went away
      const [one] = await queryRows<{ n: number }>(tx, sql`select 1 as n`);
      expect(Number(one!.n)).toBe(1);
    }));

  it("shows the unit as it stood at a past moment: before it was built, no components", () =>
    inRollback(t.db, async (tx) => {
      const { actor, serial } = await wichita(tx);
      const file = await exportAsBuiltCsv(tx, actor, { serialItemId: await serial("ACT-1001"), at: new Date("2020-01-01T14:00:00Z") }, NOW);
      const rows = parseCsv(file.text);
      expect(headerValue(rows, "As of")).toBe("2020-01-01 08:00:00 CST (America/Chicago)");
      expect(tableAfter(rows, AS_BUILT_COLUMNS)).toHaveLength(0);
    }));

  it("includes the signed hold on lot KP24-0877 in ACT-1002's export, with printed name, zone, meaning and VALID", () =>
    inRollback(t.db, async (tx) => {
      const { actor, serial } = await wichita(tx);
      const text = (await exportAsBuiltCsv(tx, actor, { serialItemId: await serial("ACT-1002") }, NOW)).text;
      expect(text).toContain('"BKT-4410-07 rev A, lot KP24-0877"');
      const rows = parseCsv(text);
      const signed = tableAfter(rows, SIGNED_RECORD_COLUMNS);
      const hold = signed.find((r) => r[2] === "BKT-4410-07 rev A, lot KP24-0877");
      expect(hold).toBeDefined();
      expect(hold![0]).toBe("active");
      expect(hold![1]).toBe("lot");
      expect(hold![3]).toContain("SEN-24-118");
      expect(hold![9]).toBe("Priya Raman");
      expect(hold![10]).toBe("hold");
      expect(hold![11]).toMatch(/\(America\/Chicago\)$/);
      expect(hold![12]).toBe("VALID");
    }));

  it("includes holds on the manufacturer and the supplier a component came from, signed, in the as-built and the lot's where-used", () =>
    inRollback(t.db, async (tx) => {
      const { actor, serial, lot } = await wichita(tx);
      const [src] = await queryRows<{ mfr: string; sup: string }>(
        tx,
        sql`select m.code as mfr, s.code as sup from lots l join manufacturers m on m.id = l.manufacturer_id join suppliers s on s.id = l.supplier_id
            where l.site_id = ${actor.siteId} and l.lot_number = 'KP24-0877'`,
      );
      const ctx = { now: NOW, clientKey: `test-${randomUUID()}` };
      const signature = { method: "password" as const, secret: DEMO_PASSWORD, meaning: "hold" };
      await placeHold(tx, actor, { requestId: randomUUID(), target: { kind: "manufacturer", code: src!.mfr }, reason: "Audit finding 7", signature }, ctx);
      await placeHold(tx, actor, { requestId: randomUUID(), target: { kind: "supplier", code: src!.sup }, reason: "Counterfeit alert 12", signature }, ctx);

      const asBuilt = tableAfter(parseCsv((await exportAsBuiltCsv(tx, actor, { serialItemId: await serial("ACT-1002") }, NOW)).text), SIGNED_RECORD_COLUMNS);
      const whereUsed = tableAfter(parseCsv((await exportWhereUsedCsv(tx, actor, { target: { kind: "lot", id: await lot("KP24-0877") } }, NOW)).text), SIGNED_RECORD_COLUMNS);
      for (const signed of [asBuilt, whereUsed]) {
        const m = signed.find((r) => r[1] === "manufacturer" && r[3] === "Audit finding 7");
        const sup = signed.find((r) => r[1] === "supplier" && r[3] === "Counterfeit alert 12");
        expect(m?.[0]).toBe("active");
        expect(m?.[9]).toBe("Priya Raman");
        expect(m?.[12]).toBe("VALID");
        expect(sup?.[12]).toBe("VALID");
      }
    }));

  it("refuses a serial that is not at the site, as not found", () =>
    inRollback(t.db, async (tx) => {
      const { actor } = await wichita(tx);
      await expect(exportAsBuiltCsv(tx, actor, { serialItemId: "00000000-0000-4000-8000-000000000000" }, NOW)).rejects.toMatchObject({ code: "NOT_FOUND" });
    }));

  it("writes a printable PDF whose text has the unit serial, its components, and the signature", () =>
    inRollback(t.db, async (tx) => {
      const { actor, serial } = await wichita(tx);
      const file = await exportAsBuiltPdf(tx, actor, { serialItemId: await serial("ACT-1002") }, NOW);
      const pdf = file.bytes;
      expect(file.contentType).toBe("application/pdf");
      expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      const shown = pdfShownText(pdf);
      expect(shown).toContain("As-built of ACT-1002");
      expect(shown).toContain("KP24-0877");
      expect(shown).toContain("Priya Raman - hold");
      expect(shown).toContain("VALID");
      expect(shown).toContain("Generated by");
    }));
});

describe("where-used export", () => {
  it("has exactly `total` unit rows, read across page borders, with paths and locations", () =>
    inRollback(t.db, async (tx) => {
      const { actor, lot } = await wichita(tx);
      const target = { kind: "lot" as const, id: await lot("MM24-1187") };
      const { total } = await traceWhereUsed(tx, actor.siteId, target, { offset: 0, limit: 1, currentOnly: false, topLevelOnly: false });
      expect(total).toBeGreaterThanOrEqual(3);
      const file = await exportWhereUsedCsv(tx, actor, { target, pageSize: 2 }, NOW);
      const rows = parseCsv(file.text);
      const table = tableAfter(rows, WHERE_USED_COLUMNS);
      expect(table).toHaveLength(total);
      expect(new Set(table.map((r) => r[0])).size).toBe(total);
      expect(headerValue(rows, "Units reached")).toMatch(new RegExp(`^${total} \\(`));
      const act = table.find((r) => r[0] === "ACT-1001");
      expect(act?.[WHERE_USED_COLUMNS.indexOf("Path")]).toBe("TM-5001 > SV-3001 > ACT-1001");
      expect(act?.[WHERE_USED_COLUMNS.indexOf("Top level")]).toBe("yes");
      expect(act?.[WHERE_USED_COLUMNS.indexOf("Location")]).toMatch(/^in stock at /);
    }));

  it("includes the signed hold of the lot and writes a PDF with every unit", () =>
    inRollback(t.db, async (tx) => {
      const { actor, lot } = await wichita(tx);
      const target = { kind: "lot" as const, id: await lot("KP24-0877") };
      const rows = parseCsv((await exportWhereUsedCsv(tx, actor, { target }, NOW)).text);
      const signed = tableAfter(rows, SIGNED_RECORD_COLUMNS);
      expect(signed.some((r) => r[2] === "BKT-4410-07 rev A, lot KP24-0877" && r[12] === "VALID")).toBe(true);
      const units = tableAfter(rows, WHERE_USED_COLUMNS);
      expect(units.map((r) => r[0])).toContain("ACT-1002");
      const pdf = (await exportWhereUsedPdf(tx, actor, { target }, NOW)).bytes;
      expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      const shown = pdfShownText(pdf);
      for (const u of units) expect(shown).toContain(u[0]!);
      expect(shown).toContain("Where-used of lot KP24-0877");
    }));

  it("writes every unit as JSON with the exact totals", () =>
    inRollback(t.db, async (tx) => {
      const { actor, lot } = await wichita(tx);
      const target = { kind: "lot" as const, id: await lot("MM24-1187") };
      const { total, currentTotal } = await traceWhereUsed(tx, actor.siteId, target, { offset: 0, limit: 1 });
      const json = JSON.parse((await exportWhereUsedJson(tx, actor, { target, pageSize: 2 }, NOW)).text) as { unitsReached: { total: number; currentTotal: number }; units: { unitSerialNumber: string }[] };
      expect(json.unitsReached).toEqual({ total, currentTotal });
      expect(new Set(json.units.map((u) => u.unitSerialNumber)).size).toBe(total);
    }));

  it("refuses a lot of another site as not found", () =>
    inRollback(t.db, async (tx) => {
      const { actor } = await wichita(tx);
      const [other] = await tx.select({ id: lots.id }).from(lots).innerJoin(sites, eq(sites.id, lots.siteId)).where(eq(sites.code, "ZZZ")).limit(1);
      const id = other?.id ?? "00000000-0000-4000-8000-000000000001";
      await expect(exportWhereUsedCsv(tx, actor, { target: { kind: "lot", id } }, NOW)).rejects.toMatchObject({ code: "NOT_FOUND" });
    }));
});

describe("exports a quality engineer hands to a customer", () => {
  it("prints every character used (N·m, °C, →) in an embedded Unicode font, in tables, with quantities as entered", () =>
    inRollback(t.db, async (tx) => {
      const { actor, serial } = await wichita(tx);
      const id = await serial("ACT-1001");
      const tree = await getAsBuilt(tx, actor.siteId, id, { at: NOW, includeRemoved: true });
      const withTorque = tree.nodes.find((n) => n.parameterValues.some((p) => p.unit === "N·m"));
      expect(withTorque, "the demo as-built of ACT-1001 records a torque in N·m").toBeDefined();
      const pdf = (await exportAsBuiltPdf(tx, actor, { serialItemId: id }, NOW)).bytes;
      const raw = pdf.toString("latin1");
      // the font is embedded (a TrueType font file, subset) and no standard font is used for the text
      expect(raw).toMatch(/\/FontFile2 \d+ 0 R/);
      expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSansCondensed\b/);
      expect(raw).not.toMatch(/\/BaseFont \/Helvetica/);
      const shown = pdfShownText(pdf);
      const flat = shown.replace(/\s+/g, " "); // cells wrap at spaces within their column
      const torque = withTorque!.parameterValues.find((p) => p.unit === "N·m")!;
      expect(flat).toContain(`${torque.name}=${torque.value} N·m`);
      expect(shown).not.toContain("N|m");
      // a table: the header row's cells drawn one after the other, each in its column (wrapped within it)
      expect(flat).toContain("Level In Part / rev Serial or lot Qty Operation Operator, station Installed at Process parameters State");
      expect(shown.split("\n")).toContain("Serial or lot");
      // quantities as entered: numeric(18,6) never shows its storage scale
      expect(shown).not.toMatch(/\d\.\d*0{2,}\b/);
      for (const n of tree.nodes) expect(flat).toContain(`${n.quantity.includes(".") ? n.quantity.replace(/\.?0+$/, "") : n.quantity} ${n.uom}`);
    }));

  it("writes where-used paths with arrows and the CSV with decimals as entered and revision \"-\" unquoted", () =>
    inRollback(t.db, async (tx) => {
      const { actor, serial, lot } = await wichita(tx);
      const target = { kind: "lot" as const, id: await lot("MM24-1187") };
      const shown = pdfShownText((await exportWhereUsedPdf(tx, actor, { target }, NOW)).bytes);
      expect(shown.replace(/\s+/g, " ")).toContain("TM-5001 → SV-3001 → ACT-1001");
      expect(shown.split("\n")).toContain("Path (material → unit)");

      // a component revision written "-" by the ERP stays "-" (not "'-"), quantities lose the storage scale
      const id = await serial("ACT-1001");
      const tree = await getAsBuilt(tx, actor.siteId, id, { at: NOW, includeRemoved: true });
      const node = tree.nodes[0]!;
      await tx.execute(sql`update part_revisions set revision = '-' where id = ${node.partRevisionId}`);
      const text = (await exportAsBuiltCsv(tx, actor, { serialItemId: id }, NOW)).text;
      expect(text).not.toContain("'-");
      const table = tableAfter(parseCsv(text), AS_BUILT_COLUMNS);
      const rev = AS_BUILT_COLUMNS.indexOf("Revision");
      const qty = AS_BUILT_COLUMNS.indexOf("Quantity");
      expect(table.filter((r) => r[AS_BUILT_COLUMNS.indexOf("Part number")] === node.partNumber).map((r) => r[rev])).toContain("-");
      for (const r of table) expect(r[qty]).toMatch(/^\d+(\.\d*[1-9])?$/);
      expect(text).not.toMatch(/\.000000/);
    }));
});

describe("remaining stock per lot (recall scope)", () => {
  it("answers each lot's on-hand at physical locations, equal to the ledger's balances, and writes it in the where-used exports", () =>
    inRollback(t.db, async (tx) => {
      const { actor, lot } = await wichita(tx);
      const lotId = await lot("KP24-0877");
      const [ledger] = await queryRows<{ on_hand: string; places: number }>(
        tx,
        sql`select coalesce(sum(b.on_hand), 0)::text as on_hand, (count(*) filter (where b.on_hand <> 0))::int as places
            from stock_balances b where b.site_id = ${actor.siteId} and b.lot_id = ${lotId} and b.is_physical`,
      );
      const { total, lots: stock } = await remainingStockPerLot(tx, actor.siteId, { kind: "lot", id: lotId });
      expect(total).toBe(1);
      expect(stock[0]).toMatchObject({ lotNumber: "KP24-0877", partNumber: "BKT-4410-07" });
      expect(Number(stock[0]!.onHand)).toBe(Number(ledger!.on_hand));
      expect(stock[0]!.locations).toHaveLength(Number(ledger!.places));
      // a part revision's where-used lists every lot of it, the traced lot among them
      const [rev] = await queryRows<{ id: string }>(tx, sql`select part_revision_id as id from lots where id = ${lotId}`);
      const all = await remainingStockPerLot(tx, actor.siteId, { kind: "part_revision", id: rev!.id });
      expect(all.lots.map((l) => l.lotNumber)).toContain("KP24-0877");
      expect(all.total).toBe(all.lots.length);
      // a serial has no lots
      expect((await remainingStockPerLot(tx, actor.siteId, { kind: "serial", id: lotId })).lots).toEqual([]);

      const rows = parseCsv((await exportWhereUsedCsv(tx, actor, { target: { kind: "lot", id: lotId } }, NOW)).text);
      const table = tableAfter(rows, REMAINING_STOCK_COLUMNS);
      expect(table).toHaveLength(1);
      expect(table[0]![0]).toBe("KP24-0877");
      expect(new Decimal(table[0]![3]!).eq(stock[0]!.onHand)).toBe(true);
      expect(table[0]![3]).not.toMatch(/\.\d*0$/);
    }));
});

describe("exports in the language of the person who asks", () => {
  it("writes the PDF in French for a French reader; the CSV keeps its English column keys", () =>
    inRollback(t.db, async (tx) => {
      const { actor, serial, lot } = await wichita(tx);
      const french: Actor = { ...actor, locale: "fr" };
      const asBuilt = pdfShownText((await exportAsBuiltPdf(tx, french, { serialItemId: await serial("ACT-1002") }, NOW)).bytes);
      expect(asBuilt).toContain("As-built de ACT-1002");
      expect(asBuilt).toContain("Généré par");
      expect(asBuilt).toContain("Enregistrements signés : blocages sur cette unité ou sa matière");
      expect(asBuilt.replace(/\s+/g, " ")).toContain("Niv. Dans Article / indice");
      expect(asBuilt).toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}/);
      expect(asBuilt).not.toContain("Generated by");
      const target = { kind: "lot" as const, id: await lot("KP24-0877") };
      const whereUsed = pdfShownText((await exportWhereUsedPdf(tx, french, { target }, NOW)).bytes);
      expect(whereUsed).toContain("Cas d’emploi du lot KP24-0877");
      expect(whereUsed).toContain("Blocage sur le lot");
      expect(whereUsed.split("\n")).toContain("Chemin (matière → unité)");
      // the material's detail line is worded from its facts in French too (i18n/genealogy-detail.ts); the CSV keeps English
      expect(whereUsed).toMatch(/lot fournisseur/);
      expect(whereUsed).not.toMatch(/supplier lot/);
      // the CSV is a machine file: the same column keys and header labels whatever the reader's language
      const csv = parseCsv((await exportWhereUsedCsv(tx, french, { target }, NOW)).text);
      expect(tableAfter(csv, WHERE_USED_COLUMNS).map((r) => r[0])).toContain("ACT-1002");
      expect(headerValue(csv, "Generated by")).toBe(actor.displayName);
      expect(headerValue(csv, "Material")).toMatch(/supplier lot/);
    }));
});
