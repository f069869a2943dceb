import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { escapeLike, rankSuggestions, suggestionPrefixes, type SearchTerms } from "@/server/domain/genealogy/search-terms";

/*
 * Genealogy search: exact matches of the terms a search input was read as (serials, lots, supplier lots, parts and
 * revisions, work orders, manufacturers), site-scoped for operational objects; and, when nothing matches, close
 * matches by prefix (ILIKE on indexed columns, ranked in the domain; pg_trgm is not available to the app role).
 */

export type SearchHitKind = "unit" | "serial" | "lot" | "supplier_lot" | "part" | "part_revision" | "work_order" | "manufacturer";

export type SearchHit = {
  kind: SearchHitKind;
  /** id of the object: serial item, lot, part, part revision, work order, manufacturer; the supplier lot text itself */
  id: string;
  label: string;
  partNumber: string | null;
  revision: string | null;
  /** the detail line in English (API and file consumers); screens word `facts` in the reader's language instead */
  detail: string | null;
  /** what the detail line says, as codes and values */
  facts: DetailFacts | null;
  /** for units and serials: the serial item whose as-built can be opened */
  serialItemId: string | null;
  unitStatus: "planned" | "in_progress" | "completed" | "scrapped" | "shipped" | null;
};

/**
 * The facts behind a detail line (search hit or where-used target), for the screen to word in the reader's language:
 * `as_is` is an identifier or master data as recorded (work order number, part description, manufacturer name), never
 * translated; the others are sentences with values (i18n/genealogy-detail.ts).
 */
export type DetailFacts =
  | { kind: "as_is"; text: string }
  | { kind: "supplier_lot"; supplierLot: string | null; mixedInto: string[] }
  | { kind: "holders"; count: number; scope: "here" | "site" }
  | { kind: "work_order"; quantity: number; status: string };

/** The facts as a query column reads them (json, or its text). */
export function factsFrom(v: unknown): DetailFacts | null {
  if (v === null || v === undefined) return null;
  const f = (typeof v === "string" ? JSON.parse(v) : v) as DetailFacts & { text?: string | null };
  if (f.kind === "as_is" && (f.text === null || f.text === undefined)) return null;
  if (f.kind === "holders") return { ...f, count: Number(f.count) };
  if (f.kind === "work_order") return { ...f, quantity: Number(f.quantity) };
  if (f.kind === "supplier_lot") return { ...f, mixedInto: f.mixedInto ?? [] };
  return f;
}

export type Suggestion = { kind: SearchHitKind; text: string };

const arr = (values: string[]) => sql`${sql.raw("array[")}${sql.join(values.map((v) => sql`${v}`), sql`, `)}${sql.raw("]::text[]")}`;

