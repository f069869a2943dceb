import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx, type Tx } from "@/db/client";
import { lotInputs, lots } from "@/db/schema";
import type { MixRecipe } from "@/server/domain/material-clock/mixing";
import type { StorageClass } from "@/server/domain/material-clock/material-clock";
import { isoUtc, toDate } from "./hold-flags";

/*
 * Mixed lots: the recipes (the ERP BOMs of the mixed part revisions), the child lot and its inputs (lot_inputs).
 */

export type MixRecipeRow = MixRecipe & { storageClass: StorageClass | null };

/** The recipes that use any of these part revisions: each BOM with all its components and the mixed part's limits. */
export async function mixRecipesFor(db: DbOrTx, partRevisionIds: string[]): Promise<MixRecipeRow[]> {
  if (partRevisionIds.length === 0) return [];
  const rows = await queryRows<{
    output_part_revision_id: string;
    output_part_number: string;
    output_revision: string;
    output_uom: string;
    pot_life_minutes: number | null;
    out_time_minutes: number | null;
    storage_class: StorageClass | null;
    components: { partRevisionId: string; partNumber: string; revision: string; uom: string }[];
  }>(
    db,
    sql`select b.parent_revision_id as output_part_revision_id, p.part_number as output_part_number, pr.revision as output_revision, p.uom as output_uom,
               p.pot_life_minutes, p.out_time_minutes, p.storage_class::text as storage_class,
               (select json_agg(json_build_object('partRevisionId', cl.component_revision_id, 'partNumber', cp.part_number, 'revision', cr.revision, 'uom', cp.uom) order by cl.find_number)
                  from bom_lines cl join part_revisions cr on cr.id = cl.component_revision_id join parts cp on cp.id = cr.part_id
                  where cl.bom_id = b.id) as components
        from boms b
        join part_revisions pr on pr.id = b.parent_revision_id join parts p on p.id = pr.part_id
        where p.tracking = 'lot'
          and exists (select 1 from bom_lines l where l.bom_id = b.id and l.component_revision_id in (${sql.join(partRevisionIds.map((id) => sql`${id}::uuid`), sql`, `)}))
        order by p.part_number, pr.revision`,
  );
  return rows.map((r) => ({
    outputPartRevisionId: r.output_part_revision_id,
    outputPartNumber: r.output_part_number,
    outputRevision: r.output_revision,
    outputUom: r.output_uom,
    potLifeMinutes: r.pot_life_minutes,
    outTimeMinutes: r.out_time_minutes,
    storageClass: r.storage_class,
    components: r.components ?? [],
  }));
}

/** How many lots were already mixed from this input lot (names the next child lot). */
export async function earlierMixesOf(db: DbOrTx, siteId: string, inputLotId: string): Promise<number> {
  const rows = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from lot_inputs where site_id = ${siteId}::uuid and input_lot_id = ${inputLotId}::uuid`);
  return rows[0]?.n ?? 0;
}

/** Whether a lot of this number already exists for the part revision at this site. */
export async function lotNumberTaken(db: DbOrTx, siteId: string, partRevisionId: string, lotNumber: string): Promise<boolean> {
  const rows = await queryRows<{ one: number }>(
    db,
    sql`select 1 as one from lots where site_id = ${siteId}::uuid and part_revision_id = ${partRevisionId}::uuid and lot_number = ${lotNumber}`,
  );
  return rows.length > 0;
}

/** The child lot of a mix (accepted: its inputs passed inspection; its expiry set by the mix). */
export async function insertMixedLot(
  tx: Tx,
  l: { siteId: string; id: string; partRevisionId: string; lotNumber: string; expiresAt: Date | null; mixedAt: Date },
): Promise<void> {
  await tx.insert(lots).values({
    siteId: l.siteId,
    id: l.id,
    partRevisionId: l.partRevisionId,
    lotNumber: l.lotNumber,
    manufacturedAt: l.mixedAt,
    expiresAt: l.expiresAt,
    inspectionStatus: "accepted",
  });
}

export async function insertLotInputs(
  tx: Tx,
  siteId: string,
  m: { childLotId: string; movementId: string; mixedAt: Date; actorUserId: string; inputs: { lotId: string; quantity: string }[] },
): Promise<void> {
  await tx.insert(lotInputs).values(
    m.inputs.map((i) => ({ siteId, childLotId: m.childLotId, inputLotId: i.lotId, quantity: i.quantity, movementId: m.movementId, mixedAt: m.mixedAt, actorUserId: m.actorUserId })),
  );
}

export type LotMixRow = { lotId: string; lotNumber: string; partNumber: string; revision: string; quantity: string; uom: string; mixedAt: Date };

/** What a lot was mixed from (inputs) and what was mixed from it (children), oldest first. */
export async function lotMixes(db: DbOrTx, siteId: string, lotId: string): Promise<{ inputs: LotMixRow[]; children: LotMixRow[] }> {
  const rows = await queryRows<{ side: "input" | "child"; lot_id: string; lot_number: string; part_number: string; revision: string; quantity: string; uom: string; mixed_at: string }>(
    db,
    sql`select case when li.child_lot_id = ${lotId}::uuid then 'input' else 'child' end as side,
               lo.id as lot_id, lo.lot_number, p.part_number, pr.revision, li.quantity::text as quantity, p.uom, ${isoUtc(sql`li.mixed_at`)} as mixed_at
        from lot_inputs li
        join lots lo on lo.site_id = li.site_id and lo.id = case when li.child_lot_id = ${lotId}::uuid then li.input_lot_id else li.child_lot_id end
        join part_revisions pr on pr.id = lo.part_revision_id join parts p on p.id = pr.part_id
        where li.site_id = ${siteId}::uuid and (li.child_lot_id = ${lotId}::uuid or li.input_lot_id = ${lotId}::uuid)
        order by li.mixed_at, lo.lot_number`,
  );
  const out = { inputs: [] as LotMixRow[], children: [] as LotMixRow[] };
  for (const r of rows) {
    const row = { lotId: r.lot_id, lotNumber: r.lot_number, partNumber: r.part_number, revision: r.revision, quantity: r.quantity, uom: r.uom, mixedAt: toDate(r.mixed_at)! };
    (r.side === "input" ? out.inputs : out.children).push(row);
  }
  return out;
}