export async function findByTerms(db: DbOrTx, siteId: string, terms: SearchTerms): Promise<SearchHit[]> {
  const parts: SQL[] = [];
  if (terms.serials.length > 0) {
    parts.push(sql`select case when u.id is null then 'serial' else 'unit' end as kind, s.id::text as id, s.serial_number as label,
                          p.part_number, pr.revision, wo.number as detail, s.id::text as serial_item_id, u.status::text as unit_status,
                          jsonb_build_object('kind', 'as_is', 'text', wo.number) as facts
                   from serial_items s join part_revisions pr on pr.id = s.part_revision_id join parts p on p.id = pr.part_id
                   left join units u on u.site_id = s.site_id and u.serial_item_id = s.id
                   left join work_orders wo on wo.site_id = u.site_id and wo.id = u.work_order_id
                   where s.site_id = ${siteId} and s.serial_number = any(${arr(terms.serials)})`);
  }
  if (terms.lots.length > 0) {
    parts.push(sql`select 'lot', l.id::text, l.lot_number, p.part_number, pr.revision, coalesce('supplier lot ' || l.supplier_lot, null), null, null,
                          case when l.supplier_lot is null then null else jsonb_build_object('kind', 'supplier_lot', 'supplierLot', l.supplier_lot, 'mixedInto', '[]'::jsonb) end
                   from lots l join part_revisions pr on pr.id = l.part_revision_id join parts p on p.id = pr.part_id
                   where l.site_id = ${siteId} and l.lot_number = any(${arr(terms.lots)})`);
    parts.push(sql`select distinct 'supplier_lot', x.supplier_lot, x.supplier_lot, null::text, null::text,
                          (count(*) over (partition by x.supplier_lot))::text || ' lot(s) or serial(s) here', null, null,
                          jsonb_build_object('kind', 'holders', 'count', count(*) over (partition by x.supplier_lot), 'scope', 'here')
                   from (select supplier_lot from lots where site_id = ${siteId} and supplier_lot = any(${arr(terms.lots)})
                         union all select supplier_lot from serial_items where site_id = ${siteId} and supplier_lot = any(${arr(terms.lots)})) x`);
  }
  for (const p of terms.parts) {
    if (p.revision === null) {
      parts.push(sql`select 'part', p.id::text, p.part_number, p.part_number, null, p.description, null, null,
                          jsonb_build_object('kind', 'as_is', 'text', p.description)
                     from parts p where p.part_number = ${p.partNumber}`);
      parts.push(sql`select 'part_revision', pr.id::text, p.part_number || ' rev ' || pr.revision, p.part_number, pr.revision, p.description, null, null,
                          jsonb_build_object('kind', 'as_is', 'text', p.description)
                     from parts p join part_revisions pr on pr.part_id = p.id where p.part_number = ${p.partNumber}`);
    } else {
      parts.push(sql`select 'part_revision', pr.id::text, p.part_number || ' rev ' || pr.revision, p.part_number, pr.revision, p.description, null, null,
                          jsonb_build_object('kind', 'as_is', 'text', p.description)
                     from parts p join part_revisions pr on pr.part_id = p.id where p.part_number = ${p.partNumber} and upper(pr.revision) = ${p.revision}`);
    }
  }
  if (terms.workOrders.length > 0) {
    parts.push(sql`select 'work_order', w.id::text, w.number, p.part_number, pr.revision, w.quantity || ' unit(s), ' || w.status, null, null,
                          jsonb_build_object('kind', 'work_order', 'quantity', w.quantity, 'status', w.status)
                   from work_orders w join part_revisions pr on pr.id = w.part_revision_id join parts p on p.id = pr.part_id
                   where w.site_id = ${siteId} and w.number = any(${arr(terms.workOrders)})`);
  }
  if (terms.manufacturers.length > 0) {
    parts.push(sql`select 'manufacturer', m.id::text, m.code, null, null, m.name, null, null, jsonb_build_object('kind', 'as_is', 'text', m.name) from manufacturers m
                   where m.code = any(${arr(terms.manufacturers)}) or lower(m.name) = any(${arr(terms.manufacturers.map((t) => t.toLowerCase()))})`);
  }
  if (parts.length === 0) return [];
  const rows = await queryRows<{
    kind: SearchHitKind;
    id: string;
    label: string;
    part_number: string | null;
    revision: string | null;
    detail: string | null;
    serial_item_id: string | null;
    unit_status: SearchHit["unitStatus"];
    facts: unknown;
  }>(db, sql`select * from (${sql.join(parts, sql` union all `)}) x(kind, id, label, part_number, revision, detail, serial_item_id, unit_status, facts) limit 200`);
  const seen = new Set<string>();
  const order: SearchHitKind[] = ["unit", "serial", "lot", "supplier_lot", "work_order", "part_revision", "part", "manufacturer"];
  return rows
    .filter((r) => {
      const k = `${r.kind}:${r.id}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .map((r) => ({
      kind: r.kind,
      id: r.id,
      label: r.label,
      partNumber: r.part_number,
      revision: r.revision,
      detail: r.detail,
      facts: factsFrom(r.facts),
      serialItemId: r.serial_item_id,
      unitStatus: r.unit_status,
    }))
    .sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || a.label.localeCompare(b.label));
}

/** Close matches for text that matched nothing: the longest prefix that finds anything, ranked by closeness. */
export async function suggestMatches(db: DbOrTx, siteId: string, text: string, limit = 10): Promise<Suggestion[]> {
  for (const prefix of suggestionPrefixes(text)) {
    const like = `${escapeLike(prefix)}%`;
    const rows = await queryRows<{ kind: SearchHitKind; text: string }>(
      db,
      sql`(select 'serial' as kind, serial_number as text from serial_items where site_id = ${siteId} and serial_number ilike ${like} order by serial_number limit 25)
          union all (select 'lot', lot_number from lots where site_id = ${siteId} and lot_number ilike ${like} order by lot_number limit 25)
          union all (select 'supplier_lot', supplier_lot from lots where site_id = ${siteId} and supplier_lot ilike ${like} order by supplier_lot limit 25)
          union all (select 'part', part_number from parts where part_number ilike ${like} order by part_number limit 25)
          union all (select 'work_order', number from work_orders where site_id = ${siteId} and number ilike ${like} order by number limit 25)
          union all (select 'manufacturer', code from manufacturers where code ilike ${like} or name ilike ${like} order by code limit 25)`,
    );
    if (rows.length > 0) return rankSuggestions(text, rows, limit);
  }
  return [];
}
